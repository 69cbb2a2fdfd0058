"""Writes for queues, experiments, jobs and artifacts.

Queues and experiments follow the other resources: each versioned write is one ``owned_save``
(one snapshot); an experiment's entrypoints, like any resource's tags, change through
``core.related`` and write none.

``job_create`` refuses, before anything is queued and with a message per request field, a job
that could not run: an entrypoint not attached to the experiment, a queue not attached to the
entrypoint, a snapshot whose graphs have errors, unknown or missing parameter values, values
that do not convert (the engine's conversions), missing or incompatible artifact values, another
group's objects. The job is queued on the worker queue of its queue once the transaction
commits (``jobs.tasks.enqueue``).

A job's status then only moves by conditional updates that name the statuses it may move from
(``_transition``): a user's cancel or reset and a worker's claim or outcome cannot both win, and
each transition writes one snapshot. Permissions are the caller's business, except for what the
request names by id (artifacts must be readable by the caller).
"""

import json
import re
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename

from access.services import (
    RESTORED,
    owned_name_check,
    owned_save,
    owned_snapshot,
    owned_soft_delete,
)
from core.errors import WRONG_GROUP
from core.versioning import latest_snapshot_id
from entrypoints import engine
from entrypoints.taskgraph import convert_parameter_value
from entrypoints.taskgraph.names import show
from jobs.executor.sources import (
    BUILTIN_ARTIFACT_TASKS,
    BUILTIN_ARTIFACTS_PLUGIN,
    builtin_artifacts_files,
)
from jobs.models import Artifact, Experiment, Job, JobLog, JobMetric, JobStatus, Queue
from jobs.selectors import artifact_type_names, find_task
from jobs.timeouts import timeout_seconds
from plugins_app import services as plugin_services
from plugins_app.models import Plugin, PluginFile, PluginParameterType

ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED)
ACTIVE = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED)

NOT_IN_EXPERIMENT = (
    "Entrypoint {entrypoint} is not attached to experiment {experiment!r}; attach it first."
)
NO_SUCH_ENTRYPOINT_SNAPSHOT = "Entrypoint {entrypoint} has no snapshot {snapshot}."
NO_QUEUES = (
    "Entrypoint {entrypoint!r} has no queue attached: a job will not be runnable without at "
    "least one attached queue. Attach a queue to the entrypoint first."
)
QUEUE_NOT_ATTACHED = (
    "Queue {queue!r} is not attached to entrypoint {entrypoint!r}; its queues are: {queues}."
)
SNAPSHOT_INVALID = (
    "Snapshot {snapshot} of entrypoint {entrypoint!r} has errors in its graphs ({errors}); "
    "fix them before running it."
)
VALUES_NOT_STRINGS = "Values are texts: give {name!r} as a string."
UNKNOWN_PARAMETER = "{name!r} is not a parameter of this entrypoint; its parameters are: {names}."
MISSING_VALUE = "Parameter {name!r} needs a value: it has no default."
NOT_CONVERTED = "Parameter {name!r} ({kind}): {error}."
NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # JSON's escape of NUL, not of a backslash
NOT_STORABLE = (
    "`{text}` holds what a job cannot keep (NaN, an infinity or a NUL character); give finite "
    "numbers and texts without NUL"
)
UNKNOWN_ARTIFACT_PARAMETER = (
    "{name!r} is not an artifact parameter of this entrypoint; its artifact parameters are: "
    "{names}."
)
MISSING_ARTIFACT = "Artifact parameter {name!r} needs an artifact: choose one of a job's artifacts."
ARTIFACT_NOT_VISIBLE = (
    "Artifact parameter {name!r}: artifact {pk} does not exist or is not visible to you."
)
ARTIFACT_WRONG_GROUP = "Artifact parameter {name!r}: artifact {pk} belongs to another group."
NO_SUCH_ARTIFACT_SNAPSHOT = "Artifact parameter {name!r}: artifact {pk} has no snapshot {snapshot}."
ARTIFACT_MISMATCH = (
    "Artifact parameter {name!r} takes outputs ({wanted}); artifact {pk} was written by the "
    "artifact task {task!r}, whose outputs are ({found})."
)
NOT_CANCELLABLE = "Job {pk} is {status}: only a queued or running job can be cancelled."
NOT_RESETTABLE = "Job {pk} is {status}: only a finished or failed job can be reset."
GONE_FOR_RERUN = "The {kind} of job {pk} was deleted; it cannot run again."
CANCELLED_BY = "Cancelled by {user}."
WORKER_LOST = (
    "The worker running this job ({worker}) stopped responding: its last heartbeat was at "
    "{last}. The job was marked failed; reset it to run it again."
)
REAPER_LOGGER = "jobs.reaper"
NONE = "none"


