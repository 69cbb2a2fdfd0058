"""Builders for experiments, jobs and artifacts, over the services."""

from pathlib import Path

from jobs import services
from tests.api.mixins import unique_name
from tests.entrypoints.factories import make_artifact_plugin, make_entrypoint


def make_queue(group, name=None, user=None):
    return services.queue_create(user=user, group=group, name=name or unique_name("queue"))


def make_experiment(group, name=None, *, user=None, entrypoints=(), **fields):
    return services.experiment_create(
        user=user,
        group=group,
        name=name or unique_name("experiment"),
        entrypoints=entrypoints,
        **fields,
    )


def runnable(group, *, user=None, **entrypoint_fields):
    """``(experiment, entrypoint, queue)``: the hello-world entrypoint on a queue of its own,
    attached to an experiment, ready for ``job_create``."""
    queue = make_queue(group, user=user)
    entrypoint = make_entrypoint(group, user=user, queues=[queue], **entrypoint_fields)
    experiment = make_experiment(group, user=user, entrypoints=[entrypoint])
    return experiment, entrypoint, queue


def make_job(group, *, user=None, values=None, **fields):
    """A queued hello-world job of ``group`` (an experiment, entrypoint and queue made for it)."""
    experiment, entrypoint, queue = runnable(group, user=user)
    return services.job_create(
        user=user,
        experiment=experiment,
        entrypoint=entrypoint,
        queue=queue,
        values={"name": "Ada"} if values is None else values,
        **fields,
    )


def make_artifact(job, tmp_path: Path, *, name="message", text="Hello, Ada!", plugin=None):
    """A one-file artifact of ``job`` written by the ``TextArtifact`` task of an artifact plugin
    (a fresh one of the job's group unless given)."""
    plugin = plugin or make_artifact_plugin(job.group)
    path = tmp_path / f"{name}.txt"
    path.write_text(text)
    return services.artifact_create(
        job=job,
        name=name,
        task="TextArtifact",
        plugin_snapshot=plugin.history.order_by("-history_id").first(),
        path=path,
        is_dir=False,
    )
