"""``jobs.services``: experiments, and every rule a job is created, moved and reaped by."""

import datetime
import tarfile
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entrypoints import services as entrypoint_services
from jobs import services
from jobs.executor.sources import BUILTIN_ARTIFACT_TASKS
from jobs.models import Job, JobLog, JobStatus
from plugins_app import services as plugin_services
from tests.concurrency import in_thread
from tests.entrypoints.factories import (
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_entrypoint,
)
from tests.factories import make_group, make_user
from tests.jobs.factories import (
    make_artifact,
    make_experiment,
    make_job,
    make_number_artifact,
    make_queue,
    runnable,
    runnable_taking_text,
)
from tests.plugins.factories import builtin

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> dict:
    """The field errors ``call`` is refused with (it must be refused)."""
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def create(experiment, entrypoint, queue, *, user=None, **fields):
    return services.job_create(
        user=user, experiment=experiment, entrypoint=entrypoint, queue=queue, **fields
    )


# Experiments ------------------------------------------------------------------------------------


class TestExperiments:
    def test_each_write_is_one_snapshot_with_its_user(self, lab):
        alice, bob = make_user("alice"), make_user("bob")
        entrypoint = make_entrypoint(lab)
        experiment = services.experiment_create(
            user=alice, group=lab, name="mnist", entrypoints=[entrypoint]
        )
        services.experiment_update(user=bob, experiment=experiment, name="mnist2")
        first = experiment.history.order_by("history_id").first().history_id
        services.experiment_restore(user=alice, experiment=experiment, snapshot_id=first)
        services.experiment_delete(user=bob, experiment=experiment)
        records = list(experiment.history.order_by("history_id"))
        assert [(r.history_user, r.name) for r in records] == [
            (alice, "mnist"),
            (bob, "mnist2"),
            (alice, "mnist"),
            (bob, "mnist"),
        ]
        assert records[-1].deleted_on is not None
        assert list(experiment.entrypoints.all()) == []  # the PUT without entrypoints cleared them

    def test_entrypoints_of_other_groups_are_refused_naming_the_field(self, lab):
        foreign = make_entrypoint(make_group("elsewhere"))
        errors = refusal(
            services.experiment_create, user=None, group=lab, name="x", entrypoints=[foreign]
        )
        assert list(errors) == ["entrypoints"]
        assert str(foreign.pk) in errors["entrypoints"][0]


# Creating jobs ------------------------------------------------------------------------------------