# Queues ------------------------------------------------------------------------------------------


@transaction.atomic
def queue_create(*, user, group, name: str, description: str | None = None) -> Queue:
    """Create a queue in ``group`` (409 when the name is taken there)."""
    owned_name_check(model=Queue, group=group, name=name)
    queue = Queue(group=group, creator=user, name=name, description=description)
    owned_save(queue, user=user)
    return queue


@transaction.atomic
def queue_update(
    *, user, queue: Queue, name: str, description: str | None = None, reason: str | None = None
) -> Queue:
    """Rename and describe a queue (an omitted description clears it, as in Dioptra)."""
    owned_name_check(model=Queue, group=queue.group, name=name, exclude_pk=queue.pk)
    queue.name, queue.description = name, description
    owned_save(queue, user=user, reason=reason)
    return queue


@transaction.atomic
def queue_restore(*, user, queue: Queue, snapshot_id: int) -> Queue:
    """Make a queue what one of its snapshots was (a new snapshot; the name must be free)."""
    record = owned_snapshot(queue, snapshot_id)
    return queue_update(
        user=user,
        queue=queue,
        name=record.name,
        description=record.description,
        reason=RESTORED.format(snapshot=snapshot_id),
    )


@transaction.atomic
def queue_delete(*, user, queue: Queue) -> None:
    """Soft-delete a queue: its history, and the jobs that ran on it, remain."""
    owned_soft_delete(queue, user=user)


# Experiments -------------------------------------------------------------------------------------


@transaction.atomic
def experiment_create(
    *, user, group, name: str, description: str | None = None, entrypoints: Sequence = ()
) -> Experiment:
    """Create an experiment in ``group`` with these entrypoints (of ``group``)."""
    owned_name_check(model=Experiment, group=group, name=name)
    experiment = Experiment(group=group, creator=user, name=name, description=description)
    owned_save(experiment, user=user, reason="Created")
    _set_entrypoints(experiment=experiment, entrypoints=entrypoints)
    return experiment


@transaction.atomic
def experiment_update(
    *,
    user,
    experiment: Experiment,
    name: str,
    description: str | None = None,
    entrypoints: Sequence | None = (),
    reason: str = "Updated",
) -> Experiment:
    """Rename and describe an experiment and replace its entrypoints (PUT: omitted ones are
    cleared, as in Dioptra; ``None`` leaves them as they are)."""
    owned_name_check(model=Experiment, group=experiment.group, name=name, exclude_pk=experiment.pk)
    experiment.name, experiment.description = name, description
    owned_save(experiment, user=user, reason=reason)
    if entrypoints is not None:
        _set_entrypoints(experiment=experiment, entrypoints=entrypoints)
    return experiment


def _set_entrypoints(*, experiment: Experiment, entrypoints: Sequence) -> None:
    """Make ``entrypoints`` (of the experiment's group: 400 naming ``entrypoints`` otherwise)
    the experiment's."""
    foreign = [e for e in entrypoints if e.group_id != experiment.group_id]
    if foreign:
        raise ValidationError(
            {"entrypoints": [WRONG_GROUP.format(kind="Entrypoint", pk=e.pk) for e in foreign]}
        )
    experiment.entrypoints.set(entrypoints)


