"""The worker (``jobs.worker.run`` and the task around it) with the executor stood in for by
``tests.jobs.fake_executor``: claiming, the spec it builds, what its sink writes, how runs end."""

import datetime
import io
import tarfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs import services, worker
from jobs.models import Job, JobStatus
from plugins_app.models import Plugin
from tests.entrypoints.factories import make_artifact_plugin
from tests.factories import make_user
from tests.jobs import fake_executor
from tests.jobs.factories import make_artifact, make_job, runnable
from tests.plugins.factories import builtin

pytestmark = pytest.mark.django_db

ARTIFACT_GRAPH = "saved:\n  contents: $message\n  task:\n    name: TextArtifact\n"


def job_with_artifact_output(group):
    plugin = make_artifact_plugin(group)
    experiment, entrypoint, queue = runnable(
        group, artifact_plugins=[plugin], artifact_graph=ARTIFACT_GRAPH
    )
    job = services.job_create(
        user=None,
        experiment=experiment,
        entrypoint=entrypoint,
        queue=queue,
        values={"name": "Ada"},
        timeout="90m",
    )
    return job, plugin


class TestRun:
    def test_a_job_runs_and_its_events_are_recorded(self, lab, monkeypatch):
        specs = fake_executor.install(monkeypatch)
        job, plugin = job_with_artifact_output(lab)
        assert worker.run(job.pk, worker_id="w1") == JobStatus.FINISHED
        job.refresh_from_db()
        assert (job.status, job.message, job.worker_id, job.attempt) == ("finished", "", "w1", 1)
        assert job.finished_on >= job.started_on
        assert [(r.severity, r.logger_name, r.message) for r in job.log_records.all()] == [
            ("INFO", "hello.tasks", "Hello, Ada!")
        ]
        assert [(s.name, s.state, s.seconds) for s in job.steps.all()] == [
            ("message", "finished", 0.01)
        ]
        metric = job.metrics.get()
        assert (metric.name, metric.value, metric.step) == ("accuracy", 0.75, 1)
        artifact = job.artifacts.get()
        assert (artifact.name, artifact.task, artifact.is_dir) == ("saved", "TextArtifact", False)
        assert artifact.plugin_snapshot_id == plugin.history.order_by("-history_id")[0].history_id
        assert artifact.output_type_ids == str(builtin(lab, "string").pk)
        assert artifact.file.read() == b"Hello, Ada!"
        assert [r.status for r in job.history.order_by("history_id")] == [
            "queued",
            "started",
            "finished",
        ]

        [spec] = specs
        assert spec.job_id == job.pk and spec.parameters == {"greeting": "Hello", "name": "Ada"}
        assert spec.limits.seconds == 5400
        assert spec.document["graph"] == {
            "message": {"hello_world": {"greeting": "$greeting", "name": "$name"}}
        }
        [hello] = job.entrypoint_snapshot.plugin_snapshot_ids
        assert [p.name for p in spec.plugins] == [Plugin.history.get(history_id=hello).name]
        assert [p.name for p in spec.artifact_plugins] == [plugin.name]

    def test_a_job_that_is_not_queued_is_left_alone(self, lab, monkeypatch):
        specs = fake_executor.install(monkeypatch)
        job = make_job(lab)
        services.job_cancel(user=None, job=job)
        assert worker.run(job.pk, worker_id="w") == JobStatus.CANCELLED
        assert worker.run(987654, worker_id="w") == "missing"
        assert specs == []

    def test_a_second_delivery_of_a_running_job_does_not_run_it_again(self, lab, monkeypatch):
        delivered = []

        def script(spec, sink, cancelled):
            delivered.append(worker.run(spec.job_id, worker_id="second"))
            return fake_executor.Outcome("finished")

        specs = fake_executor.install(monkeypatch, script)
        job = make_job(lab)
        assert worker.run(job.pk, worker_id="first") == JobStatus.FINISHED
        assert delivered == [JobStatus.STARTED] and len(specs) == 1
        assert Job.objects.get(pk=job.pk).worker_id == "first"

    def test_cancelling_a_running_job_stops_it(self, lab, monkeypatch, settings):
        settings.JOB_HEARTBEAT_SECONDS = 0  # every poll reads the status
        polls = []

        def script(spec, sink, cancelled):
            services.job_cancel(user=make_user("alice"), job=Job.objects.get(pk=spec.job_id))
            while not cancelled():
                polls.append(1)
            return fake_executor.Outcome("cancelled", "The job was cancelled.")

        fake_executor.install(monkeypatch, script)
        job = make_job(lab)
        assert worker.run(job.pk, worker_id="w") == JobStatus.CANCELLED
        job.refresh_from_db()
        assert (job.status, job.message) == ("cancelled", "Cancelled by alice.")
        assert polls == []

    def test_a_failed_run_records_the_executors_message(self, lab, monkeypatch):
        def script(spec, sink, cancelled):
            sink.step(fake_executor.StepEvent("message", "started"))
            sink.step(fake_executor.StepEvent("message", "failed", 0.2, "ValueError: no"))
            return fake_executor.Outcome("failed", "Step `message` failed: ValueError: no")

        fake_executor.install(monkeypatch, script)
        job = make_job(lab)
        assert worker.run(job.pk, worker_id="w") == JobStatus.FAILED
        job.refresh_from_db()
        assert job.message == "Step `message` failed: ValueError: no"
        assert [(s.state, s.error) for s in job.steps.all()] == [("failed", "ValueError: no")]
        assert not job.log_records.exists()  # the executor logs its failures itself

    def test_an_error_of_the_worker_itself_fails_the_job_never_leaving_it_started(
        self, lab, monkeypatch
    ):
        def script(spec, sink, cancelled):
            raise OSError("disk full")

        fake_executor.install(monkeypatch, script)
        job = make_job(lab)
        assert worker.run(job.pk, worker_id="w") == JobStatus.FAILED
        job.refresh_from_db()
        assert job.message == worker.SINK_FAILED.format(error="disk full")
        assert job.log_records.get().message == job.message

    def test_a_snapshot_with_errors_today_fails_before_anything_runs(
        self, lab, monkeypatch, settings
    ):
        specs = fake_executor.install(monkeypatch)
        job = make_job(lab)
        settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 10}
        assert worker.run(job.pk, worker_id="w") == JobStatus.FAILED
        job.refresh_from_db()
        assert job.message.startswith("The job could not start: Snapshot")
        assert specs == []

    def test_a_reset_job_runs_again_as_a_new_attempt(self, lab, monkeypatch):
        fake_executor.install(monkeypatch)
        job = make_job(lab)
        worker.run(job.pk, worker_id="w1")
        services.job_reset(user=None, job=job)
        assert worker.run(job.pk, worker_id="w2") == JobStatus.FINISHED
        job.refresh_from_db()
        assert (job.attempt, job.worker_id, job.steps.count()) == (2, "w2", 1)
        assert job.log_records.count() == 2  # the first run's log stays


