"""Routes of the plugins app; every path works with and without a trailing slash."""

from django.urls import re_path

from core.api.routers import OptionalSlashRouter
from plugins_app.api.views import (
    ParameterTypeViewSet,
    PluginFileViewSet,
    PluginViewSet,
    SignatureAnalysisView,
)


class FilesRouter(OptionalSlashRouter):
    """Adds Dioptra's ``DELETE /plugins/{id}/files`` (all files) to the list route."""

    include_root_view = False
    include_format_suffixes = False
    routes = [
        route._replace(mapping={**route.mapping, "delete": "destroy_all"})
        if route.name == "{basename}-list"
        else route
        for route in OptionalSlashRouter.routes
    ]


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("pluginParameterTypes", ParameterTypeViewSet, basename="plugin-parameter-type")
    router.register("plugins", PluginViewSet, basename="plugin")
    files = FilesRouter()
    files.register(
        r"plugins/(?P<plugin_pk>[0-9]+)/files", PluginFileViewSet, basename="plugin-file"
    )
    return [
        *files.urls,
        re_path(
            r"^workflows/pluginTaskSignatureAnalysis/?$",
            SignatureAnalysisView.as_view(),
            name="plugin-task-signature-analysis",
        ),
    ]
