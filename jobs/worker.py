"""What a worker does with one job: claim it, build its ``JobSpec`` from frozen data, run it
through ``jobs.executor.execute`` (a child process: plugin code never runs here) and write what
happens to the database.

- Claiming is one conditional update (``services.job_claim``): of two workers handed the same
  job, one runs it and the other returns at once; a job cancelled while queued never starts.
- The spec comes from the snapshot the job pinned: the snapshot is judged again (a job whose
  graphs have errors fails before anything runs), its document built, each pinned plugin
  snapshot's manifest turned into a package, each input artifact fetched from storage.
- ``DatabaseSink`` writes log batches as they arrive (one insert each), buffers step events and
  writes them at most every ``STEP_FLUSH_SECONDS``, stores artifacts through Django's storage,
  and, while ``execute`` polls ``cancelled()``, sends the heartbeat and watches the job's status
  (cancelled, reaped or reset: the child is killed).
- Every write of a run names its attempt, so a run that outlived a reset changes nothing.
"""

import logging
import math
import shutil
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from entrypoints import engine
from entrypoints.selectors import plugin_snapshots
from jobs import services
from jobs.models import Artifact, Job, JobStatus, JobStep
from jobs.selectors import find_task
from jobs.timeouts import timeout_seconds

logger = logging.getLogger(__name__)

WORKER_LOGGER = "jobs.worker"
STEP_FLUSH_SECONDS = 0.5
STATUS_POLL_SECONDS = 1.0
NOT_RUNNABLE = "The job could not start: {error}"
NO_ARTIFACT_TASK = (
    "artifact {pk} (input {name!r}) was written by the task {task!r}, which no plugin snapshot "
    "of this job declares, so nothing can read it back."
)
ARTIFACT_GONE = "artifact {pk} (input {name!r}) no longer exists."
TWO_SNAPSHOTS = (
    "artifact {pk} (input {name!r}) is read by another snapshot of the plugin {plugin!r} than "
    "the one this job pins; pin one that declares its artifact task."
)
SINK_FAILED = "The worker failed while recording the job: {error}"


class NotRunnable(Exception):
    """The job cannot start (its snapshot has errors, an input is gone): it fails at once."""


def run(job_id: int, *, worker_id: str = "", execute=None) -> str:
    """Run job ``job_id`` if it is still queued (else leave it); the status it is left in.

    ``execute`` is ``jobs.executor.execute`` unless given (tests hand in stand-ins).
    """
    if execute is None:  # before the claim: a worker that cannot run jobs leaves them queued
        from jobs.executor import execute
    reap_now_and_then()
    job = Job.objects.select_related("entrypoint_snapshot", "group").filter(pk=job_id).first()
    if job is None or not services.job_claim(job=job, worker_id=worker_id or new_worker_id()):
        return job.status if job is not None else "missing"
    attempt = job.attempt
    sink = DatabaseSink(job, attempt)
    status, message = JobStatus.FAILED, ""
    with tempfile.TemporaryDirectory(prefix=f"job-{job.pk}-") as scratch:
        try:
            spec = build_spec(job, Path(scratch))
            sink.artifact_plugins = spec.artifact_plugin_snapshots
            outcome = execute(spec.spec, sink, cancelled=sink.cancelled)
            status, message = outcome.status, outcome.message or ""
        except NotRunnable as error:
            message = NOT_RUNNABLE.format(error=error)
            sink.note("ERROR", message)
        except Exception as error:  # a database or storage error of our own: never left started
            logger.exception("Job %s: the worker failed", job.pk)
            message = SINK_FAILED.format(error=error)
            sink.note("ERROR", message)
        finally:
            sink.flush_steps(force=True)
    services.job_finish(job=job, attempt=attempt, status=status, message=message)
    job.refresh_from_db(fields=["status"])
    return job.status


_last_reaped = -math.inf


def reap_now_and_then() -> None:
    """Run the reaper if this process has not for half ``JOB_STALE_SECONDS``: a worker busy
    with one job after another still finds the jobs of dead workers."""
    global _last_reaped
    if time.monotonic() - _last_reaped >= settings.JOB_STALE_SECONDS / 2:
        services.jobs_reap()
        _last_reaped = time.monotonic()