class TestArtifactInputs:
    def test_input_artifacts_are_fetched_and_read_by_their_task(self, lab, monkeypatch, tmp_path):
        seen = {}

        def script(spec, sink, cancelled):
            for name, given in spec.artifact_inputs.items():
                seen[name] = (open(given.path).read(), given.task, given.plugin)
            return fake_executor.Outcome("finished")

        fake_executor.install(monkeypatch, script)
        plugin = make_artifact_plugin(lab)
        artifact = make_artifact(make_job(lab), tmp_path, plugin=plugin)
        string = builtin(lab, "string")
        experiment, entrypoint, queue = runnable(
            lab,
            artifact_parameters=[
                {"name": "previous", "outputParams": [{"name": "value", "parameterType": string}]}
            ],
        )  # the artifact plugin is not pinned: the snapshot that wrote the artifact reads it
        job = services.job_create(
            user=make_user("alice", lab="write"),
            experiment=experiment,
            entrypoint=entrypoint,
            queue=queue,
            artifact_values={"previous": {"id": artifact.pk}},
        )
        assert worker.run(job.pk, worker_id="w") == JobStatus.FINISHED
        assert seen == {"previous": ("Hello, Ada!", "TextArtifact", plugin.name)}

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


# The worker closes its connections between tasks: on PostgreSQL the test's own transaction
# would go with them, so these tests commit (and jobs are queued as they are created).
@pytest.mark.django_db(transaction=True)
class TestDatabaseWorker:
    def test_runworker_batch_drains_the_queue(self, lab, monkeypatch):
        fake_executor.install(monkeypatch)
        first, second = make_job(lab), make_job(lab)
        call_command("runworker", batch=True, verbosity=0)
        assert [Job.objects.get(pk=j.pk).status for j in (first, second)] == ["finished"] * 2

    def test_runworker_serves_only_the_named_queues(self, lab, monkeypatch):
        fake_executor.install(monkeypatch)
        mine, theirs = make_job(lab), make_job(lab)
        call_command("runworker", mine.queue.name, batch=True, verbosity=0)
        assert Job.objects.get(pk=mine.pk).status == "finished"
        assert Job.objects.get(pk=theirs.pk).status == "queued"


class TestReaper:
    def test_reap_jobs_command(self, lab):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="gone")
        Job.objects.filter(pk=job.pk).update(
            heartbeat_on=timezone.now() - datetime.timedelta(hours=1)
        )
        out = io.StringIO()
        call_command("reap_jobs", stdout=out)
        assert out.getvalue().strip() == f"Marked 1 job(s) failed: {job.pk}."
        assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED

    def test_the_heartbeat_keeps_a_running_job_alive(self, lab, monkeypatch, settings):
        settings.JOB_HEARTBEAT_SECONDS = 0

        def script(spec, sink, cancelled):
            beat = Job.objects.get(pk=spec.job_id).heartbeat_on
            time.sleep(0.01)
            cancelled()
            assert Job.objects.get(pk=spec.job_id).heartbeat_on > beat
            return fake_executor.Outcome("finished")

        fake_executor.install(monkeypatch, script)
        assert worker.run(make_job(lab).pk, worker_id="w") == JobStatus.FINISHED


def test_directory_outputs_are_stored_as_one_archive(lab, monkeypatch):
    def script(spec, sink, cancelled):
        folder = Path(spec.workdir, "model")
        folder.mkdir()
        (folder / "a.txt").write_text("a")
        sink.artifact(
            fake_executor.ArtifactEvent("model", "DirectoryArtifactTask", str(folder), True)
        )
        return fake_executor.Outcome("finished")

    fake_executor.install(monkeypatch, script)
    job = make_job(lab)
    worker.run(job.pk, worker_id="w")
    artifact = job.artifacts.get()
    assert artifact.is_dir and artifact.files == [
        {"relativePath": "a.txt", "isDir": False, "fileSize": 1}
    ]
    with tarfile.open(fileobj=artifact.file.open("rb"), mode="r:gz") as tar:
        assert tar.getnames() == ["model", "model/a.txt"]
