"""Jobs through the real worker: ``manage.py runworker --batch`` (django-tasks-db's worker loop)
in this process, plugin code in the executor's child process. What a user notices: the status,
the log in order, steps, metrics, artifacts, and how each fault ends (a plugin that raises or
hangs, a cancel during the run, an error of the worker itself); with PostgreSQL, worker
processes: two on one queue never run a job twice, and one killed mid-job is reaped.

The worker closes its connections between tasks: on PostgreSQL the test's own transaction would
go with them, so these tests commit (and jobs are queued as they are created).
"""

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from jobs import services, worker
from jobs.models import Job, JobStatus
from plugins_app.models import Plugin
from tests.factories import make_user
from tests.jobs.factories import (
    FAIL,
    HELLO,
    RECORD,
    SAVE_MESSAGE,
    WAIT,
    job_plugin,
    make_artifact,
    make_job,
    runnable,
    strings,
)
from tests.plugins.factories import builtin

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def run_queued() -> None:
    """Run every queued job (``runworker --batch``, all queues)."""
    call_command("runworker", batch=True, verbosity=0)


def queue_job(
    group,
    task_graph,
    parameters,
    *,
    artifact_graph="",
    artifact_plugins=(),
    artifact_parameters=(),
    **job_fields,
):
    """A queued job of a new entrypoint running ``task_graph`` with ``job_plugin``'s tasks
    (``job_fields``: ``job_create``'s, ``user`` included)."""
    experiment, entrypoint, queue = runnable(
        group,
        task_graph=task_graph,
        parameters=parameters,
        plugins=[job_plugin(group)],
        artifact_graph=artifact_graph,
        artifact_plugins=artifact_plugins,
        artifact_parameters=artifact_parameters,
    )
    return services.job_create(
        experiment=experiment,
        entrypoint=entrypoint,
        queue=queue,
        **{"user": None, **job_fields},
    )


def messages(job) -> list[tuple[str, str]]:
    return [(r.severity, r.message) for r in job.log_records.all()]


class TestHelloWorld:
    def test_the_job_runs_and_everything_it_did_is_recorded(self, lab):
        builtins = services.builtin_artifacts_install(user=None, group=lab)
        job = queue_job(
            lab,
            HELLO,
            strings("greeting", "name", greeting="Hello"),
            values={"name": "Ada"},
            artifact_graph=SAVE_MESSAGE,
            artifact_plugins=[builtins],
        )
        run_queued()
        job.refresh_from_db()
        assert (job.status, job.message, job.attempt) == ("finished", "", 1)
        assert job.worker_id and job.finished_on > job.started_on
        assert messages(job) == [
            ("INFO", "said Hello, Ada!"),
            ("WARNING", "loud message='HELLO, ADA!'"),
            ("INFO", "Hello, Ada!"),
        ]
        [step] = job.steps.all()
        assert (step.name, step.state, step.error) == ("message", "finished", "")
        assert step.seconds is not None
        metric = job.metrics.get()
        assert (metric.name, metric.value, metric.step) == ("length", 11, 1)
        artifact = job.artifacts.get()
        assert (artifact.name, artifact.task, artifact.is_dir) == (
            "saved",
            "StringArtifactTask",
            False,
        )
        assert artifact.file.read() == b"Hello, Ada!"
        assert artifact.output_type_ids == str(builtin(lab, "string").pk)
        assert artifact.plugin_snapshot_id == builtins.history.latest().history_id
        assert [r.status for r in job.history.order_by("history_id")] == [
            "queued",
            "started",
            "finished",
        ]

    def test_a_job_reads_another_jobs_artifact(self, lab, tmp_path):
        builtins = services.builtin_artifacts_install(user=None, group=lab)
        first = queue_job(
            lab,
            HELLO,
            strings("greeting", "name"),
            values={"greeting": "Hello", "name": "Ada"},
            artifact_graph=SAVE_MESSAGE,
            artifact_plugins=[builtins],
        )
        run_queued()
        artifact = first.artifacts.get()
        string = builtin(lab, "string")
        echo = "echo:\n  hello_world:\n    greeting: $previous\n    name: $name\n"
        second = queue_job(
            lab,
            echo,
            strings("name"),
            user=make_user("alice", lab="write"),
            values={"name": "Bob"},
            artifact_parameters=[
                {"name": "previous", "outputParams": [{"name": "value", "parameterType": string}]}
            ],
            artifact_values={"previous": {"id": artifact.pk}},
        )  # no artifact plugin pinned: the snapshot that wrote the artifact reads it
        run_queued()
        second.refresh_from_db()
        assert second.status == JobStatus.FINISHED, messages(second)
        assert messages(second)[-1] == ("INFO", "Hello, Ada!, Bob!")

    def test_the_heartbeat_goes_on_while_the_job_runs(self, lab, settings):
        settings.JOB_HEARTBEAT_SECONDS = 0  # at every poll of the executor
        job = queue_job(
            lab, WAIT, [{"name": "seconds", "parameterType": "float"}], values={"seconds": "1"}
        )
        run_queued()
        job.refresh_from_db()
        assert job.status == JobStatus.FINISHED
        assert job.heartbeat_on > job.started_on


