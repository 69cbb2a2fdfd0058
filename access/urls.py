"""The groups pages (the API's routes are in ``access/api/urls.py``)."""

from django.urls import path

from access import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/members", views.member_add, name="member-add"),
    path("<int:pk>/members/<int:user_id>/role", views.member_role, name="member-role"),
    path("<int:pk>/members/<int:user_id>/remove", views.member_remove, name="member-remove"),
]
