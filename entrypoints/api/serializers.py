"""Entrypoint JSON (Dioptra's shape plus ``valid`` and ``issues``) and the request bodies.

Reads render live entrypoints and snapshots alike from what ``entrypoints.selectors`` prepared
(``attached_plugins``, frozen manifests and artifact types): no query per row.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.models import Group
from core.api.fields import (
    NameField,
    StringOnlyMixin,
    TextField,
    VisiblePrimaryKeyField,
    description_field,
)
from core.api.refs import QueueRefSerializer, group_ref, ref_url
from core.api.serializers import RejectUnknownFieldsMixin, ResourceSerializer
from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES
from entrypoints.validators import artifact_parameter_errors, parameter_errors
from jobs.models import Queue
from plugins_app.api.serializers import (
    ParamReadSerializer,
    PluginSnapshotFileSerializer,
    frozen_type_refs,
    manifest_files,
    ref_of,
)
from plugins_app.models import Plugin, PluginParameterType

MAX_LIST = 1000
TEXTAREA = {"base_template": "textarea.html", "rows": 12}


class SnapshotIdField(serializers.IntegerField):
    """A snapshot (history record) id: history ids are 32-bit in every database."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**31 - 1, **kwargs)


class StrictNameField(StringOnlyMixin, NameField):
    """A name that must be a JSON string (not a number turned into one)."""


class IdField(VisiblePrimaryKeyField):
    """A visible object's id that also reads back from a stored plain id."""

    def to_representation(self, value):
        return getattr(value, "pk", value)


# Reads -------------------------------------------------------------------------------------------


def attached_plugin_data(plugin, group) -> dict:
    """``{id, name, snapshotId, latestSnapshot, url, files}`` of an ``AttachedPlugin``."""
    return {
        "id": plugin.id,
        "name": plugin.name,
        "snapshotId": plugin.snapshot_id,
        "latestSnapshot": plugin.latest_snapshot,
        "url": ref_url("plugins", f"{plugin.id}/snapshots/{plugin.snapshot_id}"),
        "files": manifest_files(
            plugin.manifest, plugin_id=plugin.id, group=group, dioptra_artifacts=True
        ),
    }


class AttachedPluginSerializer(serializers.Serializer):
    """An attached plugin: ``latestSnapshot`` is false when a newer plugin snapshot exists."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    snapshotId = serializers.IntegerField()
    latestSnapshot = serializers.BooleanField()
    url = serializers.CharField()
    files = PluginSnapshotFileSerializer(many=True)


class ParameterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = StrictNameField()
    defaultValue = TextField(required=False, allow_null=True, default=None)
    parameterType = serializers.ChoiceField(choices=ENTRYPOINT_PARAMETER_TYPES)


class OutputParamSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = StrictNameField()
    parameterType = IdField(PluginParameterType)


class ArtifactParameterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = StrictNameField()
    outputParams = OutputParamSerializer(
        many=True, required=False, default=list, max_length=MAX_LIST
    )


class ArtifactParameterReadSchema(serializers.Serializer):
    name = serializers.CharField()
    outputParams = ParamReadSerializer(many=True)


class IssueSerializer(serializers.Serializer):
    """``Issue.to_dict()``: where and what, with Dioptra's ``type``."""

    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    category = serializers.CharField()
    type = serializers.CharField()
    message = serializers.CharField()
    source = serializers.CharField()
    path = serializers.ListField(child=serializers.JSONField())
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    endLine = serializers.IntegerField(allow_null=True)
    endColumn = serializers.IntegerField(allow_null=True)


class EntrypointSerializer(ResourceSerializer):
    """An entrypoint or one of its snapshots, as read."""

    valid = serializers.BooleanField(read_only=True)
    issues = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    taskGraph = serializers.CharField(source="task_graph", read_only=True)
    artifactGraph = serializers.CharField(source="artifact_graph", read_only=True)
    parameters = serializers.SerializerMethodField()
    artifactParameters = serializers.SerializerMethodField()
    plugins = serializers.SerializerMethodField()
    artifactPlugins = serializers.SerializerMethodField()
    queues = serializers.SerializerMethodField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The contract's order: the envelope, the verdict, tags, then the entrypoint's fields.
        head = [
            "id",
            "snapshot",
            "group",
            "user",
            "createdOn",
            "snapshotCreatedOn",
            "lastModifiedOn",
            "latestSnapshot",
            "hasDraft",
            "valid",
            "issues",
            "tags",
        ]
        return {key: data[key] for key in head} | {k: v for k, v in data.items() if k not in head}

    @extend_schema_field(IssueSerializer(many=True))
    def get_issues(self, obj):
        return obj.issues

    @extend_schema_field(ParameterSerializer(many=True))
    def get_parameters(self, obj):
        return [
            {
                "name": p["name"],
                "defaultValue": p.get("defaultValue"),
                "parameterType": p["parameterType"],
            }
            for p in obj.parameters
        ]

    @extend_schema_field(ArtifactParameterReadSchema(many=True))
    def get_artifactParameters(self, obj):
        refs = frozen_type_refs(obj.artifact_types, obj.group)
        return [
            {
                "name": a["name"],
                "outputParams": [
                    {"name": o["name"], "parameterType": ref_of(refs, o["parameterType"])}
                    for o in a.get("outputParams") or []
                ],
            }
            for a in obj.artifact_parameters
        ]

    @extend_schema_field(AttachedPluginSerializer(many=True))
    def get_plugins(self, obj):
        return [attached_plugin_data(p, obj.group) for p in obj.attached_plugins]

    @extend_schema_field(AttachedPluginSerializer(many=True))
    def get_artifactPlugins(self, obj):
        return [attached_plugin_data(p, obj.group) for p in obj.attached_artifact_plugins]

    @extend_schema_field(QueueRefSerializer(many=True))
    def get_queues(self, obj):
        group = group_ref(obj.group)
        return [
            {"id": queue.pk, "name": queue.name, "group": group, "url": ref_url("queues", queue.pk)}
            for queue in obj.live_queues
        ]


