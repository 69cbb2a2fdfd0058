"""Plugin, plugin file and parameter type JSON, as Dioptra's.

Task declarations read with each ``parameterType`` as a ref ``{id, name, group, url}`` and are
written with type ids. Live objects resolve the refs of everything being serialized in one query
(``TypeRefsListSerializer``); plugin snapshots resolve them from their frozen manifest.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.models import Group
from core.api.fields import NameField, TextField, VisiblePrimaryKeyField, description_field
from core.api.refs import GroupRefSerializer, NamedRefSerializer, TypeRefSerializer, ref_url
from core.api.serializers import RejectUnknownFieldsMixin, ResourceSerializer
from core.errors import TooLarge
from plugins_app.selectors import parameter_types_by_id
from plugins_app.services import PARAM_SIDES, TASK_KINDS, task_type_ids
from plugins_app.validators import (
    BAD_PARAM_NAME,
    BAD_TASK_NAME,
    MAX_SOURCE_CHARS,
    SOURCE_TOO_LARGE,
    is_identifier,
)

DUPLICATE_NAME = "{name!r} is declared more than once."
MAX_DB_ID = 2**63 - 1  # larger ids cannot be looked up (SQLite raises OverflowError)
TYPE_REFS = "type_refs"


class SourceField(TextField):
    """Python source; over ``MAX_SOURCE_CHARS`` it is refused with 413 naming the field."""

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and len(data) > MAX_SOURCE_CHARS:
            raise TooLarge(SOURCE_TOO_LARGE.format(limit=MAX_SOURCE_CHARS), field=self.field_name)
        return super().run_validation(data)


def _identifier(message: str):
    def check(value: str) -> None:
        if not is_identifier(value):
            raise serializers.ValidationError(message)

    return check


def _duplicates(names) -> list[str]:
    seen, dupes = set(), []
    for name in names:
        if name in seen and name not in dupes:
            dupes.append(name)
        seen.add(name)
    return dupes


def _refuse_duplicate_names(attrs, keys) -> None:
    """400 naming each list among ``attrs[key]`` that declares a name more than once."""
    errors = {
        key: [DUPLICATE_NAME.format(name=name) for name in dupes]
        for key in keys
        if (dupes := _duplicates(item["name"] for item in attrs.get(key, [])))
    }
    if errors:
        raise serializers.ValidationError(errors)


# Writing tasks -----------------------------------------------------------------------------------


class ParamWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[_identifier(BAD_PARAM_NAME)])
    parameterType = serializers.IntegerField(
        min_value=1, max_value=MAX_DB_ID, help_text="A parameter type id of the plugin's group."
    )


class InputParamWriteSerializer(ParamWriteSerializer):
    required = serializers.BooleanField(default=True)


class TaskWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[_identifier(BAD_TASK_NAME)])
    inputParams = InputParamWriteSerializer(many=True, required=False, max_length=1000)
    outputParams = ParamWriteSerializer(many=True, required=False, max_length=1000)

    def validate(self, attrs):
        _refuse_duplicate_names(attrs, PARAM_SIDES)
        return attrs


class TasksWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``{functions: [task], artifacts: [task]}``; each list is optional."""

    functions = TaskWriteSerializer(many=True, required=False, max_length=1000)
    artifacts = TaskWriteSerializer(many=True, required=False, max_length=1000)

    def validate(self, attrs):
        _refuse_duplicate_names(attrs, TASK_KINDS)
        return attrs


# Reading tasks -----------------------------------------------------------------------------------


def _ref_data(type_refs: dict, pk: int) -> dict:
    return type_refs.get(pk) or {
        "id": pk,
        "name": None,
        "group": None,
        "url": ref_url("pluginParameterTypes", pk),
    }


def render_tasks(tasks, type_refs: dict[int, dict]) -> dict:
    """A stored tasks declaration with every type id replaced by its ref."""
    return {
        kind: [
            {
                "name": task["name"],
                **{
                    side: [
                        {**param, "parameterType": _ref_data(type_refs, param["parameterType"])}
                        for param in task.get(side, [])
                    ]
                    for side in PARAM_SIDES
                },
            }
            for task in (tasks or {}).get(kind, [])
        ]
        for kind in TASK_KINDS
    }


class ParamReadSerializer(serializers.Serializer):
    name = serializers.CharField()
    parameterType = TypeRefSerializer()


class InputParamReadSerializer(ParamReadSerializer):
    required = serializers.BooleanField()


class TaskReadSerializer(serializers.Serializer):
    name = serializers.CharField()
    inputParams = InputParamReadSerializer(many=True)
    outputParams = ParamReadSerializer(many=True)


class TasksReadSerializer(serializers.Serializer):
    functions = TaskReadSerializer(many=True)
    artifacts = TaskReadSerializer(many=True)


