"""The demo queue ``default`` and the builtin artifact tasks' plugin in the default group
``public``, for ``manage.py load_demo``."""

from collections.abc import Iterator

from access.demo import demo_admin
from access.services import default_group
from jobs.models import Queue
from jobs.services import builtin_artifacts_install, queue_create


def load_jobs_demo() -> Iterator[str]:
    """Create the queue ``default`` in ``public`` when missing, install (or update) the plugin
    ``builtin_artifacts`` there; say what was done. Runs after the access demo (``admin`` makes
    them)."""
    public = default_group()
    if Queue.objects.alive().filter(group=public, name="default").exists():
        yield "Queue 'default' exists."
    else:
        queue_create(
            user=demo_admin(), group=public, name="default", description="The default queue."
        )
        yield "Created queue 'default' in 'public'."
    plugin = builtin_artifacts_install(user=demo_admin(), group=public)
    yield f"Plugin {plugin.name!r} in 'public' has the builtin artifact tasks."