@transaction.atomic
def experiment_restore(*, user, experiment: Experiment, snapshot_id: int) -> Experiment:
    """Give an experiment the name and description of one of its snapshots (a new snapshot;
    its entrypoints stay)."""
    record = owned_snapshot(experiment, snapshot_id)
    return experiment_update(
        user=user,
        experiment=experiment,
        name=record.name,
        description=record.description,
        entrypoints=None,
        reason=RESTORED.format(snapshot=snapshot_id),
    )


@transaction.atomic
def experiment_delete(*, user, experiment: Experiment) -> None:
    """Soft-delete an experiment: its jobs and their artifacts remain (for superusers and the
    admin), as does its history."""
    owned_soft_delete(experiment, user=user, reason="Deleted")


# Creating jobs -----------------------------------------------------------------------------------


def _names(items) -> str:
    return ", ".join(items) or NONE


def _entrypoint_snapshot(entrypoint, snapshot_id: int | None):
    """The snapshot a job runs: ``snapshot_id`` or the entrypoint's latest."""
    records = entrypoint.history.select_related("group")
    if snapshot_id is None:
        return records.order_by("-history_id").first()
    return records.filter(history_id=snapshot_id).first()


def _check_placement(*, experiment, entrypoint, queue, snapshot_id) -> tuple[object, dict]:
    """The snapshot to run and the refusals of where the job goes, by request field. An
    ``experiment`` of ``None`` is a new one of the entrypoint's group that will hold it; a
    ``queue`` of ``None`` is not chosen yet (only an entrypoint without queues is refused)."""
    group_id = entrypoint.group_id if experiment is None else experiment.group_id
    errors: dict[str, list[str]] = {}
    for key, obj in (("entrypoint", entrypoint), ("queue", queue)):
        if obj is not None and obj.group_id != group_id:
            errors[key] = [WRONG_GROUP.format(kind=type(obj).__name__, pk=obj.pk)]
    if errors:
        return None, errors
    if experiment is not None and not experiment.entrypoints.filter(pk=entrypoint.pk).exists():
        errors["entrypoint"] = [
            NOT_IN_EXPERIMENT.format(entrypoint=entrypoint.pk, experiment=experiment.name)
        ]
    record = _entrypoint_snapshot(entrypoint, snapshot_id)
    if record is None:
        errors["entrypointSnapshot"] = [
            NO_SUCH_ENTRYPOINT_SNAPSHOT.format(entrypoint=entrypoint.pk, snapshot=snapshot_id)
        ]
    queues = list(entrypoint.queues.alive().order_by("name"))
    if not queues:
        errors["queue"] = [NO_QUEUES.format(entrypoint=entrypoint.name)]
    elif queue is not None and queue.pk not in {q.pk for q in queues}:
        listed = ", ".join(f"{q.name} ({q.pk})" for q in queues)
        errors["queue"] = [
            QUEUE_NOT_ATTACHED.format(queue=queue.name, entrypoint=entrypoint.name, queues=listed)
        ]
    return record, errors


def snapshot_errors(record, context=None) -> list[str]:
    """The snapshot's errors, judged again with today's engine and the settings' caps (in
    ``context``, ``engine.context_of(record)``, if given)."""
    result = engine.verdict(
        task_graph=record.task_graph,
        artifact_graph=record.artifact_graph,
        context=context or engine.context_of(record),
    )
    if result.valid:
        return []
    shown = "; ".join(f"{issue.code}: {issue.message}" for issue in result.errors[:3])
    more = len(result.errors) - 3
    return [
        SNAPSHOT_INVALID.format(
            snapshot=record.history_id,
            entrypoint=record.name,
            errors=shown + (f"; and {more} more" if more > 0 else ""),
        )
    ]


