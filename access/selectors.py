"""Reads about groups, roles, memberships and the users a caller may see."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from access.models import Group, Membership
from access.roles import Role, roles_allowing


def role_of(*, user, group: Group | int) -> Role | None:
    """The user's role in a group (superusers act as manage everywhere)."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.MANAGE
    group_id = group.pk if isinstance(group, Group) else group
    role = (
        Membership.objects.filter(user=user, group_id=group_id)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def can(*, user, group: Group | int, action: str) -> bool:
    """Whether ``user`` may perform ``action`` (read, write, manage) in ``group``."""
    role = role_of(user=user, group=group)
    return role is not None and role in roles_allowing(action)


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
    if not user or not user.is_authenticated or not user.is_active:
        return users.none()
    if user.is_superuser:
        return users
    shared = Membership.objects.filter(group__memberships__user=user).values("user_id")
    return users.filter(pk__in=shared)


def user_groups(*, user) -> QuerySet:
    """The groups ``user`` belongs to (any role), by name."""
    return Group.objects.filter(memberships__user=user).order_by("name")