class TestFaults:
    def test_a_plugin_that_raises_fails_its_job_and_the_worker_serves_the_next(self, lab):
        failing = queue_job(lab, FAIL, strings("name"), values={"name": "no luck"})
        fine = queue_job(lab, HELLO, strings("greeting", "name", greeting="Hi", name="Bo"))
        run_queued()
        failing.refresh_from_db()
        assert failing.status == JobStatus.FAILED
        assert failing.message.startswith("Step `boom` failed: ValueError: no luck")
        errors = [m for severity, m in messages(failing) if severity == "ERROR"]
        assert errors and "Traceback" in errors[-1] and "ValueError: no luck" in errors[-1]
        assert [(s.name, s.state) for s in failing.steps.all()] == [("boom", "failed")]
        assert Job.objects.get(pk=fine.pk).status == JobStatus.FINISHED

    def test_a_hanging_plugin_is_stopped_at_its_time_limit(self, lab):
        job = queue_job(
            lab,
            WAIT,
            [{"name": "seconds", "parameterType": "float"}],
            values={"seconds": "60"},
            timeout="1s",
        )
        run_queued()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "time limit of 1 s" in job.message

    def test_cancelling_a_running_job_kills_it(self, lab, monkeypatch):
        poll, alice, asked = worker.DatabaseSink.cancelled, make_user("alice"), []

        def cancel_once_running(sink):
            if "pause" in sink.steps and not asked:
                asked.append(services.job_cancel(user=alice, job=sink.job))
            return poll(sink)

        monkeypatch.setattr(worker.DatabaseSink, "cancelled", cancel_once_running)
        job = queue_job(
            lab, WAIT, [{"name": "seconds", "parameterType": "float"}], values={"seconds": "60"}
        )
        run_queued()
        job.refresh_from_db()
        assert (job.status, job.message) == ("cancelled", "Cancelled by alice.")
        assert [(s.name, s.state) for s in job.steps.all()] == [("pause", "failed")]
        assert messages(job)[-1] == ("ERROR", "The job was cancelled in step `pause`.")

    def test_an_error_of_the_worker_itself_fails_the_job(self, lab, monkeypatch):
        def broken_storage(**kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(services, "artifact_create", broken_storage)
        builtins = services.builtin_artifacts_install(user=None, group=lab)
        job = queue_job(
            lab,
            HELLO,
            strings("greeting", "name", greeting="Hello", name="Ada"),
            artifact_graph=SAVE_MESSAGE,
            artifact_plugins=[builtins],
        )
        run_queued()
        job.refresh_from_db()
        assert (job.status, job.message) == ("failed", worker.SINK_FAILED.format(error="disk full"))
        assert messages(job)[-1] == ("ERROR", job.message)

    def test_a_snapshot_with_errors_today_fails_before_anything_runs(self, lab, settings):
        job = queue_job(lab, HELLO, strings("greeting", "name", greeting="Hi", name="Bo"))
        settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 10}
        run_queued()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.message.startswith("The job could not start: Snapshot")
        assert not job.steps.exists()

    def test_a_job_cancelled_while_queued_never_runs(self, lab):
        job = queue_job(lab, HELLO, strings("greeting", "name", greeting="Hi", name="Bo"))
        services.job_cancel(user=None, job=job)
        run_queued()
        job.refresh_from_db()
        assert job.status == JobStatus.CANCELLED and job.started_on is None

    def test_a_reset_job_runs_again_as_a_new_attempt(self, lab):
        job = queue_job(lab, FAIL, strings("name"), values={"name": "first"})
        run_queued()
        services.job_reset(user=None, job=Job.objects.get(pk=job.pk))
        run_queued()
        job.refresh_from_db()
        assert (job.status, job.attempt, job.steps.count()) == ("failed", 2, 1)
        assert len([1 for severity, _ in messages(job) if severity == "ERROR"]) == 2  # both runs


