"""The one bridge from the Django side to the engine (``entrypoints.taskgraph``).

Selectors and services judge and build task graphs only through here, so the engine always gets
the caps of the settings and a context built from frozen data (``entrypoints.context``): the
plugin snapshots an entrypoint or snapshot pins and its own parameter lists.
"""

from django.conf import settings

from entrypoints.context import build_context
from entrypoints.selectors import plugin_snapshots
from entrypoints.taskgraph import (
    Limits,
    StaticContext,
    ValidationResult,
    build_document,
    validate_entrypoint,
)


def limits() -> Limits:
    """The task-graph safety caps (``settings.TASKGRAPH_LIMITS``)."""
    return Limits(**settings.TASKGRAPH_LIMITS)


def context_of(obj, *, records: dict | None = None) -> StaticContext:
    """The engine context of an entrypoint or snapshot (plugin snapshots read in one query, or
    taken from ``records``, snapshot id -> record, when the caller read them for many)."""
    if records is None:
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


def verdict(
    *, task_graph: str, artifact_graph: str | None, context: StaticContext
) -> ValidationResult:
    """The engine's verdict on these texts in this context."""
    return validate_entrypoint(task_graph, artifact_graph, context=context, limits=limits())


def snapshot_document(obj, context: StaticContext | None = None) -> dict:
    """The full task-graph document built for an entrypoint or snapshot (what a job runs), in
    ``context`` if given (``context_of(obj)``)."""
    return build_document(obj.task_graph, obj.artifact_graph, context=context or context_of(obj))
