from django.urls import re_path

from entrypoints.api.views import EntrypointViewSet, ValidateEntrypointView


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("entrypoints", EntrypointViewSet, basename="entrypoint")
    return [
        re_path(
            r"^workflows/validateEntrypoint/?$",
            ValidateEntrypointView.as_view(),
            name="validate-entrypoint",
        ),
    ]
