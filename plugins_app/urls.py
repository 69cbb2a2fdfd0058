"""The plugin and parameter type pages (the API's routes are in ``plugins_app/api/urls.py``)."""

from django.urls import path

from plugins_app import history_views, type_views, views

plugin_urls = (
    [
        path("", views.plugin_list, name="list"),
        path("new/", views.plugin_new, name="new"),
        path("<int:pk>/", views.plugin_detail, name="detail"),
        path("<int:pk>/delete", views.plugin_delete, name="delete"),
        path("<int:pk>/sync", views.plugin_sync, name="sync"),
        path("<int:pk>/history", history_views.plugin_history, name="history"),
        path("<int:pk>/compare", history_views.plugin_compare, name="compare"),
        path("<int:pk>/restore/<int:sid>", history_views.plugin_restore, name="restore"),
        path("<int:pk>/files/new/", views.plugin_file_edit, name="file-new"),
        path("<int:pk>/files/<int:fid>/", views.plugin_file_edit, name="file"),
        path("<int:pk>/files/<int:fid>/delete", views.plugin_file_delete, name="file-delete"),
    ],
    "plugins",
)

type_urls = (
    [
        path("", type_views.type_list, name="list"),
        path("new/", type_views.type_new, name="new"),
        path("new/check", type_views.type_check, name="check-new"),
        path("<int:pk>/", type_views.type_edit, name="edit"),
        path("<int:pk>/check", type_views.type_check, name="check"),
        path("<int:pk>/delete", type_views.type_delete, name="delete"),
    ],
    "types",
)
