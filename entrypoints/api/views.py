"""``/entrypoints/`` with its sub-collections, and ``/workflows/validateEntrypoint``.

Thin: bodies are checked by the serializers, writes go through ``entrypoints.services``, reads
through ``entrypoints.selectors`` (``for_user`` scoped: other groups' entrypoints answer 404).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.refs import QueueRefSerializer
from core.api.related import related_ids_mixin
from core.api.search import ListQuerySerializer, search_q, tag_search
from core.api.serializers import DeletedSerializer
from core.api.viewsets import PLAIN_LIST, GroupOwnedViewSet, deleted_response
from entrypoints import engine, selectors, services
from entrypoints.api.serializers import (
    ArtifactPluginIdsSerializer,
    AttachedPluginSerializer,
    EntrypointCreateSerializer,
    EntrypointSerializer,
    EntrypointUpdateSerializer,
    PluginIdsSerializer,
    ValidateEntrypointResultSerializer,
    ValidateEntrypointSerializer,
    ValidateOnlySerializer,
    attached_plugin_data,
)
from entrypoints.models import Entrypoint
from tags.api.views import ResourceTagsMixin

FIELDS = {
    "name": "name",
    "description": "description",
    "taskGraph": "task_graph",
    "createdOn": "created_on",
    "lastModifiedOn": "last_modified_on",
}


# Dioptra's search field names (snake_case) are accepted beside the contract's camelCase ones.
SNAPSHOT_SEARCH_FIELDS = FIELDS | {"task_graph": "task_graph", "artifact_graph": "artifact_graph"}
SEARCH_FIELDS = SNAPSHOT_SEARCH_FIELDS | {"tag": tag_search(Entrypoint)}
# Sub-collections answer plain arrays (as Dioptra does): no paging, no list query.
SEARCH = OpenApiParameter(
    "search",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="As on the list: plain terms or `field:value`.",
)
SNAPSHOT_FIELDS = ("snapshot", "snapshotCreatedOn", "lastModifiedOn")
VALIDATE_ONLY = OpenApiParameter(
    "validateOnly",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description="Check and answer the result, but store nothing.",
)
PLUGIN_ID = OpenApiParameter("plugin_id", OpenApiTypes.INT, OpenApiParameter.PATH)
SNAPSHOT_ID = OpenApiParameter("snapshot_id", OpenApiTypes.INT, OpenApiParameter.PATH)


# Queues are not versioned (as in Dioptra): changing them writes no snapshot.
EntrypointQueuesMixin = related_ids_mixin(
    "queues",
    item="queue",
    ref_serializer=QueueRefSerializer,
    description=(
        "The queues that may run the entrypoint: POST appends, PUT replaces, DELETE clears."
    ),
)


class EntrypointViewSet(EntrypointQueuesMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Entrypoints: versioned (snapshot, ETag, If-Match); reads carry ``valid``/``issues``."""

    serializer_class = EntrypointSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = SEARCH_FIELDS
    sort_fields = FIELDS
    body_serializers = {"create": EntrypointCreateSerializer, "update": EntrypointUpdateSerializer}

    def get_queryset(self):
        return selectors.entrypoint_list(user=self.request.user)

    def get_object(self):
        obj = super().get_object()
        # Only reads show the attached plugins; writes answer a fresh read (``written``).
        if self.request.method in ("GET", "HEAD"):
            selectors.with_attachments([obj])
        return obj

    def written(self, entrypoint) -> Response:
        fresh = selectors.entrypoint_get(user=self.request.user, pk=entrypoint.pk)
        return self.with_etag(Response(EntrypointSerializer(fresh).data), fresh)

    def _write(self, write, *, generated: tuple[str, ...]) -> Response:
        """Run ``write``; with ``?validateOnly=true`` (Dioptra 1.2) roll it back and answer the
        would-be entrypoint without the values only a real write generates."""
        query = ValidateOnlySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        with transaction.atomic():
            response = self.written(write())
            if not query.validated_data["validateOnly"]:
                return response
            transaction.set_rollback(True)
        return Response({k: v for k, v in response.data.items() if k not in generated})

    # The resource --------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.with_attachments(page)
        return self.get_paginated_response(EntrypointSerializer(page, many=True).data)

    @extend_schema(
        request=EntrypointCreateSerializer,
        responses={200: EntrypointSerializer},
        parameters=[VALIDATE_ONLY],
    )
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        return self._write(
            lambda: services.entrypoint_create(user=request.user, **data),
            generated=(*SNAPSHOT_FIELDS, "id", "createdOn"),
        )

    @extend_schema(
        request=EntrypointUpdateSerializer,
        responses=EntrypointSerializer,
        parameters=[VALIDATE_ONLY],
    )
    def update(self, request, pk=None):
        entrypoint = self.get_writable_object()
        data = self.validated()
        return self._write(
            lambda: services.entrypoint_update(user=request.user, entrypoint=entrypoint, **data),
            generated=SNAPSHOT_FIELDS,
        )

    @extend_schema(responses={200: DeletedSerializer})
    def destroy(self, request, pk=None):
        entrypoint = self.get_writable_object()
        services.entrypoint_delete(user=request.user, entrypoint=entrypoint)
        return deleted_response(entrypoint.pk)

    # Plugins and artifact plugins ----------------------------------------------------------------

    def _plugin_list(self, entrypoint, attached) -> Response:
        return Response([attached_plugin_data(plugin, entrypoint.group) for plugin in attached])

    def _one_plugin(self, entrypoint, attached, plugin_id) -> Response:
        for plugin in attached:
            if plugin.id == int(plugin_id):
                return Response(attached_plugin_data(plugin, entrypoint.group))
        raise Http404

    def _plugins(self, request, *, kind: str, attach, field: str, attribute: str):
        entrypoint = self.get_object()
        if request.method == "POST":
            self.require(entrypoint.group)
            self.check_if_match(entrypoint)
            plugins = self.validated()[field]
            attach(user=request.user, entrypoint=entrypoint, **{kind: plugins})
            entrypoint = selectors.entrypoint_get(user=request.user, pk=entrypoint.pk)
            return self.with_etag(
                self._plugin_list(entrypoint, getattr(entrypoint, attribute)), entrypoint
            )
        return self._plugin_list(entrypoint, getattr(entrypoint, attribute))

    def _plugin(self, request, plugin_id, *, detach, attribute: str):
        entrypoint = self.get_object()
        if request.method == "DELETE":
            self.require(entrypoint.group)
            self.check_if_match(entrypoint)
            try:
                detach(user=request.user, entrypoint=entrypoint, plugin_id=int(plugin_id))
            except LookupError:
                raise Http404 from None
            return deleted_response(int(plugin_id))
        return self._one_plugin(entrypoint, getattr(entrypoint, attribute), plugin_id)

    @extend_schema(methods=["GET"], request=None, responses=AttachedPluginSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=PluginIdsSerializer,
        responses={200: AttachedPluginSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="plugins",
        serializer_class=PluginIdsSerializer,
        **PLAIN_LIST,
    )
    def plugins(self, request, pk=None):
        """The attached plugins; POST attaches (or syncs to their latest snapshot) plugins."""
        return self._plugins(
            request,
            kind="plugins",
            field="plugins",
            attribute="attached_plugins",
            attach=services.entrypoint_plugins_attach,
        )

    @extend_schema(methods=["GET"], parameters=[PLUGIN_ID], responses=AttachedPluginSerializer)
    @extend_schema(methods=["DELETE"], parameters=[PLUGIN_ID], responses={200: DeletedSerializer})
    @action(detail=True, methods=["get", "delete"], url_path=r"plugins/(?P<plugin_id>[0-9]+)")
    def plugin(self, request, pk=None, plugin_id=None):
        return self._plugin(
            request,
            plugin_id,
            attribute="attached_plugins",
            detach=services.entrypoint_plugin_detach,
        )

    @extend_schema(methods=["GET"], request=None, responses=AttachedPluginSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ArtifactPluginIdsSerializer,
        responses={200: AttachedPluginSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="artifactPlugins",
        serializer_class=ArtifactPluginIdsSerializer,
        **PLAIN_LIST,
    )
    def artifact_plugins(self, request, pk=None):
        """The attached artifact plugins; POST attaches (or syncs) artifact plugins."""
        return self._plugins(
            request,
            kind="artifact_plugins",
            field="artifactPlugins",
            attribute="attached_artifact_plugins",
            attach=services.entrypoint_artifact_plugins_attach,
        )

    @extend_schema(methods=["GET"], parameters=[PLUGIN_ID], responses=AttachedPluginSerializer)
    @extend_schema(methods=["DELETE"], parameters=[PLUGIN_ID], responses={200: DeletedSerializer})
    @action(
        detail=True, methods=["get", "delete"], url_path=r"artifactPlugins/(?P<plugin_id>[0-9]+)"
    )
    def artifact_plugin(self, request, pk=None, plugin_id=None):
        return self._plugin(
            request,
            plugin_id,
            attribute="attached_artifact_plugins",
            detach=services.entrypoint_artifact_plugin_detach,
        )

    # Snapshots -----------------------------------------------------------------------------------

    @extend_schema(responses=EntrypointSerializer(many=True), parameters=[SEARCH])
    @action(detail=True, methods=["get"], url_path="snapshots", filter_backends=[])
    def snapshots(self, request, pk=None):
        """Every snapshot, oldest first (``search`` applies as on the list)."""
        entrypoint = super().get_object()
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        records = selectors.entrypoint_snapshot_list(entrypoint=entrypoint)
        if search := query.validated_data.get("search"):
            records = records.filter(search_q(search, SNAPSHOT_SEARCH_FIELDS))
        page = self.paginate_queryset(records)
        selectors.prepare_snapshots(page, entrypoint=entrypoint)
        return self.get_paginated_response(EntrypointSerializer(page, many=True).data)

    def _snapshot(self, snapshot_id):
        entrypoint = super().get_object()
        try:
            return selectors.entrypoint_snapshot_get(entrypoint=entrypoint, snapshot_id=snapshot_id)
        except ObjectDoesNotExist:
            raise Http404 from None

    @extend_schema(parameters=[SNAPSHOT_ID], responses=EntrypointSerializer)
    @action(detail=True, methods=["get"], url_path=r"snapshots/(?P<snapshot_id>[0-9]+)")
    def snapshot(self, request, pk=None, snapshot_id=None):
        return Response(EntrypointSerializer(self._snapshot(snapshot_id)).data)

    @extend_schema(parameters=[SNAPSHOT_ID], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path=r"snapshots/(?P<snapshot_id>[0-9]+)/config")
    def snapshot_config(self, request, pk=None, snapshot_id=None):
        """The full task-graph document built for that snapshot (what a job of it runs)."""
        return Response(engine.snapshot_document(self._snapshot(snapshot_id)))

    @extend_schema(
        operation_id="v1_entrypoints_snapshot_artifact_plugins_list",
        parameters=[SNAPSHOT_ID],
        responses=AttachedPluginSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"snapshots/(?P<snapshot_id>[0-9]+)/artifactPlugins",
        **PLAIN_LIST,
    )
    def snapshot_artifact_plugins(self, request, pk=None, snapshot_id=None):
        """The artifact plugins pinned by that snapshot (Dioptra's
        ``snapshots.get_artifact_plugins``)."""
        snapshot = self._snapshot(snapshot_id)
        return self._plugin_list(snapshot, snapshot.attached_artifact_plugins)


class ValidateEntrypointView(generics.GenericAPIView):
    """Validate a proposed entrypoint without storing it: ``{schemaValid, schemaIssues}``."""

    serializer_class = ValidateEntrypointSerializer

    @extend_schema(
        request=ValidateEntrypointSerializer, responses=ValidateEntrypointResultSerializer
    )
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        artifact_field = "artifacts" if "artifacts" in data else "artifactParameters"
        result = services.entrypoint_validate(
            user=request.user,
            group=data["group"],
            task_graph=data["taskGraph"],
            artifact_graph=data["artifactGraph"],
            plugin_snapshot_ids=data["pluginSnapshots"],
            artifact_plugin_snapshot_ids=data["artifactPluginSnapshots"],
            parameters=data["parameters"],
            artifact_parameters=data.get(artifact_field, []),
            artifact_field=artifact_field,
        )
        return Response(
            {
                "schemaValid": result.valid,
                "schemaIssues": [issue.to_dict() for issue in result.issues],
            }
        )
