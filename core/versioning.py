"""Snapshot ids of versioned resources (django-simple-history records).

A resource's snapshot id is the ``history_id`` of its latest historical record; it is also its
ETag. Lists annotate it in the same query (no N+1).
"""

from django.db.models import Max, OuterRef, Subquery

from core.errors import StaleWrite


def _latest_history(model):
    return model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")


def with_snapshot(queryset):
    """Annotate ``snapshot_id`` and ``snapshot_created_on`` on a queryset of a versioned model."""
    latest = _latest_history(queryset.model)
    return queryset.annotate(
        snapshot_id=Subquery(latest.values("history_id")[:1]),
        snapshot_created_on=Subquery(latest.values("history_date")[:1]),
    )


def latest_history_ids(model, pks) -> dict[int, int]:
    """Object id -> the ``history_id`` of its newest history record, in one query."""
    rows = (
        model.history.filter(id__in=set(pks))
        .order_by()
        .values("id")
        .annotate(latest=Max("history_id"))
    )
    return {row["id"]: row["latest"] for row in rows}


def latest_snapshot_id(instance, *, fresh: bool = False) -> int | None:
    """The annotated snapshot id, or (``fresh`` or not annotated) the one stored now."""
    if hasattr(instance, "snapshot_id") and not fresh:
        return instance.snapshot_id
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


def check_snapshot(instance, expected: set[str] | str | int | None) -> None:
    """``StaleWrite`` unless ``instance``'s latest snapshot is ``expected`` (``None``: no check).

    The row is locked first (``SELECT ... FOR UPDATE``, held until the caller's transaction ends),
    so the check and the write that follows see the same snapshot: of two writers that loaded
    the same snapshot, the second waits for the first, then is refused instead of overwriting it.
    """
    if expected is None:
        return
    wanted = {str(e) for e in expected} if isinstance(expected, set) else {str(expected)}
    list(type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("pk"))
    if str(latest_snapshot_id(instance, fresh=True)) not in wanted:
        raise StaleWrite()