class TestJobCreate:
    def test_a_job_is_queued_with_values_as_sent_and_every_parameter_converted(
        self, lab, django_capture_on_commit_callbacks
    ):
        user = make_user("alice", lab="write")
        parameters = [*HELLO_PARAMETERS, {"name": "times", "parameterType": "integer"}]
        experiment, entrypoint, queue = runnable(lab, user=user, parameters=parameters)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(
                user=user,
                experiment=experiment,
                entrypoint=entrypoint,
                queue=queue,
                values={"name": " Ada ", "times": "3"},
                description="first",
            )
        assert job.status == JobStatus.QUEUED
        assert job.values == {"name": " Ada ", "times": "3"}
        assert job.parameters == {"greeting": "Hello", "name": " Ada ", "times": 3}
        assert job.timeout == "24h"  # settings.JOB_DEFAULT_TIMEOUT
        assert job.entrypoint_snapshot.history_id == entrypoint.history.latest().history_id
        assert (job.group, job.creator, job.description) == (lab, user, "first")
        assert job.history.get().history_user == user
        task = DBTaskResult.objects.get()
        assert (task.queue_name, task.args_kwargs["args"]) == (queue.name, [job.pk])

    def test_nothing_is_queued_before_the_transaction_commits(self, lab):
        make_job(lab)  # the test's transaction never commits
        assert not DBTaskResult.objects.exists()

    def test_an_older_snapshot_runs_as_it_was(self, lab):
        experiment, entrypoint, queue = runnable(lab)
        old = entrypoint.history.get().history_id
        entrypoint_services.entrypoint_update(
            user=None,
            entrypoint=entrypoint,
            name=entrypoint.name,
            task_graph=entrypoint.task_graph,
            parameters=[{"name": "greeting", "parameterType": "string"}],
            queues=[queue],
        )
        job = create(experiment, entrypoint, queue, entrypoint_snapshot_id=old, values={})
        assert job.entrypoint_snapshot_id == old
        assert job.parameters == {"greeting": "Hello", "name": "World"}

    def test_an_entrypoint_not_attached_to_the_experiment(self, lab):
        experiment, _, queue = runnable(lab)
        other = make_entrypoint(lab, queues=[queue])
        errors = refusal(create, experiment=experiment, entrypoint=other, queue=queue)
        assert errors == {
            "entrypoint": [
                services.NOT_IN_EXPERIMENT.format(entrypoint=other.pk, experiment=experiment.name)
            ]
        }

    def test_an_entrypoint_without_queues_says_a_job_would_not_be_runnable(self, lab):
        entrypoint = make_entrypoint(lab)
        experiment = make_experiment(lab, entrypoints=[entrypoint])
        errors = refusal(
            create, experiment=experiment, entrypoint=entrypoint, queue=make_queue(lab)
        )
        assert list(errors) == ["queue"]
        assert (
            "a job will not be runnable without at least one attached queue" in errors["queue"][0]
        )

    def test_a_queue_not_attached_to_the_entrypoint_lists_the_attached_ones(self, lab):
        experiment, entrypoint, queue = runnable(lab)
        other = make_queue(lab)
        errors = refusal(create, experiment=experiment, entrypoint=entrypoint, queue=other)
        assert errors["queue"] == [
            services.QUEUE_NOT_ATTACHED.format(
                queue=other.name, entrypoint=entrypoint.name, queues=f"{queue.name} ({queue.pk})"
            )
        ]

    def test_a_snapshot_of_another_entrypoint(self, lab):
        experiment, entrypoint, queue = runnable(lab)
        foreign = make_entrypoint(lab).history.get().history_id
        errors = refusal(
            create,
            experiment=experiment,
            entrypoint=entrypoint,
            queue=queue,
            entrypoint_snapshot_id=foreign,
        )
        assert list(errors) == ["entrypointSnapshot"]

    def test_objects_of_another_group(self, lab):
        experiment, entrypoint, _ = runnable(lab)
        elsewhere = make_group("elsewhere")
        errors = refusal(
            create, experiment=experiment, entrypoint=entrypoint, queue=make_queue(elsewhere)
        )
        assert list(errors) == ["queue"]
        errors = refusal(
            create,
            experiment=experiment,
            entrypoint=make_entrypoint(elsewhere),
            queue=make_queue(lab),
        )
        assert list(errors) == ["entrypoint"]

    def test_unknown_missing_and_unconvertible_values_are_each_named(self, lab):
        parameters = [
            {"name": "count", "parameterType": "integer"},
            {"name": "rate", "parameterType": "float", "defaultValue": "0.5"},
            {"name": "flags", "parameterType": "list", "defaultValue": "[]"},
            {"name": "note", "parameterType": "string"},
        ]
        experiment, entrypoint, queue = runnable(lab, parameters=parameters, task_graph="")
        errors = refusal(
            create,
            experiment=experiment,
            entrypoint=entrypoint,
            queue=queue,
            values={"count": "three", "flags": "{}", "typo": "1"},
        )
        assert set(errors) == {"values", "entrypointSnapshot"}  # the empty graph is an error too
        messages = errors["values"]
        assert services.UNKNOWN_PARAMETER.format(name="typo", names="count, rate, flags, note") in (
            messages
        )
        assert services.MISSING_VALUE.format(name="note") in messages
        assert any(
            m.startswith("Parameter 'count' (integer): `three` is not an integer") for m in messages
        )
        assert any(
            m.startswith("Parameter 'flags' (list): `{}` is JSON but not a list") for m in messages
        )
        assert len(messages) == 4

    def test_values_must_be_texts(self, lab):
        experiment, entrypoint, queue = runnable(lab)
        errors = refusal(
            create, experiment=experiment, entrypoint=entrypoint, queue=queue, values={"name": 3}
        )
        assert errors == {"values": [services.VALUES_NOT_STRINGS.format(name="name")]}

    def test_a_snapshot_whose_graph_has_errors(self, lab):
        graph = "message:\n  no_such_task:\n    greeting: $greeting\n"
        experiment, entrypoint, queue = runnable(lab, task_graph=graph)
        errors = refusal(create, experiment=experiment, entrypoint=entrypoint, queue=queue)
        assert list(errors) == ["entrypointSnapshot"]
        assert "E_UNKNOWN_TASK" in errors["entrypointSnapshot"][0]
        assert not Job.objects.exists()

    @pytest.mark.parametrize("timeout", ["", "soon", "0", "-5m", "8d", "1.5x"])
    def test_bad_timeouts(self, lab, timeout):
        experiment, entrypoint, queue = runnable(lab)
        errors = refusal(
            create, experiment=experiment, entrypoint=entrypoint, queue=queue, timeout=timeout
        )
        assert list(errors) == ["timeout"]

    @pytest.mark.parametrize("timeout", ["90", "30s", "15m", "24h", "2D", "1.5h"])
    def test_good_timeouts_are_kept_as_sent(self, lab, timeout):
        experiment, entrypoint, queue = runnable(lab)
        job = create(experiment, entrypoint, queue, timeout=timeout)
        assert job.timeout == timeout