def converted_parameters(
    parameters: Sequence[dict], values: Mapping
) -> tuple[dict, dict[str, list[str]]]:
    """Every parameter's value as the run gets it (the value sent, else the default, converted
    by the engine's rules) and the refusals by parameter name: values that are not texts,
    unknown names, missing values, values that do not convert."""
    errors: dict[str, list[str]] = {}
    converted = {}
    declared = {p["name"]: p for p in parameters}
    for name, value in values.items():
        if name not in declared:
            errors[name] = [UNKNOWN_PARAMETER.format(name=name, names=_names(declared))]
        elif not isinstance(value, str):
            errors[name] = [VALUES_NOT_STRINGS.format(name=name)]
    for name, parameter in declared.items():
        text = values.get(name, parameter.get("defaultValue"))
        if text is None:
            errors[name] = [MISSING_VALUE.format(name=name)]
            continue
        if not isinstance(text, str):
            continue  # refused above
        try:
            converted[name] = _storable(
                convert_parameter_value(parameter["parameterType"], text), text
            )
        except ValueError as error:
            errors[name] = [
                NOT_CONVERTED.format(name=name, kind=parameter["parameterType"], error=error)
            ]
    return converted, errors


def _storable(value, text: str):
    """``value`` (converted from ``text``) if a job's JSON can keep it (PostgreSQL's refuses
    NaN, infinities and the NUL character), else ValueError."""
    try:
        dumped = json.dumps(value, allow_nan=False)
    except (ValueError, RecursionError):
        dumped = None
    if dumped is None or NUL_ESCAPE.search(dumped):
        raise ValueError(NOT_STORABLE.format(text=show(text)))
    return value


def artifact_output_types(record) -> dict[str, list[str]]:
    """Artifact parameter name -> the type names of its outputs, in order (frozen in the
    snapshot's ``artifact_types``)."""
    types = record.artifact_types or {}
    return {
        a["name"]: [
            (types.get(str(o["parameterType"])) or {}).get("name", str(o["parameterType"]))
            for o in a.get("outputParams") or []
        ]
        for a in record.artifact_parameters
    }


def _checked_artifact_values(*, user, group, record, artifact_values: Mapping) -> tuple:
    """``{name: {id, snapshotId}}`` with every snapshot filled in, and the refusals by artifact
    parameter name."""
    wanted_types = artifact_output_types(record)
    errors: dict[str, list[str]] = {}
    chosen = {}
    for name in artifact_values:
        if name not in wanted_types:
            errors[name] = [
                UNKNOWN_ARTIFACT_PARAMETER.format(name=name, names=_names(wanted_types))
            ]
    ids = {v["id"] for n, v in artifact_values.items() if n in wanted_types}
    visible = Artifact.objects.for_user(user, "read").in_bulk(ids)
    found_types = artifact_type_names(visible.values())
    for name, wanted in wanted_types.items():
        value = artifact_values.get(name)
        if value is None:
            errors[name] = [MISSING_ARTIFACT.format(name=name)]
            continue
        artifact = visible.get(value["id"])
        if artifact is None:
            errors[name] = [ARTIFACT_NOT_VISIBLE.format(name=name, pk=value["id"])]
            continue
        if artifact.group_id != group.pk:
            errors[name] = [ARTIFACT_WRONG_GROUP.format(name=name, pk=artifact.pk)]
            continue
        snapshot = value.get("snapshotId") or latest_snapshot_id(artifact)
        if not artifact.history.filter(history_id=snapshot).exists():
            errors[name] = [
                NO_SUCH_ARTIFACT_SNAPSHOT.format(name=name, pk=artifact.pk, snapshot=snapshot)
            ]
            continue
        found = found_types.get(artifact.pk, [])
        if found != wanted:
            errors[name] = [
                ARTIFACT_MISMATCH.format(
                    name=name,
                    wanted=_names(wanted),
                    pk=artifact.pk,
                    task=artifact.task,
                    found=_names(found),
                )
            ]
            continue
        chosen[name] = {"id": artifact.pk, "snapshotId": snapshot}
    return chosen, errors


@dataclass
class JobCheck:
    """What ``job_check`` found: the snapshot to run, every parameter's converted value, the
    artifact values with their snapshots filled in, and the refusals by request field (what
    ``job_create`` raises). ``values`` and ``artifactValues`` refusals are also kept by
    parameter name (``value_errors``, ``artifact_errors``), for a form to show each beside its
    input."""

    record: object | None = None
    parameters: dict = field(default_factory=dict)
    artifact_values: dict = field(default_factory=dict)
    value_errors: dict[str, list[str]] = field(default_factory=dict)
    artifact_errors: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def _flat(by_name: Mapping[str, list[str]]) -> list[str]:
    return [message for messages in by_name.values() for message in messages]


