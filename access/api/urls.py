from django.urls import re_path

from access.api.views import GroupViewSet, UserViewSet
from core.api.auth_views import LoginView, LogoutView, TokenView


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("users", UserViewSet, basename="user")
    router.register("groups", GroupViewSet, basename="group")
    return [
        re_path(r"^auth/login/?$", LoginView.as_view(), name="auth-login"),
        re_path(r"^auth/logout/?$", LogoutView.as_view(), name="auth-logout"),
        re_path(r"^auth/token/?$", TokenView.as_view(), name="auth-token"),
    ]
