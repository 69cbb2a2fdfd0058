"""The admin: group scoping for queues and tags (``access.admin_mixins``) and group management."""

import pytest
from django.test import Client

from access.admin import NO_MANAGER_LEFT
from access.models import Group, Membership
from access.roles import Role
from core.related import related_add
from jobs.models import Queue
from jobs.services import queue_create, queue_delete
from tags.models import Tag
from tags.services import tag_create
from tests.factories import make_group, make_user

QUEUES = "/admin/jobs/queue/"
TAGS = "/admin/tags/tag/"
GROUPS = "/admin/access/group/"


def staff(username, superuser=False, **roles):
    user = make_user(username, superuser=superuser, **roles)
    user.is_staff = True
    user.save()
    return user


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(db):
    return {
        "reader": staff("reader", lab="read"),
        "writer": staff("writer", lab="write"),
        "manager": staff("manager", lab="manage"),
        "outsider": staff("outsider", elsewhere="write"),
        "root": staff("root", superuser=True),
    }


@pytest.fixture
def queues(people, lab):
    deleted = queue_create(user=None, group=lab, name="lab-deleted")
    queue_delete(user=None, queue=deleted)
    return {
        "lab": queue_create(user=None, group=lab, name="lab-queue"),
        "elsewhere": queue_create(user=None, group=make_group("elsewhere"), name="elsewhere-queue"),
        "deleted": deleted,
    }


