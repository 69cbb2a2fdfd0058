"""The queue and tag pages (one machinery, ``core.named_pages``): list, create, rename, delete."""

import pytest

from jobs.models import Queue
from jobs.services import queue_create, queue_update
from tags.models import Tag
from tags.services import tag_create
from tests.factories import make_group
from tests.pages import HTMX, MATRIX_ACTORS, READ, WRITE, flashes, text, wrote

pytestmark = pytest.mark.django_db

KINDS = {
    "queues": (Queue, lambda group, name: queue_create(user=None, group=group, name=name)),
    "tags": (Tag, lambda group, name: tag_create(user=None, group=group, name=name)),
}


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture
def thing(kind, lab):
    return KINDS[kind][1](lab, "nightly")


def live(kind, **filters):
    return KINDS[kind][0].objects.alive().filter(**filters)


def test_the_list_shows_the_groups_objects_only(kind, thing, as_page_user):
    KINDS[kind][1](make_group("elsewhere"), "secret")
    page = text(as_page_user("reader").get(f"/{kind}/"))
    assert "nightly" in page and "secret" not in page


def test_readers_see_no_write_controls(kind, thing, as_page_user):
    html = as_page_user("reader").get(f"/{kind}/").content.decode()
    assert "Rename" not in html and "Delete" not in html


def test_the_list_searches_and_pages_at_a_fixed_query_count(
    kind, lab, as_page_user, django_assert_max_num_queries
):
    for n in range(30):
        KINDS[kind][1](lab, f"item{n:02}")
    client = as_page_user("writer")
    # session, user, group filter options, writable groups, count, page of rows
    with django_assert_max_num_queries(6):
        page = text(client.get(f"/{kind}/"))
    assert "Page 1 of 2" in page and "item24" in page and "item25" not in page
    found = client.get(f"/{kind}/", {"q": "item0"}, **HTMX)
    assert 'id="results"' in found.content.decode() and "<html" not in found.content.decode()
    assert "item09" in text(found) and "item10" not in text(found)


def test_an_empty_list_says_what_to_do(kind, as_page_user):
    page = text(as_page_user("writer").get(f"/{kind}/"))
    assert f"No {kind} yet." in page and "Create" in page


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_creating(kind, actor, lab, as_page_user):
    response = as_page_user(actor).post(f"/{kind}/", {"group": lab.pk, "name": "fresh"})
    # Another group's id in a form is a bad choice (400), as in the API.
    expected = {**WRITE, "outsider": 400}[actor]
    assert response.status_code == expected
    assert live(kind, group=lab, name="fresh").exists() == wrote(response)
    if wrote(response):
        assert flashes(response) == [f"Created {kind[:-1]} 'fresh' in lab."]
    if response.status_code == 403:
        assert "Your role in group 'lab' is read" in text(response)


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("nightly", 409, "already used"),
        ("", 400, "This field is required."),
        (" x", 400, "whitespace"),
    ],
)
def test_refused_names_say_why_and_keep_the_form(
    kind, thing, lab, as_page_user, name, status, message
):
    response = as_page_user("writer").post(f"/{kind}/", {"group": lab.pk, "name": name})
    assert response.status_code == status
    assert message in text(response)
    assert live(kind, group=lab).count() == 1


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_renaming(kind, actor, thing, as_page_user):
    response = as_page_user(actor).post(f"/{kind}/{thing.pk}/edit", {"name": "weekly"})
    assert response.status_code == WRITE[actor]
    assert live(kind, pk=thing.pk).get().name == ("weekly" if wrote(response) else "nightly")


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_the_rename_form(kind, actor, thing, as_page_user):
    response = as_page_user(actor).get(f"/{kind}/{thing.pk}/edit")
    assert response.status_code == {**READ, "reader": 403}[actor]


def test_renaming_in_place_with_htmx(kind, thing, as_page_user):
    client = as_page_user("writer")
    form = client.get(f"/{kind}/{thing.pk}/edit", **HTMX).content.decode()
    assert 'class="editing"' in form
    assert "<html" not in form and 'value="nightly"' in form
    row = client.post(f"/{kind}/{thing.pk}/edit", {"name": "weekly"}, **HTMX).content.decode()
    assert f'id="row-{thing.pk}"' in row and "weekly" in row and "editing" not in row
    cancelled = client.get(f"/{kind}/{thing.pk}/edit?cancel", **HTMX).content.decode()
    assert "weekly" in cancelled and "editing" not in cancelled


def test_a_refused_rename_in_place_keeps_the_typed_name(kind, thing, lab, as_page_user):
    KINDS[kind][1](lab, "taken")
    response = as_page_user("writer").post(f"/{kind}/{thing.pk}/edit", {"name": "taken"}, **HTMX)
    assert response.status_code == 409
    assert 'value="taken"' in response.content.decode() and "already used" in text(response)


def test_a_stale_rename_is_refused_then_goes_through(thing, as_page_user, kind):
    client = as_page_user("writer")
    loaded = client.get(f"/{kind}/{thing.pk}/edit").content.decode()
    etag = loaded.split('name="etag" value="')[1].split('"')[0]
    if kind == "queues":
        queue_update(user=None, queue=thing, name="renamed meanwhile")
    else:
        from tags.services import tag_update

        tag_update(user=None, tag=thing, name="renamed meanwhile")
    stale = client.post(f"/{kind}/{thing.pk}/edit", {"name": "mine", "etag": etag})
    assert stale.status_code == 409
    assert (
        "it is now 'renamed meanwhile'" in text(stale) and 'value="mine"' in stale.content.decode()
    )
    new_etag = stale.content.decode().split('name="etag" value="')[1].split('"')[0]
    again = client.post(f"/{kind}/{thing.pk}/edit", {"name": "mine", "etag": new_etag})
    assert wrote(again) and live(kind, pk=thing.pk).get().name == "mine"


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_deleting(kind, actor, thing, as_page_user):
    response = as_page_user(actor).post(f"/{kind}/{thing.pk}/delete")
    assert response.status_code == WRITE[actor]
    assert live(kind, pk=thing.pk).exists() == (not wrote(response))


def test_queues_show_how_many_entrypoints_list_them(lab, as_page_user, actors):
    from tests.entrypoints.factories import make_entrypoint

    queue = queue_create(user=None, group=lab, name="gpu")
    make_entrypoint(lab, "a", user=actors["writer"], queues=[queue])
    make_entrypoint(lab, "b", user=actors["writer"], queues=[queue])
    row = as_page_user("reader").get("/queues/").content.decode().split(f'id="row-{queue.pk}"')[1]
    assert '<td class="num">2</td>' in row.split("</tr>")[0]
