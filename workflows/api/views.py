"""``POST /workflows/resourceImport``: Dioptra's resource import (multipart), all or nothing."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from access.models import Group
from access.selectors import can
from core.api.fields import VisiblePrimaryKeyField
from core.api.viewsets import WRITE_FORBIDDEN
from entrypoints.models import Entrypoint
from workflows import sources
from workflows.api.parsers import PathMultiPartParser
from workflows.resource_export import as_tar_gz, resources_export, slug
from workflows.resource_import import DEFAULT_CONFIG, STRATEGIES, ImportFailed, resources_import

SOURCE_TYPES = {"upload_archive": "archiveFile", "upload_files": "files", "git": "gitUrl"}
FILE_FIELDS = ("archiveFile", "files")
ONE_SOURCE = "Must only provide exactly one of ('gitUrl', 'archiveFile', 'files')."
SOURCE_REQUIRED = "field required when sourceType is {source_type!r}"
NOT_IN_GROUP = "Entrypoint with id={pk} does not exist in this group or is not visible to you."


class ResourceImportSerializer(serializers.Serializer):
    group = VisiblePrimaryKeyField(Group, help_text="The group that will own what is imported.")
    sourceType = serializers.ChoiceField(list(SOURCE_TYPES))
    gitUrl = serializers.CharField(
        required=False,
        allow_blank=True,  # an HTML form sends its empty fields
        max_length=2000,
        help_text="A repository URL (https://, or a local path or file:// URL where allowed); "
        "#REF selects a branch, tag or commit.",
    )
    archiveFile = serializers.FileField(required=False, help_text="A .tar.gz of the folder.")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=10_000,
        help_text="The folder's files, each named by its path in the folder.",
        style={"base_template": "input.html", "input_type": "file"},
    )
    configPath = serializers.CharField(
        default=DEFAULT_CONFIG, allow_blank=True, max_length=1000, help_text=DEFAULT_CONFIG
    )
    resolveNameConflictsStrategy = serializers.ChoiceField(list(STRATEGIES), default="fail")

    def to_internal_value(self, data):
        # An HTML form sends an empty file input as an empty text field.
        if isinstance(data, QueryDict):
            cleaned = QueryDict(mutable=True)
            for key, values in data.lists():
                if kept := [v for v in values if not (key in FILE_FIELDS and v == "")]:
                    cleaned.setlist(key, kept)
            data = cleaned
        return super().to_internal_value(data)

    def validate(self, data):
        given = [field for field in SOURCE_TYPES.values() if data.get(field)]
        expected = SOURCE_TYPES[data["sourceType"]]
        if len(given) > 1:
            raise serializers.ValidationError({"sourceType": [ONE_SOURCE]})
        if given != [expected]:
            message = SOURCE_REQUIRED.format(source_type=data["sourceType"])
            raise serializers.ValidationError({expected: [message]})
        data["configPath"] = data["configPath"] or DEFAULT_CONFIG
        return data


def read_source(data: dict) -> sources.Source:
    """The import's files from the request (``SourceError`` when they cannot be read safely)."""
    if data["sourceType"] == "upload_archive":
        return sources.from_archive(data["archiveFile"])
    if data["sourceType"] == "upload_files":
        return sources.from_files((getattr(f, "path_in_upload", f.name), f) for f in data["files"])
    return sources.from_git(data["gitUrl"])


class ResourceImportView(generics.GenericAPIView):
    """Import plugins, parameter types and entrypoints described by a ``dioptra.toml``.

    The answer lists what was created, updated or left unchanged; any problem (each with its
    file, line and column) imports nothing.
    """

    serializer_class = ResourceImportSerializer
    parser_classes = [PathMultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": ResourceImportSerializer}, responses=OpenApiTypes.OBJECT
    )
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = data["group"]
        if not can(user=request.user, group=group, action="write"):
            raise PermissionDenied(WRITE_FORBIDDEN.format(group=group.name))
        try:
            source = read_source(data)
        except sources.SourceError as error:
            field = SOURCE_TYPES[data["sourceType"]]
            return Response({field: [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = resources_import(
                user=request.user,
                group=group,
                source=source,
                config_path=data["configPath"],
                on_conflict=data["resolveNameConflictsStrategy"],
            )
        except ImportFailed as failed:
            return Response(failed.to_dict(), status=failed.status)
        return Response(result.to_dict())


class ResourceExportQuerySerializer(serializers.Serializer):
    groupId = VisiblePrimaryKeyField(Group, help_text="The group whose resources are exported.")
    entrypoints = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="Entrypoint ids (repeat the key); all of the group's when omitted.",
    )


class ResourceExportView(generics.GenericAPIView):
    """A .tar.gz of entrypoints (or all of a group's resources) in Dioptra's import format: the
    ``dioptra.toml``, the plugins they run and their YAML files, ready for ``resourceImport``."""

    serializer_class = ResourceExportQuerySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("groupId", OpenApiTypes.INT, required=True),
            OpenApiParameter("entrypoints", OpenApiTypes.INT, many=True),
        ],
        responses={(200, "application/gzip"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        query = self.get_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group, ids = query.validated_data["groupId"], query.validated_data.get("entrypoints")
        entrypoints = None
        if ids:
            readable = Entrypoint.objects.for_user(request.user, "read").filter(group=group)
            found = {e.pk: e for e in readable.filter(pk__in=ids)}
            if missing := [pk for pk in dict.fromkeys(ids) if pk not in found]:
                errors = [NOT_IN_GROUP.format(pk=pk) for pk in missing]
                return Response({"entrypoints": errors}, status=status.HTTP_400_BAD_REQUEST)
            entrypoints = [found[pk] for pk in dict.fromkeys(ids)]
        stem = (
            slug(entrypoints[0].name) if entrypoints and len(entrypoints) == 1 else slug(group.name)
        )
        stem += "-resources"
        files = resources_export(group=group, entrypoints=entrypoints)
        response = HttpResponse(as_tar_gz(files, folder=stem), content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="{stem}.tar.gz"'
        return response