def new_worker_id() -> str:
    return f"worker-{get_random_string(12)}"


# The spec ---------------------------------------------------------------------------------------


class BuiltSpec:
    """A ``JobSpec`` and the plugin snapshot records behind its artifact plugins (by name)."""

    def __init__(self, spec, artifact_plugin_snapshots: dict):
        self.spec = spec
        self.artifact_plugin_snapshots = artifact_plugin_snapshots


def build_spec(job: Job, scratch: Path) -> BuiltSpec:
    """The ``JobSpec`` of ``job``'s run: its snapshot judged again and its document built, the
    pinned plugin snapshots as packages, the input artifacts fetched into ``scratch/inputs``; the
    run's own empty folder is ``scratch/work``."""
    from jobs.executor import ArtifactInput, JobSpec, Limits
    from jobs.executor.sources import plugin_source

    record = job.entrypoint_snapshot
    pinned = plugin_snapshots([*record.plugin_snapshot_ids, *record.artifact_plugin_snapshot_ids])
    context = engine.context_of(record, records=pinned)
    if errors := services.snapshot_errors(record, context):
        raise NotRunnable(errors[0])
    plugins = [pinned[sid] for sid in record.plugin_snapshot_ids if sid in pinned]
    artifact_records = {
        pinned[sid].name: pinned[sid]
        for sid in record.artifact_plugin_snapshot_ids
        if sid in pinned
    }
    inputs = {}
    for name, value in job.artifact_values.items():
        artifact = Artifact.objects.filter(pk=value["id"]).first()
        if artifact is None:
            raise NotRunnable(ARTIFACT_GONE.format(pk=value["id"], name=name))
        reader = _artifact_reader(artifact, name, [*artifact_records.values(), *plugins])
        if artifact_records.setdefault(reader.name, reader) is not reader:
            raise NotRunnable(TWO_SNAPSHOTS.format(pk=artifact.pk, name=name, plugin=reader.name))
        path = fetch_artifact(artifact, scratch / "inputs" / name)
        inputs[name] = ArtifactInput(path=str(path), task=artifact.task, plugin=reader.name)
    workdir = scratch / "work"
    workdir.mkdir()
    spec = JobSpec(
        job_id=job.pk,
        task_graph=record.task_graph,
        artifact_graph=record.artifact_graph,
        document=engine.snapshot_document(record, context),
        plugins=[plugin_source(r.name, r.manifest) for r in plugins],
        artifact_plugins=[plugin_source(r.name, r.manifest) for r in artifact_records.values()],
        parameters=job.parameters,
        artifact_inputs=inputs,
        workdir=str(workdir),
        limits=Limits(
            seconds=timeout_seconds(job.timeout),
            memory_mb=settings.JOB_MEMORY_MB,
            log_bytes=settings.JOB_LOG_BYTES,
        ),
    )
    return BuiltSpec(spec, artifact_records)


def _declares(record, task: str) -> bool:
    return find_task(record.manifest, "artifacts", task)[1] is not None


def _artifact_reader(artifact: Artifact, name: str, pinned: list):
    """The plugin snapshot whose artifact task reads ``artifact`` back: the job's pinned
    snapshot of the plugin that wrote it, if it still declares the task, else the snapshot that
    wrote it."""
    snapshot_id = artifact.plugin_snapshot_id
    written_by = plugin_snapshots([snapshot_id]).get(snapshot_id) if snapshot_id else None
    if written_by is not None:
        for record in pinned:
            if record.id == written_by.id and _declares(record, artifact.task):
                return record
        if _declares(written_by, artifact.task):
            return written_by
    raise NotRunnable(NO_ARTIFACT_TASK.format(pk=artifact.pk, name=name, task=artifact.task))


