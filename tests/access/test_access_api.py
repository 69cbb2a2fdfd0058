"""``/api/v1/users`` and ``/api/v1/groups`` (with members): the permission matrix and shapes."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access.models import Group, Membership
from access.roles import Role
from access.services import LAST_MANAGER, membership_set
from tests.api.matrix import ACTORS, LIST, MANAGE, READ
from tests.api.mixins import PinnedQueryCountTests, ids_of, unique_name
from tests.factories import make_group, make_user

MEMBER_KEYS = {"user", "group", "role", "permissions"}


def members_url(group, user=None) -> str:
    url = f"/api/v1/groups/{group.pk}/members"
    return f"{url}/{user.pk}" if user else url


@pytest.mark.django_db
class TestDefaultGroup:
    def test_public_exists_after_migrate(self):
        assert Group.objects.filter(name="public").exists()

    def test_every_new_user_is_a_write_member_of_public(self, monkeypatch):
        plain = get_user_model().objects.create_user("plain", password="x")
        root = get_user_model().objects.create_superuser("root", password="x")
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-password-1")
        call_command("createsuperuser", "--noinput", username="cli", email="cli@example.com")
        for username in (plain.username, root.username, "cli"):
            assert (
                Membership.objects.get(user__username=username, group__name="public").role
                == Role.WRITE
            )


@pytest.mark.django_db
class TestUsers:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_current(self, actor, actors, as_actor):
        response = as_actor(actor).get("/api/v1/users/current")
        assert response.status_code == (401 if actor == "anonymous" else 200)
        if response.status_code == 200:
            body = response.json()
            assert set(body) == {
                "id",
                "username",
                "email",
                "groups",
                "createdOn",
                "lastModifiedOn",
                "lastLoginOn",
                "passwordExpiresOn",
            }
            assert body["id"] == actors[actor].pk
            assert "public" in [group["name"] for group in body["groups"]]

    def test_current_lists_the_users_groups_as_refs(self, as_actor, actors, lab):
        groups = as_actor("reader").get("/api/v1/users/current/").json()["groups"]
        assert groups == [
            {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
            {
                "id": Group.objects.get(name="public").pk,
                "name": "public",
                "url": f"/api/v1/groups/{Group.objects.get(name='public').pk}",
            },
        ]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_list_shows_only_users_sharing_a_group(self, actor, actors, as_actor):
        loner = make_user("loner")
        loner.memberships.all().delete()  # shares no group with anyone
        response = as_actor(actor).get("/api/v1/users", {"pageLength": 100})
        assert response.status_code == LIST[actor]
        if response.status_code == 200:
            assert (loner.pk in ids_of(response)) == (actor == "superuser")
            assert actors[actor].pk in ids_of(response)

    def test_retrieve_hides_users_sharing_no_group_and_other_peoples_email(self, as_actor, actors):
        loner = make_user("loner")
        loner.memberships.all().delete()
        reader = as_actor("reader")
        assert reader.get(f"/api/v1/users/{loner.pk}").status_code == 404
        writer = actors["writer"]
        writer.email = "writer@example.com"
        writer.save()
        assert reader.get(f"/api/v1/users/{writer.pk}").json() == {
            "id": writer.pk,
            "username": "writer",
            "email": None,
        }
        assert (
            as_actor("writer").get(f"/api/v1/users/{writer.pk}").json()["email"]
            == "writer@example.com"
        )
        assert (
            as_actor("superuser").get(f"/api/v1/users/{writer.pk}").json()["email"]
            == "writer@example.com"
        )

    def test_search_and_sort(self, as_actor, actors):
        client = as_actor("superuser")
        names = [
            row["username"]
            for row in client.get(
                "/api/v1/users",
                {"search": "username:*er", "sortBy": "username", "descending": "true"},
            ).json()["data"]
        ]
        assert names == ["writer", "reader", "outsider", "manager"]
        assert client.get("/api/v1/users", {"search": "email:x"}).status_code == 422

    def test_list_query_count_does_not_grow(self, as_actor, actors, django_assert_max_num_queries):
        client = as_actor("superuser")
        with django_assert_max_num_queries(2):
            client.get("/api/v1/users", {"pageLength": 100})


class TestUserQueryCounts(PinnedQueryCountTests):
    list_url = "/api/v1/users"
    # The paging count, the page of users sharing a group with the reader.
    list_queries = 2
    # The user, among those sharing a group with the reader.
    detail_queries = 1

    def make_rich_object(self, group):
        user = make_user(unique_name("user"), **{group.name: "write"})
        user.email = f"{user.username}@example.com"
        user.save()
        return user


@pytest.mark.django_db
class TestGroups:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, actor, as_actor, lab):
        response = as_actor(actor).get("/api/v1/groups")
        assert response.status_code == LIST[actor]
        if response.status_code == 200:
            assert (lab.pk in ids_of(response)) == (READ[actor] == 200)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_retrieve_with_members_and_roles(self, actor, actors, as_actor, lab):
        response = as_actor(actor).get(f"/api/v1/groups/{lab.pk}")
        assert response.status_code == READ[actor]
        if response.status_code != 200:
            return
        body = response.json()
        assert set(body) == {"id", "name", "description", "members", "createdOn", "lastModifiedOn"}
        roles = {m["user"]["username"]: m["role"] for m in body["members"]}
        assert roles == {"manager": "manage", "reader": "read", "writer": "write"}
        manager = next(m for m in body["members"] if m["role"] == "manage")
        assert set(manager) == MEMBER_KEYS
        assert manager["permissions"] == {
            "read": True,
            "write": True,
            "shareRead": True,
            "shareWrite": True,
            "owner": False,
            "admin": True,
        }

    def test_superusers_see_every_group_and_group_id_filters(self, as_actor, actors, lab):
        client = as_actor("superuser")
        assert set(ids_of(client.get("/api/v1/groups"))) == set(
            Group.objects.values_list("pk", flat=True)
        )
        assert ids_of(client.get("/api/v1/groups", {"groupId": lab.pk})) == [lab.pk]
        assert ids_of(client.get("/api/v1/groups", {"search": "name:la?"})) == [lab.pk]

    def test_groups_are_read_only_here(self, as_actor, lab):
        client = as_actor("superuser")
        assert client.post("/api/v1/groups", {"name": "x"}, format="json").status_code == 405
        assert (
            client.put(f"/api/v1/groups/{lab.pk}", {"name": "x"}, format="json").status_code == 405
        )
        assert client.delete(f"/api/v1/groups/{lab.pk}").status_code == 405

    def test_list_query_count_does_not_grow_with_groups_or_members(self, as_actor, actors):
        client = as_actor("superuser")
        for name in ("g1", "g2", "g3"):
            make_user(f"{name}-member", **{name: "write"})
        counts = []
        for page_length in (1, 10):
            with CaptureQueriesContext(connection) as queries:
                client.get("/api/v1/groups", {"pageLength": page_length})
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestGroupQueryCounts(PinnedQueryCountTests):
    list_url = "/api/v1/groups"
    # The paging count, the page of the reader's groups, their members (users joined).
    list_queries = 3
    # The group, among the reader's, its members (users joined).
    detail_queries = 2

    def make_rich_object(self, group):
        """A group of its own whose members (the reader among them) are ``group``'s."""
        team = make_group(unique_name("team"))
        for membership in group.memberships.select_related("user"):
            membership_set(group=team, user=membership.user, role=membership.role)
        return team


