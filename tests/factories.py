"""Small builders for test data (plain functions over the services)."""

import itertools

from django.contrib.auth import get_user_model

from access.models import Group
from access.services import membership_set

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_user(username: str | None = None, *, superuser: bool = False, **roles):
    """A user with ``roles`` given as ``group_name=role`` (groups are created when missing)."""
    User = get_user_model()
    username = username or f"user{next(_seq)}"
    if superuser:
        user = User.objects.create_superuser(username=username, password=PASSWORD)
    else:
        user = User.objects.create_user(username=username, password=PASSWORD)
    for group_name, role in roles.items():
        membership_set(group=make_group(group_name), user=user, role=role)
    return user


def make_group(name: str = "lab") -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    return group