def job_check(
    *,
    user,
    entrypoint,
    experiment: Experiment | None = None,
    queue: Queue | None = None,
    entrypoint_snapshot_id: int | None = None,
    values: Mapping | None = None,
    artifact_values: Mapping | None = None,
    timeout: str | None = None,
) -> JobCheck:
    """Every refusal ``job_create`` would make of this job, without writing anything (the run
    page's live check). ``experiment`` ``None`` stands for a new experiment of the entrypoint's
    group that holds it, ``queue`` ``None`` for one not chosen yet."""
    values, artifact_values = dict(values or {}), dict(artifact_values or {})
    timeout = settings.JOB_DEFAULT_TIMEOUT if timeout is None else timeout
    record, errors = _check_placement(
        experiment=experiment,
        entrypoint=entrypoint,
        queue=queue,
        snapshot_id=entrypoint_snapshot_id,
    )
    check = JobCheck(record=record, errors=errors)
    if record is None:
        return check
    if found := snapshot_errors(record):
        errors["entrypointSnapshot"] = found
    check.parameters, check.value_errors = converted_parameters(record.parameters, values)
    if check.value_errors:
        errors["values"] = _flat(check.value_errors)
    check.artifact_values, check.artifact_errors = _checked_artifact_values(
        user=user,
        group=experiment.group if experiment else entrypoint.group,
        record=record,
        artifact_values=artifact_values,
    )
    if check.artifact_errors:
        errors["artifactValues"] = _flat(check.artifact_errors)
    try:
        timeout_seconds(timeout)
    except ValueError as error:
        errors["timeout"] = [str(error)]
    return check


@transaction.atomic
def job_create(
    *,
    user,
    experiment: Experiment,
    entrypoint,
    queue: Queue,
    entrypoint_snapshot_id: int | None = None,
    values: Mapping | None = None,
    artifact_values: Mapping | None = None,
    timeout: str | None = None,
    description: str | None = None,
    rerun_of: Job | None = None,
) -> Job:
    """Queue a job of ``entrypoint`` (its snapshot ``entrypoint_snapshot_id``, else the latest)
    on ``queue``, filed under ``experiment``; refused (400 naming each field, ``job_check``)
    when it could not run. ``values`` are kept as sent."""
    values = dict(values or {})
    timeout = settings.JOB_DEFAULT_TIMEOUT if timeout is None else timeout
    check = job_check(
        user=user,
        entrypoint=entrypoint,
        experiment=experiment,
        queue=queue,
        entrypoint_snapshot_id=entrypoint_snapshot_id,
        values=values,
        artifact_values=artifact_values,
        timeout=timeout,
    )
    if check.errors:
        raise ValidationError(check.errors)
    job = Job(
        group=experiment.group,
        creator=user,
        experiment=experiment,
        entrypoint=entrypoint,
        entrypoint_snapshot=check.record,
        queue=queue,
        queue_snapshot_id=latest_snapshot_id(queue),
        experiment_snapshot_id=latest_snapshot_id(experiment),
        rerun_of=rerun_of,
        description=description,
        values=values,
        parameters=check.parameters,
        artifact_values=check.artifact_values,
        timeout=timeout,
    )
    owned_save(job, user=user, reason="Created")
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    """Hand the job to its queue's workers once the job is committed (a worker on another
    machine must find it)."""
    from jobs.tasks import enqueue  # the task module imports the services

    transaction.on_commit(lambda: enqueue(job))


@transaction.atomic
def job_rerun(*, user, job: Job) -> Job:
    """A new job from ``job``'s snapshot, queue, values and artifact values (checked again)."""
    for kind, obj in (
        ("experiment", job.experiment),
        ("entrypoint", job.entrypoint),
        ("queue", job.queue),
    ):
        if obj.deleted_on is not None:
            raise ValidationError(GONE_FOR_RERUN.format(kind=kind, pk=job.pk))
    return job_create(
        user=user,
        experiment=job.experiment,
        entrypoint=job.entrypoint,
        queue=job.queue,
        entrypoint_snapshot_id=job.entrypoint_snapshot_id,
        values=job.values,
        artifact_values=job.artifact_values,
        timeout=job.timeout,
        description=job.description,
        rerun_of=job,
    )


