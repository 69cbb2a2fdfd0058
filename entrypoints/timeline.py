"""Reads for an entrypoint's "Show History": the snapshot list with a summary of each change,
two snapshots compared, what a restore would give, and who last changed each step.

Every read starts from an entrypoint the caller was allowed to read (``selectors.entrypoint_*``
with ``for_user``): snapshots are reached only through it. A page of the list costs a fixed
number of queries however many snapshots it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from core.snapshots import is_deletion, restore_note, snapshot_page
from entrypoints import engine, selectors
from entrypoints.graph_diff import diff_layout
from entrypoints.taskgraph import graph_model
from entrypoints.versions import (
    Version,
    VersionDiff,
    compare,
    pinned_snapshot_ids,
    step_calls,
    version_of,
)
from plugins_app.models import Plugin
from plugins_app.versions import task_signatures

PAGE_SIZE = 20
BLAME_DEPTH = 500  # snapshots read, newest first; a step unchanged in all of them is older
DELETED = "-"


def plugin_names(snapshot_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Plugin snapshot id -> (plugin id, plugin name then), in one query."""
    ids = set(snapshot_ids)
    if not ids:
        return {}
    rows = Plugin.history.filter(history_id__in=ids).values_list("history_id", "id", "name")
    return {sid: (pk, name) for sid, pk, name in rows}


def _records(entrypoint):
    return entrypoint.history.select_related("history_user").order_by("-history_id")


@dataclass
class HistoryRow:
    record: object
    summary: str
    errors: int
    warnings: int
    latest: bool
    previous_id: int | None

    @property
    def snapshot_id(self) -> int:
        return self.record.history_id

    @property
    def deleted(self) -> bool:
        return self.record.history_type == DELETED


def _counts(issues) -> tuple[int, int]:
    severities = [i.get("severity") for i in issues or [] if isinstance(i, dict)]
    return severities.count("error"), severities.count("warning")


def change_summary(record, older, names) -> str:
    """One line saying what snapshot ``record`` changed in ``older`` (None: it is the first);
    ``names`` as ``plugin_names`` gives them. The history list and the admin's history say it."""
    if is_deletion(older, record):
        return "deleted"
    said = compare(
        None if older is None else version_of(older),
        version_of(record),
        plugin_names=names,
        texts=False,
    ).summary()
    note = restore_note(record)
    return f"{note}: {said}" if note else said


def history_page(*, entrypoint, page: int | str | None = 1, per_page: int = PAGE_SIZE):
    """One page of the snapshots, newest first, as ``HistoryRow``s: five queries (count, the
    page, the snapshot before it, the plugin names, none per row)."""
    found, pairs = snapshot_page(_records(entrypoint), page=page, per_page=per_page)
    versions = (version_of(r) for pair in pairs for r in pair if r is not None)
    names = plugin_names(pinned_snapshot_ids(*versions))
    latest = entrypoint.snapshot_id
    rows = []
    for record, older in pairs:
        errors, warnings = _counts(record.issues)
        rows.append(
            HistoryRow(
                record=record,
                summary=change_summary(record, older, names),
                errors=errors,
                warnings=warnings,
                latest=record.history_id == latest,
                previous_id=None if older is None else older.history_id,
            )
        )
    found.object_list = rows
    return found


def snapshot_get(*, entrypoint, snapshot_id):
    """One snapshot of ``entrypoint`` (``DoesNotExist`` for another entrypoint's)."""
    return _records(entrypoint).get(history_id=snapshot_id)


# Comparing ---------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Two versions side by side: the diff, and both graphs drawn as one."""

    old_label: str
    new_label: str
    diff: VersionDiff
    layout: object


def _model(obj, *, result=None):
    return graph_model(result or _verdict(obj))


def comparison(*, old, new, old_label: str, new_label: str, new_result=None) -> Comparison:
    """``old`` (a snapshot) against ``new`` (a snapshot, or the editor's unsaved page as a
    ``Version`` with the engine's verdict on it in ``new_result``)."""
    old_version = version_of(old)
    new_version = new if isinstance(new, Version) else version_of(new)
    names = plugin_names(pinned_snapshot_ids(old_version, new_version))
    diff = compare(old_version, new_version, plugin_names=names)
    layout = diff_layout(_model(old), _model(new, result=new_result), diff)
    return Comparison(old_label, new_label, diff, layout)


# Restoring ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PluginChange:
    """A plugin a snapshot pins that has moved on since: what its tasks lost and gained."""

    name: str
    pinned: int
    latest: int
    removed_tasks: tuple[str, ...]
    added_tasks: tuple[str, ...]


