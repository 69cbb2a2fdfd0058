"""One permission rule: the write check (``can``) asks the same ``for_user`` queryset as every
read, so an inactive member can neither read nor write, in the API or the admin."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from access.models import Group
from access.roles import ACTIONS
from access.selectors import can
from jobs.models import Queue
from jobs.services import queue_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "reader", "writer", "manager", "superuser", "inactive")
# What each kind of user may do in ``lab`` (``inactive`` manages it, but is deactivated).
ALLOWED = {
    "anonymous": set(),
    "outsider": set(),
    "reader": {"read"},
    "writer": {"read", "write"},
    "manager": {"read", "write", "manage"},
    "superuser": {"read", "write", "manage"},
    "inactive": set(),
}


def inactive_member(username="inactive", **roles):
    user = make_user(username, **roles)
    user.is_active = False
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def users(actors):
    return {
        **actors,
        "anonymous": AnonymousUser(),
        "inactive": inactive_member(lab="manage"),
    }


@pytest.fixture
def queue(lab):
    return queue_create(user=None, group=lab, name="lab-queue")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ROLES)
def test_the_write_check_agrees_with_for_user(who, action, users, lab, queue):
    user = users[who]
    expected = action in ALLOWED[who]
    assert can(user=user, group=lab, action=action) is expected
    assert can(user=user, group=lab.pk, action=action) is expected
    assert Group.objects.for_user(user, action).filter(pk=lab.pk).exists() is expected
    assert Queue.objects.for_user(user, action).filter(pk=queue.pk).exists() is expected


def test_scoping_keeps_annotations_over_memberships_right(users, lab):
    """The rule filters through a subquery: counting a visible group's members counts them all."""
    counts = dict(
        Group.objects.for_user(users["reader"], "read")
        .annotate(member_count=Count("memberships"))
        .values_list("name", "member_count")
    )
    assert counts["lab"] == lab.memberships.count() == 4


class TestInactiveMemberInTheAPI:
    @pytest.fixture
    def client(self, users):
        client = APIClient()
        client.force_authenticate(users["inactive"])  # past authentication, to test the rule
        return client

    def test_cannot_read(self, client, queue, lab):
        assert client.get(f"/api/v1/queues/{queue.pk}").status_code == 404
        assert client.get("/api/v1/queues").json()["data"] == []
        assert client.get(f"/api/v1/groups/{lab.pk}/members").status_code == 404

    def test_cannot_write(self, client, queue, lab, users):
        url = f"/api/v1/queues/{queue.pk}"
        body = {"name": "renamed", "description": ""}
        assert client.put(url, body, format="json").status_code == 404
        assert client.delete(url).status_code == 404
        created = client.post("/api/v1/queues", {"group": lab.pk, "name": "new"}, format="json")
        assert created.status_code == 400 and "group" in created.json()
        members = client.post(
            f"/api/v1/groups/{lab.pk}/members",
            {"user": users["reader"].pk, "role": "manage"},
            format="json",
        )
        assert members.status_code == 404
        queue.refresh_from_db()
        assert (queue.name, queue.deleted_on) == ("lab-queue", None)
        assert not Queue.objects.filter(name="new").exists()

    def test_a_token_of_an_inactive_user_is_refused(self, users):
        from access.services import auth_token_get_or_create

        client = APIClient()
        token = auth_token_get_or_create(user=users["inactive"])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/queues").status_code == 401


class TestInactiveMemberInTheAdmin:
    def request(self, user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return request

    @pytest.mark.parametrize("model", [Queue, Group])
    def test_no_admin_permission_at_all(self, model, users, queue, lab):
        model_admin = admin.site._registry[model]
        request = self.request(users["inactive"])
        obj = queue if model is Queue else lab
        assert not model_admin.has_module_permission(request)
        assert not model_admin.has_view_permission(request, obj)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)
        assert not model_admin.has_add_permission(request)

    def test_the_admin_pages_let_nothing_through(self, users, queue, lab):
        client = Client()
        client.force_login(users["inactive"])
        change = f"/admin/jobs/queue/{queue.pk}/change/"
        assert client.get("/admin/jobs/queue/").status_code == 302  # to the admin login
        assert client.get(change).status_code == 302
        client.post(change, {"name": "renamed", "description": ""})
        client.post("/admin/jobs/queue/add/", {"group": lab.pk, "name": "new", "description": ""})
        queue.refresh_from_db()
        assert queue.name == "lab-queue"
        assert not Queue.objects.filter(name="new").exists()
