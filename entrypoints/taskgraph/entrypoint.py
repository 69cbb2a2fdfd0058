"""Entrypoints: the two texts a user edits, checked against what the database supplies.

`build_document` assembles the full task-graph document (the one `/snapshots/{id}/config` shows
and `run_document` runs); `validate_entrypoint` validates exactly that document, but reports each
issue against the user's own text (`taskGraph`, `artifactGraph`) or the request (`context`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .analysis import analyze
from .declarations import UNCHECKED_INPUTS_KEY
from .document import DocumentAnalysis, unexpected
from .issues import CODES, Issue, ValidationResult, make_result
from .limits import DEFAULT_LIMITS, Limits
from .locators import EntrypointLocator, TextPart, loader_issues, make_issue, public_path
from .names import show
from .positions import TextPositions
from .report import Report
from .state import Options
from .types import BUILTIN_TYPES
from .yaml_loader import Loaded, load_text

ENTRYPOINT_PARAMETER_TYPES = ("string", "float", "integer", "boolean", "list", "mapping")

# Entrypoint parameter type -> the engine's type (list/mapping: inferred from the default).
_ENGINE_TYPES = {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean"}


@dataclass(frozen=True)
class TaskSpec:
    """A task of an attached plugin snapshot.

    `inputs`: (name, type, required) in order, or None when the signature is unknown (arguments
    are then not checked). `outputs`: (name, type); one = the whole return value, several = an
    iterable unpacked in order.
    """

    plugin_id: str
    inputs: Sequence[tuple[str, str, bool]] | None = ()
    outputs: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    parameter_type: str
    default_value: str | None = None


@dataclass(frozen=True)
class ArtifactInputSpec:
    name: str
    outputs: Sequence[tuple[str, str]] = ()


@runtime_checkable
class EntrypointContext(Protocol):
    """What the database supplies. A `tasks` value may also be a sequence of `TaskSpec`s: a name
    offered by several attached plugins (steps using it get `E_AMBIGUOUS_TASK`)."""

    tasks: Mapping[str, TaskSpec]
    artifact_tasks: Mapping[str, TaskSpec]
    types: Mapping[str, object]
    parameters: Sequence[ParameterSpec]
    artifact_inputs: Sequence[ArtifactInputSpec]


@dataclass
class StaticContext:
    """A ready-made `EntrypointContext` (tests, the command line, scripts)."""

    tasks: Mapping[str, Any] = field(default_factory=dict)
    artifact_tasks: Mapping[str, Any] = field(default_factory=dict)
    types: Mapping[str, object] = field(default_factory=dict)
    parameters: Sequence[ParameterSpec] = ()
    artifact_inputs: Sequence[ArtifactInputSpec] = ()


def convert_parameter_value(parameter_type: str, text: str) -> Any:
    """Convert an entrypoint parameter's text to a value of its type.

    `string` as is; `integer` by `int()`; `float` by `float()`; `boolean` from true/false in any
    letter case; `list`/`mapping` from JSON. Raises ValueError with a message saying what is wrong.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected the value as text, got {type(text).__name__}")
    if parameter_type == "string":
        return text
    if parameter_type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(
                f"`{show(text)}` is not an integer; give a whole number such as 3"
            ) from None
    if parameter_type == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"`{show(text)}` is not a number; give a number such as 0.5") from None
    if parameter_type == "boolean":
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError(f"`{show(text)}` is not a boolean; give true or false")
    if parameter_type in ("list", "mapping"):
        try:
            value = json.loads(text)
        except RecursionError:
            raise ValueError(f"`{show(text)}` nests too deeply to be read") from None
        except ValueError as error:
            raise ValueError(f"`{show(text)}` is not valid JSON ({error})") from None
        expected = list if parameter_type == "list" else dict
        if not isinstance(value, expected):
            example = "[1, 2]" if parameter_type == "list" else '{"key": "value"}'
            raise ValueError(
                f"`{show(text)}` is JSON but not a {parameter_type}; give e.g. {example}"
            )
        return value
    raise ValueError(
        f"unknown parameter type `{show(parameter_type)}`; use one of "
        f"{', '.join(ENTRYPOINT_PARAMETER_TYPES)}"
    )


