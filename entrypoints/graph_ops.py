"""The graph editor on the entrypoint page: what a step's action panel offers, and applying an
operation to the page's unsaved texts.

The texts change only through ``taskgraph.edits`` (pure text transformations); this module adds
what the page knows: the tasks' signatures (to place a positional argument, to list the inputs a
connection can go to) and the engine's verdict, so that a connection the type check refuses is
refused with its reason before anything changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from entrypoints import engine
from entrypoints.taskgraph import graph_model, read_graphs
from entrypoints.taskgraph.edits import (
    EditError,
    Texts,
    add_dependency,
    add_step,
    connect,
    delete_step,
    disconnect,
    references_to,
    remove_dependency,
    rename_step,
    scalar_text,
    set_argument,
)
from entrypoints.taskgraph.issues import TYPE
from entrypoints.taskgraph.yaml_loader import load_text

OPERATIONS = (
    "add",
    "connect",
    "disconnect",
    "rename",
    "delete",
    "depend",
    "undepend",
    "arguments",
)
SHORTCUTS = [
    ("Enter", "select the step (its actions open here)"),
    ("a", "add a step after it"),
    ("c", "connect an input"),
    ("r", "rename"),
    ("d", "dependencies"),
    ("Delete", "delete"),
    ("Ctrl+Z", "undo (graph edits and typing share one history)"),
]
REFUSED_TYPE = "Not connected: {reason}"


@dataclass
class InputRow:
    name: str
    type: str
    required: bool
    current: str = ""  # the argument's YAML text, "" when not given
    connected: str | None = None  # the reference it holds


@dataclass
class Source:
    reference: str
    label: str
    type: str = ""
    selected: bool = False


@dataclass
class StepPanel:
    step: str
    task: str | None
    outputs: list[str]
    inputs: list[InputRow] | None  # None: the task's signature is unknown
    sources: list[Source]
    others: list[str]
    dependencies: list[str]
    breaks: list[str]  # what deleting it leaves unconnected
    tasks: list[str]
    focus: str = ""
    input_choice: str = ""  # the input a connection goes to by default
    shortcuts: list = field(default_factory=lambda: SHORTCUTS)


@dataclass
class Outcome:
    texts: Texts
    select: str | None
    message: str = ""


def _signature(judgement, task):
    spec = judgement.context.tasks.get(task) if task else None
    return spec if spec is not None and not isinstance(spec, (list, tuple)) else None


def _loaded_steps(text: str) -> dict:
    steps, _ = read_graphs(text, None, limits=engine.limits())
    return steps if isinstance(steps, dict) else {}


def _arguments(body, inputs: list[str]) -> dict[str, object]:
    """A step's arguments by input name, whatever its style (positional ones by position)."""
    if not isinstance(body, dict):
        return {}
    if "task" in body:
        positional, keywords = body.get("args") or [], body.get("kwargs") or {}
    else:
        task = next((k for k in body if k != "dependencies"), None)
        given = body.get(task)
        positional, keywords = (
            ([], given)
            if isinstance(given, dict)
            else (given, {})
            if isinstance(given, list)
            else ([] if given is None else [given], {})
        )
    found = dict(zip(inputs, positional if isinstance(positional, list) else [], strict=False))
    return {**found, **(keywords if isinstance(keywords, dict) else {})}