@pytest.mark.django_db
class TestMembers:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list_members(self, actor, as_actor, lab):
        response = as_actor(actor).get(members_url(lab))
        assert response.status_code == READ[actor]
        if response.status_code == 200:
            assert [m["user"]["username"] for m in response.json()] == [
                "manager",
                "reader",
                "writer",
            ]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_add_member(self, actor, as_actor, lab):
        newcomer = make_user("newcomer")
        response = as_actor(actor).post(
            members_url(lab), {"user": newcomer.pk, "role": "write"}, format="json"
        )
        assert response.status_code == MANAGE[actor]
        added = Membership.objects.filter(group=lab, user=newcomer)
        assert added.exists() == (response.status_code == 200)
        if response.status_code == 200:
            assert response.json()["role"] == "write" and set(response.json()) == MEMBER_KEYS

    @pytest.mark.parametrize("method", ["put", "patch"])
    @pytest.mark.parametrize("actor", ACTORS)
    def test_change_role(self, actor, method, actors, as_actor, lab):
        reader = actors["reader"]
        response = getattr(as_actor(actor), method)(
            members_url(lab, reader), {"role": "write"}, format="json"
        )
        assert response.status_code == MANAGE[actor]
        expected = Role.WRITE if response.status_code == 200 else Role.READ
        assert Membership.objects.get(group=lab, user=reader).role == expected

    @pytest.mark.parametrize("actor", ACTORS)
    def test_remove_member(self, actor, actors, as_actor, lab):
        writer = actors["writer"]
        response = as_actor(actor).delete(members_url(lab, writer) + "/")
        assert response.status_code == MANAGE[actor]
        if response.status_code == 200:
            assert response.json() == {"id": [writer.pk], "status": "Success"}
        assert Membership.objects.filter(group=lab, user=writer).exists() == (
            response.status_code != 200
        )

    def test_member_detail_and_missing_members(self, as_actor, actors, lab):
        client = as_actor("reader")
        assert client.get(members_url(lab, actors["writer"])).json()["role"] == "write"
        assert client.get(members_url(lab, actors["outsider"])).status_code == 404
        manager = as_actor("manager")
        assert (
            manager.patch(
                members_url(lab, actors["outsider"]), {"role": "read"}, format="json"
            ).status_code
            == 404
        )

    def test_adding_an_existing_member_is_a_conflict(self, as_actor, actors, lab):
        response = as_actor("manager").post(
            members_url(lab), {"user": actors["reader"].pk}, format="json"
        )
        assert response.status_code == 409

    def test_role_defaults_to_read(self, as_actor, lab):
        newcomer = make_user("newcomer")
        assert (
            as_actor("manager")
            .post(members_url(lab), {"user": newcomer.pk}, format="json")
            .json()["role"]
            == "read"
        )

    @pytest.mark.parametrize(
        "body",
        [
            {"user": 987654},
            {"user": "x"},
            {"role": "write"},
            {"user": None},
            {"user": 1, "role": "owner"},
            {"user": 1, "x": 1},
        ],
    )
    def test_bad_member_bodies_are_400(self, body, as_actor, lab):
        assert as_actor("manager").post(members_url(lab), body, format="json").status_code == 400

    def test_users_sharing_no_group_cannot_be_added(self, as_actor, lab):
        loner = make_user("loner")
        loner.memberships.all().delete()
        response = as_actor("manager").post(members_url(lab), {"user": loner.pk}, format="json")
        assert response.status_code == 400
        assert "user" in response.json()

    def test_the_last_manager_cannot_leave_or_be_demoted(self, as_actor, actors, lab):
        manager = as_actor("manager")
        me = actors["manager"]
        demoted = manager.patch(members_url(lab, me), {"role": "write"}, format="json")
        assert demoted.status_code == 400
        assert demoted.json() == {"role": [LAST_MANAGER.format(user=me, group="lab")]}
        assert manager.delete(members_url(lab, me)).status_code == 400
        assert (
            manager.patch(
                members_url(lab, actors["writer"]), {"role": "manage"}, format="json"
            ).status_code
            == 200
        )
        assert manager.delete(members_url(lab, me)).status_code == 200

    def test_members_of_other_groups_are_not_found(self, as_actor, actors):
        elsewhere = make_group("elsewhere")
        assert as_actor("manager").get(members_url(elsewhere)).status_code == 404
        assert (
            as_actor("manager")
            .post(members_url(elsewhere), {"user": actors["reader"].pk}, format="json")
            .status_code
            == 404
        )
