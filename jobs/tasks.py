"""The job task of ``django.tasks``: each job is one task on its queue's task queue.

Whatever the backend (django-tasks-db or django-tasks-rq), the task only carries the job's id;
the job itself is the record of truth. The worker claims it (``jobs.services.job_claim``), so a
task delivered twice, or a job cancelled before a worker got to it, runs at most once.
"""

import re

from django.tasks import task

# django-tasks-db keeps queue names in 32 characters.
_TASK_QUEUE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def is_task_queue_name(name: str) -> bool:
    """Whether every task backend takes ``name`` as a queue name."""
    return _TASK_QUEUE_NAME.fullmatch(name) is not None


def task_queue_name(queue) -> str:
    """The task queue of a Dioptra queue: its name (as Dioptra's RQ queues are), or
    ``queue-<id>`` for a name not every task backend takes."""
    return queue.name if is_task_queue_name(queue.name) else f"queue-{queue.pk}"


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    """Run job ``job_id`` if it is still queued; the status it ended with."""
    from jobs.worker import run

    worker_ids = context.task_result.worker_ids
    return run(job_id, worker_id=worker_ids[-1] if worker_ids else "")


def enqueue(job) -> None:
    """Put ``job`` on its queue's task queue."""
    run_job.using(queue_name=task_queue_name(job.queue)).enqueue(job.pk)
