"""``manage.py runworker [QUEUE ...] [--batch]``: one command for either task backend.

With django-tasks-db (the default) it runs ``db_worker``, with django-tasks-rq ``rqworker``,
on the task queues of the named Dioptra queues (all queues when none is named). The reaper runs
when it starts and then in the background every half ``JOB_STALE_SECONDS``, so a job whose
worker died is marked failed as long as any worker is alive. ``--batch`` runs what is queued
and exits.
"""

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.tasks import task_backends

from jobs.models import Queue
from jobs.services import jobs_reap
from jobs.tasks import is_task_queue_name, task_queue_name


def task_queue_names(names) -> list[str]:
    """The task queues of the Dioptra queues named ``names`` (of any group); all queues' (and
    ``default``) when none is named."""
    queues = Queue.objects.alive()
    if names:
        queues = queues.filter(name__in=names)
    found = {task_queue_name(queue) for queue in queues}
    wanted = set(names) if names else {"default"}
    return sorted(found | {name for name in wanted if is_task_queue_name(name)})


def keep_connections() -> None:
    """A worker keeps its database connections from job to job (``CONN_MAX_AGE`` None):
    connecting for each would cost more than a no-op job (with SQLite, a checkpoint of its
    write-ahead log at every close). Broken connections are still replaced."""
    for connection in connections.all():
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = None
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True


class Reaper(threading.Thread):
    """Runs the reaper every ``interval`` seconds until the process ends."""

    def __init__(self, interval: float):
        super().__init__(name="jobs-reaper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                jobs_reap()
            finally:
                close_old_connections()


class Command(BaseCommand):
    help = "Run a job worker on the named queues (all when none is named)."

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", help="Dioptra queue names (default: all).")
        parser.add_argument("--batch", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument("--worker-id", default=None, help="This worker's id (db backend).")

    def handle(self, *args, queues, batch, worker_id, **options):
        keep_connections()
        reaped = jobs_reap()
        if reaped:
            self.stdout.write(f"Marked {len(reaped)} job(s) of dead workers failed.")
        reaper = None
        if not batch:
            reaper = Reaper(settings.JOB_STALE_SECONDS / 2)
            reaper.start()
        try:
            if type(task_backends["default"]).__module__.startswith("django_tasks_db"):
                self.db_worker(queues, batch=batch, worker_id=worker_id, **options)
            else:
                self.rq_worker(queues, batch=batch, **options)
        finally:
            if reaper is not None:
                reaper.stopped.set()

    def db_worker(self, queues, *, batch, worker_id, verbosity, **options):
        names = ",".join(task_queue_names(queues)) if queues else "*"
        extra = {"worker_id": worker_id} if worker_id else {}
        call_command(
            "db_worker",
            queue_name=names,
            batch=batch,
            reload=False,
            startup_delay=not batch,
            verbosity=verbosity,
            **extra,
        )

    def rq_worker(self, queues, *, batch, verbosity, **options):
        call_command("rqworker", *task_queue_names(queues), burst=batch, verbosity=verbosity)
