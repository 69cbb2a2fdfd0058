"""Reads about groups, roles, memberships and the users a caller may see."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from access.models import Group, Membership


def can(*, user, group: Group | int, action: str) -> bool:
    """Whether ``user`` may perform ``action`` (read, write, manage) in ``group``: the same rule
    as every read (``Group.objects.for_user``)."""
    group_id = group.pk if isinstance(group, Group) else group
    return Group.objects.for_user(user, action).filter(pk=group_id).exists()


def group_list(*, user, action: str = "read") -> QuerySet:
    """Groups where ``user`` may perform ``action``, with their members prefetched."""
    members = Membership.objects.select_related("user", "group").order_by("user__username")
    return Group.objects.for_user(user, action).prefetch_related(Prefetch("memberships", members))


def membership_list(*, group: Group) -> QuerySet:
    """The memberships of ``group``, by username."""
    return group.memberships.select_related("user", "group").order_by("user__username")


def user_list(*, user) -> QuerySet:
    """Users who share a group with ``user`` (every user for superusers)."""
    users = get_user_model().objects.all()
    if user and user.is_active and user.is_superuser:
        return users  # users in no group included
    shared = Membership.objects.filter(group__in=Group.objects.for_user(user, "read"))
    return users.filter(pk__in=shared.values("user_id"))


def user_groups(*, user) -> QuerySet:
    """The groups ``user`` belongs to (any role), by name."""
    return Group.objects.filter(memberships__user=user).order_by("name")