class TypeRefsListSerializer(serializers.ListSerializer):
    """Resolves the type refs of every item in one query before rendering them."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        self.child.load_type_refs(items)
        return super().to_representation(items)


class WithTasksMixin:
    """Serializers showing tasks: ``type_ids(obj)`` names the types, ``tasks_of`` renders them."""

    class Meta:
        list_serializer_class = TypeRefsListSerializer

    def type_ids(self, obj) -> set[int]:
        return task_type_ids(obj.tasks)

    def load_type_refs(self, objects) -> None:
        """Fetch the refs once per response (nested serializers reuse the root's)."""
        context = self.root._context
        if TYPE_REFS not in context:
            ids = set().union(*(self.type_ids(obj) for obj in objects))
            context[TYPE_REFS] = {
                pk: TypeRefSerializer(t).data for pk, t in parameter_types_by_id(ids).items()
            }

    def tasks_of(self, tasks) -> dict:
        return render_tasks(tasks, self.root._context[TYPE_REFS])

    def to_representation(self, instance):
        self.load_type_refs([instance])
        return super().to_representation(instance)

    @extend_schema_field(TasksReadSerializer)
    def get_tasks(self, obj):
        return self.tasks_of(obj.tasks)


# Parameter types -------------------------------------------------------------------------------


class ParameterTypeSerializer(ResourceSerializer):
    """Resource envelope + ``name, description, structure``."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    structure = serializers.JSONField(read_only=True, allow_null=True)


class ParameterTypeUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = NameField()
    description = description_field()
    structure = serializers.JSONField(required=False, allow_null=True, default=None)


class ParameterTypeCreateSerializer(ParameterTypeUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)


# Plugins -----------------------------------------------------------------------------------------


class PluginRefSerializer(NamedRefSerializer):
    collection = "plugins"


class PluginFileRefSerializer(WithTasksMixin, serializers.Serializer):
    """A plugin's file as its plugin lists it: ``{id, group, url, plugin, filename, tasks}``."""

    id = serializers.IntegerField(read_only=True)
    group = GroupRefSerializer(read_only=True)
    url = serializers.SerializerMethodField()
    plugin = serializers.IntegerField(source="plugin_id", read_only=True)
    filename = serializers.CharField(read_only=True)
    tasks = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return ref_url(f"plugins/{obj.plugin_id}/files", obj.pk)


class PluginSerializer(WithTasksMixin, ResourceSerializer):
    """Resource envelope + ``name, description, files`` (the live files, as refs)."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    files = PluginFileRefSerializer(source="live_files", many=True, read_only=True)

    def type_ids(self, obj) -> set[int]:
        return set().union(*(task_type_ids(f.tasks) for f in obj.live_files))


class PluginUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = NameField()
    description = description_field()


class PluginCreateSerializer(PluginUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)


class PluginSnapshotFileSerializer(serializers.Serializer):
    """A file frozen in a plugin snapshot: ``{id, filename, snapshotId, url, tasks}``."""

    id = serializers.IntegerField()
    filename = serializers.CharField()
    snapshotId = serializers.IntegerField()
    url = serializers.CharField()
    tasks = TasksReadSerializer()


class PluginSnapshotSerializer(ResourceSerializer):
    """A plugin snapshot: the envelope, ``name, description`` and the files it froze."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    files = serializers.SerializerMethodField()

    @extend_schema_field(PluginSnapshotFileSerializer(many=True))
    def get_files(self, record):
        return manifest_files(record.manifest, plugin_id=record.id, group=record.group)


def manifest_files(manifest: dict, *, plugin_id: int, group) -> list[dict]:
    """The files of a plugin snapshot's manifest, tasks with refs to the types it froze."""
    group_ref = GroupRefSerializer(group).data
    type_refs = {
        int(pk): {
            "id": t["id"],
            "name": t["name"],
            "group": group_ref,
            "url": ref_url("pluginParameterTypes", t["id"]),
        }
        for pk, t in manifest.get("types", {}).items()
    }
    return [
        {
            "id": f["id"],
            "filename": f["filename"],
            "snapshotId": f["snapshotId"],
            "url": ref_url(f"plugins/{plugin_id}/files/{f['id']}/snapshots", f["snapshotId"]),
            "tasks": render_tasks(f["tasks"], type_refs),
        }
        for f in manifest.get("files", [])
    ]


# Plugin files ------------------------------------------------------------------------------------


class PluginFileSerializer(WithTasksMixin, ResourceSerializer):
    """Resource envelope + ``filename, contents, description, tasks, plugin`` (a ref)."""

    filename = serializers.CharField(read_only=True)
    contents = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    tasks = serializers.SerializerMethodField()
    plugin = PluginRefSerializer(read_only=True)


class PluginFileWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    filename = NameField()
    contents = SourceField()
    description = description_field()
    tasks = TasksWriteSerializer(required=False)


# Signature analysis ------------------------------------------------------------------------------


class SignatureAnalysisRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    pythonCode = SourceField()


class AnalysedInputSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()


class AnalysedOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()


class MissingTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(help_text="The annotation the suggested type stands for.")
    structure = serializers.JSONField(allow_null=True, help_text="A suggested structure, if any.")


class AnalysedTaskSerializer(serializers.Serializer):
    name = serializers.CharField()
    inputs = AnalysedInputSerializer(many=True)
    outputs = AnalysedOutputSerializer(many=True)
    missing_types = MissingTypeSerializer(many=True)


class SignatureAnalysisSerializer(serializers.Serializer):
    tasks = AnalysedTaskSerializer(many=True)
