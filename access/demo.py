"""Demo users and the ``lab`` group, for ``manage.py load_demo``."""

from collections.abc import Iterator

from django.contrib.auth import get_user_model

from access.models import Group
from access.roles import Role
from access.services import group_create, membership_set

DEMO_USERS = (
    # username, password, superuser
    ("admin", "admin", True),
    ("alice", "alice-demo", False),
)


def _user(username: str, password: str, superuser: bool) -> Iterator[str]:
    users = get_user_model().objects
    if users.filter(username=username).exists():
        yield f"User {username!r} exists."
        return
    create = users.create_superuser if superuser else users.create_user
    create(username=username, password=password)
    kind = "superuser" if superuser else "user"
    yield f"Created {kind} {username!r} (password {password!r})."


def load_access_demo() -> Iterator[str]:
    """Create, when missing, the users ``admin`` (superuser) and ``alice`` (write in ``public``,
    as every user, and manage in ``lab``); yield one line per step. Running it again changes
    nothing."""
    for username, password, superuser in DEMO_USERS:
        yield from _user(username, password, superuser)
    alice = get_user_model().objects.get(username="alice")

    lab = Group.objects.filter(name="lab").first()
    if lab is None:
        lab = group_create(name="lab", description="Alice's lab.")
        yield "Created group 'lab'."
    if not lab.memberships.filter(user=alice, role=Role.MANAGE).exists():
        membership_set(group=lab, user=alice, role=Role.MANAGE)
        yield "alice manages 'lab'."


def demo_author():
    """The user the demo objects are created by (``alice``, once the access demo ran)."""
    return get_user_model().objects.filter(username="alice").first()


def demo_admin():
    """The demo superuser ``admin`` (once the access demo ran)."""
    return get_user_model().objects.filter(username="admin").first()
