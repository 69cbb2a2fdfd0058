"""Builders for experiments, jobs and artifacts, over the services; and plugin code that jobs
run for real (``job_plugin``)."""

from pathlib import Path

from jobs import services
from tests.api.mixins import unique_name
from tests.entrypoints.factories import artifact_task, make_artifact_plugin, make_entrypoint
from tests.plugins.factories import builtin, function_task, make_file, make_plugin

# Plugin code as Dioptra's documentation writes it, and what the fault tests need.
JOB_CODE = """\
import logging
import time

import structlog
from dioptra import pyplugs

from entrypoints.runtime import log_metric

LOGGER = logging.getLogger(__name__)


@pyplugs.register
def hello_world(greeting: str, name: str) -> str:
    message = f"{greeting}, {name}!"
    LOGGER.info("said %s", message)
    structlog.get_logger().warning("loud", message=message.upper())
    print(message)
    log_metric("length", len(message), step=1)
    return message


@pyplugs.register
def fail(message: str) -> None:
    raise ValueError(message)


@pyplugs.register
def wait(seconds: float) -> None:
    time.sleep(seconds)


@pyplugs.register
def record(path: str, marker: str) -> None:
    with open(path, "a") as out:
        out.write(marker + "\\n")
"""
HELLO = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
FAIL = "boom:\n  fail:\n    message: $name\n"
WAIT = "pause:\n  wait:\n    seconds: $seconds\n"
RECORD = "mark:\n  record:\n    path: $path\n    marker: $marker\n"
SAVE_MESSAGE = "saved:\n  contents: $message\n  task:\n    name: StringArtifactTask\n"


def job_plugin(group, name=None):
    """A plugin whose file ``jobs.py`` is ``JOB_CODE``, its tasks declared."""
    string, number = builtin(group, "string"), builtin(group, "number")
    plugin = make_plugin(group, name or unique_name("jobs"))
    tasks = [
        function_task(
            "hello_world",
            inputs=[("greeting", string), ("name", string)],
            outputs=[("message", string)],
        ),
        function_task("fail", inputs=[("message", string)]),
        function_task("wait", inputs=[("seconds", number)]),
        function_task("record", inputs=[("path", string), ("marker", string)]),
    ]
    make_file(plugin, "jobs.py", contents=JOB_CODE, tasks={"functions": tasks})
    plugin.refresh_from_db()
    return plugin


def strings(*names, **defaults) -> list[dict]:
    """String parameters (with these defaults)."""
    return [{"name": n, "parameterType": "string", "defaultValue": defaults.get(n)} for n in names]


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


def runnable_taking_text(group, plugin):
    """``runnable``, the entrypoint taking one artifact ``previous`` (outputs ``value:
    string``, as ``make_artifact``'s task gives) from the artifact plugin ``plugin``."""
    string = builtin(group, "string")
    return runnable(
        group,
        artifact_plugins=[plugin],
        artifact_parameters=[
            {"name": "previous", "outputParams": [{"name": "value", "parameterType": string}]}
        ],
    )


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


def make_number_artifact(group, tmp_path: Path, *, name="n"):
    """An artifact of a new job of ``group`` whose task (``NumberArtifact``) outputs a number."""
    numbers = make_plugin(group)
    number = builtin(group, "number")
    make_file(
        numbers,
        "numbers.py",
        tasks={"artifacts": [artifact_task("NumberArtifact", outputs=[("value", number)])]},
    )
    written = tmp_path / f"{name}.txt"
    written.write_text("3")
    return services.artifact_create(
        job=make_job(group),
        name=name,
        task="NumberArtifact",
        plugin_snapshot=numbers.history.order_by("-history_id").first(),
        path=written,
        is_dir=False,
    )