class TestQueues:
    def test_runworker_serves_only_the_named_queues(self, lab):
        mine = queue_job(lab, HELLO, strings("greeting", "name", greeting="Hi", name="Bo"))
        theirs = queue_job(lab, HELLO, strings("greeting", "name", greeting="Hi", name="Bo"))
        call_command("runworker", mine.queue.name, batch=True, verbosity=0)
        assert Job.objects.get(pk=mine.pk).status == JobStatus.FINISHED
        assert Job.objects.get(pk=theirs.pk).status == JobStatus.QUEUED

    def test_a_worker_that_cannot_run_jobs_leaves_them_queued(self, lab, monkeypatch):
        job = make_job(lab)
        monkeypatch.setitem(sys.modules, "jobs.executor", None)  # the import fails
        with pytest.raises(ImportError):
            worker.run(job.pk, worker_id="w")
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


class TestArtifactInputs:
    def test_a_directory_artifact_is_unpacked(self, lab, tmp_path):
        folder = tmp_path / "out" / "model"
        folder.mkdir(parents=True)
        (folder / "w.bin").write_bytes(b"12")
        artifact = services.artifact_create(
            job=make_job(lab),
            name="model",
            task="DirectoryArtifactTask",
            plugin_snapshot=None,
            path=folder,
            is_dir=True,
        )
        local = worker.fetch_artifact(artifact, tmp_path / "inputs" / "model")
        assert local.name == "model" and (local / "w.bin").read_bytes() == b"12"

    def test_an_artifact_no_plugin_can_read_fails_the_job_before_it_runs(self, lab, tmp_path):
        artifact = make_artifact(make_job(lab), tmp_path)
        string = builtin(lab, "string")
        job = queue_job(
            lab,
            HELLO,
            strings("greeting", "name", greeting="Hi", name="Bo"),
            user=make_user("alice", lab="write"),
            artifact_parameters=[
                {"name": "previous", "outputParams": [{"name": "value", "parameterType": string}]}
            ],
            artifact_values={"previous": {"id": artifact.pk}},
        )
        # The snapshot that wrote it no longer declares the task (only the database can do that).
        Plugin.history.filter(history_id=artifact.plugin_snapshot_id).update(manifest={})
        run_queued()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "which no plugin snapshot of this job declares" in job.message


# Worker processes (PostgreSQL: the test database is shared with them) -------------------------


def test_two_workers_on_one_queue_never_run_one_job_twice(lab, worker_processes, tmp_path):
    ledger = tmp_path / "ledger.txt"
    experiment, entrypoint, queue = runnable(
        lab, task_graph=RECORD, parameters=strings("path", "marker"), plugins=[job_plugin(lab)]
    )
    jobs = [
        services.job_create(
            user=None,
            experiment=experiment,
            entrypoint=entrypoint,
            queue=queue,
            values={"path": str(ledger), "marker": str(i)},
        )
        for i in range(8)
    ]
    first, second = worker_processes(queue.name, "--batch"), worker_processes(queue.name, "--batch")
    assert (first.wait(300), second.wait(300)) == (0, 0)
    assert sorted(ledger.read_text().split()) == sorted(str(i) for i in range(8))
    done = Job.objects.filter(pk__in=[j.pk for j in jobs])
    assert {(j.status, j.attempt) for j in done} == {("finished", 1)}


def test_a_worker_killed_mid_job_leaves_it_failed_once_reaped(lab, worker_processes):
    job = queue_job(
        lab, WAIT, [{"name": "seconds", "parameterType": "float"}], values={"seconds": "60"}
    )
    process = worker_processes(job.queue.name)
    deadline = time.monotonic() + 120
    while Job.objects.get(pk=job.pk).status != JobStatus.STARTED:
        assert time.monotonic() < deadline and process.poll() is None, "the worker never started it"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    assert Job.objects.get(pk=job.pk).status == JobStatus.STARTED  # nobody knows yet
    last_beat = Job.objects.get(pk=job.pk).heartbeat_on
    assert services.jobs_reap(stale_after=0) == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == services.WORKER_LOST.format(
        worker=job.worker_id, last=last_beat.isoformat()
    )
