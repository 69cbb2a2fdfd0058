"""What the editor page shows of a proposal: the engine's verdict, the issue list, the graph and
the state its JavaScript reads (markers, completion, palette).

A *proposal* is the page's unsaved content, read from its form (or from a stored entrypoint when
the page opens). It is judged by the same bridge to the engine as the API and the stored verdict
(``selectors.entrypoint_validate``), so the page, the API and what is saved never disagree.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from entrypoints import engine, selectors, services
from entrypoints.context import build_context
from entrypoints.forms import (
    ArtifactRow,
    EntrypointForm,
    ParameterRow,
    artifact_rows,
    parameter_rows,
    stored_artifact_rows,
    stored_parameter_rows,
)
from entrypoints.graph_layout import graph_layout
from entrypoints.taskgraph import StaticContext, ValidationResult, graph_model
from entrypoints.validators import artifact_parameter_errors, parameter_errors
from plugins_app.models import Plugin, PluginParameterType

SYNTAX = "syntax"
NOT_VISIBLE_ANY_MORE = "Plugin snapshot {sid} is no longer available to this entrypoint."


@dataclass
class PluginChoice:
    """A plugin of the group as the plugin checklist shows it."""

    plugin: Plugin
    selected: bool
    pinned: int | None  # the snapshot this page pins it to (None: not attached)
    latest: int | None

    @property
    def id(self) -> int:
        return self.plugin.pk

    @property
    def name(self) -> str:
        return self.plugin.name

    @property
    def outdated(self) -> bool:
        return self.pinned is not None and self.latest is not None and self.pinned != self.latest


@dataclass
class Proposal:
    """The page's content, in the shapes the services take."""

    group: object
    name: str = ""
    description: str | None = ""
    task_graph: str = ""
    artifact_graph: str = ""
    parameters: list[ParameterRow] = field(default_factory=list)
    artifact_parameters: list[ArtifactRow] = field(default_factory=list)
    plugins: list[PluginChoice] = field(default_factory=list)
    artifact_plugins: list[PluginChoice] = field(default_factory=list)
    queues: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    form_errors: list[str] = field(default_factory=list)

    def selected_plugins(self, kind: str) -> list[Plugin]:
        return [c.plugin for c in getattr(self, kind) if c.selected]

    def snapshot_ids(self, kind: str) -> list[int]:
        chosen = self.plugins if kind == "plugins" else self.artifact_plugins
        return [c.pinned or c.latest for c in chosen if c.selected and (c.pinned or c.latest)]

    @property
    def plugin_sections(self) -> list[tuple[str, str, list[PluginChoice]]]:
        return [
            ("plugins", "Plugins", self.plugins),
            ("artifact_plugins", "Artifact plugins", self.artifact_plugins),
        ]

    def parameters_api(self) -> list[dict]:
        return [row.as_api() for row in self.parameters]

    def artifact_parameters_api(self) -> list[dict]:
        return [row.as_api() for row in self.artifact_parameters]


@dataclass
class Judgement:
    """A proposal with the engine's verdict on it."""

    proposal: Proposal
    result: ValidationResult
    context: StaticContext

    @property
    def errors(self) -> list:
        return [i for i in self.result.issues if i.severity == "error"]

    @property
    def warnings(self) -> list:
        return [i for i in self.result.issues if i.severity == "warning"]

    @property
    def parsed(self) -> dict[str, bool]:
        broken = {i.source for i in self.result.issues if i.category == SYNTAX and i.line}
        return {
            "taskGraph": "taskGraph" not in broken,
            "artifactGraph": "artifactGraph" not in broken,
        }

    @property
    def can_be_saved(self) -> bool:
        return not self.proposal.form_errors


# Reading a proposal ------------------------------------------------------------------------------


PLUGIN_KINDS = ("plugins", "artifact_plugins")


