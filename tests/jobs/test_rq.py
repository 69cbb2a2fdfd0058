"""Jobs through django-tasks-rq on a real Redis (``TEST_REDIS_URL``, default a local Redis's
database 15): each Dioptra queue is an RQ queue of its own name, created when a job is first
queued on it. Skipped when no Redis answers there.

RQ's worker runs in this process (``SimpleWorker``): the forking worker would write to a copy
of an in-memory test database.
"""

import os

import pytest

from config.settings import AnyRQQueues
from jobs.models import Job, JobStatus
from jobs.services import job_create
from jobs.tasks import task_queue_name
from tests.jobs.factories import HELLO, job_plugin, make_queue, runnable, strings

redis = pytest.importorskip("redis")
django_rq = pytest.importorskip("django_rq")
django_tasks_rq = pytest.importorskip("django_tasks_rq")
rq = pytest.importorskip("rq")

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_backend(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    settings.RQ_QUEUES = AnyRQQueues(REDIS_URL)
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "jobs.backends.RQBackend", "QUEUES": []}}


def work(queue_name: str) -> None:
    """Run what RQ holds on ``queue_name`` (a burst of RQ's worker, in this process)."""
    queue = django_rq.get_queue(queue_name, job_class=django_tasks_rq.Job)
    worker = rq.SimpleWorker([queue], connection=queue.connection, job_class=django_tasks_rq.Job)
    worker.work(burst=True)


def hello(group):
    """An experiment, the hello-world entrypoint (``job_plugin``'s) and its own queue."""
    parameters = strings("greeting", "name", greeting="Hello", name="World")
    return runnable(group, task_graph=HELLO, parameters=parameters, plugins=[job_plugin(group)])


@pytest.mark.django_db(transaction=True)
def test_jobs_run_from_their_queues_rq_queues(rq_backend, lab):
    mine, theirs = hello(lab), hello(lab)
    for _, _, queue in (mine, theirs):
        django_rq.get_queue(task_queue_name(queue)).empty()  # what earlier runs left in Redis
    jobs = [
        job_create(user=None, experiment=experiment, entrypoint=entrypoint, queue=queue)
        for experiment, entrypoint, queue in (mine, theirs)
    ]
    work(task_queue_name(mine[2]))
    first, second = (Job.objects.get(pk=job.pk) for job in jobs)
    assert first.status == JobStatus.FINISHED
    assert first.log_records.last().message == "Hello, World!"
    assert second.status == JobStatus.QUEUED
    work(task_queue_name(theirs[2]))
    assert Job.objects.get(pk=second.pk).status == JobStatus.FINISHED


@pytest.mark.django_db
def test_a_queue_name_not_every_backend_takes_gets_its_id(lab):
    queue = make_queue(lab, name="GPU nodes (A100)")
    assert task_queue_name(queue) == f"queue-{queue.pk}"
    assert task_queue_name(make_queue(lab, name="gpu-a100")) == "gpu-a100"


@pytest.mark.django_db(transaction=True)
def test_runworker_runs_rqs_forking_worker(rq_backend, lab, worker_processes):
    experiment, entrypoint, queue = hello(lab)
    django_rq.get_queue(task_queue_name(queue)).empty()
    job = job_create(user=None, experiment=experiment, entrypoint=entrypoint, queue=queue)
    process = worker_processes(queue.name, "--batch", TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
    assert process.wait(300) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.FINISHED, job.message
