"""Dioptra's "related ids" sub-collections, one mixin for every such relation of a resource.

``GET/POST/PUT/DELETE {id}/<relation>`` read, append to, replace or clear the related objects
(POST and PUT take ``{ids: [id]}`` and answer the resulting list); ``DELETE
{id}/<relation>/{itemId}`` takes one off. Reading needs the read role, changing the write role;
the relation is not versioned, so no snapshot is written and ``If-Match`` does not apply.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.serializers import DeletedSerializer, IdsSerializer
from core.api.viewsets import PLAIN_LIST, deleted_response
from core.related import related_add, related_list, related_remove


def related_ids_mixin(relation: str, *, item: str, ref_serializer, description: str = "") -> type:
    """A mixin for a ``GroupOwnedViewSet`` whose objects have the many-to-many field
    ``relation``: the actions ``<relation>`` and ``<item>_remove`` (its path parameter is
    ``<item>_id``), answering refs rendered by ``ref_serializer``."""
    item_id = f"{item}_id"

    def listed(resource) -> Response:
        objects = related_list(resource=resource, relation=relation)
        return Response(ref_serializer(objects, many=True).data)

    def collection(self, request, pk=None, **kwargs):
        resource = self.get_object()
        if request.method == "GET":
            return listed(resource)
        self.require(resource.group)
        if request.method == "DELETE":
            removed = list(related_list(resource=resource, relation=relation))
            related_remove(resource=resource, relation=relation, objects=removed)
            return deleted_response(*(obj.pk for obj in removed))
        related_add(
            user=request.user,
            resource=resource,
            relation=relation,
            ids=self.validated()["ids"],
            replace=request.method == "PUT",
        )
        return listed(resource)

    def remove(self, request, pk=None, **kwargs):
        resource = self.get_object()
        self.require(resource.group)
        related = related_list(resource=resource, relation=relation)
        obj = get_object_or_404(related, pk=kwargs[item_id])
        related_remove(resource=resource, relation=relation, objects=[obj])
        return deleted_response(obj.pk)

    # DRF names an action (its route, its ``self.action``) after the function.
    collection.__name__, collection.__doc__ = relation, description or None
    remove.__name__ = f"{item}_remove"
    refs = ref_serializer(many=True)
    for decorate in (
        action(
            detail=True,
            methods=["get", "post", "put", "delete"],
            url_path=relation,
            serializer_class=IdsSerializer,
            **PLAIN_LIST,
        ),
        extend_schema(methods=["DELETE"], request=None, responses={200: DeletedSerializer}),
        extend_schema(methods=["POST", "PUT"], request=IdsSerializer, responses=refs),
        extend_schema(methods=["GET"], request=None, responses=refs),
    ):
        collection = decorate(collection)
    for decorate in (
        action(
            detail=True,
            methods=["delete"],
            url_path=rf"{relation}/(?P<{item_id}>[0-9]+)",
            **PLAIN_LIST,
        ),
        extend_schema(
            request=None,
            parameters=[OpenApiParameter(item_id, OpenApiTypes.INT, OpenApiParameter.PATH)],
            responses={200: DeletedSerializer},
        ),
    ):
        remove = decorate(remove)
    name = f"Related{relation.title()}Mixin"
    return type(name, (), {collection.__name__: collection, remove.__name__: remove})
