"""Reads for a plugin's "Show History": its snapshots with what each changed, two compared, and
what restoring one would change. Snapshots are reached only through a plugin the caller may
read (``plugins_app.selectors``); a page costs a fixed number of queries."""

from dataclasses import dataclass

from core.snapshots import is_deletion, restore_note, snapshot_page
from plugins_app import versions

PAGE_SIZE = 20


def _records(plugin):
    return plugin.history.select_related("history_user").order_by("-history_id")


def change_summary(record, older) -> str:
    """One line saying what ``record`` changed in ``older`` (the list's and the admin's)."""
    if is_deletion(older, record):
        return "deleted"
    said = versions.compare(older, record).summary()
    note = restore_note(record)
    return f"{note}: {said}" if note else said


@dataclass
class HistoryRow:
    record: object
    summary: str
    latest: bool
    previous_id: int | None

    @property
    def snapshot_id(self) -> int:
        return self.record.history_id

    @property
    def deleted(self) -> bool:
        return self.summary == "deleted"


def history_page(*, plugin, latest_id: int | None, page=1, per_page: int = PAGE_SIZE):
    found, pairs = snapshot_page(_records(plugin), page=page, per_page=per_page)
    found.object_list = [
        HistoryRow(
            record=record,
            summary=change_summary(record, older),
            latest=record.history_id == latest_id,
            previous_id=None if older is None else older.history_id,
        )
        for record, older in pairs
    ]
    return found


def snapshot_get(*, plugin, snapshot_id):
    """One snapshot of ``plugin`` (``DoesNotExist`` for another plugin's)."""
    return _records(plugin).get(history_id=snapshot_id)


@dataclass
class Comparison:
    old_label: str
    new_label: str
    diff: versions.PluginDiff


def comparison(*, old, new, latest_id) -> Comparison:
    if new.history_id < old.history_id:
        old, new = new, old
    latest = " (latest)" if new.history_id == latest_id else ""
    return Comparison(
        f"Snapshot {old.history_id}",
        f"Snapshot {new.history_id}{latest}",
        versions.compare(old, new),
    )
