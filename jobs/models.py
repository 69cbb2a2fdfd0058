"""Queues, experiments, jobs and what jobs leave behind: their log, metrics, steps and artifacts.

A job runs one entrypoint snapshot on one queue, filed under an experiment (as in Dioptra). Its
group is the experiment's. Users write jobs through ``jobs.services``; workers (``jobs.tasks``)
write the run's state with conditional updates (``status`` guards every transition), so a
heartbeat or a log batch never writes a snapshot and two workers never run one job.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from access.models import GroupOwned


class Queue(GroupOwned):
    """A named queue that workers listen on; entrypoints list the queues that may run them.

    ``description`` is ``None`` when none was given (as in Dioptra); ``""`` is kept as sent.
    """

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: none given)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_queue_name_per_group")]

    def __str__(self) -> str:
        return self.name


class Experiment(GroupOwned):
    """A folder of jobs and the entrypoints they may run. The entrypoints are not versioned (a
    Dioptra resource relation, like an entrypoint's queues); name and description are."""

    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: none given)
    entrypoints = models.ManyToManyField(
        "entrypoints.Entrypoint", blank=True, related_name="experiments"
    )
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [GroupOwned.unique_name_per_group("unique_experiment_name_per_group")]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    """Dioptra's statuses, plus ``cancelled`` (a user's action)."""

    QUEUED = "queued"
    STARTED = "started"
    DEFERRED = "deferred"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Job(GroupOwned):
    """One run of an entrypoint snapshot on a queue.

    ``values`` are the strings sent, ``parameters`` every parameter's converted value (sent or
    default) as the run gets it, ``artifact_values`` ``{name: {id, snapshotId}}``. ``timeout``
    is kept as sent (Dioptra's ``"24h"`` style). ``queue_snapshot_id`` and
    ``experiment_snapshot_id`` are those objects' snapshots when the job was made (Dioptra's
    refs name them). ``attempt`` counts the runs a worker claimed: every write of a run names it,
    so a run that outlived a reset cannot overwrite the next one.
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="jobs")
    entrypoint = models.ForeignKey(
        "entrypoints.Entrypoint", on_delete=models.PROTECT, related_name="jobs"
    )
    entrypoint_snapshot = models.ForeignKey(
        "entrypoints.HistoricalEntrypoint", on_delete=models.PROTECT, related_name="+"
    )
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="jobs")
    queue_snapshot_id = models.IntegerField(null=True, blank=True)
    experiment_snapshot_id = models.IntegerField(null=True, blank=True)
    rerun_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reruns"
    )
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: none given)
    values = models.JSONField(default=dict, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    artifact_values = models.JSONField(default=dict, blank=True)
    timeout = models.CharField(max_length=32)
    status = models.CharField(
        max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    message = models.TextField(blank=True, default="")
    attempt = models.PositiveIntegerField(default=0)
    started_on = models.DateTimeField(null=True, blank=True)
    finished_on = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(max_length=64, blank=True, default="")
    heartbeat_on = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_on"])]

    def __str__(self) -> str:
        return f"Job {self.pk}"

    @property
    def ended(self) -> bool:
        return self.status in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED)


class StepState(models.TextChoices):
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"


class JobStep(models.Model):
    """A step of the job's current run: when it started, how long it took, how it failed."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()  # the order steps started in
    name = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=StepState.choices)
    started_on = models.DateTimeField()
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="unique_step_per_job")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.name} {self.state}"


class JobLog(models.Model):
    """One log record of a job (plugin logging, stdout, stderr, the worker's own notes, or a
    client's POST), in the order received."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log_records")
    severity = models.CharField(max_length=8, db_index=True)
    logger_name = models.CharField(max_length=255)
    message = models.TextField()
    created_on = models.DateTimeField()

    class Meta:
        ordering = ["job", "pk"]

    def __str__(self) -> str:
        return f"{self.severity} {self.logger_name}: {self.message[:60]}"


class JobMetric(models.Model):
    """One value of a job's metric series. ``value`` is ``None`` for NaN (SQLite cannot store
    NaN); infinities are stored as they are."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=255)
    value = models.FloatField(null=True, blank=True)
    step = models.BigIntegerField(default=0)
    timestamp = models.DateTimeField()

    class Meta:
        ordering = ["job", "name", "step", "pk"]
        indexes = [models.Index(fields=["job", "name", "step"])]

    def __str__(self) -> str:
        return f"{self.name}[{self.step}] = {self.value}"


class Artifact(GroupOwned):
    """What a job's artifact output serialized, kept in Django's storage (``file``).

    A directory is stored as one ``.tar.gz`` (``is_dir``), with its listing in ``files``
    (``[{relativePath, isDir, fileSize}]``); ``file_size`` is the file's size or the sum of the
    directory's. ``task`` is the artifact task that serialized it, found in the artifact plugin
    snapshot ``plugin_snapshot_id`` (``Plugin.history``); ``output_type_ids`` are that task's
    output types in order ("3,7"), what Dioptra's ``outputParams`` filter and job inputs match.
    Versioned: only ``description`` changes.
    """

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="artifacts")
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: none given)
    task = models.CharField(max_length=255)
    plugin_snapshot_id = models.IntegerField(null=True, blank=True)
    output_type_ids = models.CharField(max_length=255, blank=True, default="", db_index=True)
    file = models.FileField(upload_to="artifacts/", max_length=500)
    is_dir = models.BooleanField(default=False)
    file_size = models.BigIntegerField(default=0)
    files = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} (job {self.job_id})"
