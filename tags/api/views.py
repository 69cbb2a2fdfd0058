"""``/tags/`` and the ``/{resource}/{id}/tags`` sub-collection every taggable resource shares."""

from drf_spectacular.utils import extend_schema

from core.api.refs import TagRefSerializer
from core.api.related import related_ids_mixin
from core.api.viewsets import GroupOwnedViewSet, deleted_response
from tags import services
from tags.api.resources import TagResourcesMixin
from tags.api.serializers import TagCreateSerializer, TagSerializer, TagUpdateSerializer
from tags.models import Tag


class TagViewSet(TagResourcesMixin, GroupOwnedViewSet):
    """Tags: ``{group, name}``; not versioned (no snapshot, no ETag)."""

    queryset = Tag.objects.select_related("group", "creator")
    serializer_class = TagSerializer
    versioned = False
    lookup_value_regex = "[0-9]+"
    search_fields = {"name": "name"}
    sort_fields = {"name": "name", "createdOn": "created_on", "lastModifiedOn": "last_modified_on"}
    body_serializers = {"create": TagCreateSerializer, "update": TagUpdateSerializer}

    @extend_schema(request=TagCreateSerializer, responses=TagSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        tag = services.tag_create(user=request.user, group=data["group"], name=data["name"])
        return self.written(tag)

    @extend_schema(request=TagUpdateSerializer, responses=TagSerializer)
    def update(self, request, pk=None):
        tag = self.get_writable_object()
        name = self.validated()["name"]
        tag = services.tag_update(user=request.user, tag=tag, name=name)
        return self.written(tag)

    def destroy(self, request, pk=None):
        tag = self.get_writable_object()
        services.tag_delete(user=request.user, tag=tag)
        return deleted_response(tag.pk)


# The tags sub-collection of every taggable resource: ``{id}/tags`` and ``{id}/tags/{tag_id}``.
ResourceTagsMixin = related_ids_mixin("tags", item="tag", ref_serializer=TagRefSerializer)
