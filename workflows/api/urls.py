from django.urls import re_path

from workflows.api.views import ResourceExportView, ResourceImportView


def register(router) -> list:
    """This app has no viewsets; its paths work with and without a trailing slash."""
    return [
        re_path(
            r"^workflows/resourceImport/?$", ResourceImportView.as_view(), name="resource-import"
        ),
        re_path(
            r"^workflows/resourceExport/?$", ResourceExportView.as_view(), name="resource-export"
        ),
    ]
