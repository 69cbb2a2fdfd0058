"""Writes for queues (jobs come later). Each write saves once: one history record per change."""

from django.db import transaction

from access.services import owned_name_check, owned_save, owned_soft_delete
from jobs.models import Queue


@transaction.atomic
def queue_create(*, user, group, name: str, description: str | None = None) -> Queue:
    """Create a queue in ``group`` (409 when the name is taken there)."""
    owned_name_check(model=Queue, group=group, name=name)
    queue = Queue(group=group, creator=user, name=name, description=description)
    owned_save(queue, user=user)
    return queue


@transaction.atomic
def queue_update(*, user, queue: Queue, name: str, description: str | None = None) -> Queue:
    """Rename and describe a queue (an omitted description clears it, as in Dioptra)."""
    owned_name_check(model=Queue, group=queue.group, name=name, exclude_pk=queue.pk)
    queue.name, queue.description = name, description
    owned_save(queue, user=user)
    return queue


@transaction.atomic
def queue_delete(*, user, queue: Queue) -> None:
    """Soft-delete a queue: its history, and the jobs that ran on it, remain."""
    owned_soft_delete(queue, user=user)
