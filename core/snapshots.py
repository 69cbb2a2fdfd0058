"""Historical records presented like live objects, so one serializer renders both."""


def as_snapshot(record, *, latest_id: int | None, live=None):
    """Give a simple-history record the attributes ``ResourceSerializer`` reads.

    ``live`` is the current object, whose (unversioned) tags the snapshot shows.
    """
    record.snapshot_id = record.history_id
    record.snapshot_created_on = record.history_date
    record.is_latest_snapshot = record.history_id == latest_id
    if live is not None:
        record.live_tags = list(live.tags.all())
    return record


# The services' change reason of a restore ("Restored snapshot 12").
RESTORED_REASON = "Restored snapshot"
# What a history says of a snapshot that changed nothing it tracks.
NO_CHANGES = "no change to the content"


def is_deletion(older, newer) -> bool:
    """``newer`` deletes its object: a soft delete (``deleted_on`` set) or a hard one."""
    was_deleted = older is not None and getattr(older, "deleted_on", None) is not None
    return newer.history_type == "-" or (
        getattr(newer, "deleted_on", None) is not None and not was_deleted
    )


def restore_note(newer) -> str | None:
    """ "restored snapshot 12" when ``newer`` restored one, else None."""
    reason = getattr(newer, "history_change_reason", None) or ""
    return reason[0].lower() + reason[1:] if reason.startswith(RESTORED_REASON) else None


def snapshot_page(records, *, page, per_page: int):
    """One page of a history queryset ordered newest first, and each record's older neighbour
    (``None`` for the first snapshot): ``(page, [(record, older), ...])`` in three queries (the
    count, the page, the one record before it), however long the history."""
    from django.core.paginator import Paginator

    found = Paginator(records, per_page).get_page(page)
    shown = list(found.object_list)
    before = records.filter(history_id__lt=shown[-1].history_id).first() if shown else None
    return found, list(zip(shown, [*shown[1:], before], strict=True))
