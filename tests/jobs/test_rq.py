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
from tests.jobs import fake_executor
from tests.jobs.factories import make_queue, runnable

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


@pytest.mark.django_db(transaction=True)
def test_jobs_run_from_their_queues_rq_queues(rq_backend, lab, monkeypatch):
    fake_executor.install(monkeypatch)
    experiment, entrypoint, queue = runnable(lab)
    other = runnable(lab)
    for name in (task_queue_name(queue), task_queue_name(other[2])):
        django_rq.get_queue(name).empty()  # what earlier runs left in this Redis
    mine = job_create(user=None, experiment=experiment, entrypoint=entrypoint, queue=queue)
    theirs = job_create(user=None, experiment=other[0], entrypoint=other[1], queue=other[2])
    work(task_queue_name(queue))
    assert Job.objects.get(pk=mine.pk).status == JobStatus.FINISHED
    assert Job.objects.get(pk=mine.pk).log_records.get().message == "Hello, World!"
    assert Job.objects.get(pk=theirs.pk).status == JobStatus.QUEUED
    work(task_queue_name(other[2]))
    assert Job.objects.get(pk=theirs.pk).status == JobStatus.FINISHED


@pytest.mark.django_db
def test_a_queue_name_not_every_backend_takes_gets_its_id(lab):
    queue = make_queue(lab, name="GPU nodes (A100)")
    assert task_queue_name(queue) == f"queue-{queue.pk}"
    assert task_queue_name(make_queue(lab, name="gpu-a100")) == "gpu-a100"
