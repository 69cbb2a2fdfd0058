"""Shapes: the top level of a document, steps (three invocation styles) and artifact outputs.

The parsed records are shared by validation, the graph model and the runner, so the three agree
on what a step calls and with which arguments.
"""

from __future__ import annotations

from typing import Any

from .names import as_yaml, check_name, describe_value, did_you_mean, is_json_scalar, show
from .report import Report

SECTIONS = (
    "types",
    "parameters",
    "artifact_inputs",
    "tasks",
    "artifact_tasks",
    "graph",
    "artifact_outputs",
)
REQUIRED_SECTIONS = ("tasks", "graph")
MIXED_KEYS = ("task", "args", "kwargs", "dependencies")
ARTIFACT_OUTPUT_KEYS = ("contents", "task")
ARTIFACT_TASK_KEYS = ("name", "args", "kwargs")

STEP_SHAPES = (
    "`task: [arguments]`, `task: {keyword: value}` or `{task: name, args: [...], kwargs: {...}}`"
)


class Argument:
    """One argument as written: its value and document path (`name` for keyword arguments)."""

    __slots__ = ("value", "path", "name", "index")

    def __init__(self, value: Any, path: tuple, name: Any = None, index: int = -1) -> None:
        self.value = value
        self.path = path
        self.name = name
        self.index = index


class Invocation:
    """A call: which task (and where its name is written) and its arguments."""

    __slots__ = (
        "task",
        "task_path",
        "task_at_key",
        "positional",
        "keywords",
        "task_info",
        "usable",
    )

    def __init__(self) -> None:
        self.task: str | None = None
        # The declaration of the task once looked up (None: unknown, ambiguous or not checked).
        self.task_info: Any = None
        self.task_path: tuple = ()
        self.task_at_key = False
        self.positional: list[Argument] = []
        self.keywords: list[Argument] = []
        # False when the call's shape is broken: its task and arguments are not judged.
        self.usable = False

    def arguments(self) -> list[Argument]:
        return self.positional + self.keywords


class Step(Invocation):
    __slots__ = ("name", "path", "style", "dependencies")

    def __init__(self, name: Any, path: tuple) -> None:
        super().__init__()
        self.name = name
        self.path = path
        self.style = ""
        # (name, path) of each `dependencies` entry
        self.dependencies: list[tuple[Any, tuple]] = []


class ArtifactOutput(Invocation):
    __slots__ = ("name", "path", "contents", "contents_path")

    def __init__(self, name: Any, path: tuple) -> None:
        super().__init__()
        self.name = name
        self.path = path
        self.contents: Any = None
        self.contents_path: tuple = path + ("contents",)


def check_top_level(report: Report, document: Any, *, required: tuple = REQUIRED_SECTIONS) -> bool:
    """The document is a mapping of the known sections. Returns whether it is a mapping."""
    if not isinstance(document, dict):
        if document is None:
            for key in required:
                report.add("E_MISSING_KEY", f"The document is empty; it needs `{key}`.", ())
        else:
            report.add(
                "E_WRONG_TYPE",
                f"The document is {describe_value(document)}; it must be a mapping with the "
                "sections `tasks`, `graph` and optionally `types`, `parameters`, "
                "`artifact_inputs`, `artifact_tasks`, `artifact_outputs`.",
                (),
            )
        return False
    for key in document:
        if key not in SECTIONS:
            report.add(
                "E_UNKNOWN_KEY",
                f"`{show(key)}` is not a section of a task-graph document; "
                + did_you_mean(
                    key, SECTIONS, "the sections are " + ", ".join(f"`{s}`" for s in SECTIONS) + "."
                ),
                (key,),
                at_key=True,
            )
    for key in required:
        if key not in document:
            report.add(
                "E_MISSING_KEY",
                f"The document has no `{key}` section; add it"
                + (
                    " (`tasks: {name: {plugin: pkg.module.function}}`)."
                    if key == "tasks"
                    else " (`graph: {step: {task: [args]}}`)."
                ),
                (),
            )
    return True