@dataclass
class RestorePreview:
    """What restoring a snapshot gives: the change from the current version, its verdict with
    the plugin snapshots it pins, and its verdict with today's (what "restore and sync" gives)."""

    record: object
    comparison: Comparison
    pinned_issues: list
    today_issues: list
    plugin_changes: list[PluginChange]
    name_taken: bool

    @property
    def pinned_errors(self) -> int:
        return sum(issue.severity == "error" for issue in self.pinned_issues)

    @property
    def today_errors(self) -> int:
        return sum(issue.severity == "error" for issue in self.today_issues)


def _tasks(manifest) -> set[str]:
    return {name for _, name in task_signatures(manifest)}


@dataclass
class _Repinned:
    """A snapshot's content with other plugin pins (to judge it against today's plugins)."""

    record: object
    plugin_snapshot_ids: list
    artifact_plugin_snapshot_ids: list

    def __getattr__(self, name):
        return getattr(self.record, name)


def _verdict(obj):
    return engine.verdict(
        task_graph=obj.task_graph, artifact_graph=obj.artifact_graph, context=engine.context_of(obj)
    )


def restore_preview(*, current, record) -> RestorePreview:
    """The restore of ``record`` over ``current`` (the live entrypoint as ``entrypoint_get``
    reads it), judged now; nothing is written."""
    today = _Repinned(record, *selectors.synced_pins(record))
    then_ids = [*record.plugin_snapshot_ids, *record.artifact_plugin_snapshot_ids]
    now_ids = [*today.plugin_snapshot_ids, *today.artifact_plugin_snapshot_ids]
    manifests = selectors.plugin_snapshots([*then_ids, *now_ids])
    changes = []
    for old_id, new_id in zip(then_ids, now_ids, strict=True):
        if old_id != new_id and old_id in manifests and new_id in manifests:
            before, after = _tasks(manifests[old_id].manifest), _tasks(manifests[new_id].manifest)
            changes.append(
                PluginChange(
                    manifests[old_id].name,
                    old_id,
                    new_id,
                    tuple(sorted(before - after)),
                    tuple(sorted(after - before)),
                )
            )
    taken = (
        type(current)
        .objects.alive()
        .filter(group=current.group, name=record.name)
        .exclude(pk=current.pk)
        .exists()
    )
    return RestorePreview(
        record=record,
        comparison=comparison(
            old=current,
            new=record,
            old_label=f"Current (snapshot {current.snapshot_id})",
            new_label=f"Snapshot {record.history_id}",
        ),
        pinned_issues=list(_verdict(record).issues),
        today_issues=list(_verdict(today).issues) if changes else [],
        plugin_changes=changes,
        name_taken=taken,
    )


# Blame -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blame:
    """Who last changed a step, in which snapshot; ``before`` when the step is older than the
    snapshots read (it was last changed in or before ``snapshot_id``)."""

    snapshot_id: int
    user: str
    date: datetime
    before: bool = False

    def describe(self) -> str:
        when = timezone.localtime(self.date).strftime("%Y-%m-%d %H:%M")
        lead = "unchanged since" if self.before else "last changed in"
        return f"{lead} snapshot {self.snapshot_id} by {self.user}, {when}"


def _user(record) -> str:
    user = record.history_user
    return user.get_username() if user is not None else "someone"


def step_blame(*, entrypoint, latest_id: int | None) -> dict[str, Blame]:
    """Step name (in the latest snapshot) -> who last changed it. Cached per latest snapshot:
    a history never changes, and a new save has a new id."""
    if latest_id is None:
        return {}
    key = f"entrypoint-blame:{entrypoint.pk}:{latest_id}"
    found = cache.get(key)
    if found is None:
        found = _blame(
            _records(entrypoint).only(
                "history_id", "history_date", "history_user", "task_graph", "history_type"
            )[:BLAME_DEPTH]
        )
        cache.set(key, found, 3600)
    return found


def _blame(newest_first: Sequence) -> dict[str, Blame]:
    records = list(newest_first)
    if not records:
        return {}
    calls = [step_calls(r.task_graph) for r in records]
    current = calls[0] or {}
    blame: dict[str, Blame] = {}
    for name, call in current.items():
        # Walk back while the step stays the same; the oldest same version changed it.
        index = 0
        while index + 1 < len(records):
            older = calls[index + 1]
            if older is None or older.get(name) != call:
                break
            index += 1
        record = records[index]
        before = index + 1 == len(records) and len(records) == BLAME_DEPTH
        blame[name] = Blame(record.history_id, _user(record), record.history_date, before)
    return blame