class TestArtifactValues:
    def test_a_compatible_artifact_is_taken_at_its_latest_snapshot(self, lab, tmp_path):
        plugin = make_artifact_plugin(lab)
        artifact = make_artifact(make_job(lab), tmp_path, plugin=plugin)
        experiment, entrypoint, queue = runnable_taking_text(lab, plugin)
        job = create(
            experiment,
            entrypoint,
            queue,
            user=make_user("alice", lab="write"),
            artifact_values={"previous": {"id": artifact.pk}},
        )
        snapshot = artifact.history.get().history_id
        assert job.artifact_values == {"previous": {"id": artifact.pk, "snapshotId": snapshot}}

    def test_missing_unknown_invisible_and_mismatched_artifacts(self, lab, tmp_path):
        plugin = make_artifact_plugin(lab)
        writer = make_user("alice", lab="write")
        experiment, entrypoint, queue = runnable_taking_text(lab, plugin)
        errors = refusal(create, experiment=experiment, entrypoint=entrypoint, queue=queue)
        assert errors == {"artifactValues": [services.MISSING_ARTIFACT.format(name="previous")]}

        mismatched = make_number_artifact(lab, tmp_path)
        for value, message in (
            (
                {"previous": {"id": mismatched.pk}},
                services.ARTIFACT_MISMATCH.format(
                    name="previous",
                    wanted="string",
                    pk=mismatched.pk,
                    task="NumberArtifact",
                    found="number",
                ),
            ),
            (
                {"previous": {"id": 987654}},
                services.ARTIFACT_NOT_VISIBLE.format(name="previous", pk=987654),
            ),
            (
                {"previous": {"id": mismatched.pk, "snapshotId": 987654}},
                services.NO_SUCH_ARTIFACT_SNAPSHOT.format(
                    name="previous", pk=mismatched.pk, snapshot=987654
                ),
            ),
        ):
            errors = refusal(
                create,
                experiment=experiment,
                entrypoint=entrypoint,
                queue=queue,
                user=writer,
                artifact_values=value,
            )
            assert errors == {"artifactValues": [message]}

        foreign = make_artifact(make_job(make_group("elsewhere")), tmp_path)
        outsider = make_user("olga", lab="write")
        errors = refusal(
            services.job_create,
            user=outsider,
            experiment=experiment,
            entrypoint=entrypoint,
            queue=queue,
            artifact_values={"previous": {"id": foreign.pk}, "extra": {"id": foreign.pk}},
        )
        assert errors["artifactValues"] == [
            services.UNKNOWN_ARTIFACT_PARAMETER.format(name="extra", names="previous"),
            services.ARTIFACT_NOT_VISIBLE.format(name="previous", pk=foreign.pk),
        ]


# Moving jobs --------------------------------------------------------------------------------------


