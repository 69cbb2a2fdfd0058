"""Plugin, plugin file and parameter type JSON, as Dioptra's.

Task declarations read with each ``parameterType`` as a ref ``{id, name, group, url}`` and are
written with type ids; ``render_tasks`` is the one renderer of that shape. Live files read the
types the selectors loaded for them (``parameter_types``); plugin snapshots, and the plugins an
entrypoint pins, read the types their manifest froze. No serializer here queries the database.
"""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.models import Group
from core.api.fields import (
    MULTILINE,
    NameField,
    TextField,
    VisiblePrimaryKeyField,
    description_field,
)
from core.api.refs import (
    GroupRefSerializer,
    NamedRefSerializer,
    TypeRefSerializer,
    group_ref,
    ref_url,
)
from core.api.serializers import RejectUnknownFieldsMixin, ResourceSerializer
from core.errors import TooLarge
from plugins_app.manifest import PARAM_SIDES, TASK_KINDS
from plugins_app.validators import (
    BAD_PARAM_NAME,
    BAD_TASK_NAME,
    MAX_SOURCE_CHARS,
    SOURCE_TOO_LARGE,
    is_identifier,
)

DUPLICATE_NAME = "{name!r} is declared more than once."
MAX_DB_ID = 2**63 - 1  # larger ids cannot be looked up (SQLite raises OverflowError)
TYPES = TypeRefSerializer.collection


class SourceField(TextField):
    """Python source; over ``MAX_SOURCE_CHARS`` it is refused with 413 naming the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {**MULTILINE, "rows": 16})
        super().__init__(**kwargs)

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

# Plain dicts rather than nested serializers: a page of entrypoints shows thousands of these refs.
# The read serializers after them document the shapes.


def type_ref(param_type) -> dict:
    """``{id, name, group, url}`` of a parameter type as it is now."""
    return {
        "id": param_type.pk,
        "name": param_type.name,
        "group": group_ref(param_type.group),
        "url": ref_url(TYPES, param_type.pk),
    }


def frozen_type_refs(types: Mapping[str, dict], group) -> dict[int, dict]:
    """Refs of a frozen type table (a manifest's ``types``, an entrypoint's ``artifact_types``)
    of ``group``, by type id."""
    group = group_ref(group)
    return {
        int(pk): {"id": t["id"], "name": t["name"], "group": group, "url": ref_url(TYPES, t["id"])}
        for pk, t in types.items()
    }


def ref_of(refs: Mapping[int, dict], pk: int) -> dict:
    """The ref of type ``pk`` among ``refs``; one that is missing reads with a null name."""
    return refs.get(pk) or {"id": pk, "name": None, "group": None, "url": ref_url(TYPES, pk)}


def render_tasks(tasks, refs: Mapping[int, dict], *, dioptra_artifacts: bool = False) -> dict:
    """A stored tasks declaration with every type id replaced by its ref (``refs``).

    ``dioptra_artifacts``: artifact tasks that declare no inputs show no ``inputParams`` (as the
    plugins attached to an entrypoint read in Dioptra).
    """

    def rendered(task: dict, kind: str) -> dict:
        inputs = task.get("inputParams") or []
        shown = {"name": task["name"]}
        if inputs or kind != "artifacts" or not dioptra_artifacts:
            shown["inputParams"] = [
                {
                    "name": p["name"],
                    "parameterType": ref_of(refs, p["parameterType"]),
                    "required": p.get("required", True),
                }
                for p in inputs
            ]
        shown["outputParams"] = [
            {"name": p["name"], "parameterType": ref_of(refs, p["parameterType"])}
            for p in task.get("outputParams") or []
        ]
        return shown

    return {
        kind: [rendered(task, kind) for task in (tasks or {}).get(kind) or []]
        for kind in TASK_KINDS
    }


def manifest_files(
    manifest: dict, *, plugin_id: int, group, dioptra_artifacts: bool = False
) -> list[dict]:
    """The files of a plugin snapshot's manifest, tasks with refs to the types it froze."""
    refs = frozen_type_refs(manifest.get("types", {}), group)
    return [
        {
            "id": f["id"],
            "filename": f["filename"],
            "snapshotId": f.get("snapshotId"),
            "url": ref_url(f"plugins/{plugin_id}/files/{f['id']}/snapshots", f.get("snapshotId")),
            "tasks": render_tasks(f.get("tasks"), refs, dioptra_artifacts=dioptra_artifacts),
        }
        for f in manifest.get("files", [])
    ]


class ParamReadSerializer(serializers.Serializer):
    name = serializers.CharField()
    parameterType = TypeRefSerializer()


class InputParamReadSerializer(ParamReadSerializer):
    required = serializers.BooleanField()


class TaskReadSerializer(serializers.Serializer):
    name = serializers.CharField()
    inputParams = InputParamReadSerializer(
        many=True,
        required=False,
        help_text="Absent from artifact tasks without inputs of the plugins an entrypoint pins.",
    )
    outputParams = ParamReadSerializer(many=True)


class TasksReadSerializer(serializers.Serializer):
    functions = TaskReadSerializer(many=True)
    artifacts = TaskReadSerializer(many=True)


class PluginSnapshotFileSerializer(serializers.Serializer):
    """A file frozen in a plugin snapshot: ``{id, filename, snapshotId, url, tasks}``."""

    id = serializers.IntegerField()
    filename = serializers.CharField()
    snapshotId = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()
    tasks = TasksReadSerializer()


@extend_schema_field(TasksReadSerializer)
class LiveTasksField(serializers.Field):
    """A plugin file's (or file snapshot's) tasks with refs to the types as they are now: the
    ``parameter_types`` that ``plugins_app.selectors.with_parameter_types`` set on it."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        refs = {pk: type_ref(t) for pk, t in value.parameter_types.items()}
        return render_tasks(value.tasks, refs)


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


class PluginFileRefSerializer(serializers.Serializer):
    """A plugin's file as its plugin lists it: ``{id, group, url, plugin, filename, tasks}``."""

    id = serializers.IntegerField(read_only=True)
    group = GroupRefSerializer(read_only=True)
    url = serializers.SerializerMethodField()
    plugin = serializers.IntegerField(source="plugin_id", read_only=True)
    filename = serializers.CharField(read_only=True)
    tasks = LiveTasksField()

    def get_url(self, obj) -> str:
        return ref_url(f"plugins/{obj.plugin_id}/files", obj.pk)


class PluginSerializer(ResourceSerializer):
    """Resource envelope + ``name, description, files`` (the live files, as refs)."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    files = PluginFileRefSerializer(source="live_files", many=True, read_only=True)


class PluginUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = NameField()
    description = description_field()


class PluginCreateSerializer(PluginUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)


class PluginSnapshotSerializer(ResourceSerializer):
    """A plugin snapshot: the envelope, ``name, description`` and the files it froze."""

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    files = serializers.SerializerMethodField()

    @extend_schema_field(PluginSnapshotFileSerializer(many=True))
    def get_files(self, record):
        return manifest_files(record.manifest, plugin_id=record.id, group=record.group)


# Plugin files ------------------------------------------------------------------------------------


class PluginFileSerializer(ResourceSerializer):
    """Resource envelope + ``filename, contents, description, tasks, plugin`` (a ref)."""

    filename = serializers.CharField(read_only=True)
    contents = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    tasks = LiveTasksField()
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
