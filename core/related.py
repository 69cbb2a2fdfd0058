"""A resource's "related ids": the objects of one of its many-to-many fields, such as the tags of
any taggable resource or the queues that may run an entrypoint.

The related objects are group-owned. The ids a change names must be of objects the caller can
read (``for_user``) and of the resource's own group; any other id is a 400 naming ``ids``.
Changing them does not version the resource (as in Dioptra).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from core.errors import NOT_VISIBLE, WRONG_GROUP

IDS = "ids"


def related_list(*, resource, relation: str) -> QuerySet:
    """The live objects of ``resource``'s many-to-many field ``relation``."""
    return getattr(resource, relation).alive().select_related("group")


def _resolve(*, user, resource, relation: str, ids) -> list:
    """The objects ``ids`` names, in that order and each once (400 naming ``ids`` otherwise)."""
    model = getattr(resource, relation).model
    kind = model._meta.verbose_name.capitalize()
    wanted = list(dict.fromkeys(ids))
    found = model.objects.for_user(user, "read").in_bulk(wanted)
    errors = [NOT_VISIBLE.format(kind=kind, pk=pk) for pk in wanted if pk not in found]
    errors += [
        WRONG_GROUP.format(kind=kind, pk=pk)
        for pk, obj in found.items()
        if obj.group_id != resource.group_id
    ]
    if errors:
        raise ValidationError({IDS: errors})
    return [found[pk] for pk in wanted]


@transaction.atomic
def related_add(*, user, resource, relation: str, ids, replace: bool = False) -> None:
    """Add the objects ``ids`` names to ``resource``'s ``relation`` (those it has already are
    ignored); with ``replace``, make them its only ones."""
    objects = _resolve(user=user, resource=resource, relation=relation, ids=ids)
    manager = getattr(resource, relation)
    if replace:
        manager.set(objects)
    else:
        manager.add(*objects)


def related_remove(*, resource, relation: str, objects) -> None:
    """Take ``objects`` off ``resource``'s ``relation``."""
    getattr(resource, relation).remove(*objects)
