"""``POST /workflows/resourceImport``: Dioptra's resource import (multipart), all or nothing."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from access.models import Group
from access.selectors import can
from core.api.fields import VisiblePrimaryKeyField
from core.api.viewsets import WRITE_FORBIDDEN
from entrypoints.models import Entrypoint
from workflows.api.parsers import PathMultiPartParser
from workflows.api.serializers import ResourceImportSerializer, UnreadableSource, import_body
from workflows.resource_export import as_tar_gz, resources_export, slug
from workflows.resource_import import ImportFailed

NOT_IN_GROUP = "Entrypoint with id={pk} does not exist in this group or is not visible to you."


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
            result = import_body(user=request.user, data=data)
        except UnreadableSource as error:
            return Response({error.field: [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
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
