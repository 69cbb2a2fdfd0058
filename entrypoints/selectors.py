"""Reads of entrypoints, their snapshots and the plugin snapshots they pin.

User-visible data is read only through ``for_user``. ``with_attachments`` loads what a page of
entrypoints (live or snapshots) shows of their plugins in two queries, however long the page.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
import yaml
from django.db.models import OuterRef, Prefetch, Q, Subquery

from core.snapshots import as_snapshot
from core.versioning import latest_history_ids, with_snapshot
from entrypoints.context import build_context
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import Limits, StaticContext, build_document, validate_entrypoint
from jobs.models import Queue
from plugins_app.models import Plugin
from plugins_app.selectors import missing_type_ids
from plugins_app.services import frozen_types
from tags.models import Tag

UNKNOWN_TYPE = "Parameter type with id={pk} does not exist in this entrypoint's group."
SNAPSHOT_NOT_VISIBLE = (
    "Plugin snapshot with id={pk} does not exist, is not visible to you or is of another group."
)
TWO_SNAPSHOTS = "Two snapshots of plugin {pk} are listed; keep one."


@dataclass(frozen=True)
class AttachedPlugin:
    """A plugin snapshot pinned by an entrypoint, as the API shows it."""

    id: int
    name: str
    snapshot_id: int
    latest_snapshot: bool
    manifest: dict


def limits() -> Limits:
    return Limits(**settings.TASKGRAPH_LIMITS)


def entrypoint_queryset(*, user):
    """Live entrypoints ``user`` may read, annotated with their snapshot, relations loaded."""
    return with_snapshot(
        Entrypoint.objects.for_user(user, "read")
        .select_related("group", "creator")
        .prefetch_related(
            # Lists, not managers: a related manager per row costs more than the row itself.
            Prefetch("tags", Tag.objects.alive().select_related("group"), to_attr="live_tags"),
            Prefetch(
                "queues", Queue.objects.alive().select_related("group"), to_attr="live_queues"
            ),
        )
    )


def entrypoint_search(*, user, search: str = "", group=None, tag=None, order_by: str = "name"):
    """The list page's entrypoints: a term in the name or description, a group, a tag; each
    with the name of whoever wrote its latest snapshot (``last_editor``)."""
    found = entrypoint_queryset(user=user)
    if search:
        found = found.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if group is not None:
        found = found.filter(group=group)
    if tag is not None:
        found = found.filter(tags=tag)
    latest = Entrypoint.history.filter(id=OuterRef("pk")).order_by("-history_id")
    editor = Subquery(latest.values("history_user__username")[:1])
    return found.annotate(last_editor=editor).order_by(order_by, "pk")


def entrypoint_rows(entrypoints: Sequence[Entrypoint]) -> Sequence[Entrypoint]:
    """A page of the list, with attached plugins (two queries), ``step_count`` and the stored
    verdict's ``error_count`` and ``warning_count`` set."""
    for entrypoint in with_attachments(entrypoints):
        entrypoint.step_count = step_count(entrypoint.task_graph)
        severities = [issue.get("severity") for issue in entrypoint.issues]
        entrypoint.error_count = severities.count("error")
        entrypoint.warning_count = severities.count("warning")
    return entrypoints


