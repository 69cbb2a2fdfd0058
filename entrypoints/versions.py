"""What changed between two versions of an entrypoint, step by step.

A *version* is anything with an entrypoint's content fields: a snapshot (historical record), the
live entrypoint, or the editor's unsaved proposal (``version_of_proposal``). ``compare`` reads
the graphs through the engine's loader and reports steps added, removed, renamed (same task,
arguments and dependencies under a new name) and changed (with the arguments that changed), the
edges between steps, the parameters, artifact parameters, artifact outputs and plugin pins. The
history list, the compare view, the restore preview and the admin's history all use it; no
queries here (plugin names come in as ``plugin_names``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.diffs import line_diff
from core.snapshots import NO_CHANGES
from entrypoints.engine import limits
from entrypoints.taskgraph import read_graphs

SUMMARY_PARTS = 5
CONTENT_FIELDS = (
    "name",
    "description",
    "task_graph",
    "artifact_graph",
    "parameters",
    "artifact_parameters",
    "plugin_snapshot_ids",
    "artifact_plugin_snapshot_ids",
    "artifact_types",
)


@dataclass(frozen=True)
class Version:
    """The content of one version, in the shapes the services store."""

    name: str = ""
    description: str | None = None
    task_graph: str = ""
    artifact_graph: str = ""
    parameters: list = field(default_factory=list)
    artifact_parameters: list = field(default_factory=list)
    plugin_snapshot_ids: list = field(default_factory=list)
    artifact_plugin_snapshot_ids: list = field(default_factory=list)
    artifact_types: dict = field(default_factory=dict)  # "<type id>" -> {name, ...}


def version_of(obj) -> Version:
    """The version of a snapshot or of the live entrypoint."""
    return Version(**{name: getattr(obj, name) for name in CONTENT_FIELDS})


def version_of_proposal(proposal) -> Version:
    """The version the editor's unsaved page stands for."""
    return Version(
        name=proposal.name,
        description=proposal.description,
        task_graph=proposal.task_graph,
        artifact_graph=proposal.artifact_graph,
        parameters=proposal.parameters_api(),
        artifact_parameters=proposal.artifact_parameters_api(),
        plugin_snapshot_ids=proposal.snapshot_ids("plugins"),
        artifact_plugin_snapshot_ids=proposal.snapshot_ids("artifact_plugins"),
        artifact_types={
            str(param_type.pk): {"name": param_type.name}
            for row in proposal.artifact_parameters
            for _, param_type in row.outputs
        },
    )


# Steps as the diff sees them ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """A step (or an artifact output's task): its task and its arguments by label (``#1`` for
    the first positional one, else the keyword), as canonical JSON texts."""

    task: str | None
    arguments: dict[str, str]
    dependencies: tuple[str, ...] = ()

    @property
    def same_work(self) -> tuple:
        return self.task, tuple(sorted(self.arguments.items())), self.dependencies


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _call(body: Any) -> Call:
    """Read a step's invocation in any of the three styles (the language's section 4)."""
    if not isinstance(body, Mapping):
        return Call(task=None, arguments={"#1": _text(body)})
    dependencies = body.get("dependencies", ())
    if isinstance(dependencies, str):
        dependencies = (dependencies,)
    dependencies = tuple(str(d) for d in dependencies) if isinstance(dependencies, list) else ()
    if "task" in body:
        positional = body.get("args") or []
        keywords = body.get("kwargs") or {}
        task = body["task"]
    else:
        task = next((key for key in body if key != "dependencies"), None)
        given = body.get(task) if task is not None else None
        positional, keywords = (
            ([], given)
            if isinstance(given, Mapping)
            else (given, {})
            if isinstance(given, list)
            else ([given], {})
        )
    if not isinstance(positional, list):
        positional = [positional]
    if not isinstance(keywords, Mapping):
        keywords = {"kwargs": keywords}
    arguments = {f"#{n}": _text(v) for n, v in enumerate(positional, 1)}
    arguments |= {str(k): _text(v) for k, v in keywords.items()}
    return Call(
        task=None if task is None else str(task), arguments=arguments, dependencies=dependencies
    )


def step_calls(task_graph: str) -> dict[str, Call] | None:
    """Each step's call, by name (``None`` when the text does not load)."""
    steps, _ = read_graphs(task_graph, None, limits=limits())
    return {str(k): _call(v) for k, v in steps.items()} if isinstance(steps, Mapping) else None