# Writes -------------------------------------------------------------------------------------------


class EntrypointFieldsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Fields of both create and PUT: omitted lists are cleared and an omitted description is
    none (as in Dioptra). Sources are the services' keyword arguments (and the model's fields,
    so the browsable API can fill its forms from an entrypoint)."""

    name = StrictNameField()
    description = description_field()
    taskGraph = TextField(source="task_graph", style=TEXTAREA, label="Task graph")
    artifactGraph = TextField(
        source="artifact_graph",
        required=False,
        allow_null=True,
        default="",
        style=TEXTAREA,
        label="Artifact output graph",
    )
    parameters = ParameterSerializer(many=True, required=False, default=list, max_length=MAX_LIST)
    artifactParameters = ArtifactParameterSerializer(
        source="artifact_parameters",
        many=True,
        required=False,
        default=list,
        max_length=MAX_LIST,
        label="Artifact parameters",
    )
    queues = IdField(Queue, many=True, required=False, default=list)

    def validate(self, attrs):
        errors = {}
        if found := parameter_errors(attrs["parameters"]):
            errors["parameters"] = found
        if found := artifact_parameter_errors(attrs["artifact_parameters"]):
            errors["artifactParameters"] = found
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EntrypointCreateSerializer(EntrypointFieldsSerializer):
    """POST body: plugins are pinned to their current snapshots."""

    group = IdField(Group)
    plugins = IdField(Plugin, many=True, required=False, default=list)
    artifactPlugins = IdField(
        Plugin,
        source="artifact_plugins",
        many=True,
        required=False,
        default=list,
        label="Artifact plugins",
    )


class EntrypointUpdateSerializer(EntrypointFieldsSerializer):
    """PUT body. ``pluginSnapshotIds``/``artifactPluginSnapshotIds`` (sent by Dioptra 1.2's
    client) choose plugin snapshots; without them the attached plugins stay as they are."""

    pluginSnapshotIds = serializers.ListField(
        source="plugin_snapshot_ids",
        child=SnapshotIdField(),
        required=False,
        max_length=MAX_LIST,
    )
    artifactPluginSnapshotIds = serializers.ListField(
        source="artifact_plugin_snapshot_ids",
        child=SnapshotIdField(),
        required=False,
        max_length=MAX_LIST,
    )


class ValidateOnlySerializer(serializers.Serializer):
    """The query of create and PUT: Dioptra 1.2's client always sends ``validateOnly``."""

    validateOnly = serializers.BooleanField(required=False, default=False)


class PluginIdsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    plugins = IdField(Plugin, many=True)


class ArtifactPluginIdsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    artifactPlugins = IdField(Plugin, many=True)


class ValidateEntrypointSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``POST /workflows/validateEntrypoint``: a proposed entrypoint, not stored.

    Defaults that do not convert are issues of the answer, not errors of the request.
    """

    group = VisiblePrimaryKeyField(Group)
    taskGraph = TextField(style=TEXTAREA)
    artifactGraph = TextField(required=False, allow_null=True, default="", style=TEXTAREA)
    pluginSnapshots = serializers.ListField(
        child=SnapshotIdField(),
        required=False,
        default=list,
        max_length=MAX_LIST,
    )
    artifactPluginSnapshots = serializers.ListField(
        child=SnapshotIdField(),
        required=False,
        default=list,
        max_length=MAX_LIST,
    )
    parameters = ParameterSerializer(many=True, required=False, default=list, max_length=MAX_LIST)
    artifacts = ArtifactParameterSerializer(many=True, required=False, max_length=MAX_LIST)
    artifactParameters = ArtifactParameterSerializer(many=True, required=False, max_length=MAX_LIST)

    def validate(self, attrs):
        errors = {}
        found = parameter_errors(attrs["parameters"], check_defaults=False)
        if found:
            errors["parameters"] = found
        for field in ("artifacts", "artifactParameters"):
            found = artifact_parameter_errors(attrs.get(field, []))
            if found:
                errors[field] = found
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ValidateEntrypointResultSerializer(serializers.Serializer):
    schemaValid = serializers.BooleanField()
    schemaIssues = IssueSerializer(many=True)