def step_count(task_graph: str) -> int | None:
    """How many steps a task graph names (``None`` when it does not parse as a mapping).

    Composing (no values built, aliases not expanded) is enough to count the top-level keys, or
    those under a lone ``graph:`` key.
    """
    try:
        node = yaml.compose(task_graph, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    if len(node.value) == 1 and node.value[0][0].value == "graph":
        inner = node.value[0][1]
        if isinstance(inner, yaml.MappingNode):
            node = inner
    return len(node.value)


def entrypoint_get(*, user, pk) -> Entrypoint:
    """One readable entrypoint with everything its read shows (``DoesNotExist`` otherwise)."""
    entrypoint = entrypoint_queryset(user=user).get(pk=pk)
    with_attachments([entrypoint])
    return entrypoint


def entrypoint_queues(*, entrypoint: Entrypoint):
    """The live queues that may run ``entrypoint``."""
    return entrypoint.queues.alive().select_related("group")


def plugin_snapshots(snapshot_ids: Iterable[int]) -> dict[int, object]:
    """``Plugin.history`` records by ``history_id``."""
    records = Plugin.history.filter(history_id__in=set(snapshot_ids))
    return {record.history_id: record for record in records}


def latest_plugin_snapshot_ids(plugin_ids: Iterable[int]) -> dict[int, int]:
    """Plugin id -> the ``history_id`` of its newest snapshot."""
    return latest_history_ids(Plugin, plugin_ids)


def with_attachments(objects: Sequence) -> Sequence:
    """Set ``attached_plugins`` and ``attached_artifact_plugins`` (lists of ``AttachedPlugin``,
    in pinning order) on entrypoints or entrypoint snapshots, in two queries."""
    wanted = {
        sid
        for obj in objects
        for sid in [*obj.plugin_snapshot_ids, *obj.artifact_plugin_snapshot_ids]
    }
    records = plugin_snapshots(wanted) if wanted else {}
    latest = latest_plugin_snapshot_ids(r.id for r in records.values()) if records else {}

    def attached(snapshot_ids):
        return [
            AttachedPlugin(
                id=record.id,
                name=record.name,
                snapshot_id=record.history_id,
                latest_snapshot=latest.get(record.id) == record.history_id,
                manifest=record.manifest,
            )
            for record in (records.get(sid) for sid in snapshot_ids)
            if record is not None
        ]

    for obj in objects:
        obj.attached_plugins = attached(obj.plugin_snapshot_ids)
        obj.attached_artifact_plugins = attached(obj.artifact_plugin_snapshot_ids)
    return objects


def entrypoint_snapshots(*, entrypoint: Entrypoint):
    """Every snapshot of ``entrypoint``, oldest first."""
    return entrypoint.history.select_related("group", "creator").order_by("history_id")


def prepare_snapshots(records: Sequence, *, entrypoint: Entrypoint) -> Sequence:
    """Make snapshot records read like the live entrypoint (its tags and queues are live)."""
    latest_id = entrypoint.snapshot_id
    for record in records:
        as_snapshot(record, latest_id=latest_id)
        record.live_tags, record.live_queues = entrypoint.live_tags, entrypoint.live_queues
    return with_attachments(records)


def entrypoint_snapshot_get(*, entrypoint: Entrypoint, snapshot_id) -> object:
    """One snapshot of ``entrypoint``, ready to serialize (``DoesNotExist`` otherwise)."""
    record = entrypoint_snapshots(entrypoint=entrypoint).get(history_id=snapshot_id)
    prepare_snapshots([record], entrypoint=entrypoint)
    return record


def context_of(obj) -> StaticContext:
    """The engine context of an entrypoint or snapshot (plugin snapshots read in one query)."""
    records = plugin_snapshots([*obj.plugin_snapshot_ids, *obj.artifact_plugin_snapshot_ids])
    return build_context(
        plugins=[records[sid] for sid in obj.plugin_snapshot_ids if sid in records],
        artifact_plugins=[
            records[sid] for sid in obj.artifact_plugin_snapshot_ids if sid in records
        ],
        parameters=obj.parameters,
        artifact_parameters=obj.artifact_parameters,
        artifact_types=obj.artifact_types,
    )


def verdict(*, task_graph: str, artifact_graph: str | None, context: StaticContext):
    """The engine's ``ValidationResult`` for these texts in this context."""
    return validate_entrypoint(task_graph, artifact_graph, context=context, limits=limits())


def snapshot_document(obj) -> dict:
    """The full task-graph document built for an entrypoint or snapshot."""
    return build_document(obj.task_graph, obj.artifact_graph, context=context_of(obj))


# Shaping what is stored -------------------------------------------------------------------------


def pk_of(obj) -> int:
    return obj.pk if hasattr(obj, "pk") else obj


def stored_parameters(parameters: Sequence[dict]) -> list[dict]:
    """Entrypoint parameters as a snapshot stores them."""
    return [
        {
            "name": p["name"],
            "parameterType": p["parameterType"],
            "defaultValue": p.get("defaultValue"),
        }
        for p in parameters
    ]


def stored_artifact_parameters(
    *, group, artifact_parameters: Sequence[dict], field: str = "artifactParameters"
) -> tuple[list[dict], dict]:
    """Artifact parameters as stored (type ids) and the frozen definitions of their types.

    Every type must be a live type of ``group`` (400 naming ``field`` otherwise).
    """
    stored = [
        {
            "name": a["name"],
            "outputParams": [
                {"name": o["name"], "parameterType": pk_of(o["parameterType"])}
                for o in a.get("outputParams") or []
            ],
        }
        for a in artifact_parameters
    ]
    type_ids = {o["parameterType"] for a in stored for o in a["outputParams"]}
    if not type_ids:
        return stored, {}
    if missing := missing_type_ids(group=group, ids=type_ids):
        raise ValidationError({field: [UNKNOWN_TYPE.format(pk=pk) for pk in missing]})
    return stored, frozen_types(group, type_ids)


# Validating a proposal --------------------------------------------------------------------------


def visible_plugin_snapshots(*, user, group, snapshot_ids: Sequence[int], field: str) -> list:
    """The plugin snapshots named by ``snapshot_ids``, each of a live plugin of ``group`` that
    ``user`` can read, at most one per plugin (400 naming ``field`` otherwise)."""
    records = plugin_snapshots(snapshot_ids)
    visible = set(
        Plugin.objects.for_user(user, "read")
        .filter(group=group, pk__in={r.id for r in records.values()})
        .values_list("pk", flat=True)
    )
    errors, seen = [], set()
    for sid in dict.fromkeys(snapshot_ids):
        record = records.get(sid)
        if record is None or record.id not in visible:
            errors.append(SNAPSHOT_NOT_VISIBLE.format(pk=sid))
        elif record.id in seen:
            errors.append(TWO_SNAPSHOTS.format(pk=record.id))
        seen.add(getattr(record, "id", None))
    if errors:
        raise ValidationError({field: errors})
    return [records[sid] for sid in dict.fromkeys(snapshot_ids)]


def entrypoint_context(
    *,
    user,
    group,
    plugin_snapshot_ids: Sequence[int],
    artifact_plugin_snapshot_ids: Sequence[int],
    parameters: Sequence[dict],
    artifact_parameters: Sequence[dict],
    artifact_field: str = "artifactParameters",
) -> StaticContext:
    """The engine context of a proposed entrypoint (400 naming the field for plugin snapshots
    or types ``user`` may not use in ``group``)."""
    plugins = visible_plugin_snapshots(
        user=user, group=group, snapshot_ids=plugin_snapshot_ids, field="pluginSnapshots"
    )
    artifact_plugins = visible_plugin_snapshots(
        user=user,
        group=group,
        snapshot_ids=artifact_plugin_snapshot_ids,
        field="artifactPluginSnapshots",
    )
    stored_artifacts, artifact_types = stored_artifact_parameters(
        group=group, artifact_parameters=artifact_parameters, field=artifact_field
    )
    return build_context(
        plugins=plugins,
        artifact_plugins=artifact_plugins,
        parameters=stored_parameters(parameters),
        artifact_parameters=stored_artifacts,
        artifact_types=artifact_types,
    )


def entrypoint_validate(*, task_graph: str, artifact_graph: str | None, **proposal):
    """The verdict on a proposed entrypoint, stored nowhere (``proposal``: the arguments of
    ``entrypoint_context``)."""
    context = entrypoint_context(**proposal)
    return verdict(task_graph=task_graph, artifact_graph=artifact_graph, context=context)