def _outputs(outputs: Sequence[tuple[str, str]]) -> dict | list:
    """(name, type) pairs as the document declares outputs: one mapping for a single output (the
    whole value), a list of one-entry mappings for several (an iterable unpacked in order)."""
    if len(outputs) == 1:
        [(name, type_)] = outputs
        return {name: type_}
    return [{name: type_} for name, type_ in outputs]


def _declaration(spec: TaskSpec, *, function: bool) -> dict:
    declaration: dict[str, Any] = {"plugin": spec.plugin_id}
    if spec.inputs is None:
        if function:
            declaration[UNCHECKED_INPUTS_KEY] = True
    elif function or spec.inputs:
        declaration["inputs"] = [
            {name: type_}
            if required is True and name != "name"
            else {"name": name, "type": type_, "required": required}
            for name, type_, required in spec.inputs
        ]
    if spec.outputs:
        declaration["outputs"] = _outputs(spec.outputs)
    return declaration


def _offered(value: TaskSpec | Sequence[TaskSpec]) -> list[TaskSpec]:
    """The specs behind one task name (several = offered by several plugins)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class _Assembly:
    """The document built from an entrypoint, and how to route its paths back."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {}
        self.options = Options(entrypoint=True)
        self.graph: Loaded | None = None
        self.graph_prefix: tuple = ()
        self.artifacts: Loaded | None = None
        self.artifacts_prefix: tuple = ()
        self.context_paths: dict[tuple, list] = {}
        self.context_issues: list[Issue] = []
        # parameter name -> (index, conversion error) for defaults that do not convert
        self.failed_defaults: dict[str, tuple[int, str]] = {}
        # section -> the text it came from, for texts with YAML errors (duplicate keys, aliases,
        # bad tags...): the built document keeps such a text as it is, so that it is invalid too.
        self.unreadable: dict[str, str] = {}


def _unwrap_graph(value: Any) -> tuple[Any, tuple]:
    if isinstance(value, dict) and len(value) == 1 and "graph" in value:
        inner = value["graph"]
        if inner is None or (
            isinstance(inner, dict) and all(isinstance(v, dict) for v in inner.values())
        ):
            return inner if inner is not None else {}, ("graph",)
    return value, ()


def _unwrap_artifacts(value: Any) -> tuple[Any, tuple]:
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in ("artifact_outputs", "artifacts"):
            inner = value[key]
            if inner is None:
                return None, (key,)
            if isinstance(inner, dict) and "contents" not in inner and "task" not in inner:
                return inner, (key,)
    return value, ()


def _assemble(
    task_graph: Any, artifact_graph: Any, context: EntrypointContext, limits: Limits
) -> _Assembly:
    built = _Assembly()
    built.options.limits = limits
    document = built.document

    # Builtin types exist in every group; a context that lists them does not redefine them.
    document["types"] = {
        name: value for name, value in context.types.items() if name not in BUILTIN_TYPES
    }
    _assemble_parameters(built, context.parameters)
    _assemble_artifact_inputs(built, context.artifact_inputs)
    document["tasks"] = _assemble_tasks(built, context.tasks, function=True)
    document["artifact_tasks"] = _assemble_tasks(built, context.artifact_tasks, function=False)

    text = task_graph if isinstance(task_graph, str) else ""
    built.graph = load_text(text, limits)
    if built.graph.fatal:
        built.options.graph_unavailable = True
        document["graph"] = {}
    else:
        value, built.graph_prefix = _unwrap_graph(built.graph.value)
        document["graph"] = value
    if _has_errors(built.graph) and text.strip():
        built.unreadable["graph"] = text

    if isinstance(artifact_graph, str) and artifact_graph.strip():
        built.artifacts = load_text(artifact_graph, limits)
        if built.artifacts.fatal:
            built.options.artifact_outputs_unavailable = True
        else:
            value, built.artifacts_prefix = _unwrap_artifacts(built.artifacts.value)
            if value is not None:
                document["artifact_outputs"] = value
        if _has_errors(built.artifacts):
            built.unreadable["artifact_outputs"] = artifact_graph
    return built