# Job status --------------------------------------------------------------------------------------


def _transition(job: Job, *, user=None, reason: str, allowed, run=None, **changes) -> bool:
    """Move ``job`` to ``changes`` if its status is one of ``allowed`` (and, for a worker's
    write, its current run is still ``run``, an attempt number), in one conditional update;
    then write the snapshot. ``job`` is refreshed either way. Whether it moved."""
    rows = Job.objects.filter(pk=job.pk, status__in=allowed, deleted_on__isnull=True)
    if run is not None:
        rows = rows.filter(attempt=run)
    moved = rows.update(**changes, last_modified_on=timezone.now()) == 1
    job.refresh_from_db()
    if moved:
        Job.history.bulk_history_create(
            [job], update=True, default_user=user, default_change_reason=reason
        )
    return moved


@transaction.atomic
def job_cancel(*, user, job: Job) -> Job:
    """Cancel a queued or running job: a queued one never starts, a running one's worker kills
    its process (it watches the status). 400 naming ``status`` for a job that has ended."""
    moved = _transition(
        job,
        user=user,
        reason="Cancelled",
        allowed=ACTIVE,
        status=JobStatus.CANCELLED,
        message=CANCELLED_BY.format(user=user or "the system"),
        finished_on=timezone.now(),
    )
    if not moved:
        raise ValidationError({"status": [NOT_CANCELLABLE.format(pk=job.pk, status=job.status)]})
    return job


@transaction.atomic
def job_reset(*, user, job: Job) -> Job:
    """Queue a finished or failed job again (Dioptra's reset); its log and metrics stay, its
    steps start over. 400 naming ``status`` for any other job."""
    moved = _transition(
        job,
        user=user,
        reason="Reset",
        allowed=(JobStatus.FINISHED, JobStatus.FAILED),
        status=JobStatus.QUEUED,
        message="",
        started_on=None,
        finished_on=None,
        worker_id="",
        heartbeat_on=None,
    )
    if not moved:
        raise ValidationError({"status": [NOT_RESETTABLE.format(pk=job.pk, status=job.status)]})
    job.steps.all().delete()  # the page shows the new run's steps, none until it starts
    _enqueue(job)
    return job


@transaction.atomic
def job_delete(*, user, job: Job) -> None:
    """Soft-delete a job (a queued or running one is cancelled first); its log, metrics and
    artifacts stay with it for superusers and the admin."""
    if job.status in ACTIVE:
        _transition(
            job,
            user=user,
            reason="Cancelled",
            allowed=ACTIVE,
            status=JobStatus.CANCELLED,
            message=CANCELLED_BY.format(user=user or "the system"),
            finished_on=timezone.now(),
        )
    owned_soft_delete(job, user=user, reason="Deleted")


# What a worker writes ----------------------------------------------------------------------------


def job_claim(*, job: Job, worker_id: str) -> bool:
    """A worker takes a queued job: ``started``, its next attempt, its worker and a first
    heartbeat, the previous run's steps cleared. Of two workers, exactly one wins."""
    now = timezone.now()
    with transaction.atomic():
        moved = _transition(
            job,
            reason="Started",
            allowed=(JobStatus.QUEUED,),
            status=JobStatus.STARTED,
            attempt=F("attempt") + 1,
            started_on=now,
            heartbeat_on=now,
            worker_id=worker_id[:64],
        )
        if moved and job.attempt > 1:  # only a previous run can have left steps
            job.steps.all().delete()
    return moved


