"""The import page (the API's routes are in ``workflows/api/urls.py``)."""

from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("", views.resource_import_page, name="import"),
]