class TestStatus:
    def test_cancel_a_queued_job(self, lab):
        user = make_user("alice", lab="write")
        job = make_job(lab)
        services.job_cancel(user=user, job=job)
        assert (job.status, job.message) == (JobStatus.CANCELLED, "Cancelled by alice.")
        assert job.finished_on is not None
        assert job.history.latest().status == JobStatus.CANCELLED
        assert not services.job_claim(job=job, worker_id="w1")  # a worker never starts it

    def test_only_active_jobs_are_cancelled_and_only_ended_ones_reset(self, lab):
        job = make_job(lab)
        errors = refusal(services.job_reset, user=None, job=job)
        assert errors == {"status": [services.NOT_RESETTABLE.format(pk=job.pk, status="queued")]}
        assert services.job_claim(job=job, worker_id="w1")
        assert services.job_finish(job=job, attempt=1, status=JobStatus.FAILED, message="boom")
        errors = refusal(services.job_cancel, user=None, job=job)
        assert errors == {"status": [services.NOT_CANCELLABLE.format(pk=job.pk, status="failed")]}

    def test_reset_queues_a_failed_job_again_for_a_new_attempt(
        self, lab, django_capture_on_commit_callbacks
    ):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="w1")
        job.steps.create(position=0, name="greet", state="finished", started_on=job.started_on)
        services.job_finish(job=job, attempt=1, status=JobStatus.FAILED, message="boom")
        with django_capture_on_commit_callbacks(execute=True):
            services.job_reset(user=None, job=job)
        assert (job.status, job.message, job.started_on, job.worker_id) == ("queued", "", None, "")
        assert not job.steps.exists()  # the old run's steps are not shown as the new one's
        assert DBTaskResult.objects.count() == 1
        assert services.job_claim(job=job, worker_id="w2")
        assert (job.attempt, job.worker_id) == (2, "w2")
        history = [r.status for r in job.history.order_by("history_id")]
        assert history == ["queued", "started", "failed", "queued", "started"]

    def test_exactly_one_of_two_claims_wins(self, lab):
        job = make_job(lab)
        first = Job.objects.get(pk=job.pk)
        second = Job.objects.get(pk=job.pk)
        assert [
            services.job_claim(job=first, worker_id="a"),
            services.job_claim(job=second, worker_id="b"),
        ] == [True, False]
        assert Job.objects.get(pk=job.pk).worker_id == "a"

    def test_a_stale_run_cannot_overwrite_the_next_one(self, lab):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="old")
        services.job_finish(job=job, attempt=1, status=JobStatus.FAILED, message="reaped")
        services.job_reset(user=None, job=job)
        services.job_claim(job=job, worker_id="new")
        assert not services.job_finish(job=job, attempt=1, status=JobStatus.FINISHED)
        assert services.job_heartbeat(job=job, attempt=1) is None
        assert services.job_heartbeat(job=job, attempt=2) == JobStatus.STARTED
        assert Job.objects.get(pk=job.pk).status == JobStatus.STARTED

    def test_finish_does_not_overwrite_a_cancel(self, lab):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="w")
        services.job_cancel(user=None, job=job)
        assert services.job_heartbeat(job=job, attempt=1) == JobStatus.CANCELLED
        assert not services.job_finish(job=job, attempt=1, status=JobStatus.FINISHED)
        assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED

    def test_rerun_makes_a_new_job_from_the_old_ones_snapshot_queue_and_values(self, lab):
        job = make_job(lab, values={"name": "Ada"}, timeout="1h", description="d")
        rerun = services.job_rerun(user=None, job=job)
        assert rerun.pk != job.pk and rerun.rerun_of == job
        assert (rerun.entrypoint_snapshot, rerun.queue, rerun.values, rerun.timeout) == (
            job.entrypoint_snapshot,
            job.queue,
            {"name": "Ada"},
            "1h",
        )
        services.queue_delete(user=None, queue=job.queue)
        job.refresh_from_db()
        with pytest.raises(ValidationError, match="queue of job"):
            services.job_rerun(user=None, job=job)

    def test_deleting_a_running_job_cancels_it(self, lab):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="w")
        services.job_delete(user=None, job=job)
        job.refresh_from_db()
        assert job.status == JobStatus.CANCELLED and job.deleted_on is not None


class TestReaper:
    def test_started_jobs_without_a_recent_heartbeat_are_marked_failed(self, lab):
        alive, dead, queued = make_job(lab), make_job(lab), make_job(lab)
        for job in (alive, dead):
            services.job_claim(job=job, worker_id=f"w{job.pk}")
        long_ago = timezone.now() - datetime.timedelta(seconds=120)
        Job.objects.filter(pk__in=[dead.pk, queued.pk]).update(heartbeat_on=long_ago)
        assert services.jobs_reap(stale_after=60) == [dead.pk]
        dead.refresh_from_db()
        assert dead.status == JobStatus.FAILED
        assert dead.message.startswith(f"The worker running this job (w{dead.pk}) stopped")
        record = JobLog.objects.get(job=dead)
        assert (record.severity, record.logger_name, record.message) == (
            "ERROR",
            services.REAPER_LOGGER,
            dead.message,
        )
        assert {alive.status, queued.status} == {"started", "queued"}
        assert services.jobs_reap(stale_after=60) == []


