"""Writes for tags. The tags of a resource change through ``core.related`` (as any "related ids"
of a resource do).
"""

from django.db import transaction

from access.services import (
    RESTORED,
    owned_name_check,
    owned_save,
    owned_snapshot,
    owned_soft_delete,
)
from tags.models import Tag


@transaction.atomic
def tag_create(*, user, group, name: str) -> Tag:
    """Create a tag in ``group`` (409 when the name is taken there)."""
    owned_name_check(model=Tag, group=group, name=name)
    tag = Tag(group=group, creator=user, name=name)
    owned_save(tag, user=user)
    return tag


@transaction.atomic
def tag_update(*, user, tag: Tag, name: str, reason: str | None = None) -> Tag:
    """Rename a tag."""
    owned_name_check(model=Tag, group=tag.group, name=name, exclude_pk=tag.pk)
    tag.name = name
    owned_save(tag, user=user, reason=reason)
    return tag


@transaction.atomic
def tag_restore(*, user, tag: Tag, snapshot_id: int) -> Tag:
    """Give a tag the name one of its history records has (the admin's audit trail)."""
    record = owned_snapshot(tag, snapshot_id)
    return tag_update(
        user=user, tag=tag, name=record.name, reason=RESTORED.format(snapshot=snapshot_id)
    )


@transaction.atomic
def tag_delete(*, user, tag: Tag) -> None:
    """Soft-delete a tag and take it off every resource that carries it."""
    for relation in Tag._meta.related_objects:
        if relation.many_to_many:
            relation.through.objects.filter(
                **{relation.field.m2m_reverse_field_name(): tag}
            ).delete()
    owned_soft_delete(tag, user=user)