def _yaml_text(value) -> str:
    """An argument's value as the panel shows it: texts as they are, the rest as flow YAML."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def step_panel(
    judgement, step: str, *, connect_from: str = "", focus: str = ""
) -> StepPanel | None:
    """The actions the panel offers for ``step`` on this page (``None``: no such step now)."""
    model = graph_model(judgement.result)
    node = model.step(step)
    if node is None:
        return None
    spec = _signature(judgement, node.task)
    names = [s.name for s in model.steps]
    body = _loaded_steps(judgement.proposal.task_graph).get(step)
    inputs = None
    if spec is not None and spec.inputs is not None:
        given = _arguments(body, [name for name, _, _ in spec.inputs])
        inputs = [
            InputRow(
                name,
                kind,
                required,
                "" if name not in given else _yaml_text(given[name]),
                given[name]
                if isinstance(given.get(name), str) and given[name][:1] == "$"
                else None,
            )
            for name, kind, required in spec.inputs
        ]
    sources = [
        Source(f"${p.name}", f"parameter {p.name}", p.parameter_type)
        for p in judgement.context.parameters
    ]
    for artifact in judgement.context.artifact_inputs:
        for output, kind in artifact.outputs or [(None, "")]:
            reference = f"${artifact.name}" + (
                f".{output}" if output and len(artifact.outputs) > 1 else ""
            )
            sources.append(Source(reference, f"artifact input {reference[1:]}", kind))
    for other in model.steps:
        if other.name == step:
            continue
        other_spec = _signature(judgement, other.task)
        outputs = list(other_spec.outputs) if other_spec is not None else []
        if len(outputs) == 1:
            sources.append(Source(f"${other.name}", f"step {other.name}", outputs[0][1]))
        for output, kind in outputs if len(outputs) > 1 else []:
            sources.append(Source(f"${other.name}.{output}", f"step {other.name} → {output}", kind))
    dependencies = body.get("dependencies") if isinstance(body, dict) else None
    dependencies = [dependencies] if isinstance(dependencies, str) else list(dependencies or [])
    try:
        breaks = references_to(_texts(judgement.proposal), step=step, limits=engine.limits())
    except EditError:
        breaks = []
    chosen = next(
        (s for s in sources if connect_from and s.reference in (connect_from, f"${connect_from}")),
        next(
            (s for s in sources if connect_from and s.reference.startswith(f"${connect_from}.")),
            None,
        ),
    )
    input_choice = ""
    if chosen is not None:
        chosen.selected = True
        free = [i for i in inputs or [] if i.connected is None and _compatible(i.type, chosen.type)]
        fits = free or [i for i in inputs or [] if _compatible(i.type, chosen.type)]
        input_choice = fits[0].name if fits else ""
    return StepPanel(
        step=step,
        task=node.task,
        outputs=node.outputs,
        inputs=inputs,
        sources=sources,
        others=[n for n in names if n != step],
        dependencies=[str(d) for d in dependencies],
        breaks=breaks,
        tasks=sorted(judgement.context.tasks),
        focus="connect" if chosen is not None else focus,
        input_choice=input_choice,
    )


def _texts(proposal) -> Texts:
    return Texts(proposal.task_graph, proposal.artifact_graph or "")


def _inputs(judgement, step: str) -> list[str]:
    node = graph_model(judgement.result).step(step)
    spec = _signature(judgement, node.task if node else None)
    return [name for name, _, _ in spec.inputs] if spec is not None and spec.inputs else []


def _compatible(wanted: str, given: str) -> bool:
    return "any" in (wanted, given) or wanted == given


def _type_issues(result, step: str) -> set[tuple[str, str]]:
    return {
        (issue.code, issue.message)
        for issue in result.issues
        if issue.category == TYPE and issue.path[:1] == [step]
    }


def _split(reference: str) -> tuple[str, str | None]:
    name, dot, output = reference.removeprefix("$").partition(".")
    return name, (output if dot else None)


def apply(judgement, data) -> Outcome:
    """Apply the operation ``data["op"]`` (with its fields, as the panel's forms post them) to
    the judged page; ``EditError`` with a message for the user when it cannot be applied."""
    op = data.get("op", "")
    step = data.get("step", "")
    texts = _texts(judgement.proposal)
    limits = engine.limits()
    if op == "add":
        task = data.get("task", "")
        spec = judgement.context.tasks.get(task)
        if not task or spec is None or isinstance(spec, (list, tuple)):
            raise EditError(f"`{task}` is not a task of the attached plugins.")
        required = [name for name, _, needed in spec.inputs or () if needed]
        values = {}
        after = graph_model(judgement.result).step(step) if step else None
        after_spec = _signature(judgement, after.task) if after is not None else None
        outputs = list(after_spec.outputs) if after_spec is not None else []
        if len(outputs) == 1:
            # Added after a step: its first required input that takes that step's output.
            for name, kind, _ in spec.inputs or ():
                if name in required and _compatible(kind, outputs[0][1]):
                    values[name] = f"${step}"
                    break
        new, name = add_step(
            texts, task=task, inputs=required, values=values, after=step or None, limits=limits
        )
        return Outcome(new, name)
    if op == "connect":
        input_name, source = data.get("input", ""), data.get("source", "")
        if not input_name or not source.startswith("$"):
            raise EditError("Choose what to connect and the input it goes to.")
        name, output = _split(source)
        new = connect(
            texts,
            step=step,
            input_name=input_name,
            source=name,
            output=output,
            inputs=_inputs(judgement, step),
            limits=limits,
        )
        before = _type_issues(judgement.result, step)
        after = engine.verdict(
            task_graph=new.task_graph, artifact_graph=new.artifact_graph, context=judgement.context
        )
        fresh = _type_issues(after, step) - before
        if fresh:
            raise EditError(REFUSED_TYPE.format(reason=sorted(fresh)[0][1]))
        return Outcome(new, step)
    if op == "disconnect":
        name, output = _split(data.get("disconnect", ""))
        return Outcome(
            disconnect(texts, step=step, source=name, output=output, limits=limits), step
        )
    if op == "rename":
        new_name = data.get("name", "").strip()
        return Outcome(rename_step(texts, old=step, new=new_name, limits=limits), new_name)
    if op == "delete":
        drop = data.get("drop-arguments") == "on"
        return Outcome(delete_step(texts, step=step, drop_arguments=drop, limits=limits), None)
    if op == "depend":
        return Outcome(add_dependency(texts, step=step, on=data.get("on", ""), limits=limits), step)
    if op == "undepend":
        return Outcome(
            remove_dependency(texts, step=step, on=data.get("off", ""), limits=limits), step
        )
    if op == "arguments":
        inputs = _inputs(judgement, step)
        new = texts
        for name in inputs:
            key = f"arg-{name}"
            if key in data and data[key].strip():
                value = data[key].strip()
                loaded = load_text(value, limits)
                if loaded.fatal or loaded.issues:
                    problem = loaded.issues[0].message if loaded.issues else "it cannot be read"
                    raise EditError(f"The value of `{name}` is not a YAML value: {problem}")
                parsed = loaded.value
                value = scalar_text(parsed)  # one line, quoted where it must be
                new = set_argument(
                    new, step=step, input_name=name, value=value, inputs=inputs, limits=limits
                )
        return Outcome(new, step)
    raise EditError(f"Unknown graph operation `{op}`.")