class TestLogsAndMetrics:
    def test_log_records_are_written_in_batches(self, lab, django_assert_num_queries):
        job = make_job(lab)
        records = [("INFO", "plugin", f"line {i}") for i in range(services.LOG_BATCH + 1)]
        with django_assert_num_queries(2):
            services.job_log_append(job=job, records=records)
        assert job.log_records.count() == services.LOG_BATCH + 1
        assert job.log_records.last().message == f"line {services.LOG_BATCH}"

    def test_nan_is_stored_as_none(self, lab):
        job = make_job(lab)
        metric = services.job_metric_append(job=job, name="loss", value=float("nan"))
        metric.refresh_from_db()
        assert (metric.value, metric.step) == (None, 0)
        inf = services.job_metric_append(job=job, name="loss", value=float("inf"), step=2)
        inf.refresh_from_db()
        assert inf.value == float("inf")


class TestArtifactStorage:
    def test_a_directory_is_one_archive_with_its_listing(self, lab, tmp_path):
        folder = tmp_path / "out" / "model"
        (folder / "weights").mkdir(parents=True)
        (folder / "weights" / "w.bin").write_bytes(b"1234")
        (folder / "meta.json").write_text("{}")
        (folder / "empty").mkdir()
        artifact = services.artifact_create(
            job=make_job(lab),
            name="model",
            task="DirectoryArtifactTask",
            plugin_snapshot=None,
            path=folder,
            is_dir=True,
        )
        assert artifact.file.name.endswith("model.tar.gz")
        assert artifact.file_size == 6
        assert artifact.files == [
            {"relativePath": "empty", "isDir": True, "fileSize": None},
            {"relativePath": "meta.json", "isDir": False, "fileSize": 2},
            {"relativePath": "weights/w.bin", "isDir": False, "fileSize": 4},
        ]
        with tarfile.open(artifact.file.path) as tar:
            assert "model/weights/w.bin" in tar.getnames()


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_one_wins(lab):
    """Both claims run while the first one's transaction is still open: the second waits for
    its row, then finds the job no longer queued."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes whole writes: the two claims cannot interleave")
    job = make_job(lab)
    claimed, release = threading.Event(), threading.Event()
    errors, won = [], {}

    def claim_and_hold():
        with transaction.atomic():
            won["first"] = services.job_claim(job=Job.objects.get(pk=job.pk), worker_id="a")
            claimed.set()
            assert release.wait(10)

    holder = in_thread(claim_and_hold, errors)
    assert claimed.wait(10)
    second = in_thread(
        lambda: won.setdefault(
            "second", services.job_claim(job=Job.objects.get(pk=job.pk), worker_id="b")
        ),
        errors,
    )
    second.join(0.5)
    assert second.is_alive()  # waiting for the first claim's row lock
    release.set()
    holder.join(10)
    second.join(10)
    assert not errors and won == {"first": True, "second": False}
    assert Job.objects.get(pk=job.pk).worker_id == "a"


class TestBuiltinArtifacts:
    def test_installed_once_with_each_task_declared(self, lab):
        plugin = services.builtin_artifacts_install(user=None, group=lab)
        again = services.builtin_artifacts_install(user=None, group=lab)
        assert again.pk == plugin.pk and plugin.history.count() == 2  # created, file added
        [plugin_file] = plugin.manifest["files"]
        declared = {t["name"]: t for t in plugin_file["tasks"]["artifacts"]}
        assert set(declared) == set(BUILTIN_ARTIFACT_TASKS)
        string = builtin(lab, "string")
        assert declared["StringArtifactTask"]["outputParams"] == [
            {"name": "contents", "parameterType": string.pk}
        ]
        assert "class DataframeArtifactTask" in plugin_file["contents"]

    def test_an_edited_copy_is_brought_back_to_what_ships(self, lab):
        plugin = services.builtin_artifacts_install(user=None, group=lab)
        plugin_file = plugin.files.get()
        plugin_services.plugin_file_update(
            user=None, plugin_file=plugin_file, filename="artifacts.py", contents="x = 1\n"
        )
        plugin = services.builtin_artifacts_install(user=None, group=lab)
        assert "class StringArtifactTask" in plugin.files.get().contents
