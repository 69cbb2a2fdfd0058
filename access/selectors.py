"""Reads about groups and roles."""

from access.models import Group, Membership
from access.roles import RANK, Role, roles_allowing


def role_of(*, user, group: Group | int) -> Role | None:
    """The user's role in a group (superusers act as manage everywhere)."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.MANAGE
    group_id = group.pk if isinstance(group, Group) else group
    role = (
        Membership.objects.filter(user=user, group_id=group_id).values_list("role", flat=True).first()
    )
    return Role(role) if role else None


def can(*, user, group: Group | int, action: str) -> bool:
    role = role_of(user=user, group=group)
    return role is not None and role in roles_allowing(action)


def outranks(role: Role, other: Role) -> bool:
    return RANK[role] >= RANK[other]
