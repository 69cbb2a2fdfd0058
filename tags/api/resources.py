"""``GET /tags/{id}/resources``: what a tag labels (Dioptra's ``tags.get_resources_for_tag``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action

from core.api.refs import ref_url
from tags.selectors import TAGGED_RESOURCE_TYPES, tagged_resources

COLLECTIONS = {
    "artifact": "artifacts",
    "entry_point": "entrypoints",
    "experiment": "experiments",
    "job": "jobs",
    "plugin": "plugins",
    "plugin_task_parameter_type": "pluginParameterTypes",
    "queue": "queues",
}


def resource_url(kind: str, pk: int, plugin_id: int | None) -> str:
    if kind == "plugin_file":
        return ref_url("plugins", f"{plugin_id}/files/{pk}")
    return ref_url(COLLECTIONS[kind], pk)


ResourceUrlsPage = inline_serializer(
    "TagResourcesPage",
    {
        "index": serializers.IntegerField(),
        "isComplete": serializers.BooleanField(),
        "totalNumResults": serializers.IntegerField(),
        "first": serializers.CharField(),
        "prev": serializers.CharField(required=False),
        "next": serializers.CharField(required=False),
        "data": serializers.ListField(child=serializers.CharField()),
    },
)


class TagResourcesMixin:
    """Adds ``{id}/resources`` to the tags viewset: a page of the URLs (``/api/v1/...``) of the
    live objects labelled with the tag, by type then id; ``resourceType`` (Dioptra's names:
    ``entry_point``, ``queue``, ``plugin``, ``plugin_file``, ``plugin_task_parameter_type``,
    ``experiment``, ``job``, ``artifact``)
    keeps one type."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "resourceType",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(TAGGED_RESOURCE_TYPES),
            ),
            OpenApiParameter("index", OpenApiTypes.INT, OpenApiParameter.QUERY),
            OpenApiParameter("pageLength", OpenApiTypes.INT, OpenApiParameter.QUERY),
        ],
        responses=ResourceUrlsPage,
    )
    @action(detail=True, methods=["get"], url_path="resources", filter_backends=[])
    def resources(self, request, pk=None):
        tag = self.get_object()
        rows = tagged_resources(tag=tag, resource_type=request.query_params.get("resourceType"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([resource_url(*row) for row in page])