@pytest.mark.django_db
class TestGroupOwnedAdmin:
    @pytest.mark.parametrize(
        "who, visible",
        [
            ("reader", {"lab-queue"}),
            ("writer", {"lab-queue"}),
            ("outsider", {"elsewhere-queue"}),
            ("root", {"lab-queue", "elsewhere-queue", "lab-deleted"}),
        ],
    )
    def test_changelist_shows_the_groups_where_one_has_a_role(self, who, visible, people, queues):
        page = admin_client(people[who]).get(QUEUES).content.decode()
        for name in ("lab-queue", "elsewhere-queue", "lab-deleted"):
            assert (name in page) == (name in visible), name

    def test_superusers_filter_deleted_objects(self, people, queues):
        page = admin_client(people["root"]).get(QUEUES, {"status": "deleted"}).content.decode()
        assert "lab-deleted" in page and "lab-queue" not in page

    def test_staff_without_a_role_and_non_staff_are_kept_out(self, people, queues):
        plain = make_user("plain", lab="write")
        assert admin_client(plain).get(QUEUES).status_code == 302  # to the admin login
        assert (
            admin_client(people["outsider"]).get(f"{QUEUES}{queues['lab'].pk}/change/").status_code
            == 302
        )

    def test_readers_see_but_cannot_change(self, people, queues):
        client = admin_client(people["reader"])
        url = f"{QUEUES}{queues['lab'].pk}/change/"
        assert client.get(url).status_code == 200
        assert client.post(url, {"name": "renamed", "description": ""}).status_code == 403
        assert (
            client.post(f"{QUEUES}{queues['lab'].pk}/delete/", {"post": "yes"}).status_code == 403
        )
        assert Queue.objects.get(pk=queues["lab"].pk).name == "lab-queue"

    def test_add_records_creator_and_one_history_record(self, people, lab):
        writer = people["writer"]
        response = admin_client(writer).post(
            f"{QUEUES}add/", {"group": lab.pk, "name": "new", "description": "d"}
        )
        assert response.status_code == 302
        queue = Queue.objects.get(name="new")
        assert queue.creator == writer
        assert [(r.history_type, r.history_user) for r in queue.history.all()] == [("+", writer)]

    def test_groups_offered_are_those_one_may_write_in(self, people, lab):
        reader = people["reader"]
        response = admin_client(reader).post(
            f"{QUEUES}add/", {"group": lab.pk, "name": "new", "description": ""}
        )
        assert response.status_code == 200  # the form again, with an error on group
        assert "Select a valid choice" in response.content.decode()
        assert not Queue.objects.filter(name="new").exists()

    def test_group_cannot_change_and_duplicate_names_are_form_errors(self, people, queues, lab):
        queue_create(user=None, group=lab, name="taken")
        client = admin_client(people["writer"])
        url = f"{QUEUES}{queues['lab'].pk}/change/"
        other = Group.objects.get(name="public")
        response = client.post(url, {"group": other.pk, "name": "taken", "description": ""})
        assert response.status_code == 200
        assert "is already used by another queue in this group" in response.content.decode()
        assert (
            client.post(url, {"group": other.pk, "name": "renamed", "description": ""}).status_code
            == 302
        )
        queue = Queue.objects.get(pk=queues["lab"].pk)
        assert (queue.name, queue.group) == ("renamed", lab)
        assert queue.history.first().history_user == people["writer"]

    def test_delete_is_soft(self, people, queues):
        client = admin_client(people["writer"])
        response = client.post(f"{QUEUES}{queues['lab'].pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        queue = Queue.objects.get(pk=queues["lab"].pk)
        assert queue.deleted_on is not None
        assert queue.history.count() == 2

    def test_deleting_a_tag_in_the_admin_takes_it_off_resources(self, people, queues, lab):
        tag = tag_create(user=None, group=lab, name="t")
        related_add(user=people["root"], resource=queues["lab"], relation="tags", ids=[tag.pk])
        assert (
            admin_client(people["writer"])
            .post(f"{TAGS}{tag.pk}/delete/", {"post": "yes"})
            .status_code
            == 302
        )
        assert Tag.objects.get(pk=tag.pk).deleted_on is not None
        assert not queues["lab"].tags.exists()

    def test_history_views_follow_the_roles(self, people, queues):
        history = f"{QUEUES}{queues['elsewhere'].pk}/history/"
        assert admin_client(people["outsider"]).get(history).status_code == 200
        assert admin_client(people["writer"]).get(history).status_code == 403

    def test_changelist_search(self, people, queues):
        page = admin_client(people["root"]).get(QUEUES, {"q": "elsewhere"}).content.decode()
        assert "elsewhere-queue" in page and "lab-queue" not in page


def membership_form(group, rows, total=None) -> dict:
    data = {
        "name": group.name,
        "description": group.description,
        "memberships-TOTAL_FORMS": str(total or len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
        data[f"memberships-{index}-group"] = str(group.pk)
    return data


@pytest.mark.django_db
class TestGroupAdmin:
    def test_staff_see_only_their_groups(self, people):
        page = admin_client(people["reader"]).get(GROUPS).content.decode()
        assert ">lab<" in page and ">elsewhere<" not in page
        assert ">elsewhere<" in admin_client(people["root"]).get(GROUPS).content.decode()

    def test_only_managers_change_a_group_and_its_members(self, people, lab):
        url = f"{GROUPS}{lab.pk}/change/"
        rows = [
            {"id": str(m.pk), "user": str(m.user_id), "role": m.role} for m in lab.memberships.all()
        ]
        reader_row = next(row for row in rows if row["user"] == str(people["reader"].pk))
        reader_row["role"] = Role.WRITE
        assert (
            admin_client(people["writer"]).post(url, membership_form(lab, rows)).status_code == 403
        )
        assert (
            admin_client(people["manager"]).post(url, membership_form(lab, rows)).status_code == 302
        )
        assert Membership.objects.get(group=lab, user=people["reader"]).role == Role.WRITE

    def test_the_last_manager_stays(self, people, lab):
        url = f"{GROUPS}{lab.pk}/change/"
        rows = [
            {"id": str(m.pk), "user": str(m.user_id), "role": m.role} for m in lab.memberships.all()
        ]
        next(row for row in rows if row["role"] == Role.MANAGE)["role"] = Role.READ
        response = admin_client(people["manager"]).post(url, membership_form(lab, rows))
        assert response.status_code == 200
        assert NO_MANAGER_LEFT in response.content.decode()
        assert Membership.objects.get(group=lab, user=people["manager"]).role == Role.MANAGE

    def test_only_superusers_add_or_delete_groups_and_never_public(self, people, lab):
        assert admin_client(people["manager"]).get(f"{GROUPS}add/").status_code == 403
        assert (
            admin_client(people["manager"])
            .post(f"{GROUPS}{lab.pk}/delete/", {"post": "yes"})
            .status_code
            == 403
        )
        root = admin_client(people["root"])
        assert root.post(f"{GROUPS}add/", membership_form(Group(name="new"), [])).status_code == 302
        public = Group.objects.get(name="public")
        assert root.post(f"{GROUPS}{public.pk}/delete/", {"post": "yes"}).status_code == 403
        assert Group.objects.filter(name="new").exists()


@pytest.mark.django_db
def test_a_reader_cannot_revert_a_queue_through_the_history_page(people, queues):
    queue = queues["lab"]
    first = queue.history.earliest().history_id
    queue.name = "renamed"
    queue.save()
    url = f"{QUEUES}{queue.pk}/history/{first}/"
    reader, writer = admin_client(people["reader"]), admin_client(people["writer"])
    assert reader.get(url).status_code == 200  # reading a snapshot is allowed
    assert reader.post(url, {"name": "lab-queue", "description": ""}).status_code == 403
    queue.refresh_from_db()
    assert queue.name == "renamed"
    assert writer.post(url, {"name": "lab-queue", "description": ""}).status_code == 302
