"""The groups pages: a user's groups, one group's members, and managers changing them."""

import pytest

from access.models import Membership
from access.services import LAST_MANAGER
from tests.entrypoints.factories import make_entrypoint
from tests.factories import make_group, make_user
from tests.pages import HTMX, MATRIX_ACTORS, READ, flashes, text, wrote

pytestmark = pytest.mark.django_db

# Managing needs the manage role: writers are refused like readers.
MANAGE = {**READ, "reader": 403, "writer": 403, "manager": 302, "superuser": 302}


def test_the_list_shows_my_groups_with_my_role_and_not_others(as_page_user, lab):
    make_group("elsewhere")
    page = text(as_page_user("reader").get("/groups/"))
    assert "lab" in page and "public" in page and "elsewhere" not in page
    assert "lab read" in page.replace("Alice", "")  # the role next to the group


def test_the_list_query_count_does_not_grow(as_page_user, actors, django_assert_max_num_queries):
    reader = actors["reader"]
    for n in range(30):
        make_user(f"member{n}", **{f"g{n:02}": "read"})
        Membership.objects.create(group=make_group(f"g{n:02}"), user=reader, role="read")
    client = as_page_user("reader")
    # session, user, count, page of groups with member counts, my roles
    with django_assert_max_num_queries(5):
        page = text(client.get("/groups/"))
    assert "Page 1 of 2" in page and "g00" in page


@pytest.mark.parametrize("actor", [*MATRIX_ACTORS, "manager"])
def test_reading_a_group(actor, as_page_user, lab):
    response = as_page_user(actor).get(f"/groups/{lab.pk}/")
    assert response.status_code == READ.get(actor, 200)
    if response.status_code == 200:
        page = text(response)
        assert all(name in page for name in ("manager", "reader", "writer"))
        assert ("Add a member" in page) == (actor in ("manager", "superuser"))


def test_non_managers_read_without_forms_and_are_told_whom_to_ask(as_page_user, lab):
    page = as_page_user("writer").get(f"/groups/{lab.pk}/").content.decode()
    assert "Add a member" not in page and "Remove" not in page
    assert "Only the managers of lab" in page


def test_the_member_list_query_count_does_not_grow(
    as_page_user, lab, django_assert_max_num_queries
):
    for n in range(60):
        make_user(f"m{n:02}", lab="read")
    client = as_page_user("manager")
    # session, user, the group, can manage, count, page of members, users to add (datalist)
    with django_assert_max_num_queries(8):
        page = text(client.get(f"/groups/{lab.pk}/"))
    assert "Page 1 of 2" in page
    assert "m50" in text(client.get(f"/groups/{lab.pk}/?page=2", **HTMX))


@pytest.mark.parametrize("actor", [*MATRIX_ACTORS, "manager"])
def test_adding_a_member(actor, as_page_user, lab):
    newcomer = make_user("newcomer")
    response = as_page_user(actor).post(
        f"/groups/{lab.pk}/members", {"username": "newcomer", "role": "write"}
    )
    assert response.status_code == MANAGE[actor]
    added = Membership.objects.filter(group=lab, user=newcomer).first()
    assert (added is not None) == wrote(response)
    if added:
        assert added.role == "write"
        assert flashes(response) == ["newcomer joined lab with the write role."]
    if response.status_code == 403:
        assert "Only the managers of group 'lab' change its members." in text(response)


def test_an_added_member_sees_the_groups_entrypoints(as_page_user, lab, actors):
    make_entrypoint(lab, "lab_work", user=actors["writer"])
    newcomer = make_user("newcomer")
    from django.test import Client

    client = Client()
    client.force_login(newcomer)
    assert "lab_work" not in text(client.get("/entrypoints/"))
    as_page_user("manager").post(f"/groups/{lab.pk}/members", {"username": "newcomer"})
    assert "lab_work" in text(client.get("/entrypoints/"))


@pytest.mark.parametrize(
    ("username", "status", "message"),
    [
        ("nobody", 400, "There is no user named 'nobody'"),
        ("reader", 409, "reader is already a member of group 'lab'."),
        ("", 400, "This field is required."),
    ],
)
def test_refused_additions_say_why_and_keep_the_form(as_page_user, lab, username, status, message):
    response = as_page_user("manager").post(
        f"/groups/{lab.pk}/members", {"username": username, "role": "read"}
    )
    assert response.status_code == status
    assert message in text(response)
    assert f'value="{username}"' in response.content.decode()


def test_users_sharing_no_group_with_the_manager_cannot_be_added(as_page_user, lab):
    loner = make_user("loner")
    loner.memberships.all().delete()
    response = as_page_user("manager").post(f"/groups/{lab.pk}/members", {"username": "loner"})
    assert response.status_code == 400
    assert not Membership.objects.filter(group=lab, user=loner).exists()


@pytest.mark.parametrize("actor", [*MATRIX_ACTORS, "manager"])
def test_changing_a_role(actor, as_page_user, actors, lab):
    reader = actors["reader"]
    response = as_page_user(actor).post(
        f"/groups/{lab.pk}/members/{reader.pk}/role", {"role": "write"}
    )
    assert response.status_code == MANAGE[actor]
    role = Membership.objects.get(group=lab, user=reader).role
    assert role == ("write" if wrote(response) else "read")


@pytest.mark.parametrize("actor", [*MATRIX_ACTORS, "manager"])
def test_removing_a_member(actor, as_page_user, actors, lab):
    writer = actors["writer"]
    response = as_page_user(actor).post(f"/groups/{lab.pk}/members/{writer.pk}/remove")
    assert response.status_code == MANAGE[actor]
    assert Membership.objects.filter(group=lab, user=writer).exists() == (not wrote(response))


def test_the_last_manager_stays(as_page_user, actors, lab):
    manager = actors["manager"]
    client = as_page_user("manager")
    demoted = client.post(f"/groups/{lab.pk}/members/{manager.pk}/role", {"role": "read"})
    assert demoted.status_code == 400
    assert LAST_MANAGER.format(user=manager, group="lab") in text(demoted)
    left = client.post(f"/groups/{lab.pk}/members/{manager.pk}/remove")
    assert left.status_code == 400
    assert Membership.objects.get(group=lab, user=manager).role == "manage"


def test_a_bad_role_or_member_of_another_group_is_refused(as_page_user, actors, lab):
    client = as_page_user("manager")
    reader = actors["reader"]
    bad = client.post(f"/groups/{lab.pk}/members/{reader.pk}/role", {"role": "owner"})
    assert bad.status_code == 400 and "Choose one of the roles" in text(bad)
    outsider = actors["outsider"]
    assert client.post(f"/groups/{lab.pk}/members/{outsider.pk}/remove").status_code == 404
    assert client.post(f"/groups/{lab.pk}/members/99999999999999999999/remove").status_code == 404
