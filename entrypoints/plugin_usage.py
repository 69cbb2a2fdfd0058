"""Which entrypoints pin an older snapshot of a plugin, and what moving them to its latest would
give: the "used by" list of a plugin's page.

Each outdated entrypoint is judged by the engine as it would be after a sync of that one plugin
(its other pins unchanged): the same verdict ``services.entrypoint_plugin_sync_if_valid`` checks
before it writes. A page of them is read and judged in a fixed number of queries.
"""

import copy
from dataclasses import dataclass

from entrypoints import engine
from entrypoints.models import Entrypoint
from entrypoints.selectors import plugin_snapshots
from entrypoints.taskgraph import ValidationResult
from plugins_app.models import Plugin

PIN_FIELDS = ("plugin_snapshot_ids", "artifact_plugin_snapshot_ids")
SHOWN_MESSAGES = 3


@dataclass
class PluginUser:
    """An entrypoint pinning an older snapshot of the plugin, judged with the latest one."""

    entrypoint: Entrypoint
    pinned: int  # the snapshot of the plugin it pins now
    result: ValidationResult  # the verdict after the sync

    @property
    def errors(self) -> list:
        return [i for i in self.result.issues if i.severity == "error"]

    @property
    def first_errors(self) -> list:
        return self.errors[:SHOWN_MESSAGES]

    @property
    def more_errors(self) -> int:
        return len(self.errors) - len(self.first_errors)

    @property
    def stays_valid(self) -> bool:
        return not self.errors

    @property
    def errors_now(self) -> int:
        return sum(issue.get("severity") == "error" for issue in self.entrypoint.issues)


@dataclass
class Usage:
    """Who pins a plugin: the outdated entrypoints (pins only), how many pin its latest
    snapshot, and the plugin's snapshot ids."""

    outdated: list[Entrypoint]
    current: int
    snapshots: set[int]
    latest: int | None

    @property
    def total(self) -> int:
        return len(self.outdated) + self.current


def usage_of(*, user, plugin: Plugin) -> Usage:
    """The live entrypoints ``user`` may read that pin ``plugin``: those pinning an older
    snapshot (by name) and the count of the others. Two queries; only the pins are read."""
    snapshots = set(plugin.history.values_list("history_id", flat=True))
    latest = max(snapshots, default=None)
    pinning = (
        Entrypoint.objects.for_user(user, "read")
        .filter(group=plugin.group_id)
        .only("pk", "name", *PIN_FIELDS)
        .order_by("name", "pk")
    )
    outdated, current = [], 0
    for entrypoint in pinning:
        pins = {sid for field in PIN_FIELDS for sid in getattr(entrypoint, field)} & snapshots
        if pins - {latest}:
            outdated.append(entrypoint)
        elif pins:
            current += 1
    return Usage(outdated, current, snapshots, latest)


def with_latest(entrypoint: Entrypoint, *, plugin_snapshots_of: set[int], latest: int):
    """A copy of ``entrypoint`` (not to be saved) pinning ``latest`` in place of any snapshot of
    the plugin: what a sync of that plugin would give."""
    moved = copy.copy(entrypoint)
    for field in PIN_FIELDS:
        setattr(
            moved,
            field,
            [latest if sid in plugin_snapshots_of else sid for sid in getattr(entrypoint, field)],
        )
    return moved


def verdict_with(entrypoint, *, records: dict | None = None) -> ValidationResult:
    """The engine's verdict on an entrypoint (or a copy from ``with_latest``)."""
    return engine.verdict(
        task_graph=entrypoint.task_graph,
        artifact_graph=entrypoint.artifact_graph,
        context=engine.context_of(entrypoint, records=records),
    )


def judged(entrypoints, *, usage: Usage) -> list[PluginUser]:
    """``PluginUser`` rows for a page of ``usage.outdated``: each read whole and judged with the
    plugin's latest snapshot in place of the one it pins. Two queries."""
    full = Entrypoint.objects.select_related("group").in_bulk([e.pk for e in entrypoints])
    pins = {sid for e in full.values() for field in PIN_FIELDS for sid in getattr(e, field)}
    records = plugin_snapshots(pins | {usage.latest})
    rows = []
    for stub in entrypoints:
        entrypoint = full.get(stub.pk)
        older = [
            sid
            for field in PIN_FIELDS
            for sid in getattr(entrypoint, field, ())
            if sid in usage.snapshots and sid != usage.latest
        ]
        if not older:  # deleted or synced since the list was read
            continue
        moved = with_latest(entrypoint, plugin_snapshots_of=usage.snapshots, latest=usage.latest)
        result = verdict_with(moved, records=records)
        rows.append(PluginUser(entrypoint=entrypoint, pinned=older[0], result=result))
    return rows
