"""What a stale save shows: who changed the entrypoint since the page loaded it, and how."""

from dataclasses import dataclass

from core.diffs import DiffRow, has_changes, line_diff

COMPARED = (
    ("name", "Name"),
    ("description", "Description"),
    ("parameters", "Parameters"),
    ("artifact_parameters", "Artifact parameters"),
    ("plugin_snapshot_ids", "Plugins"),
    ("artifact_plugin_snapshot_ids", "Artifact plugins"),
)


@dataclass
class Conflict:
    latest_snapshot: int
    changes: list  # the snapshots written since the page loaded: history records, oldest first
    diffs: dict[str, list[DiffRow | None]]  # "Task graph" -> rows (loaded -> latest)
    other_fields: list[str]  # labels of the other fields changed meanwhile


def conflict_report(entrypoint, *, since: int | None) -> Conflict:
    """The snapshots of ``entrypoint`` after ``since`` and how the latest differs from it."""
    history = entrypoint.history.select_related("history_user").order_by("history_id")
    loaded = history.filter(history_id=since).first() if since else None
    newer = list(history.filter(history_id__gt=since or 0))
    latest = newer[-1] if newer else history.last()
    diffs = {}
    for label, field in (("Task graph", "task_graph"), ("Artifact output graph", "artifact_graph")):
        rows = line_diff(getattr(loaded, field, "") if loaded else "", getattr(latest, field))
        if has_changes(rows):
            diffs[label] = rows
    other = [
        label
        for field, label in COMPARED
        if loaded is None or getattr(loaded, field) != getattr(latest, field)
    ]
    return Conflict(latest.history_id, newer, diffs, other)
