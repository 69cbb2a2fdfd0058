"""The entrypoint pages (the API's routes are in ``entrypoints/api/urls.py``)."""

from django.urls import path

from entrypoints import views

app_name = "entrypoints"

urlpatterns = [
    path("", views.entrypoint_list, name="list"),
    path("new/", views.entrypoint_new, name="new"),
    path("new/validate", views.entrypoint_validate, name="validate-new"),
    path("new/fields", views.entrypoint_fields, name="fields-new"),
    path("rows/<str:kind>", views.parameter_row, name="row"),
    path("<int:pk>/", views.entrypoint_edit, name="edit"),
    path("<int:pk>/validate", views.entrypoint_validate, name="validate"),
    path("<int:pk>/fields", views.entrypoint_fields, name="fields"),
]