def set_plugin_choices(proposal, *, user, pins: dict, selected: dict) -> None:
    """Both plugin checklists of ``proposal`` from one read of its group's plugins: for each kind,
    the plugins in ``selected[kind]`` are ticked, pinned at ``pins[kind]`` when given there (a
    ticked plugin without a pin will take its latest snapshot); ids of plugins ``user`` cannot
    read are ignored."""
    plugins = []
    if proposal.group is not None:
        readable = Plugin.objects.for_user(user, "read").filter(group=proposal.group)
        plugins = list(readable.order_by("name"))
    latest = selectors.latest_plugin_snapshot_ids(p.pk for p in plugins) if plugins else {}
    for kind in PLUGIN_KINDS:
        ticked, pinned = selected.get(kind, set()), pins.get(kind, {})
        choices = [
            PluginChoice(
                plugin=p,
                selected=p.pk in ticked,
                pinned=pinned.get(p.pk) if p.pk in ticked else None,
                latest=latest.get(p.pk),
            )
            for p in plugins
        ]
        setattr(proposal, kind, choices)


def pins_of(snapshot_ids: Sequence[int]) -> dict[int, int]:
    """Plugin id -> pinned snapshot id, for an entrypoint's pinned snapshot ids."""
    return {record.id: sid for sid, record in selectors.plugin_snapshots(snapshot_ids).items()}


def proposal_from_form(form: EntrypointForm) -> Proposal:
    """Read a posted form leniently: every field that can be read is, and what cannot be read
    becomes a form error (live validation shows it; saving refuses it)."""
    form.is_valid()
    data, cleaned = form.data, getattr(form, "cleaned_data", {})
    proposal = Proposal(
        group=form.group,
        name=data.get("name", ""),
        description=cleaned.get("description") or None,
        task_graph=cleaned.get("task_graph", ""),
        artifact_graph=cleaned.get("artifact_graph", ""),
        parameters=parameter_rows(data),
        artifact_parameters=artifact_rows(data, form.types_by_name()),
        queues=list(cleaned.get("queues", [])),
        tags=list(cleaned.get("tags", [])),
    )
    set_plugin_choices(
        proposal,
        user=form.user,
        pins={kind: form.pins(kind) for kind in PLUGIN_KINDS},
        selected={kind: form.selected_ids(kind) for kind in PLUGIN_KINDS},
    )
    for name, errors in form.errors.items():
        if name != "confirm_invalid":
            label = form.fields[name].label or name.replace("_", " ").capitalize()
            proposal.form_errors += [f"{label}: {message}" for message in errors]
    _row_errors(proposal)
    return proposal


def _row_errors(proposal: Proposal) -> None:
    """Row problems the services would refuse (duplicate names), on their rows."""
    for rows, found in (
        (proposal.parameters, parameter_errors(proposal.parameters_api(), check_defaults=False)),
        (
            proposal.artifact_parameters,
            artifact_parameter_errors(proposal.artifact_parameters_api()),
        ),
    ):
        for index, errors in found.items():
            for messages in errors.values():
                rows[index].errors += _messages(messages)
    for label, rows in (
        ("Parameters", proposal.parameters),
        ("Artifact parameters", proposal.artifact_parameters),
    ):
        for position, row in enumerate(rows, start=1):
            proposal.form_errors += [f"{label}, row {position}: {e}" for e in row.errors]


def _messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    return [str(e) for e in errors]


def proposal_from_entrypoint(entrypoint, *, user) -> Proposal:
    """The stored content of ``entrypoint`` (or an entrypoint snapshot) as a proposal."""
    group = entrypoint.group
    types = PluginParameterType.objects.filter(group=group).in_bulk()
    proposal = Proposal(
        group=group,
        name=entrypoint.name,
        description=entrypoint.description,
        task_graph=entrypoint.task_graph,
        artifact_graph=entrypoint.artifact_graph,
        parameters=stored_parameter_rows(entrypoint.parameters),
        artifact_parameters=stored_artifact_rows(entrypoint.artifact_parameters, types),
        queues=list(getattr(entrypoint, "live_queues", [])),
        tags=list(getattr(entrypoint, "live_tags", [])),
    )
    pins = {
        "plugins": pins_of(entrypoint.plugin_snapshot_ids),
        "artifact_plugins": pins_of(entrypoint.artifact_plugin_snapshot_ids),
    }
    selected = {kind: set(pinned) for kind, pinned in pins.items()}
    set_plugin_choices(proposal, user=user, pins=pins, selected=selected)
    return proposal


# Judging -----------------------------------------------------------------------------------------