def job_heartbeat(*, job: Job, attempt: int) -> str | None:
    """Note that the worker of ``job``'s run ``attempt`` is alive; the job's status now, ``None``
    when that run is no longer the job's current one (reset, deleted)."""
    rows = Job.objects.filter(pk=job.pk, attempt=attempt, deleted_on__isnull=True)
    rows.filter(status=JobStatus.STARTED).update(heartbeat_on=timezone.now())
    return rows.values_list("status", flat=True).first()


def job_finish(*, job: Job, attempt: int, status: str, message: str = "") -> bool:
    """Record how run ``attempt`` ended, unless the job moved on meanwhile (cancelled, reaped,
    reset)."""
    with transaction.atomic():
        return _transition(
            job,
            reason=status.capitalize(),
            allowed=(JobStatus.STARTED,),
            run=attempt,
            status=status,
            message=message,
            finished_on=timezone.now(),
        )


def jobs_reap(*, stale_after: float | None = None) -> list[int]:
    """Mark failed the started jobs whose worker stopped sending heartbeats (killed, machine
    lost): never left ``started``. The ids of those jobs."""
    stale_after = settings.JOB_STALE_SECONDS if stale_after is None else stale_after
    cutoff = timezone.now() - timezone.timedelta(seconds=stale_after)
    reaped = []
    stale = Job.objects.filter(status=JobStatus.STARTED, heartbeat_on__lt=cutoff)
    for job in stale.order_by("pk"):
        last = job.heartbeat_on
        with transaction.atomic():
            if _transition(
                job,
                reason="Reaped",
                allowed=(JobStatus.STARTED,),
                run=job.attempt,
                status=JobStatus.FAILED,
                message=WORKER_LOST.format(worker=job.worker_id or "?", last=last.isoformat()),
                finished_on=timezone.now(),
            ):
                job_log_append(
                    job=job,
                    records=[("ERROR", REAPER_LOGGER, job.message)],
                )
                reaped.append(job.pk)
    return reaped


# Logs and metrics --------------------------------------------------------------------------------

LOG_BATCH = 500


def job_log_append(*, job: Job, records: Sequence[tuple], created_on=None) -> list[JobLog]:
    """Append ``(severity, logger name, message[, created datetime])`` records to the job's log,
    in batches of ``LOG_BATCH`` rows per query."""
    now = created_on or timezone.now()
    rows = [
        JobLog(
            job=job,
            severity=record[0],
            logger_name=record[1][:255],
            message=record[2],
            created_on=record[3] if len(record) > 3 else now,
        )
        for record in records
    ]
    return JobLog.objects.bulk_create(rows, batch_size=LOG_BATCH)


def job_metric_append(
    *, job: Job, name: str, value: float, step: int | None = None, timestamp=None
) -> JobMetric:
    """Add a value to the job's metric ``name`` (NaN is stored as ``None``)."""
    return JobMetric.objects.create(
        job=job,
        name=name,
        value=None if value != value else value,  # NaN is the one value unequal to itself
        step=step or 0,
        timestamp=timestamp or timezone.now(),
    )


# Artifacts ---------------------------------------------------------------------------------------


def _directory_listing(root: Path) -> tuple[list[dict], int]:
    """``[{relativePath, isDir, fileSize}]`` of the files under ``root`` (an empty folder as
    itself), by path, and their total size."""
    listing, total = [], 0
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file():
            size = path.stat().st_size
            listing.append({"relativePath": relative, "isDir": False, "fileSize": size})
            total += size
        elif path.is_dir() and not any(path.iterdir()):
            listing.append({"relativePath": relative, "isDir": True, "fileSize": None})
    return listing, total


def _store(*, job: Job, name: str, path: Path, is_dir: bool) -> tuple[str, int, list]:
    """Save what an artifact task wrote at ``path`` in Django's storage: a file as it is, a
    directory as one ``.tar.gz`` whose top folder is the directory (as Dioptra archives one).
    The storage name, the size and a directory's listing."""
    folder = f"artifacts/job-{job.pk}/{get_valid_filename(name)}"
    if not is_dir:
        with path.open("rb") as contents:
            stored = default_storage.save(
                f"{folder}/{get_valid_filename(path.name)}", File(contents)
            )
        return stored, path.stat().st_size, []
    listing, total = _directory_listing(path)
    with tempfile.TemporaryFile() as archive:
        with tarfile.open(fileobj=archive, mode="w:gz") as tar:
            tar.add(path, arcname=path.name)
        archive.seek(0)
        stored = default_storage.save(
            f"{folder}/{get_valid_filename(path.name)}.tar.gz", File(archive)
        )
    return stored, total, listing