def fetch_artifact(artifact: Artifact, folder: Path) -> Path:
    """``artifact`` copied from storage into ``folder``: the file, or the directory unpacked
    (its archive's top folder). The local path."""
    folder.mkdir(parents=True)
    with artifact.file.open("rb") as stored:
        if not artifact.is_dir:
            local = folder / Path(artifact.file.name).name
            with local.open("wb") as out:
                shutil.copyfileobj(stored, out)
            return local
        with tarfile.open(fileobj=stored, mode="r:gz") as tar:
            names = tar.getnames()
            tar.extractall(folder, filter="data")
    top = names[0].split("/", 1)[0] if names else ""
    return folder / top


# The sink ---------------------------------------------------------------------------------------


def _when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


class DatabaseSink:
    """Writes one run's events (``jobs.executor.EventSink``); ``cancelled`` is the executor's
    poll, which also keeps the heartbeat and the buffered steps going."""

    def __init__(self, job: Job, attempt: int):
        self.job, self.attempt = job, attempt
        self.artifact_plugins: dict = {}
        self.steps: dict[str, JobStep] = {}
        self.new_steps: list[JobStep] = []
        self.changed_steps: dict[str, JobStep] = {}
        now = time.monotonic()
        self.last_step_flush = self.last_beat = self.last_poll = now
        self.status = JobStatus.STARTED

    def note(self, severity: str, message: str) -> None:
        """A record of the worker's own in the job's log."""
        services.job_log_append(job=self.job, records=[(severity, WORKER_LOGGER, message)])

    # EventSink ---------------------------------------------------------------------------------

    def logs(self, records) -> None:
        services.job_log_append(
            job=self.job,
            records=[(r.severity, r.logger_name, r.message, _when(r.created)) for r in records],
        )

    def step(self, event) -> None:
        row = self.steps.get(event.name)
        if row is None:
            row = JobStep(
                job=self.job,
                position=len(self.steps),
                name=event.name,
                state=event.state,
                started_on=timezone.now(),
            )
            self.steps[event.name] = row
            self.new_steps.append(row)
        row.state, row.seconds, row.error = event.state, event.seconds, event.error or ""
        if row.pk is not None:
            self.changed_steps[event.name] = row
        self.flush_steps()

    def metric(self, metric) -> None:
        services.job_metric_append(
            job=self.job,
            name=metric.name,
            value=metric.value,
            step=metric.step,
            timestamp=_when(metric.created),
        )

    def artifact(self, artifact) -> None:
        record = next(
            (
                r
                for r in self.artifact_plugins.values()
                if find_task(r.manifest, "artifacts", artifact.task)[1] is not None
            ),
            None,
        )
        services.artifact_create(
            job=self.job,
            name=artifact.name,
            task=artifact.task,
            plugin_snapshot=record,
            path=Path(artifact.path),
            is_dir=artifact.is_dir,
        )

    # The executor's poll --------------------------------------------------------------------

    def cancelled(self) -> bool:
        """Whether the run must stop (the job was cancelled, reaped, reset or deleted)."""
        now = time.monotonic()
        self.flush_steps()
        if now - self.last_beat >= settings.JOB_HEARTBEAT_SECONDS:
            self.status = services.job_heartbeat(job=self.job, attempt=self.attempt)
            self.last_beat = self.last_poll = now
        elif now - self.last_poll >= STATUS_POLL_SECONDS:
            self.status = (
                Job.objects.filter(pk=self.job.pk, attempt=self.attempt, deleted_on__isnull=True)
                .values_list("status", flat=True)
                .first()
            )
            self.last_poll = now
        return self.status != JobStatus.STARTED

    def flush_steps(self, *, force: bool = False) -> None:
        """Write the buffered step changes (at most every ``STEP_FLUSH_SECONDS``): one insert
        for new steps, one update for changed ones."""
        now = time.monotonic()
        if not force and now - self.last_step_flush < STEP_FLUSH_SECONDS:
            return
        self.last_step_flush = now
        if self.new_steps:
            JobStep.objects.bulk_create(self.new_steps)
            self.new_steps = []
        if self.changed_steps:
            JobStep.objects.bulk_update(
                list(self.changed_steps.values()), ["state", "seconds", "error"]
            )
            self.changed_steps = {}
