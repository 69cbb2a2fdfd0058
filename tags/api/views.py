"""``/tags/`` and the ``/{resource}/{id}/tags`` sub-collection every taggable resource shares."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.refs import TagRefSerializer
from core.api.serializers import DeletedSerializer
from core.api.viewsets import PLAIN_LIST, GroupOwnedViewSet, deleted_response
from tags import services
from tags.api.resources import TagResourcesMixin
from tags.api.serializers import (
    TagCreateSerializer,
    TagIdsSerializer,
    TagSerializer,
    TagUpdateSerializer,
)
from tags.models import Tag
from tags.selectors import tag_list_for_resource


class TagViewSet(TagResourcesMixin, GroupOwnedViewSet):
    """Tags: ``{group, name}``; not versioned (no snapshot, no ETag)."""

    queryset = Tag.objects.select_related("group", "creator")
    serializer_class = TagSerializer
    versioned = False
    lookup_value_regex = "[0-9]+"
    search_fields = {"name": "name"}
    sort_fields = {"name": "name", "createdOn": "created_on", "lastModifiedOn": "last_modified_on"}

    @extend_schema(request=TagCreateSerializer, responses=TagSerializer)
    def create(self, request):
        data = self.validated(TagCreateSerializer)
        self.require(data["group"])
        tag = services.tag_create(user=request.user, group=data["group"], name=data["name"])
        return self.written(tag)

    @extend_schema(request=TagUpdateSerializer, responses=TagSerializer)
    def update(self, request, pk=None):
        tag = self.get_writable_object()
        name = self.validated(TagUpdateSerializer)["name"]
        tag = services.tag_update(user=request.user, tag=tag, name=name)
        return self.written(tag)

    def destroy(self, request, pk=None):
        tag = self.get_writable_object()
        services.tag_delete(user=request.user, tag=tag)
        return deleted_response(tag.pk)


class ResourceTagsMixin:
    """Adds Dioptra's tags sub-collection to a ``GroupOwnedViewSet`` of a model with ``tags``.

    ``GET/POST/PUT/DELETE {id}/tags`` read, append, replace or clear the tags (POST/PUT take
    ``{ids: [tag id]}`` and answer the resulting list); ``DELETE {id}/tags/{tagId}`` removes one.
    Reading needs the read role, changing the write role; tags are not versioned, so no new
    snapshot is written and ``If-Match`` does not apply.
    """

    def _tags_response(self, resource) -> Response:
        return Response(TagRefSerializer(tag_list_for_resource(resource=resource), many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=TagRefSerializer(many=True))
    @extend_schema(
        methods=["POST", "PUT"], request=TagIdsSerializer, responses=TagRefSerializer(many=True)
    )
    @extend_schema(methods=["DELETE"], request=None, responses={200: DeletedSerializer})
    @action(detail=True, methods=["get", "post", "put", "delete"], url_path="tags", **PLAIN_LIST)
    def tags(self, request, pk=None):
        resource = self.get_object()
        if request.method == "GET":
            return self._tags_response(resource)
        self.require(resource.group)
        if request.method == "DELETE":
            removed = list(tag_list_for_resource(resource=resource))
            services.resource_tags_remove(resource=resource, tags=removed)
            return Response({"id": [tag.pk for tag in removed], "status": "Success"})
        change = (
            services.resource_tags_add if request.method == "POST" else services.resource_tags_set
        )
        change(user=request.user, resource=resource, ids=self.validated(TagIdsSerializer)["ids"])
        return self._tags_response(resource)

    @extend_schema(request=None, responses={200: DeletedSerializer})
    @action(detail=True, methods=["delete"], url_path=r"tags/(?P<tag_id>[0-9]+)", **PLAIN_LIST)
    def tag_remove(self, request, pk=None, tag_id=None):
        resource = self.get_object()
        self.require(resource.group)
        tag = get_object_or_404(tag_list_for_resource(resource=resource), pk=tag_id)
        services.resource_tags_remove(resource=resource, tags=[tag])
        return deleted_response(tag.pk)
