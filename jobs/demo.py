"""The demo queue ``default``, the builtin artifact tasks' plugin and the experiment ``demo`` in
the default group ``public``, for ``manage.py load_demo``."""

from collections.abc import Iterator

from access.demo import demo_admin
from access.services import default_group
from jobs.models import Experiment, Queue
from jobs.services import (
    builtin_artifacts_install,
    experiment_create,
    job_create,
    queue_create,
)


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


DEMO_EXPERIMENT = "demo"
FIRST_JOBS = ("hello_world", "digits_classifier")


def load_experiment_demo() -> Iterator[str]:
    """Create the experiment ``demo`` in ``public`` with the demo entrypoints (after the
    entrypoints demo), and queue a first job of ``FIRST_JOBS`` on ``default`` so the job pages
    show a run once the worker of ``make run`` picks them up. Done once: an existing experiment
    ``demo`` is left as it is."""
    from entrypoints.demo import NAMES  # the entrypoints app imports jobs' models
    from entrypoints.models import Entrypoint

    public = default_group()
    if Experiment.objects.alive().filter(group=public, name=DEMO_EXPERIMENT).exists():
        yield f"Experiment {DEMO_EXPERIMENT!r} exists."
        return
    entrypoints = Entrypoint.objects.alive().filter(group=public, name__in=NAMES)
    experiment = experiment_create(
        user=demo_admin(),
        group=public,
        name=DEMO_EXPERIMENT,
        description="The demo entrypoints' jobs.",
        entrypoints=entrypoints,
    )
    yield f"Created experiment {DEMO_EXPERIMENT!r} in 'public'."
    queue = Queue.objects.alive().get(group=public, name="default")
    for entrypoint in entrypoints.filter(name__in=FIRST_JOBS).order_by("name"):
        job = job_create(
            user=demo_admin(), experiment=experiment, entrypoint=entrypoint, queue=queue
        )
        yield f"Queued job {job.pk} of {entrypoint.name!r} (the worker runs it)."