def _positional(report: Report, value: Any, path: tuple, what: str) -> list[Argument] | None:
    """A list is the positional arguments; any other JSON scalar is one argument."""
    if isinstance(value, list):
        return [Argument(item, path + (i,), index=i) for i, item in enumerate(value)]
    if is_json_scalar(value):
        return [Argument(value, path, index=0)]
    report.add(
        "E_WRONG_TYPE",
        f"{what} is {describe_value(value)}; give a list of arguments"
        + (
            " (keyword arguments go under `kwargs`)."
            if isinstance(value, dict)
            else " (quote the value to pass it as a string)."
        ),
        path,
    )
    return None


def _keywords(report: Report, value: dict, path: tuple, where: str) -> list[Argument]:
    arguments = []
    for key, item in value.items():
        if not isinstance(key, str):
            report.add(
                "E_NON_STRING_KEY",
                f"{where}: the keyword `{as_yaml(key)}` is {describe_value(key)}, not a string; "
                f'quote it ("{as_yaml(key)}").',
                path + (key,),
                at_key=True,
            )
            continue
        arguments.append(Argument(item, path + (key,), name=key))
    return arguments


def _kwargs(report: Report, value: Any, path: tuple, where: str) -> list[Argument] | None:
    """A `kwargs` mapping as keyword arguments; None when it is not a mapping (reported)."""
    if isinstance(value, dict):
        return _keywords(report, value, path, where)
    report.add(
        "E_WRONG_TYPE",
        f"{where}: `kwargs` is {describe_value(value)}; give a mapping `{{keyword: value}}`.",
        path,
    )
    return None


def _task_name_ok(report: Report, name: Any, path: tuple, at_key: bool, where: str) -> bool:
    """A task name is any non-blank string, as in Dioptra (`taskalias1:v2`, `my-task` ...)."""
    if not isinstance(name, str):
        report.add(
            "E_NON_STRING_KEY" if at_key else "E_WRONG_TYPE",
            f"{where}: the task name `{as_yaml(name)}` is {describe_value(name)}, not a string.",
            path,
            at_key=at_key,
        )
        return False
    if not name.strip():
        report.add(
            "E_TASK_NAME_INVALID",
            f"{where}: the task name is empty or blank; name one of the declared tasks.",
            path,
            at_key=at_key,
        )
        return False
    return True


def parse_graph(report: Report, graph: Any, max_steps: int) -> tuple[list[Step], bool]:
    """Steps in document order, and whether the graph could be read (judging references)."""
    if not isinstance(graph, dict):
        if graph is None:
            report.add(
                "E_EMPTY_SECTION",
                "`graph` is empty; add at least one step (`step: {task: [args]}`).",
                ("graph",),
                at_key=True,
            )
        else:
            report.add(
                "E_WRONG_TYPE",
                f"`graph` is {describe_value(graph)}; it maps step names to invocations.",
                ("graph",),
            )
        return [], False
    if not graph:
        report.add(
            "E_EMPTY_SECTION",
            "`graph` is empty; add at least one step (`step: {task: [args]}`).",
            ("graph",),
            at_key=True,
        )
        return [], True
    if len(graph) > max_steps:
        over = list(graph)[max_steps]
        report.add(
            "E_LIMIT_STEPS",
            f"The graph has {len(graph):,} steps; at most {max_steps:,} are allowed. Split the "
            "work "
            "into several entrypoints.",
            ("graph", over),
            at_key=True,
        )
        return [], False
    steps = []
    for name, value in graph.items():
        step = parse_step(report, name, value, ("graph", name))
        steps.append(step)
    return steps, True


