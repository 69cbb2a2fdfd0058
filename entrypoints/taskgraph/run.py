"""Running a task-graph document: steps in topological order, then the artifact output graph."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .cycles import topological_order
from .declarations import Producer
from .document import DocumentAnalysis, validate_document
from .references import is_reference, split_reference, unescape
from .state import Analysis
from .structure import Invocation


class RunError(Exception):
    """Base of the errors `run_document` raises."""


class StepError(RunError):
    def __init__(self, step: str, cause: BaseException) -> None:
        self.step = step
        self.cause = cause
        super().__init__(f"Step `{step}` failed: {type(cause).__name__}: {cause}")


class ArtifactError(RunError):
    def __init__(self, name: str, cause: BaseException) -> None:
        self.name = name
        self.cause = cause
        super().__init__(f"Artifact output `{name}` failed: {type(cause).__name__}: {cause}")


class MissingParameterError(RunError):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        listed = ", ".join(f"`{name}`" for name in names)
        super().__init__(
            f"No value and no default for {listed}; supply {'it' if len(names) == 1 else 'them'} "
            "when starting the job."
        )


class InvalidDocumentError(RunError, ValueError):
    """The document does not validate (the caller should have validated it first)."""

    def __init__(self, issues: list) -> None:
        self.issues = issues
        shown = "; ".join(f"{issue.code}: {issue.message}" for issue in issues[:3])
        super().__init__(f"The document is not valid: {shown}")


@runtime_checkable
class ArtifactTask(Protocol):
    """Any object or class with `serialize(workdir, name, contents, **kwargs) -> Path`."""

    def serialize(self, workdir: Path, name: str, contents: Any, **kwargs: Any) -> Path: ...


class RunHooks:
    """Callbacks during a run; all optional. Subclass and override, or pass callables."""

    def __init__(
        self,
        *,
        step_started: Callable[[str], Any] | None = None,
        step_finished: Callable[[str, float], Any] | None = None,
        step_failed: Callable[[str, BaseException], Any] | None = None,
        artifact_written: Callable[[str, Path], Any] | None = None,
    ) -> None:
        for name, callback in (
            ("step_started", step_started),
            ("step_finished", step_finished),
            ("step_failed", step_failed),
            ("artifact_written", artifact_written),
        ):
            if callback is not None:
                setattr(self, name, callback)

    def step_started(self, name: str) -> None:
        """A step is about to run."""

    def step_finished(self, name: str, seconds: float) -> None:
        """A step returned; its outputs are registered."""

    def step_failed(self, name: str, exc: BaseException) -> None:
        """A step raised (or its outputs did not match its declaration)."""

    def artifact_written(self, name: str, path: Path) -> None:
        """An artifact output was serialized to `path`."""


@dataclass
class RunResult:
    # step -> its single output, a dict of output name -> value (several), or None (none)
    outputs: dict[str, Any] = field(default_factory=dict)
    # (artifact output name, artifact task name, path) in document order
    artifacts: list[tuple[str, str, Path]] = field(default_factory=list)


def _hook(hooks: Any, name: str, *args: Any) -> None:
    callback = getattr(hooks, name, None) if hooks is not None else None
    if callback is not None:
        callback(*args)


class _Values:
    """Values references resolve to while the run goes on."""

    def __init__(
        self, analysis: Analysis, parameters: dict[str, Any], artifact_inputs: Mapping[str, Any]
    ) -> None:
        self.analysis = analysis
        self.parameters = parameters
        self.artifact_inputs = artifact_inputs
        self.steps: dict[str, dict[Any, Any]] = {}

    def resolve(self, value: Any) -> Any:
        value_class = value.__class__
        if value_class is str:
            return self.lookup(value) if is_reference(value) else unescape(value)
        if value_class is list:
            return [self.resolve(item) for item in value]
        if value_class is dict:
            return {key: self.resolve(item) for key, item in value.items()}
        return value

    def lookup(self, text: str) -> Any:
        name, output = split_reference(text)
        if name in self.steps:
            return self._output(self.steps[name], name, output, text)
        if name in self.parameters and output is None:
            return self.parameters[name]
        producer = self.analysis.artifact_inputs.get(name)
        if producer is not None and name in self.artifact_inputs:
            value = self.artifact_inputs[name]
            names = producer.output_names()
            if len(names) == 1:
                if output is None or output == names[0]:
                    return value
            elif isinstance(value, (list, tuple)) and len(value) == len(names):
                # Several outputs given in order, as a deserializer returns them.
                value = dict(zip(names, value, strict=True))
            return self._output(value, name, output, text)
        raise LookupError(f"`{text}` cannot be resolved")

    @staticmethod
    def _output(outputs: Mapping, name: str, output: str | None, text: str) -> Any:
        if output is None:
            if len(outputs) != 1:
                raise LookupError(f"`{text}` needs an output name")
            return next(iter(outputs.values()))
        if output not in outputs:
            raise LookupError(f"`{name}` has no output `{output}`")
        return outputs[output]

    def arguments(self, call: Invocation) -> tuple[list, dict]:
        args = [self.resolve(argument.value) for argument in call.positional]
        kwargs = {argument.name: self.resolve(argument.value) for argument in call.keywords}
        return args, kwargs


def _register_outputs(producer: Producer | None, value: Any) -> dict[Any, Any]:
    outputs = producer.outputs if producer is not None and producer.outputs is not None else []
    if not outputs:
        return {}
    names = [output.name for output in outputs]
    if producer.single:
        return {names[0]: value}
    try:
        items = list(value)
    except TypeError:
        raise TypeError(
            f"the task declares {len(names)} output(s) ({', '.join(map(str, names))}) as a list, "
            "so it "
            f"must return an iterable, not {type(value).__name__}"
        ) from None
    if len(items) != len(names):
        raise ValueError(
            f"the task declares {len(names)} output(s) ({', '.join(map(str, names))}) but returned "
            f"{len(items)} value(s)"
        )
    return dict(zip(names, items, strict=True))


def _public_outputs(outputs: dict[Any, Any]) -> Any:
    if not outputs:
        return None
    if len(outputs) == 1:
        return next(iter(outputs.values()))
    return dict(outputs)


def _resolve_parameters(
    analysis: Analysis, supplied: Mapping[str, Any], artifact_inputs: Mapping[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    missing = []
    for name, param in analysis.params.items():
        if name in supplied:
            values[name] = supplied[name]
        elif param.has_default:
            values[name] = param.default
        else:
            missing.append(name)
    missing += [name for name in analysis.artifact_inputs if name not in artifact_inputs]
    if missing:
        raise MissingParameterError(missing)
    return values


def run_document(
    document: str | Mapping,
    *,
    tasks: Mapping[str, Callable],
    artifact_tasks: Mapping[str, Any] | None = None,
    parameters: Mapping[str, Any] | None = None,
    artifact_inputs: Mapping[str, Any] | None = None,
    workdir: Path | str,
    hooks: RunHooks | None = None,
) -> RunResult:
    """Run a validated document.

    `parameters` are final, converted values (missing ones fall back to defaults);
    `artifact_inputs` maps each artifact input to its deserialized value (one output) or to a
    mapping of output name -> value (several). Raises `MissingParameterError` before any step
    runs, `StepError` / `ArtifactError` naming what failed, `InvalidDocumentError` for a document
    that does not validate.
    """
    artifact_tasks = artifact_tasks or {}
    artifact_inputs = artifact_inputs or {}
    result = validate_document(document)
    if not result.valid or not isinstance(result.analysis, DocumentAnalysis):
        raise InvalidDocumentError(result.errors)
    analysis = result.analysis.analysis
    values = _Values(
        analysis, _resolve_parameters(analysis, parameters or {}, artifact_inputs), artifact_inputs
    )
    workdir = Path(workdir)
    run = RunResult()

    steps = {step.name: step for step in analysis.steps}
    for name in topological_order(list(steps), analysis.step_dependencies()):
        step = steps[name]
        try:
            _hook(hooks, "step_started", name)
            started = time.perf_counter()
            function = tasks.get(step.task) if step.task is not None else None
            if function is None:
                raise LookupError(f"no function is registered for the task `{step.task}`")
            args, kwargs = values.arguments(step)
            returned = function(*args, **kwargs)
            outputs = _register_outputs(step.task_info, returned)
            values.steps[name] = outputs
            run.outputs[name] = _public_outputs(outputs)
            _hook(hooks, "step_finished", name, time.perf_counter() - started)
        except Exception as error:
            _hook(hooks, "step_failed", name, error)
            raise StepError(name, error) from error

    for output in analysis.artifact_outputs:
        name = output.name
        try:
            task = artifact_tasks.get(output.task)
            if task is None:
                raise LookupError(f"no artifact task is registered under `{output.task}`")
            contents = values.resolve(output.contents)
            args, kwargs = values.arguments(output)
            declared = output.task_info.inputs if output.task_info is not None else None
            if declared:
                # Positional arguments bind to the declared inputs, so serialize gets keywords.
                kwargs = {**{i.name: a for i, a in zip(declared, args, strict=False)}, **kwargs}
                args = []
            path = Path(task.serialize(workdir, name, contents, *args, **kwargs))
            run.artifacts.append((name, output.task, path))
            _hook(hooks, "artifact_written", name, path)
        except Exception as error:
            raise ArtifactError(name, error) from error
    return run
