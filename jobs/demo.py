"""The demo queue ``default`` in the default group ``public``, for ``manage.py load_demo``."""

from collections.abc import Iterator

from access.demo import demo_admin
from access.services import default_group
from jobs.models import Queue
from jobs.services import queue_create


def load_jobs_demo() -> Iterator[str]:
    """Create the queue ``default`` in ``public`` when missing; say what was done. Runs after
    the access demo (``admin`` creates the queue)."""
    public = default_group()
    if Queue.objects.alive().filter(group=public, name="default").exists():
        yield "Queue 'default' exists."
        return
    queue_create(user=demo_admin(), group=public, name="default", description="The default queue.")
    yield "Created queue 'default' in 'public'."
