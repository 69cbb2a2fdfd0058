"""``access.demo.load_access_demo``: the demo users and group, idempotent."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from access.demo import load_access_demo
from access.models import Membership
from access.roles import Role


@pytest.mark.django_db
class TestAccessDemo:
    def test_creates_users_and_group_once(self):
        first = list(load_access_demo())
        assert "Created superuser 'admin' (password 'admin')." in first
        second = list(load_access_demo())
        assert not [line for line in second if line.startswith("Created")]
        roles = dict(
            Membership.objects.filter(user__username="alice").values_list("group__name", "role")
        )
        assert roles == {"public": Role.WRITE, "lab": Role.MANAGE}
        assert get_user_model().objects.get(username="admin").is_superuser

    @pytest.mark.parametrize("username, password", [("alice", "alice-demo"), ("admin", "admin")])
    def test_demo_users_can_log_in(self, username, password):
        list(load_access_demo())
        response = APIClient().post(
            "/api/v1/auth/login", {"username": username, "password": password}, format="json"
        )
        assert response.status_code == 200

    def test_restores_alices_role_in_lab(self):
        list(load_access_demo())
        Membership.objects.filter(user__username="alice", group__name="lab").update(role=Role.READ)
        assert "alice manages 'lab'." in list(load_access_demo())
