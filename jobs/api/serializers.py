"""Queue, experiment, job and artifact JSON as Dioptra 1.2 shapes it, and the request bodies.

Reads render what ``jobs.selectors`` loaded (refs joined, steps, tags and artifact ids
prefetched, artifact tasks from their plugin snapshots' manifests): no query per row. Refs to
the queue, experiment and entrypoint snapshot a job ran with are Dioptra's snapshot refs; those
objects share the job's group.
"""

import math
import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.models import Group
from core.api.fields import MULTILINE, NameField, VisiblePrimaryKeyField, description_field
from core.api.refs import (
    EntrypointRefSerializer,
    GroupRefSerializer,
    SnapshotRefSerializer,
    group_ref,
    ref_url,
    snapshot_ref,
)
from core.api.serializers import RejectUnknownFieldsMixin, ResourceSerializer
from entrypoints.api.serializers import SnapshotIdField
from entrypoints.models import Entrypoint
from jobs.models import JobStatus, Queue
from jobs.selectors import SEVERITIES
from plugins_app.api.serializers import ParamReadSerializer, frozen_type_refs, ref_of

MAX_ITEMS = 1000
MAX_DB_ID = 2**63 - 1
# Dioptra's rule for metric names: a letter or underscore, then letters, digits or underscores
# ("_" alone is not a name).
METRIC_NAME = re.compile(r"^([A-Z]|[A-Z_][A-Z0-9_]+)$", flags=re.IGNORECASE)
BAD_METRIC_NAME = (
    "{name!r} is not a metric name: start with a letter or underscore, then letters, digits or "
    "underscores ('_' alone is not a name)."
)
SWAPS_UNSUPPORTED = "Task swaps are not supported here; leave swaps out."
BAD_METRIC_VALUE = "A metric value is a number, or one of the texts nan, inf and -inf."
# What ``PUT .../status`` may ask for: Dioptra's reset (``queued`` or ``reset``), and our cancel.
# The other statuses are the workers' to set.
REQUESTED_STATUSES = ("queued", "reset", "cancelled")


# Queues ------------------------------------------------------------------------------------------


class QueueSerializer(ResourceSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)


class QueueUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """PUT body. An omitted or ``null`` description means none (as in Dioptra); text is kept
    exactly as sent."""

    name = NameField()
    description = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        default=None,
        style=MULTILINE,
    )


class QueueCreateSerializer(QueueUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)


# Experiments -------------------------------------------------------------------------------------


def entrypoint_refs(entrypoints) -> list[dict]:
    return [
        {
            "id": e.pk,
            "name": e.name,
            "group": group_ref(e.group),
            "url": ref_url("entrypoints", e.pk),
        }
        for e in entrypoints
    ]


class ExperimentSerializer(ResourceSerializer):
    """An experiment (or one of its snapshots, which shows today's entrypoints)."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    entrypoints = serializers.SerializerMethodField()

    @extend_schema_field(EntrypointRefSerializer(many=True))
    def get_entrypoints(self, obj):
        return entrypoint_refs(obj.live_entrypoints)


class ExperimentUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """PUT body: omitted entrypoints are cleared, an omitted description is none (Dioptra)."""

    name = NameField()
    description = description_field()
    entrypoints = VisiblePrimaryKeyField(Entrypoint, many=True, required=False, default=list)


class ExperimentCreateSerializer(ExperimentUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)


# Jobs --------------------------------------------------------------------------------------------


class ArtifactRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group = GroupRefSerializer()
    url = serializers.CharField()


class StepSerializer(serializers.Serializer):
    """A step of the job's current run (ours: Dioptra records none)."""

    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["started", "finished", "failed"])
    startedOn = serializers.DateTimeField(source="started_on")
    seconds = serializers.FloatField(allow_null=True)
    error = serializers.CharField()


class ArtifactValueSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``{id, snapshotId}``: an artifact, at a snapshot of it (its latest when omitted)."""

    id = serializers.IntegerField(min_value=1, max_value=MAX_DB_ID)
    snapshotId = SnapshotIdField(required=False, allow_null=True)


class JobSerializer(ResourceSerializer):
    """A job: Dioptra's fields (``queue``, ``experiment`` and ``entrypoint`` as snapshot refs,
    ``values`` as sent, ``artifactValues``, ``timeout``, ``status``, ``artifacts``), then ours:
    why it ended (``message``), when it ran, the job it reruns and the steps of its run."""

    description = serializers.CharField(read_only=True, allow_null=True)
    queue = serializers.SerializerMethodField()
    experiment = serializers.SerializerMethodField()
    entrypoint = serializers.SerializerMethodField()
    values = serializers.DictField(child=serializers.CharField(), read_only=True)
    artifactValues = serializers.DictField(
        source="artifact_values", child=ArtifactValueSerializer(), read_only=True
    )
    timeout = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    artifacts = serializers.SerializerMethodField()
    message = serializers.CharField(read_only=True)
    startedOn = serializers.DateTimeField(source="started_on", read_only=True, allow_null=True)
    finishedOn = serializers.DateTimeField(source="finished_on", read_only=True, allow_null=True)
    rerunOf = serializers.IntegerField(source="rerun_of_id", read_only=True, allow_null=True)
    steps = serializers.SerializerMethodField()

    @extend_schema_field(SnapshotRefSerializer)
    def get_queue(self, job):
        return snapshot_ref(
            "queues", job.queue_id, job.queue_snapshot_id, job.queue.name, job.group
        )

    @extend_schema_field(SnapshotRefSerializer)
    def get_experiment(self, job):
        return snapshot_ref(
            "experiments",
            job.experiment_id,
            job.experiment_snapshot_id,
            job.experiment.name,
            job.group,
        )

    @extend_schema_field(SnapshotRefSerializer)
    def get_entrypoint(self, job):
        snapshot = job.entrypoint_snapshot
        return snapshot_ref(
            "entrypoints", snapshot.id, snapshot.history_id, snapshot.name, job.group
        )

    @extend_schema_field(ArtifactRefSerializer(many=True))
    def get_artifacts(self, job):
        group = group_ref(job.group)
        return [
            {"id": a.pk, "group": group, "url": ref_url("artifacts", a.pk)}
            for a in job.live_artifacts
        ]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, job):
        return StepSerializer(job.step_rows, many=True).data


class JobCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``POST /experiments/{id}/jobs`` (Dioptra's ``client.experiments.jobs.create``)."""

    entrypoint = VisiblePrimaryKeyField(Entrypoint)
    queue = VisiblePrimaryKeyField(Queue)
    entrypointSnapshot = SnapshotIdField(
        source="entrypoint_snapshot_id", required=False, allow_null=True, default=None
    )
    values = serializers.DictField(
        child=serializers.JSONField(), required=False, allow_null=True, default=dict
    )
    artifactValues = serializers.DictField(
        source="artifact_values",
        child=ArtifactValueSerializer(),
        required=False,
        allow_null=True,
        default=dict,
    )
    timeout = serializers.CharField(
        required=False, allow_null=True, default=None, max_length=32, trim_whitespace=False
    )
    description = description_field()
    swaps = serializers.ListField(child=serializers.JSONField(), required=False, default=list)

    def validate_values(self, values):
        if values is not None and len(values) > MAX_ITEMS:
            raise serializers.ValidationError(f"At most {MAX_ITEMS} values.")
        return values or {}

    def validate_artifact_values(self, values):
        if values is not None and len(values) > MAX_ITEMS:
            raise serializers.ValidationError(f"At most {MAX_ITEMS} artifact values.")
        return values or {}

    def validate_swaps(self, swaps):
        if swaps:
            raise serializers.ValidationError(SWAPS_UNSUPPORTED)
        return swaps

    def validate(self, attrs):
        attrs.pop("swaps", None)
        return attrs


class JobQuerySerializer(serializers.Serializer):
    """The job list's own filters (ids, and a status)."""

    experiment = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_ID)
    entrypoint = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_ID)
    queue = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_ID)
    status = serializers.ChoiceField(choices=JobStatus.choices, required=False)

    def filters(self) -> dict:
        """The filters as queryset lookups."""
        return {
            name if name == "status" else f"{name}_id": value
            for name, value in self.validated_data.items()
        }


class JobStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)


class JobStatusRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``PUT .../status``: ``queued`` or ``reset`` queues an ended job again, ``cancelled``
    cancels a queued or running one; the other statuses are the workers' to set."""

    status = serializers.ChoiceField(choices=REQUESTED_STATUSES)


# Logs --------------------------------------------------------------------------------------------


class LogRecordSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A log record: ``createdOn`` is when the record was made (or received)."""

    severity = serializers.ChoiceField(choices=SEVERITIES)
    loggerName = serializers.CharField(source="logger_name", max_length=255)
    message = serializers.CharField(trim_whitespace=False, allow_blank=True)
    createdOn = serializers.DateTimeField(source="created_on", read_only=True)


class LogRecordsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``POST /jobs/{id}/log``: ``{data: [{severity, loggerName, message}]}``."""

    data = LogRecordSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS)


class LogQuerySerializer(serializers.Serializer):
    severity = serializers.ListField(
        child=serializers.ChoiceField(choices=SEVERITIES), required=False, default=list
    )