def parse_step(report: Report, name: Any, value: Any, path: tuple) -> Step:
    step = Step(name, path)
    check_name(report, name, path, "step", "E_STEP_NAME_DOT")
    where = f"Step `{show(name)}`"
    if not isinstance(value, dict):
        report.add(
            "E_WRONG_TYPE",
            f"{where} is {describe_value(value)}; a step is {STEP_SHAPES}.",
            path,
        )
        return step
    usable = True
    if "task" in value:
        step.style = "mixed"
        for key in value:
            if key not in MIXED_KEYS:
                report.add(
                    "E_UNKNOWN_KEY",
                    f"{where}: `{show(key)}` is not allowed next to `task`; "
                    + did_you_mean(
                        key,
                        MIXED_KEYS,
                        "a mixed-style step has `task`, `args`, `kwargs` and `dependencies`.",
                    ),
                    path + (key,),
                    at_key=True,
                )
        step.task_path = path + ("task",)
        if _task_name_ok(report, value["task"], step.task_path, False, where):
            step.task = value["task"]
        else:
            usable = False
        if "args" in value:
            positional = _positional(report, value["args"], path + ("args",), f"{where}: `args`")
            if positional is None:
                usable = False
            else:
                step.positional = positional
        if "kwargs" in value:
            keywords = _kwargs(report, value["kwargs"], path + ("kwargs",), where)
            if keywords is None:
                usable = False
            else:
                step.keywords = keywords
    else:
        keys = [key for key in value if key != "dependencies"]
        if len(keys) != 1:
            if keys:
                listed = ", ".join(f"`{show(k)}`" for k in keys)
                problem = f"names several tasks ({listed})"
            else:
                problem = "names no task"
            report.add(
                "E_STEP_SHORT_FORM_STRUCTURE",
                f"{where} {problem}; a step calls exactly one task: {STEP_SHAPES}.",
                path,
                at_key=True,
            )
            usable = False
        else:
            task = keys[0]
            task_path = path + (task,)
            step.task_path = task_path
            step.task_at_key = True
            if _task_name_ok(report, task, task_path, True, where):
                step.task = task
            else:
                usable = False
            arguments = value[task]
            if isinstance(arguments, dict):
                step.style = "keyword"
                step.keywords = _keywords(report, arguments, task_path, where)
            else:
                step.style = "positional"
                positional = _positional(
                    report, arguments, task_path, f"{where}: the arguments of `{show(task)}`"
                )
                if positional is None:
                    usable = False
                else:
                    step.positional = positional
    if "dependencies" in value:
        step.dependencies = _dependencies(
            report, value["dependencies"], path + ("dependencies",), where
        )
    step.usable = usable
    return step


def _dependencies(report: Report, value: Any, path: tuple, where: str) -> list[tuple[Any, tuple]]:
    if isinstance(value, str):
        return [(value, path)]
    if not isinstance(value, list):
        report.add(
            "E_WRONG_TYPE",
            f"{where}: `dependencies` is {describe_value(value)}; give a step name or a list of "
            "them.",
            path,
        )
        return []
    entries = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            entries.append((item, path + (i,)))
        else:
            report.add(
                "E_WRONG_TYPE",
                f"{where}: dependency {i + 1} is {describe_value(item)}; give a step name.",
                path + (i,),
            )
    return entries


def parse_artifact_outputs(
    report: Report, section: Any, path: tuple = ("artifact_outputs",)
) -> tuple[list[ArtifactOutput], bool]:
    if not isinstance(section, dict):
        report.add(
            "E_WRONG_TYPE",
            f"`artifact_outputs` is {describe_value(section)}; it maps artifact output names to "
            "`{contents: $step, task: {name: ...}}`.",
            path,
        )
        return [], False
    outputs = []
    for name, value in section.items():
        outputs.append(parse_artifact_output(report, name, value, path + (name,)))
    return outputs, True


