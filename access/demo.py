"""Demo users, the ``lab`` group and the ``default`` queue, for ``manage.py load_demo``."""

from collections.abc import Iterator

from django.contrib.auth import get_user_model

from access.models import Group
from access.roles import Role
from access.services import default_group, group_create, membership_set
from jobs.models import Queue
from jobs.services import queue_create

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
    manage in ``lab``) and the queue ``default`` in ``public``; yield one line per step.
    Running it again changes nothing."""
    for username, password, superuser in DEMO_USERS:
        yield from _user(username, password, superuser)
    users = get_user_model().objects
    alice, admin = users.get(username="alice"), users.get(username="admin")

    lab = Group.objects.filter(name="lab").first()
    if lab is None:
        lab = group_create(name="lab", description="Alice's lab.")
        yield "Created group 'lab'."
    if not lab.memberships.filter(user=alice, role=Role.MANAGE).exists():
        membership_set(group=lab, user=alice, role=Role.MANAGE)
        yield "alice manages 'lab'."

    public = default_group()
    if Queue.objects.alive().filter(group=public, name="default").exists():
        yield "Queue 'default' exists."
    else:
        queue_create(user=admin, group=public, name="default", description="The default queue.")
        yield "Created queue 'default' in 'public'."


def demo_author():
    """The user the demo objects are created by (``alice``, once the access demo ran)."""
    return get_user_model().objects.filter(username="alice").first()
