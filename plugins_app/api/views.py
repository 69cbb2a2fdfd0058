"""``/pluginParameterTypes``, ``/plugins``, ``/plugins/{id}/files`` and signature analysis.

Views check access and shape the input; the services write and the selectors read.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.snapshots import SnapshotsMixin, snapshots_schema
from core.api.viewsets import GroupOwnedViewSet, deleted_response
from plugins_app import selectors, services
from plugins_app.api import serializers as s
from plugins_app.signatures import SourceError, analyse_tasks
from tags.api.views import ResourceTagsMixin


class PluginAppViewSet(SnapshotsMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Shared parts: numeric ids, snapshots and tags."""

    lookup_value_regex = "[0-9]+"


@snapshots_schema(s.ParameterTypeSerializer)
class ParameterTypeViewSet(PluginAppViewSet):
    """Plugin parameter types ``{group, name, description, structure}``; builtins are read-only."""

    serializer_class = s.ParameterTypeSerializer
    body_serializers = {
        "create": s.ParameterTypeCreateSerializer,
        "update": s.ParameterTypeUpdateSerializer,
    }
    search_fields = {"name": "name", "description": "description"}
    sort_fields = {"name": "name", "createdOn": "created_on", "lastModifiedOn": "last_modified_on"}

    def get_queryset(self):
        return selectors.parameter_type_list(user=self.request.user)

    @extend_schema(request=s.ParameterTypeCreateSerializer, responses=s.ParameterTypeSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        return self.written(services.parameter_type_create(user=request.user, **data))

    @extend_schema(request=s.ParameterTypeUpdateSerializer, responses=s.ParameterTypeSerializer)
    def update(self, request, pk=None):
        param_type = self.get_writable_object()
        data = self.validated()
        return self.written(
            services.parameter_type_update(user=request.user, param_type=param_type, **data)
        )

    def destroy(self, request, pk=None):
        param_type = self.get_writable_object()
        services.parameter_type_delete(user=request.user, param_type=param_type)
        return deleted_response(param_type.pk)


@snapshots_schema(s.PluginSnapshotSerializer)
class PluginViewSet(PluginAppViewSet):
    """Plugins ``{group, name, description}``; reads list the live files with their tasks."""

    serializer_class = s.PluginSerializer
    snapshot_serializer_class = s.PluginSnapshotSerializer
    body_serializers = {"create": s.PluginCreateSerializer, "update": s.PluginUpdateSerializer}
    search_fields = {"name": "name", "description": "description"}
    sort_fields = {
        "name": "name",
        "description": "description",
        "createdOn": "created_on",
        "lastModifiedOn": "last_modified_on",
    }

    def get_queryset(self):
        return selectors.plugin_list(user=self.request.user)

    def prepare(self, objects):
        selectors.with_parameter_types([f for plugin in objects for f in plugin.live_files])
        return objects

    @extend_schema(request=s.PluginCreateSerializer, responses=s.PluginSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        return self.written(services.plugin_create(user=request.user, **data))

    @extend_schema(request=s.PluginUpdateSerializer, responses=s.PluginSerializer)
    def update(self, request, pk=None):
        plugin = self.get_writable_object()
        data = self.validated()
        return self.written(services.plugin_update(user=request.user, plugin=plugin, **data))

    def destroy(self, request, pk=None):
        plugin = self.get_writable_object()
        services.plugin_delete(user=request.user, plugin=plugin)
        return deleted_response(plugin.pk)


@snapshots_schema(s.PluginFileSerializer)
class PluginFileViewSet(PluginAppViewSet):
    """``/plugins/{pluginId}/files``: the files of a plugin the caller can see (404 otherwise)."""

    # The plugin id is taken off the URL arguments in ``dispatch`` so that the actions shared
    # with other resources (snapshots, tags) see only the file's ``pk``.

    serializer_class = s.PluginFileSerializer
    body_serializers = {
        "create": s.PluginFileWriteSerializer,
        "update": s.PluginFileWriteSerializer,
    }
    search_fields = {"filename": "filename", "description": "description", "contents": "contents"}
    sort_fields = {
        "filename": "filename",
        "createdOn": "created_on",
        "lastModifiedOn": "last_modified_on",
    }

    def dispatch(self, request, *args, plugin_pk=None, **kwargs):
        self.plugin_pk = plugin_pk
        return super().dispatch(request, *args, **kwargs)

    def get_plugin(self):
        if not hasattr(self, "_plugin"):
            self._plugin = selectors.plugin_get(user=self.request.user, pk=self.plugin_pk)
        return self._plugin

    def get_queryset(self):
        return selectors.plugin_file_list(user=self.request.user, plugin=self.get_plugin())

    def snapshot_records(self, obj):
        return super().snapshot_records(obj).select_related("plugin__group")

    def prepare(self, objects):
        return selectors.with_parameter_types(objects)

    prepare_snapshots = prepare

    @extend_schema(request=s.PluginFileWriteSerializer, responses=s.PluginFileSerializer)
    def create(self, request):
        plugin = self.get_plugin()
        self.require(plugin.group)
        data = self.validated()
        return self.written(services.plugin_file_create(user=request.user, plugin=plugin, **data))

    @extend_schema(request=s.PluginFileWriteSerializer, responses=s.PluginFileSerializer)
    def update(self, request, pk=None):
        plugin_file = self.get_writable_object()
        data = self.validated()
        return self.written(
            services.plugin_file_update(user=request.user, plugin_file=plugin_file, **data)
        )

    def destroy(self, request, pk=None):
        plugin_file = self.get_writable_object()
        services.plugin_file_delete(user=request.user, plugin_file=plugin_file)
        return deleted_response(plugin_file.pk)

    @extend_schema(operation_id="v1_plugins_files_destroy_all", request=None)
    def destroy_all(self, request):
        """``DELETE /plugins/{id}/files``: every file, in one plugin snapshot."""
        plugin = self.get_plugin()
        self.require(plugin.group)
        removed = services.plugin_files_delete(user=request.user, plugin=plugin)
        return deleted_response(*removed)


class SignatureAnalysisView(APIView):
    """``POST /workflows/pluginTaskSignatureAnalysis`` ``{pythonCode}`` -> ``{tasks: [...]}``.

    The code is parsed, never run; code that does not parse answers 400 naming the line.
    """

    serializer_class = s.SignatureAnalysisRequestSerializer  # the browsable API's form

    @extend_schema(
        request=s.SignatureAnalysisRequestSerializer, responses=s.SignatureAnalysisSerializer
    )
    def post(self, request):
        body = s.SignatureAnalysisRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            return Response({"tasks": analyse_tasks(body.validated_data["pythonCode"])})
        except SourceError as error:
            raise ValidationError({"pythonCode": [str(error)]}) from error
