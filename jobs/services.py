"""Writes for queues (jobs come later). Each write saves once: one history record per change."""

from django.db import transaction

from access.services import (
    RESTORED,
    owned_name_check,
    owned_save,
    owned_snapshot,
    owned_soft_delete,
)
from jobs.models import Queue


@transaction.atomic
def queue_create(*, user, group, name: str, description: str | None = None) -> Queue:
    """Create a queue in ``group`` (409 when the name is taken there)."""
    owned_name_check(model=Queue, group=group, name=name)
    queue = Queue(group=group, creator=user, name=name, description=description)
    owned_save(queue, user=user)
    return queue


@transaction.atomic
def queue_update(
    *, user, queue: Queue, name: str, description: str | None = None, reason: str | None = None
) -> Queue:
    """Rename and describe a queue (an omitted description clears it, as in Dioptra)."""
    owned_name_check(model=Queue, group=queue.group, name=name, exclude_pk=queue.pk)
    queue.name, queue.description = name, description
    owned_save(queue, user=user, reason=reason)
    return queue


@transaction.atomic
def queue_restore(*, user, queue: Queue, snapshot_id: int) -> Queue:
    """Make a queue what one of its snapshots was (a new snapshot; the name must be free)."""
    record = owned_snapshot(queue, snapshot_id)
    return queue_update(
        user=user,
        queue=queue,
        name=record.name,
        description=record.description,
        reason=RESTORED.format(snapshot=snapshot_id),
    )


@transaction.atomic
def queue_delete(*, user, queue: Queue) -> None:
    """Soft-delete a queue: its history, and the jobs that ran on it, remain."""
    owned_soft_delete(queue, user=user)
