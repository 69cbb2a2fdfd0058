"""Jobs per second through the real worker: no-op jobs (one step calling a function that returns
at once) drained by ``manage.py runworker --batch`` in this process, each in its own child.

On a throwaway SQLite file by default; ``BENCH_DATABASE_URL=postgres://...`` uses that (empty)
PostgreSQL database instead, and ``BENCH_REDIS_URL=redis://...`` also runs the jobs through
django-tasks-rq (RQ's in-process ``SimpleWorker``). Baseline in the same run: the executor
alone (``execute`` on the same job's spec, no database), so the ratio is what the worker adds.
Reported: jobs per second, milliseconds and database queries per job.
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

JOBS = 100
ROUNDS = 3


def setup_django(directory: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3"
    )
    os.environ["MEDIA_ROOT"] = f"{directory}/media"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def noop_entrypoint():
    """An experiment and a valid one-step entrypoint on a queue, in a fresh group."""
    from access.services import group_create
    from entrypoints.services import entrypoint_create
    from jobs import services
    from plugins_app import services as plugin_services
    from plugins_app.models import PluginParameterType

    group = group_create(name=f"bench-{time.monotonic_ns()}")
    anything = PluginParameterType.objects.get(group=group, name="any", deleted_on__isnull=True)
    plugin = plugin_services.plugin_create(user=None, group=group, name="quiet")
    plugin_services.plugin_file_create(
        user=None,
        plugin=plugin,
        filename="tasks.py",
        contents="def noop():\n    return 1\n",
        tasks={
            "functions": [
                {"name": "noop", "outputParams": [{"name": "out", "parameterType": anything.pk}]}
            ]
        },
    )
    queue = services.queue_create(user=None, group=group, name=f"bench{time.monotonic_ns()}")
    entrypoint = entrypoint_create(
        user=None, group=group, name="noop", task_graph="only:\n  noop: []\n", plugins=[plugin],
        queues=[queue],
    )  # fmt: skip
    assert entrypoint.valid, entrypoint.issues
    experiment = services.experiment_create(
        user=None, group=group, name="bench", entrypoints=[entrypoint]
    )
    return experiment, entrypoint, queue


def queue_jobs(count: int):
    from jobs import services

    experiment, entrypoint, queue = noop_entrypoint()
    for _ in range(count):
        services.job_create(user=None, experiment=experiment, entrypoint=entrypoint, queue=queue)
    return queue


def drained(drain, count: int) -> tuple[float, float]:
    """Seconds and queries per job of ``drain(queue)`` on ``count`` fresh jobs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs.models import Job

    queue = queue_jobs(count)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        drain(queue)
        seconds = time.perf_counter() - started
    done = Job.objects.filter(queue=queue, status="finished").count()
    assert done == count, f"{done} of {count} jobs finished"
    return seconds / count, len(queries) / count


def db_worker(queue) -> None:
    from django.core.management import call_command

    call_command("runworker", queue.name, batch=True, verbosity=0)


def rq_worker(queue) -> None:
    import django_rq
    import django_tasks_rq
    import rq

    from jobs.tasks import task_queue_name

    logging.getLogger("rq.worker").setLevel(logging.WARNING)
    rq_queue = django_rq.get_queue(task_queue_name(queue), job_class=django_tasks_rq.Job)
    rq.SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=django_tasks_rq.Job).work(
        burst=True
    )


class NoSink:
    def logs(self, records): ...
    def step(self, event): ...
    def metric(self, metric): ...
    def artifact(self, artifact): ...


def executor_alone(count: int) -> float:
    """Seconds per job of ``execute`` on a no-op job's spec (no database writes)."""
    from jobs.executor import execute
    from jobs.models import Job
    from jobs.services import job_claim, job_finish
    from jobs.worker import build_spec

    job = Job.objects.get(queue=queue_jobs(1))
    job_claim(job=job, worker_id="bench")
    with tempfile.TemporaryDirectory() as scratch:
        spec = build_spec(job, Path(scratch)).spec
        execute(spec, NoSink())  # the first job starts the fork server
        started = time.perf_counter()
        for _ in range(count):
            outcome = execute(spec, NoSink())
            assert outcome.status == "finished", outcome
        seconds = (time.perf_counter() - started) / count
    job_finish(job=job, attempt=job.attempt, status="finished")
    return seconds


def measure(label: str, drain) -> None:
    """Rounds of the executor alone then ``drain``, back to back (the machine's load changes
    both alike); medians of the rounds."""
    rounds = []
    for _ in range(ROUNDS):
        baseline = executor_alone(JOBS)
        per_job, queries = drained(drain, JOBS)
        rounds.append((per_job, queries, baseline))
    per_job = statistics.median(r[0] for r in rounds)
    ratio = statistics.median(r[0] / r[2] for r in rounds)
    baseline = statistics.median(r[2] for r in rounds)
    print(
        f"{label:<22} {1 / per_job:6.1f} jobs/s  {per_job * 1000:6.1f} ms per job, "
        f"{rounds[0][1]:.0f} queries per job; executor alone {baseline * 1000:.1f} ms "
        f"({ratio:.2f}x)"
    )


def use_rq(url: str) -> None:
    """Jobs go through django-tasks-rq from now on (the setting-changed signal resets the
    task backends)."""
    from django.test.utils import override_settings

    from config.settings import AnyRQQueues

    override_settings(
        RQ_QUEUES=AnyRQQueues(url),
        RQ={"JOB_CLASS": "django_tasks_rq.Job"},
        TASKS={"default": {"BACKEND": "jobs.backends.RQBackend", "QUEUES": []}},
    ).enable()


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from django.db import connection

        print(f"{JOBS} no-op jobs per round, medians of {ROUNDS} rounds; {connection.vendor}")
        measure(f"db worker ({connection.vendor})", db_worker)
        if url := os.environ.get("BENCH_REDIS_URL"):
            use_rq(url)
            measure(f"rq worker ({connection.vendor})", rq_worker)


if __name__ == "__main__":
    main()
