"""The entrypoint pages (the API's routes are in ``entrypoints/api/urls.py``)."""

from django.urls import path

from entrypoints import graph_views, history_views, views
from jobs import run_views

app_name = "entrypoints"

urlpatterns = [
    path("", views.entrypoint_list, name="list"),
    path("new/", views.entrypoint_new, name="new"),
    path("new/validate", views.entrypoint_validate, name="validate-new"),
    path("new/fields", views.entrypoint_fields, name="fields-new"),
    path("new/graph/actions", graph_views.graph_actions, name="graph-actions-new"),
    path("new/graph/edit", graph_views.graph_edit, name="graph-edit-new"),
    path("rows/<str:kind>", views.parameter_row, name="row"),
    path("<int:pk>/", views.entrypoint_edit, name="edit"),
    path("<int:pk>/validate", views.entrypoint_validate, name="validate"),
    path("<int:pk>/fields", views.entrypoint_fields, name="fields"),
    path("<int:pk>/graph/actions", graph_views.graph_actions, name="graph-actions"),
    path("<int:pk>/graph/edit", graph_views.graph_edit, name="graph-edit"),
    path("<int:pk>/history", history_views.entrypoint_history, name="history"),
    path("<int:pk>/compare", history_views.entrypoint_compare, name="compare"),
    path("<int:pk>/restore/<int:sid>", history_views.entrypoint_restore, name="restore"),
    path("<int:pk>/run/", run_views.entrypoint_run, name="run"),
    path("<int:pk>/run/check", run_views.entrypoint_run_check, name="run-check"),
]