def _output_call(body: Any) -> Call:
    """An artifact output: its contents and its artifact task's arguments."""
    if not isinstance(body, Mapping):
        return Call(task=None, arguments={"#1": _text(body)})
    task = body.get("task")
    name = task.get("name") if isinstance(task, Mapping) else task
    inner = _call({"task": name, **task}) if isinstance(task, Mapping) else Call(None, {})
    arguments = {"contents": _text(body.get("contents")), **inner.arguments}
    arguments.pop("name", None)
    return Call(task=None if name is None else str(name), arguments=arguments)


def _references(value: Any) -> set[str]:
    """The names `$references` at any depth of an argument value point at."""
    if isinstance(value, str):
        if value.startswith("$") and value != "$" and not value.startswith("$$"):
            return {value[1:].split(".", 1)[0]}
        return set()
    if isinstance(value, Mapping):
        return set().union(*(_references(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value)) if value else set()
    return set()


def _edges(steps: Mapping) -> set[tuple[str, str, str]]:
    """(source, target, kind) for every step another step refers to or depends on."""
    names = set(steps)
    edges = set()
    for name, body in steps.items():
        # Task names and dependencies are never `$` texts, so the whole body can be searched.
        for source in _references(body) & names:
            edges.add((source, name, "reference"))
        for source in set(_call(body).dependencies) & names:
            edges.add((source, name, "dependency"))
    return edges


# The diff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArgumentChange:
    label: str
    old: str | None  # None: not given in that version
    new: str | None


@dataclass(frozen=True)
class StepChange:
    """``kind``: added, removed, renamed or changed; ``old_name`` for renames."""

    kind: str
    name: str
    old_name: str | None = None
    task: str | None = None
    old_task: str | None = None
    arguments: tuple[ArgumentChange, ...] = ()
    dependencies: tuple[tuple[str, ...], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class ItemChange:
    """A named item (parameter, artifact parameter, plugin) added, removed or changed, with what
    it was and what it is as short texts."""

    kind: str
    name: str
    old: str | None = None
    new: str | None = None


@dataclass
class VersionDiff:
    steps: list[StepChange] = field(default_factory=list)
    edges_added: list[tuple[str, str, str]] = field(default_factory=list)
    edges_removed: list[tuple[str, str, str]] = field(default_factory=list)
    artifact_outputs: list[StepChange] = field(default_factory=list)
    parameters: list[ItemChange] = field(default_factory=list)
    artifact_parameters: list[ItemChange] = field(default_factory=list)
    plugins: list[ItemChange] = field(default_factory=list)
    artifact_plugins: list[ItemChange] = field(default_factory=list)
    fields: list[ItemChange] = field(default_factory=list)
    created: bool = False  # no older version: everything is new
    texts_differ: bool = False
    # False when that version's task graph does not load: only the text diff can be shown.
    old_readable: bool = True
    new_readable: bool = True
    task_graph_rows: list = field(default_factory=list)
    artifact_graph_rows: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.steps
            or self.edges_added
            or self.edges_removed
            or self.artifact_outputs
            or self.parameters
            or self.artifact_parameters
            or self.plugins
            or self.artifact_plugins
            or self.fields
            or self.texts_differ
        )

    @property
    def task_graph_changed(self) -> bool:
        return any(row is not None and row.kind != "same" for row in self.task_graph_rows)

    @property
    def artifact_graph_changed(self) -> bool:
        return any(row is not None and row.kind != "same" for row in self.artifact_graph_rows)

    @property
    def item_sections(self) -> list[tuple[str, list[ItemChange]]]:
        """The named-item changes by section, for templates (empty sections left out)."""
        sections = [
            ("Name and description", self.fields),
            ("Parameters", self.parameters),
            ("Artifact parameters", self.artifact_parameters),
            ("Plugins", self.plugins),
            ("Artifact plugins", self.artifact_plugins),
        ]
        return [(title, changes) for title, changes in sections if changes]

    def step_kinds(self) -> dict[str, str]:
        """Step name (as in the newer version; removed ones by their old name) -> its change."""
        return {change.name: change.kind for change in self.steps}

    def summary(self) -> str:
        """One line: "changed step train; added parameter epochs; synced plugin hello"."""
        if self.created:
            steps = sum(1 for change in self.steps if change.kind == "added")
            return f"created with {steps} step{'s' if steps != 1 else ''}"
        parts = [*self._field_parts(), *self._grouped_parts()]
        if not parts:
            return "reformatted the graphs" if self.texts_differ else NO_CHANGES
        if len(parts) > SUMMARY_PARTS:
            rest = len(parts) - SUMMARY_PARTS + 1
            parts = [*parts[: SUMMARY_PARTS - 1], f"{rest} more changes"]
        return "; ".join(parts)

    @property
    def graphs_readable(self) -> bool:
        return self.old_readable and self.new_readable

    def _field_parts(self) -> list[str]:
        parts = []
        if not self.new_readable:
            parts.append("the task graph stopped parsing")
        elif not self.old_readable:
            parts.append("the task graph parses again")
        return parts + [
            f"renamed to {change.new}" if change.name == "name" else "changed the description"
            for change in self.fields
        ]

    def _grouped_parts(self) -> list[str]:
        parts = []
        groups = [
            ("step", self.steps),
            ("artifact output", self.artifact_outputs),
            ("parameter", self.parameters),
            ("artifact parameter", self.artifact_parameters),
            ("plugin", self.plugins),
            ("artifact plugin", self.artifact_plugins),
        ]
        verbs = {
            "added": "added",
            "removed": "removed",
            "changed": "changed",
            "renamed": "renamed",
            "synced": "synced",
            "pinned": "pinned an older snapshot of",
        }
        for noun, changes in groups:
            for kind, verb in verbs.items():
                names = [_label(c) for c in changes if c.kind == kind]
                if names:
                    plural = f"{noun}s" if len(names) > 1 else noun
                    parts.append(f"{verb} {plural} {', '.join(names)}")
        if not self.steps and (self.edges_added or self.edges_removed):
            parts.append("rewired the graph")
        return parts


def _label(change) -> str:
    if isinstance(change, StepChange) and change.kind == "renamed":
        return f"{change.old_name} → {change.name}"
    return change.name


def _diff_calls(old: Mapping, new: Mapping, read) -> list[StepChange]:
    """Named calls compared: renames are a removed and an added name doing the same work."""
    old_calls = {str(k): read(v) for k, v in old.items()}
    new_calls = {str(k): read(v) for k, v in new.items()}
    removed = [n for n in old_calls if n not in new_calls]
    added = [n for n in new_calls if n not in old_calls]
    changes: list[StepChange] = []
    renamed_from: dict[str, str] = {}
    for name in added:
        match = next(
            (
                o
                for o in removed
                if o not in renamed_from.values()
                and old_calls[o].same_work == new_calls[name].same_work
            ),
            None,
        )
        if match is not None:
            renamed_from[name] = match
    for name, call in new_calls.items():
        if name in renamed_from:
            changes.append(StepChange("renamed", name, old_name=renamed_from[name], task=call.task))
        elif name in added:
            changes.append(StepChange("added", name, task=call.task))
        elif call != old_calls[name]:
            before = old_calls[name]
            changes.append(
                StepChange(
                    "changed",
                    name,
                    task=call.task,
                    old_task=before.task if before.task != call.task else None,
                    arguments=_argument_changes(before.arguments, call.arguments),
                    dependencies=(before.dependencies, call.dependencies)
                    if before.dependencies != call.dependencies
                    else None,
                )
            )
    changes += [
        StepChange("removed", name, task=old_calls[name].task)
        for name in removed
        if name not in renamed_from.values()
    ]
    return changes


def _argument_changes(old: dict[str, str], new: dict[str, str]) -> tuple[ArgumentChange, ...]:
    labels = [*old, *(label for label in new if label not in old)]
    return tuple(
        ArgumentChange(label, old.get(label), new.get(label))
        for label in labels
        if old.get(label) != new.get(label)
    )


def _mapping(value: Any) -> dict:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _named(items: list, describe) -> dict[str, str]:
    return {
        str(item.get("name")): describe(item) for item in items or [] if isinstance(item, Mapping)
    }


def _parameter_text(item: Mapping) -> str:
    default = item.get("defaultValue")
    shown = "no default" if default is None else f"default {default!r}"
    return f"{item.get('parameterType', 'string')}, {shown}"


def _artifact_parameter_text(types: Mapping):
    def text(item: Mapping) -> str:
        outputs = [o for o in item.get("outputParams") or [] if isinstance(o, Mapping)]
        return ", ".join(
            f"{o.get('name')}: {types.get(str(o.get('parameterType')), {}).get('name', '?')}"
            for o in outputs
        )

    return text


def _diff_named(old: dict[str, str], new: dict[str, str]) -> list[ItemChange]:
    changes = [
        ItemChange("added", n, new=v) if n not in old else ItemChange("changed", n, old[n], v)
        for n, v in new.items()
        if old.get(n) != v
    ]
    return changes + [ItemChange("removed", n, old=v) for n, v in old.items() if n not in new]


def _diff_pins(old_ids, new_ids, plugin_names: Mapping[int, tuple[int, str]]) -> list[ItemChange]:
    """Pins compared by plugin: attached, detached, synced (a newer snapshot) or pinned older."""

    def by_plugin(ids):
        return {plugin_names[sid]: sid for sid in ids or [] if sid in plugin_names}

    old, new = by_plugin(old_ids), by_plugin(new_ids)
    old_ids_of = {plugin_id: (name, sid) for (plugin_id, name), sid in old.items()}
    new_ids_of = {plugin_id: (name, sid) for (plugin_id, name), sid in new.items()}
    changes = []
    for plugin_id, (name, sid) in new_ids_of.items():
        if plugin_id not in old_ids_of:
            changes.append(ItemChange("added", name, new=f"snapshot {sid}"))
        elif old_ids_of[plugin_id][1] != sid:
            before = old_ids_of[plugin_id][1]
            kind = "synced" if sid > before else "pinned"
            changes.append(ItemChange(kind, name, f"snapshot {before}", f"snapshot {sid}"))
    changes += [
        ItemChange("removed", name, old=f"snapshot {sid}")
        for plugin_id, (name, sid) in old_ids_of.items()
        if plugin_id not in new_ids_of
    ]
    return changes


def compare(
    old: Version | None,
    new: Version,
    *,
    plugin_names: Mapping[int, tuple[int, str]] | None = None,
    texts: bool = True,
) -> VersionDiff:
    """What changed from ``old`` to ``new`` (``old`` ``None``: everything is new).

    ``plugin_names`` maps plugin snapshot ids to (plugin id, plugin name); pins it does not know
    are left out. ``texts`` adds the side-by-side line diffs of both graphs.
    """
    diff = VersionDiff(created=old is None)
    old = old or Version()
    plugin_names = plugin_names or {}
    old_steps, old_outputs = read_graphs(old.task_graph, old.artifact_graph, limits=limits())
    new_steps, new_outputs = read_graphs(new.task_graph, new.artifact_graph, limits=limits())
    if isinstance(old_steps, Mapping) and isinstance(new_steps, Mapping):
        old_steps, new_steps = _mapping(old_steps), _mapping(new_steps)
        diff.steps = _diff_calls(old_steps, new_steps, _call)
        old_edges, new_edges = _edges(old_steps), _edges(new_steps)
        diff.edges_added = sorted(new_edges - old_edges)
        diff.edges_removed = sorted(old_edges - new_edges)
    else:
        diff.old_readable = isinstance(old_steps, Mapping)
        diff.new_readable = isinstance(new_steps, Mapping)
    if isinstance(old_outputs, Mapping) and isinstance(new_outputs, Mapping):
        diff.artifact_outputs = _diff_calls(
            _mapping(old_outputs), _mapping(new_outputs), _output_call
        )
    diff.parameters = _diff_named(
        _named(old.parameters, _parameter_text), _named(new.parameters, _parameter_text)
    )
    diff.artifact_parameters = _diff_named(
        _named(old.artifact_parameters, _artifact_parameter_text(old.artifact_types)),
        _named(new.artifact_parameters, _artifact_parameter_text(new.artifact_types)),
    )
    diff.plugins = _diff_pins(old.plugin_snapshot_ids, new.plugin_snapshot_ids, plugin_names)
    diff.artifact_plugins = _diff_pins(
        old.artifact_plugin_snapshot_ids, new.artifact_plugin_snapshot_ids, plugin_names
    )
    if not diff.created and old.name != new.name:
        diff.fields.append(ItemChange("changed", "name", old.name, new.name))
    if not diff.created and (old.description or "") != (new.description or ""):
        diff.fields.append(ItemChange("changed", "description", old.description, new.description))
    diff.texts_differ = (old.task_graph, old.artifact_graph) != (
        new.task_graph,
        new.artifact_graph,
    )
    if texts:
        diff.task_graph_rows = line_diff(old.task_graph, new.task_graph)
        diff.artifact_graph_rows = line_diff(old.artifact_graph, new.artifact_graph)
    return diff


def pinned_snapshot_ids(*versions: Version) -> set[int]:
    """Every plugin snapshot id the versions pin (to look their names up at once)."""
    return {
        sid
        for version in versions
        if version is not None
        for sid in [*version.plugin_snapshot_ids, *version.artifact_plugin_snapshot_ids]
    }
