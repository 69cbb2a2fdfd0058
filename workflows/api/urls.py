from django.urls import re_path

from workflows.api.views import ResourceImportView


def register(router) -> list:
    """This app has no viewsets; its one path works with and without a trailing slash."""
    return [
        re_path(
            r"^workflows/resourceImport/?$", ResourceImportView.as_view(), name="resource-import"
        )
    ]