def parse_artifact_output(report: Report, name: Any, value: Any, path: tuple) -> ArtifactOutput:
    output = ArtifactOutput(name, path)
    check_name(report, name, path, "artifact output")
    where = f"Artifact output `{show(name)}`"
    if not isinstance(value, dict):
        report.add(
            "E_WRONG_TYPE",
            f"{where} is {describe_value(value)}; write `{{contents: $step, task: {{name: "
            "ArtifactTask}}`.",
            path,
        )
        return output
    usable = True
    for key in value:
        if key not in ARTIFACT_OUTPUT_KEYS:
            report.add(
                "E_UNKNOWN_KEY",
                f"{where}: `{show(key)}` is not allowed; "
                + did_you_mean(
                    key, ARTIFACT_OUTPUT_KEYS, "an artifact output has `contents` and `task`."
                ),
                path + (key,),
                at_key=True,
            )
    for key in ARTIFACT_OUTPUT_KEYS:
        if key not in value:
            hint = "`contents: $step`" if key == "contents" else "`task: {name: ArtifactTask}`"
            report.add("E_MISSING_KEY", f"{where} has no `{key}`; add {hint}.", path, at_key=True)
    if "contents" in value:
        contents = value["contents"]
        if isinstance(contents, str):
            output.contents = contents
        else:
            report.add(
                "E_WRONG_TYPE",
                f"{where}: `contents` is {describe_value(contents)}; give a reference such as "
                "`$step` "
                "(or a string).",
                output.contents_path,
            )
    task = value.get("task")
    task_path = path + ("task",)
    if "task" in value and not isinstance(task, dict):
        report.add(
            "E_WRONG_TYPE",
            f"{where}: `task` is {describe_value(task)}; write `{{name: ArtifactTask, args: "
            "...}`.",
            task_path,
        )
        usable = False
    elif isinstance(task, dict):
        usable = _artifact_task(report, output, task, task_path, where) and usable
    else:
        usable = False
    output.usable = usable
    return output


def _artifact_task(
    report: Report, output: ArtifactOutput, task: dict, path: tuple, where: str
) -> bool:
    usable = True
    for key in task:
        if key not in ARTIFACT_TASK_KEYS:
            report.add(
                "E_UNKNOWN_KEY",
                f"{where}: `{show(key)}` is not allowed in `task`; "
                + did_you_mean(key, ARTIFACT_TASK_KEYS, "use `name`, `args` and `kwargs`."),
                path + (key,),
                at_key=True,
            )
    output.task_path = path + ("name",)
    if "name" not in task:
        report.add(
            "E_MISSING_KEY",
            f"{where}: `task` has no `name`; add `name: ArtifactTask`.",
            path,
            at_key=True,
        )
        usable = False
    elif not isinstance(task["name"], str) or not task["name"].strip():
        report.add(
            "E_WRONG_TYPE",
            f"{where}: the artifact task name is "
            f"{describe_value(task['name']) if not isinstance(task['name'], str) else 'blank'}; "
            "give the name of an artifact task.",
            output.task_path,
        )
        usable = False
    else:
        output.task = task["name"]
    if "args" in task:
        args = task["args"]
        if isinstance(args, dict):
            output.keywords = _keywords(report, args, path + ("args",), where)
        elif isinstance(args, list):
            output.positional = [
                Argument(item, path + ("args", i), index=i) for i, item in enumerate(args)
            ]
        else:
            # Unlike a step's `args`, an artifact task's `args` is a list or a mapping (Dioptra's
            # schema wants a mapping; the seed also shows a list): a lone value is not read as one
            # argument.
            report.add(
                "E_WRONG_TYPE",
                f"{where}: `args` is {describe_value(args)}; give a list of arguments "
                "(`args: [csv]`) or a mapping of keyword arguments (`args: {format: csv}`).",
                path + ("args",),
            )
            usable = False
    if "kwargs" in task:
        keywords = _kwargs(report, task["kwargs"], path + ("kwargs",), where)
        if keywords is None:
            usable = False
        else:
            given = {argument.name for argument in output.keywords}
            for argument in keywords:
                if argument.name in given:
                    report.add(
                        "E_ARG_ASSIGNED_TWICE",
                        f"{where}: `{argument.name}` is given in both `args` and `kwargs`; keep "
                        "one.",
                        argument.path,
                    )
                    continue
                output.keywords.append(argument)
    return usable
