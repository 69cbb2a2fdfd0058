"""The parameter type pages: list, create, edit the structure as YAML (checked by the API's
rules, problems placed at their line), delete."""

import html
import json
import re

import pytest

from plugins_app.models import PluginParameterType
from tests.factories import make_group
from tests.pages import HTMX, MATRIX_ACTORS, READ, WRITE, flashes, text, wrote
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(lab):
    return make_type(lab, "points", structure={"list": "number"})


def state(response) -> dict:
    found = re.search(
        r'<script id="editor-state" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def form(name="points", structure="list: number\n", **extra) -> dict:
    return {"name": name, "description": "", "structure": structure, **extra}


def etag_of(response) -> str:
    return re.search(r'name="etag" value="(\d*)"', response.content.decode()).group(1)


def test_the_list_shows_the_groups_types_builtins_on_request(points, as_page_user):
    make_type(make_group("elsewhere"), "secret")
    client = as_page_user("reader")
    page = text(client.get("/types/"))
    assert "points" in page and "{list: number}" in page and "secret" not in page
    assert "builtin" not in page.replace("builtin types", "")
    assert "Every group also has the builtin types any, string" in page
    with_builtins = text(client.get("/types/", {"builtin": "1"}))
    assert with_builtins.count("builtin") >= 6


def test_the_list_query_count_does_not_grow(lab, as_page_user, django_assert_max_num_queries):
    for n in range(30):
        make_type(lab, f"t{n:02}", structure={"list": "string"})
    client = as_page_user("reader")
    # session, user, group filter options, can create, count, page of types with tags
    with django_assert_max_num_queries(7):
        page = text(client.get("/types/"))
    assert "Page 1 of 2" in page


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_reading_a_type(actor, points, as_page_user):
    response = as_page_user(actor).get(f"/types/{points.pk}/")
    assert response.status_code == READ[actor]
    if response.status_code == 200:
        html = response.content.decode()
        assert "list: number" in html
        assert ('id="save-button"' in html) == (actor in ("writer", "superuser"))


def test_a_builtin_type_is_read_only(lab, as_page_user):
    string = builtin(lab, "string")
    client = as_page_user("writer")
    page = text(client.get(f"/types/{string.pk}/"))
    assert "'string' is a builtin type" in page and "Delete this type" not in page
    refused = client.post(f"/types/{string.pk}/", form(name="text", structure=""))
    assert refused.status_code == 403 and builtin(lab, "string").name == "string"


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_creating(actor, lab, as_page_user):
    response = as_page_user(actor).post("/types/new/", form(group=lab.pk))
    expected = {**WRITE, "outsider": 400}[actor]
    assert response.status_code == expected
    created = PluginParameterType.objects.alive().filter(group=lab, name="points").first()
    assert (created is not None) == wrote(response)
    if created:
        assert created.structure == {"list": "number"}
        assert response.url == f"/types/{created.pk}/"
        assert flashes(response) == ["Created type 'points'."]


def test_an_empty_structure_is_a_simple_type_and_texts_lose_their_cr(lab, as_page_user):
    response = as_page_user("writer").post(
        "/types/new/", {"group": lab.pk, "name": "image", "description": "a\r\nb", "structure": ""}
    )
    assert wrote(response)
    image = PluginParameterType.objects.get(name="image", deleted_on__isnull=True)
    assert image.structure is None and image.description == "a\nb"


@pytest.mark.parametrize(
    ("structure", "message", "where"),
    [
        ("list: nope\n", "structure.list: unknown type 'nope'", (1, 7)),
        ("tuple:\n  - string\n  - nope\n", "structure.tuple[1]: unknown type 'nope'", (3, 5)),
        ("list: [\n", "not valid YAML", (2, 1)),
        ("list: string\nunion: [string]\n", "exactly one of", (1, 1)),
        ("mapping: [boolean, string]\n", "mapping keys must be 'string' or 'integer'", (1, 11)),
        ("a: &x 1\nb: *x\n", "", None),
        ("list: 2020-01-01\n", "", None),
    ],
)
def test_structure_problems_are_listed_and_placed(lab, as_page_user, structure, message, where):
    response = as_page_user("writer").post("/types/new/", form(group=lab.pk, structure=structure))
    assert response.status_code == 400
    assert not PluginParameterType.objects.filter(name="points").exists()
    assert message in text(response)
    issues = state(response)["issues"]
    assert issues and issues[0]["source"] == "structure"
    if where:
        assert (issues[0]["line"], issues[0]["column"]) == where
    kept = re.search(
        r'<textarea id="id_structure"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert html.unescape(kept.group(1)).removeprefix("\n") == structure  # the text is kept


def test_a_name_problem_is_listed_without_a_marker(lab, points, as_page_user):
    response = as_page_user("writer").post("/types/new/", form(group=lab.pk))
    assert response.status_code == 400
    assert "already used" in text(response)
    assert state(response)["issues"][0]["source"] == "form"


def test_the_live_check_answers_a_fragment_and_writes_nothing(points, as_page_user):
    client = as_page_user("writer")
    response = client.post(f"/types/{points.pk}/check", form(structure="list: nope"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="type-check"') and "<html" not in html
    assert (
        state(response)["issues"][0]["message"]
        == "structure.list: unknown type 'nope' (not defined in this group)."
    )
    fine = client.post(f"/types/{points.pk}/check", form(structure="list: string"), **HTMX)
    assert state(fine)["issues"] == [] and "No problems found" in text(fine)
    assert PluginParameterType.objects.get(pk=points.pk).structure == {"list": "number"}


def test_the_live_check_of_a_new_type_needs_a_visible_group(as_page_user, lab):
    client = as_page_user("outsider")
    assert client.post("/types/new/check", form(group=lab.pk), **HTMX).status_code == 404


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_saving(actor, points, as_page_user):
    response = as_page_user(actor).post(f"/types/{points.pk}/", form(structure="list: string"))
    assert response.status_code == WRITE[actor]
    saved = PluginParameterType.objects.get(pk=points.pk)
    assert saved.structure == ({"list": "string"} if wrote(response) else {"list": "number"})


def test_a_stale_save_is_refused_with_what_changed_then_goes_through(points, as_page_user):
    client = as_page_user("writer")
    etag = etag_of(client.get(f"/types/{points.pk}/"))
    from plugins_app.services import parameter_type_update

    parameter_type_update(
        user=None, param_type=points, name="points", structure={"list": "integer"}
    )
    stale = client.post(f"/types/{points.pk}/", form(structure="list: string", etag=etag))
    assert stale.status_code == 409
    assert "someone saved this type after you opened it" in text(stale)
    assert "They changed: Structure" in text(stale)
    assert "list: string" in stale.content.decode()  # the user's text is kept
    again = client.post(f"/types/{points.pk}/", form(structure="list: string", etag=etag_of(stale)))
    assert wrote(again)
    assert PluginParameterType.objects.get(pk=points.pk).structure == {"list": "string"}


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_deleting(actor, points, as_page_user):
    response = as_page_user(actor).post(f"/types/{points.pk}/delete")
    assert response.status_code == WRITE[actor]
    assert PluginParameterType.objects.alive().filter(pk=points.pk).exists() == (
        not wrote(response)
    )


def test_a_type_in_use_is_not_deleted_and_the_page_says_by_what(lab, points, as_page_user):
    plugin = make_plugin(lab, "geo")
    make_file(plugin, "tasks.py", tasks={"functions": [function_task("f", inputs=[("p", points)])]})
    response = as_page_user("writer").post(f"/types/{points.pk}/delete")
    assert response.status_code == 409
    assert "Type 'points' is in use by file geo/tasks.py" in text(response)


def test_a_huge_structure_is_refused_clearly(lab, as_page_user):
    huge = "union:\n" + "".join(f"  - t{n}\n" for n in range(40000))
    response = as_page_user("writer").post("/types/new/", form(group=lab.pk, structure=huge))
    assert response.status_code in (400, 413)
    assert "bytes" in text(response) or "larger than" in response.content.decode()
