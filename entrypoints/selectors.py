"""Reads of entrypoints, their snapshots and the plugin snapshots they pin.

User-visible data is read only through ``for_user``. ``with_attachments`` loads what a page of
entrypoints (live or snapshots) shows of their plugins in two queries, however long the page.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml
from django.db.models import OuterRef, Prefetch, Q, Subquery

from core.snapshots import as_snapshot
from core.versioning import latest_history_ids, with_snapshot
from entrypoints.models import Entrypoint
from jobs.models import Queue
from plugins_app.models import Plugin
from tags.models import Tag


@dataclass(frozen=True)
class AttachedPlugin:
    """A plugin snapshot pinned by an entrypoint, as the API shows it."""

    id: int
    name: str
    snapshot_id: int
    latest_snapshot: bool
    manifest: dict


def entrypoint_list(*, user):
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
    found = entrypoint_list(user=user)
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


def entrypoint_find(*, user, pk, action: str = "read") -> Entrypoint:
    """One live entrypoint ``user`` may ``action``, with its group only (``DoesNotExist``
    otherwise): what a write or a validation of it needs, in one query."""
    return with_snapshot(Entrypoint.objects.for_user(user, action).select_related("group")).get(
        pk=pk
    )


def entrypoint_get(*, user, pk) -> Entrypoint:
    """One readable entrypoint with everything its read shows (``DoesNotExist`` otherwise)."""
    entrypoint = entrypoint_list(user=user).get(pk=pk)
    with_attachments([entrypoint])
    return entrypoint


def plugin_snapshots(snapshot_ids: Iterable[int]) -> dict[int, object]:
    """``Plugin.history`` records by ``history_id``."""
    records = Plugin.history.filter(history_id__in=set(snapshot_ids))
    return {record.history_id: record for record in records}


def latest_plugin_snapshot_ids(plugin_ids: Iterable[int]) -> dict[int, int]:
    """Plugin id -> the ``history_id`` of its newest snapshot."""
    return latest_history_ids(Plugin, plugin_ids)


def synced_pins(obj) -> tuple[list[int], list[int]]:
    """An entrypoint's or snapshot's plugin and artifact plugin pins, each moved to its plugin's
    latest snapshot if the plugin still exists (what a sync writes); three queries."""
    pins = [*obj.plugin_snapshot_ids, *obj.artifact_plugin_snapshot_ids]
    records = plugin_snapshots(pins)
    live = set(
        Plugin.objects.alive()
        .filter(pk__in={r.id for r in records.values()})
        .values_list("pk", flat=True)
    )
    latest = latest_plugin_snapshot_ids(live)

    def moved(ids):
        return [latest.get(records[sid].id, sid) if sid in records else sid for sid in ids]

    return moved(obj.plugin_snapshot_ids), moved(obj.artifact_plugin_snapshot_ids)


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


def entrypoint_snapshot_list(*, entrypoint: Entrypoint):
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
    record = entrypoint_snapshot_list(entrypoint=entrypoint).get(history_id=snapshot_id)
    prepare_snapshots([record], entrypoint=entrypoint)
    return record
