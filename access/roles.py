"""Roles are cumulative: read < write < manage. Actions name what a caller wants to do."""

from django.db import models


class Role(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Write"
    MANAGE = "manage", "Manage"


RANK = {Role.READ: 1, Role.WRITE: 2, Role.MANAGE: 3}

# The action a request needs -> the roles that allow it.
ACTIONS = ("read", "write", "manage")


def roles_allowing(action: str) -> list[str]:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    needed = RANK[Role(action)]
    return [role for role, rank in RANK.items() if rank >= needed]