def judge(proposal: Proposal, *, user) -> Judgement:
    """The engine's verdict on the proposal, as the API would give it."""
    try:
        context = services.entrypoint_context(
            user=user,
            group=proposal.group,
            plugin_snapshot_ids=proposal.snapshot_ids("plugins"),
            artifact_plugin_snapshot_ids=proposal.snapshot_ids("artifact_plugins"),
            parameters=proposal.parameters_api(),
            artifact_parameters=proposal.artifact_parameters_api(),
        )
    except ValidationError as error:
        proposal.form_errors += _messages(error.message_dict)
        context = build_context(
            plugins=[],
            artifact_plugins=[],
            parameters=[],
            artifact_parameters=[],
            artifact_types={},
        )
    result = engine.verdict(
        task_graph=proposal.task_graph, artifact_graph=proposal.artifact_graph, context=context
    )
    return Judgement(proposal=proposal, result=result, context=context)


# What the page shows -----------------------------------------------------------------------------


def _signature(spec) -> dict:
    if isinstance(spec, tuple):  # offered by several plugins: ambiguous, show the first
        spec = spec[0]
    return {
        "plugin": spec.plugin_id,
        "inputs": None
        if spec.inputs is None
        else [{"name": n, "type": t, "required": r} for n, t, r in spec.inputs],
        "outputs": [{"name": n, "type": t} for n, t in spec.outputs],
    }


def editor_state(judgement: Judgement, model=None) -> dict:
    """What ``static/js/editor.js`` reads after each answer (``#editor-state``)."""
    model = model or graph_model(judgement.result)
    context = judgement.context
    return {
        "parsed": judgement.parsed,
        "issues": [issue.to_dict() for issue in judgement.result.issues],
        "steps": [
            {"name": s.name, "task": s.task, "line": s.line, "outputs": s.outputs}
            for s in model.steps
        ],
        "artifactOutputs": [
            {"name": o.name, "task": o.task, "line": o.line} for o in model.artifact_outputs
        ],
        "parameters": [p.name for p in context.parameters],
        "artifactInputs": [
            {"name": a.name, "outputs": [name for name, _ in a.outputs]}
            for a in context.artifact_inputs
        ],
        "tasks": {name: _signature(spec) for name, spec in sorted(context.tasks.items())},
        "artifactTasks": {
            name: _signature(spec) for name, spec in sorted(context.artifact_tasks.items())
        },
    }


def palette(context: StaticContext) -> dict[str, list[dict]]:
    """The tasks the palette offers, by the editor they go into."""
    return {
        source: [{"name": name, **_signature(spec)} for name, spec in sorted(tasks.items())]
        for source, tasks in (
            ("taskGraph", context.tasks),
            ("artifactGraph", context.artifact_tasks),
        )
    }


def graph_key(model) -> str:
    """A digest of everything the graph view draws: equal keys, equal drawings."""
    drawn = json.dumps(model.to_dict(), sort_keys=True, default=str)
    return hashlib.blake2b(drawn.encode(), digest_size=12).hexdigest()


def diagnostics(
    judgement: Judgement, *, fragment: bool = False, drawn: str = "", blame=None
) -> dict:
    """The template context of the diagnostics fragment (issue list, graph, palette, state).

    ``drawn`` is the key of the graph the page shows: most keystrokes (inside a value, a
    comment) leave the graph as it is, and then it is neither laid out nor sent again.
    ``blame`` (a callable giving step -> who last changed it) goes into the step nodes' hover
    titles; it is called only when the graph is laid out, not on every keystroke.
    """
    model = graph_model(judgement.result)
    key = graph_key(model)
    redraw = not fragment or key != drawn
    layout = graph_layout(model) if redraw else None
    said = blame() if layout is not None and blame is not None else {}
    for node in layout.nodes if said else []:
        if node.kind == "step" and node.name in said:
            node.title += f"\n{said[node.name].capitalize()}"
    return {
        "judgement": judgement,
        "issues": judgement.result.issues,
        "state": editor_state(judgement, model),
        "layout": layout,
        "graph_key": key,
        "redraw_graph": redraw,
        "palette": palette(judgement.context),
        "parsed": judgement.parsed,
        "fragment": fragment,
    }