def _has_errors(loaded: Loaded) -> bool:
    return any(CODES[issue.code][1] == "error" for issue in loaded.issues)


def _context_issue(built: _Assembly, code: str, message: str, path: list) -> None:
    built.context_issues.append(make_issue(code, message, "context", public_path(path), None))


def _register(built: _Assembly, section: str, name: Any, path: list) -> bool:
    """Remember where a declaration came from; False for a name the document cannot hold."""
    try:
        if (section, name) in built.context_paths:
            _context_issue(
                built,
                "E_DUPLICATE_KEY",
                f"The name `{show(name)}` is used twice in {section.replace('_', ' ')}; rename "
                "one.",
                path + ["name"],
            )
            return False
        built.context_paths[(section, name)] = path
    except TypeError:
        _context_issue(
            built, "E_NON_STRING_KEY", f"The name `{show(name)}` is not a string.", path + ["name"]
        )
        return False
    return True


def _assemble_parameters(built: _Assembly, specs: Sequence[ParameterSpec]) -> None:
    parameters: dict[Any, Any] = {}
    for index, spec in enumerate(specs):
        name = spec.name
        if not _register(built, "parameters", name, ["parameters", index]):
            continue
        kind = spec.parameter_type
        default = spec.default_value
        engine_type = _ENGINE_TYPES.get(kind)
        if kind not in ENTRYPOINT_PARAMETER_TYPES:
            # Not an entrypoint parameter type: let the document judge the type name as given.
            parameters[name] = (
                {"type": kind} if default is None else {"type": kind, "default": default}
            )
            continue
        if default is None:
            parameters[name] = {"type": engine_type or "any"}
            continue
        try:
            value = convert_parameter_value(kind, default)
        except ValueError as error:
            built.failed_defaults[name] = (index, str(error))
            # Keep the raw text under the declared type: the document is then invalid as well.
            parameters[name] = {"type": engine_type or kind, "default": default}
            continue
        parameters[name] = (
            {"type": engine_type, "default": value} if engine_type else {"default": value}
        )
    built.document["parameters"] = parameters


def _assemble_artifact_inputs(built: _Assembly, specs: Sequence[ArtifactInputSpec]) -> None:
    inputs: dict[Any, Any] = {}
    for index, spec in enumerate(specs):
        if _register(built, "artifact_inputs", spec.name, ["artifactParameters", index]):
            inputs[spec.name] = _outputs(spec.outputs)
    built.document["artifact_inputs"] = inputs


def _assemble_tasks(
    built: _Assembly, tasks: Mapping[str, TaskSpec | Sequence[TaskSpec]], *, function: bool
) -> dict:
    """Declarations by task name. A name offered by several plugins is ambiguous: the context
    says so with a sequence of specs for the name, or with several qualified keys
    (`plugin.module.task`) that end in the same name (a step can only name `task`)."""
    ambiguous = (
        built.options.ambiguous_tasks if function else built.options.ambiguous_artifact_tasks
    )
    section = "tasks" if function else "artifact_tasks"
    offers: dict[Any, list] = {}
    for key, value in tasks.items():
        name = key.rsplit(".", 1)[-1] if isinstance(key, str) else key
        built.context_paths.setdefault((section, name), [section, key])
        offers.setdefault(name, []).extend(_offered(value))
    declared: dict[Any, Any] = {}
    for name, specs in offers.items():
        plugins = list(dict.fromkeys(str(spec.plugin_id) for spec in specs))
        if len(plugins) > 1:
            ambiguous[name] = plugins
        elif specs:
            declared[name] = _declaration(specs[0], function=function)
    return declared