@transaction.atomic
def artifact_create(
    *, job: Job, name: str, task: str, plugin_snapshot, path: Path, is_dir: bool
) -> Artifact:
    """Store the artifact output ``name`` of ``job``, serialized by the artifact task ``task``
    of the plugin snapshot record ``plugin_snapshot`` (``None``: a task found in no pinned
    plugin), as an artifact of the job's group and user."""
    _, declaration = find_task(
        plugin_snapshot.manifest if plugin_snapshot else {}, "artifacts", task
    )
    outputs = (declaration or {}).get("outputParams") or []
    stored, size, listing = _store(job=job, name=name, path=Path(path), is_dir=is_dir)
    artifact = Artifact(
        group=job.group,
        creator=job.creator,
        job=job,
        name=name[:255],
        task=task[:255],
        plugin_snapshot_id=plugin_snapshot.history_id if plugin_snapshot else None,
        output_type_ids=",".join(str(o["parameterType"]) for o in outputs),
        file=stored,
        is_dir=is_dir,
        file_size=size,
        files=listing,
    )
    owned_save(artifact, user=job.creator, reason="Created")
    return artifact


BUILTIN_ARTIFACTS_DESCRIPTION = (
    "The artifact tasks Dioptra ships: String, Bytes, File, Directory, NumpyArray, NumpyArrays, "
    "Pickle and Dataframe (numpy and pandas where jobs run, for the last four)."
)
BUILTIN_OUTPUT = "contents"


@transaction.atomic
def builtin_artifacts_install(*, user, group) -> Plugin:
    """The plugin ``builtin_artifacts`` of ``group``, with the builtin artifact tasks' file as
    shipped (``jobs/builtin_artifacts``): created when missing, brought up to date otherwise (a
    new snapshot only when something changed). Each task declares its one output with the type
    its ``deserialize`` returns, and no inputs (as Dioptra's artifact tasks)."""
    types = {
        t.name: t.pk
        for t in PluginParameterType.objects.alive().filter(
            group=group, name__in=set(BUILTIN_ARTIFACT_TASKS.values())
        )
    }
    tasks = {
        "artifacts": [
            {"name": task, "outputParams": [{"name": BUILTIN_OUTPUT, "parameterType": types[kind]}]}
            for task, kind in BUILTIN_ARTIFACT_TASKS.items()
        ]
    }
    plugin = Plugin.objects.alive().filter(group=group, name=BUILTIN_ARTIFACTS_PLUGIN).first()
    if plugin is None:
        plugin = plugin_services.plugin_create(
            user=user,
            group=group,
            name=BUILTIN_ARTIFACTS_PLUGIN,
            description=BUILTIN_ARTIFACTS_DESCRIPTION,
        )
    for filename, contents in builtin_artifacts_files().items():
        wanted = {"filename": filename, "contents": contents, "tasks": tasks}
        existing = PluginFile.objects.alive().filter(plugin=plugin, filename=filename).first()
        if existing is None:
            plugin_services.plugin_file_create(user=user, plugin=plugin, **wanted)
        elif (existing.contents, existing.tasks) != (
            contents,
            plugin_services.plugin_file_check(
                plugin=plugin, filename=filename, tasks=tasks, exclude_pk=existing.pk
            ),
        ):
            plugin_services.plugin_file_update(
                user=user, plugin_file=existing, description=existing.description, **wanted
            )
    plugin.refresh_from_db()
    return plugin


@transaction.atomic
def artifact_update(*, user, artifact: Artifact, description: str | None = None) -> Artifact:
    """Describe an artifact (a new snapshot; its files never change)."""
    artifact.description = description
    owned_save(artifact, user=user, reason="Updated")
    return artifact
