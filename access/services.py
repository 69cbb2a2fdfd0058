"""Writes about groups and memberships."""

from django.conf import settings
from django.db import transaction

from access.models import Group, Membership
from access.roles import Role
from core.errors import Conflict

GROUP_NAME_TAKEN = "A group named {name!r} already exists."


@transaction.atomic
def group_create(*, name: str, description: str = "") -> Group:
    if Group.objects.filter(name=name).exists():
        raise Conflict(GROUP_NAME_TAKEN.format(name=name))
    return Group.objects.create(name=name, description=description)


def membership_set(*, group: Group, user, role: str | Role) -> Membership:
    """Give ``user`` exactly ``role`` in ``group`` (adding them when needed)."""
    membership, _ = Membership.objects.update_or_create(
        group=group, user=user, defaults={"role": Role(role)}
    )
    return membership


def membership_remove(*, group: Group, user) -> None:
    Membership.objects.filter(group=group, user=user).delete()


def default_group() -> Group:
    group, _ = Group.objects.get_or_create(
        name=settings.DEFAULT_GROUP_NAME, defaults={"description": "Everyone's default group."}
    )
    return group
