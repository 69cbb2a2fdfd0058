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
