"""What a stale save shows: who changed the entrypoint since the page loaded it, and how."""

from core.pages import StaleReport, stale_report

TEXTS = (("task_graph", "Task graph"), ("artifact_graph", "Artifact output graph"))
COMPARED = (
    ("name", "Name"),
    ("description", "Description"),
    ("parameters", "Parameters"),
    ("artifact_parameters", "Artifact parameters"),
    ("plugin_snapshot_ids", "Plugins"),
    ("artifact_plugin_snapshot_ids", "Artifact plugins"),
)


def conflict_report(entrypoint, *, since: int | None) -> StaleReport:
    """The snapshots of ``entrypoint`` after ``since`` and how the latest differs from it."""
    return stale_report(entrypoint, since=since, texts=TEXTS, fields=COMPARED)