# Metrics -----------------------------------------------------------------------------------------


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string", "enum": ["nan", "inf", "-inf"]}]}
)
class MetricValueField(serializers.Field):
    """A float; NaN and the infinities travel as the texts ``nan``, ``inf`` and ``-inf``."""

    SPECIAL = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

    def to_internal_value(self, data):
        if isinstance(data, str) and data.lower() in self.SPECIAL:
            return self.SPECIAL[data.lower()]
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise serializers.ValidationError(BAD_METRIC_VALUE)
        return float(data)

    def to_representation(self, value):
        if value is None or math.isnan(value):  # NaN is stored as None
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value


class MetricSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``POST /jobs/{id}/metrics`` ``{name, value, step?, timestamp?}``; reads add ``step`` and
    ``timestamp`` to Dioptra's ``{name, value}``."""

    name = serializers.CharField(max_length=255)
    value = MetricValueField()
    step = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_DB_ID)
    timestamp = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_name(self, name):
        if not METRIC_NAME.match(name):
            raise serializers.ValidationError(BAD_METRIC_NAME.format(name=name))
        return name


class JobMetricsSerializer(serializers.Serializer):
    """A job's latest metrics (``/experiments/{id}/metrics``)."""

    id = serializers.IntegerField()
    metrics = MetricSerializer(many=True)


# Artifacts ---------------------------------------------------------------------------------------


class ArtifactTaskSerializer(serializers.Serializer):
    """The artifact task that wrote an artifact, in the plugin snapshot that declares it."""

    name = serializers.CharField()
    outputParams = ParamReadSerializer(many=True)
    pluginResourceId = serializers.IntegerField()
    pluginResourceSnapshotId = serializers.IntegerField()
    pluginFileResourceId = serializers.IntegerField()
    pluginFileResourceSnapshotId = serializers.IntegerField(allow_null=True)


def artifact_task_data(artifact) -> dict:
    """``ArtifactTaskSerializer``'s fields from ``with_artifact_tasks``; ``{}`` when the plugin
    snapshot declares no such task (as Dioptra answers for an artifact without one)."""
    plugin, plugin_file, task = (
        artifact.task_plugin,
        artifact.task_file,
        artifact.task_declaration,
    )
    if task is None:
        return {}
    refs = frozen_type_refs(plugin.manifest.get("types", {}), artifact.group)
    return {
        "name": task["name"],
        "outputParams": [
            {"name": o["name"], "parameterType": ref_of(refs, o["parameterType"])}
            for o in task.get("outputParams") or []
        ],
        "pluginResourceId": plugin.id,
        "pluginResourceSnapshotId": plugin.history_id,
        "pluginFileResourceId": plugin_file["id"],
        "pluginFileResourceSnapshotId": plugin_file.get("snapshotId"),
    }


class ArtifactSerializer(ResourceSerializer):
    """An artifact (or one of its snapshots): Dioptra's fields, plus the artifact output's
    ``name``. ``artifactUri`` is where the server's storage keeps it; ``fileUrl`` downloads it."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    job = serializers.IntegerField(source="job_id", read_only=True)
    task = serializers.SerializerMethodField()
    artifactUri = serializers.CharField(source="file.name", read_only=True)
    isDir = serializers.BooleanField(source="is_dir", read_only=True)
    fileSize = serializers.IntegerField(source="file_size", read_only=True)
    fileUrl = serializers.SerializerMethodField()

    @extend_schema_field(ArtifactTaskSerializer)
    def get_task(self, artifact):
        return artifact_task_data(artifact)

    def get_fileUrl(self, artifact) -> str:
        return ref_url("artifacts", f"{artifact.id}/contents")


class ArtifactUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """PUT body: an artifact's description (its files never change)."""

    description = description_field()


class ArtifactFileSerializer(serializers.Serializer):
    relativePath = serializers.CharField()
    isDir = serializers.BooleanField()
    fileSize = serializers.IntegerField(allow_null=True)
    fileUrl = serializers.CharField()


class ArtifactQuerySerializer(serializers.Serializer):
    """The list's own filters: Dioptra's ``outputParams`` (the type ids of the artifact task's
    outputs, in order, comma-separated) and ours, ``job``."""

    outputParams = serializers.RegexField(
        r"^\s*\d+(\s*,\s*\d+)*\s*$", required=False, max_length=1000
    )
    job = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_ID)


class ArtifactContentsQuerySerializer(serializers.Serializer):
    """``path`` inside a directory artifact; ``fileType`` of a directory's archive."""

    path = serializers.CharField(required=False, max_length=1000)
    fileType = serializers.ChoiceField(choices=["tar_gz", "zip"], required=False)
