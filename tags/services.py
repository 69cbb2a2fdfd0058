"""Writes for tags, and for the tags of any resource with a ``tags`` many-to-many field.

Tags of a resource must be visible to the caller and belong to the resource's group; any other id
is a 400 naming ``ids``. Changing a resource's tags does not version it (as in Dioptra).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from access.services import (
    RESTORED,
    owned_name_check,
    owned_save,
    owned_snapshot,
    owned_soft_delete,
)
from tags.models import Tag

TAG_NOT_VISIBLE = "Tag with id={pk} does not exist or is not visible to you."
TAG_WRONG_GROUP = "Tag with id={pk} belongs to another group than this resource."


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


def _resolve(*, user, resource, ids) -> list[Tag]:
    """The tags named by ``ids``: visible to ``user`` and of the resource's group."""
    wanted = list(dict.fromkeys(ids))
    found = {tag.pk: tag for tag in Tag.objects.for_user(user, "read").filter(pk__in=wanted)}
    errors = [TAG_NOT_VISIBLE.format(pk=pk) for pk in wanted if pk not in found]
    errors += [
        TAG_WRONG_GROUP.format(pk=pk)
        for pk, tag in found.items()
        if tag.group_id != resource.group_id
    ]
    if errors:
        raise ValidationError({"ids": errors})
    return [found[pk] for pk in wanted]


@transaction.atomic
def resource_tags_set(*, user, resource, ids: list[int]) -> None:
    """Replace the resource's tags with exactly these."""
    resource.tags.set(_resolve(user=user, resource=resource, ids=ids))


@transaction.atomic
def resource_tags_add(*, user, resource, ids: list[int]) -> None:
    """Add these tags to the resource (tags it already has are ignored)."""
    resource.tags.add(*_resolve(user=user, resource=resource, ids=ids))


def resource_tags_remove(*, resource, tags) -> None:
    """Take ``tags`` off the resource."""
    resource.tags.remove(*tags)