def read_graphs(
    task_graph: str, artifact_graph: str | None, *, limits: Limits | None = None
) -> tuple[Any, Any]:
    """The task graph's steps and the artifact graph's outputs as plain data, unwrapped as the
    validator unwraps them (``graph:``, ``artifact_outputs:``); ``None`` for a text that does not
    load (a YAML error or a cap), ``{}`` for an empty one. For comparing versions of a graph."""
    limits = limits or DEFAULT_LIMITS
    graph = load_text(task_graph or "", limits)
    steps = None if graph.fatal else _unwrap_graph(graph.value)[0]
    if steps is None and not graph.fatal:
        steps = {}
    outputs: Any = {}
    if artifact_graph and artifact_graph.strip():
        artifacts = load_text(artifact_graph, limits)
        outputs = None if artifacts.fatal else _unwrap_artifacts(artifacts.value)[0]
    return steps, outputs


def build_document(
    task_graph: str,
    artifact_graph: str | None,
    *,
    context: EntrypointContext,
    limits: Limits | None = None,
) -> dict:
    """The full task-graph document of an entrypoint, as plain Python data.

    Whatever makes the entrypoint invalid makes this document invalid too: a task name offered
    by several plugins is left out (steps using it cannot run); a parameter default that does not
    convert is kept as its text; a text with YAML errors is kept as the text itself.
    """
    built = _assemble(task_graph, artifact_graph, context, limits or DEFAULT_LIMITS)
    return {**built.document, **built.unreadable}


def validate_entrypoint(
    task_graph: str,
    artifact_graph: str | None,
    *,
    context: EntrypointContext,
    limits: Limits | None = None,
) -> ValidationResult:
    """Validate an entrypoint's task graph and artifact graph against its context.

    The verdict is that of `validate_document(build_document(...))`; issues point into the user's
    texts (`taskGraph`, `artifactGraph`) or into the request (`context`). Never raises.
    """
    limits = limits or DEFAULT_LIMITS
    try:
        built = _assemble(task_graph, artifact_graph, context, limits)
    except Exception as error:  # noqa: BLE001 - a malformed context must not raise
        return make_result([unexpected("context", error)])
    graph_positions = TextPositions(built.graph)
    issues = loader_issues(built.graph, "taskGraph", graph_positions)
    artifact_part = None
    if built.artifacts is not None:
        artifact_positions = TextPositions(built.artifacts)
        issues += loader_issues(built.artifacts, "artifactGraph", artifact_positions)
        artifact_part = TextPart("artifactGraph", artifact_positions, built.artifacts_prefix)
    locator = EntrypointLocator(
        TextPart("taskGraph", graph_positions, built.graph_prefix),
        artifact_part,
        built.context_paths,
    )
    report = Report()
    try:
        analysis = analyze(built.document, report, built.options)
    except Exception as error:  # noqa: BLE001 - never raise for any input
        return make_result(issues + built.context_issues + [unexpected("context", error)])
    entries = [entry for entry in report.entries if not _replaced(built, entry.path)]
    issues += locator.place(entries) + built.context_issues
    for name, (index, error) in built.failed_defaults.items():
        issues.append(
            make_issue(
                "E_PARAM_DEFAULT_CONVERSION",
                f"The default value of parameter `{show(name)}` does not convert: {error}.",
                "context",
                ["parameters", index, "defaultValue"],
                None,
            )
        )
    return make_result(issues, DocumentAnalysis(analysis, locator))


def _replaced(built: _Assembly, path: tuple) -> bool:
    """Document issues about a default that did not convert are reported as the conversion."""
    return (
        len(path) >= 3
        and path[0] == "parameters"
        and path[1] in built.failed_defaults
        and path[2] in ("type", "default")
    )
