"""The entrypoint pages through Django's test client: list, editor, live validation, saving."""

import json
import re

import pytest
from django.test import Client

from entrypoints.models import Entrypoint
from jobs.services import queue_create
from tags.services import tag_create
from tests.entrypoints.factories import HELLO_GRAPH, make_entrypoint, make_hello_plugin
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def hello(lab, writer):
    return make_entrypoint(lab, "hello", user=writer)


def page_form(html: str) -> dict:
    """The values a browser would post from the editor page as rendered (checked boxes, pins,
    rows, texts), like a user who changes nothing."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for match in re.finditer(
        r'<input type="checkbox" name="([^"]+)"(?: value="([^"]*)")?([^>]*)>', html
    ):
        if " checked" in match.group(3):
            data.setdefault(match.group(1), [])
            if isinstance(data[match.group(1)], list):
                data[match.group(1)].append(match.group(2) or "on")
    for name, value in re.findall(
        r'<input type="text"[^>]* name="([^"]+)"[^>]* value="([^"]*)"', html
    ):
        data[name] = value
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = _unescape(body)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', body)
        if selected:
            data[name] = selected.group(1) or selected.group(2)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text).removeprefix("\n")


def state_of(response) -> dict:
    found = re.search(
        r'<script id="editor-state" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


# The list ---------------------------------------------------------------------------------------


def test_home_sends_signed_in_users_to_their_entrypoints(writer, client_for):
    assert client_for(writer).get("/").url == "/entrypoints/"


def test_visitors_are_asked_to_sign_in(client):
    response = client.get("/entrypoints/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_list_shows_the_groups_entrypoints_only(lab, writer, hello, client_for):
    other = make_user("other", elsewhere="write")
    from tests.factories import make_group

    make_entrypoint(make_group("elsewhere"), "secret", user=other)
    html = client_for(writer).get("/entrypoints/").content.decode()
    assert "hello" in html and "secret" not in html
    assert "valid" in html and ">1<" in html  # one step


def test_list_row_shows_errors_outdated_plugins_and_the_last_editor(lab, writer, client_for):
    plugin = make_hello_plugin(lab, "greeter", user=writer)
    make_entrypoint(lab, "broken", user=writer, task_graph="a:\n  nope: {}\n", plugins=[plugin])
    from tests.plugins.factories import make_file

    make_file(plugin, "more.py", contents="def more():\n    pass\n", user=writer)
    html = client_for(writer).get("/entrypoints/").content.decode()
    assert "1 error" in html
    assert "outdated" in html
    assert "by writer" in html


def test_list_filters_by_search_group_and_tag(lab, writer, hello, client_for):
    make_entrypoint(lab, "training", user=writer, description="train a model")
    tag = tag_create(user=writer, group=lab, name="nightly")
    from core.related import related_add

    related_add(user=writer, resource=hello, relation="tags", ids=[tag.pk])
    client = client_for(writer)
    found = client.get("/entrypoints/", {"q": "model"}, **HTMX).content.decode()
    assert "training" in found and ">hello<" not in found
    found = client.get("/entrypoints/", {"tag": tag.pk}, **HTMX).content.decode()
    assert ">hello<" in found and "training" not in found
    assert 'id="results"' in found and "<html" not in found  # the fragment only


def test_list_pages_and_its_query_count_does_not_grow(
    lab, writer, client_for, django_assert_max_num_queries
):
    plugin = make_hello_plugin(lab, user=writer)
    for n in range(30):
        make_entrypoint(lab, f"e{n:02}", user=writer, plugins=[plugin])
    client = client_for(writer)
    # session, user, count, page of rows, tags, queues, plugin snapshots, latest snapshot ids,
    # groups and tags of the filter form.
    with django_assert_max_num_queries(12):
        html = client.get("/entrypoints/").content.decode()
    assert "Page 1 of 2" in html and "e24" in html and "e25" not in html
    assert "e29" in client.get("/entrypoints/?page=2").content.decode()


# The editor -------------------------------------------------------------------------------------


def test_other_groups_entrypoints_answer_404(hello, client_for):
    outsider = make_user("outsider", elsewhere="write")
    client = client_for(outsider)
    assert client.get(f"/entrypoints/{hello.pk}/").status_code == 404
    assert client.post(f"/entrypoints/{hello.pk}/validate", {}).status_code == 404
    assert client.post(f"/entrypoints/{hello.pk}/", {"name": "x"}).status_code == 404


def test_readers_see_the_page_read_only_and_cannot_save(lab, hello, client_for):
    reader = make_user("reader", lab="read")
    client = client_for(reader)
    html = client.get(f"/entrypoints/{hello.pk}/").content.decode()
    assert "your role in group &#x27;lab&#x27; is read" in html
    assert 'id="save-button"' not in html and '<fieldset class="plain" disabled>' in html
    data = page_form(
        client_for(make_user("w2", lab="write")).get(f"/entrypoints/{hello.pk}/").content.decode()
    )
    response = client.post(f"/entrypoints/{hello.pk}/", {**data, "name": "renamed"}, **HTMX)
    assert response.status_code == 403
    hello.refresh_from_db()
    assert hello.name == "hello"


def test_validation_agrees_with_the_api_and_the_stored_verdict(lab, writer, hello, client_for):
    """One validator: the page's live verdict, the API's validateEntrypoint and the stored one."""
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    broken = (
        "message:\n  hello_world:\n    greeting: $nope\n    name: $name\nextra:\n  missing: {}\n"
    )
    data["task_graph"] = broken
    live = state_of(client.post(f"/entrypoints/{hello.pk}/validate", data, **HTMX))["issues"]

    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(writer)
    answer = api.post(
        "/api/v1/workflows/validateEntrypoint",
        {
            "group": lab.pk,
            "taskGraph": broken,
            "pluginSnapshots": hello.plugin_snapshot_ids,
            "parameters": hello.parameters,
        },
        format="json",
    ).json()
    assert live == answer["schemaIssues"]
    assert {i["code"] for i in live} == {"E_REF_UNRESOLVABLE", "E_UNKNOWN_TASK"}

    saved = client.post(f"/entrypoints/{hello.pk}/", {**data, "confirm_invalid": "on"}, **HTMX)
    assert saved.status_code == 200
    hello.refresh_from_db()
    assert hello.issues == live and hello.valid is False


def test_validation_covers_unsaved_parameters_and_plugins(lab, writer, client_for):
    client = client_for(writer)
    plugin = make_hello_plugin(lab, "hi", user=writer)
    data = {
        "group": lab.pk,
        "name": "draft",
        "task_graph": HELLO_GRAPH,
        "plugins": [plugin.pk],
        "param-0-name": "greeting",
        "param-0-type": "integer",
        "param-0-default": "Hello",
    }
    state = state_of(client.post("/entrypoints/new/validate", data, **HTMX))
    codes = {i["code"] for i in state["issues"]}
    assert "E_PARAM_DEFAULT_CONVERSION" in codes  # the default does not convert to integer
    assert "E_REF_UNRESOLVABLE" in codes  # $name: no such parameter yet
    assert "hello_world" in state["tasks"] and state["parameters"] == ["greeting"]


def test_validation_answers_the_graph_and_keeps_it_when_the_yaml_breaks(
    lab, writer, hello, client_for
):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    del data["graph_key"]  # a page that shows no graph yet
    good = client.post(f"/entrypoints/{hello.pk}/validate", data, **HTMX).content.decode()
    assert 'id="graph-panel"' in good and 'data-step="message"' in good
    broken = client.post(
        f"/entrypoints/{hello.pk}/validate", {**data, "task_graph": "a: [\n"}, **HTMX
    ).content.decode()
    assert 'id="graph-panel"' not in broken and 'data-stale="true"' in broken
    assert "E_YAML_SYNTAX" in broken


def test_an_unchanged_graph_is_not_sent_again(lab, writer, hello, client_for):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    assert data["graph_key"]
    same = client.post(
        f"/entrypoints/{hello.pk}/validate", {**data, "task_graph": HELLO_GRAPH + "# c\n"}, **HTMX
    )
    assert 'id="graph-panel"' not in same.content.decode()
    changed = client.post(
        f"/entrypoints/{hello.pk}/validate",
        {**data, "task_graph": HELLO_GRAPH + "b:\n  t: {}\n"},
        **HTMX,
    ).content.decode()
    assert 'id="graph-panel"' in changed and 'data-step="b"' in changed
    assert 'id="graph-key" hx-swap-oob="true"' in changed


# Saving -----------------------------------------------------------------------------------------


def test_create_from_the_page(lab, writer, client_for):
    plugin = make_hello_plugin(lab, "hi", user=writer)
    queue = queue_create(user=writer, group=lab, name="gpu")
    data = {
        "group": lab.pk,
        "name": "made in the browser",
        "description": "",
        "task_graph": HELLO_GRAPH.replace("\n", "\r\n"),
        "artifact_graph": "",
        "plugins": [plugin.pk],
        "queues": [queue.pk],
        "param-0-name": "greeting",
        "param-0-type": "string",
        "param-0-default": "",
        "param-3-name": "name",
        "param-3-type": "string",
        "param-3-nodefault": "on",
    }
    response = client_for(writer).post("/entrypoints/new/", data, **HTMX)
    created = Entrypoint.objects.get(name="made in the browser")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/entrypoints/{created.pk}/"
    assert "entrypoint-saved" in response["HX-Trigger"]
    assert created.task_graph == HELLO_GRAPH  # form line endings become \n
    assert created.parameters == [
        {"name": "greeting", "parameterType": "string", "defaultValue": ""},
        {"name": "name", "parameterType": "string", "defaultValue": None},
    ]
    assert created.valid and list(created.queues.all()) == [queue]
    assert created.description is None


def test_create_without_javascript_redirects_to_the_editor(lab, writer, client_for):
    data = {
        "group": lab.pk,
        "name": "plain",
        "task_graph": "a:\n  t: {}\n",
        "confirm_invalid": "on",
    }
    response = client_for(writer).post("/entrypoints/new/", data)
    assert response.status_code == 302
    assert response.url == f"/entrypoints/{Entrypoint.objects.get(name='plain').pk}/"


def test_saving_unchanged_keeps_everything(lab, writer, hello, client_for):
    client = client_for(writer)
    before = Entrypoint.objects.get(pk=hello.pk)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    response = client.post(f"/entrypoints/{hello.pk}/", data, **HTMX)
    assert response.status_code == 200, response.content
    after = Entrypoint.objects.get(pk=hello.pk)
    for field in (
        "name",
        "description",
        "task_graph",
        "artifact_graph",
        "parameters",
        "artifact_parameters",
        "plugin_snapshot_ids",
        "artifact_plugin_snapshot_ids",
    ):
        assert getattr(after, field) == getattr(before, field), field
    assert after.history.count() == 2  # one new snapshot


def test_saving_with_errors_asks_first(lab, writer, hello, client_for):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    data["task_graph"] = "a:\n  nope: {}\n"
    asked = client.post(f"/entrypoints/{hello.pk}/", data, **HTMX).content.decode()
    assert "has 1 error" in asked and "Save with errors" in asked
    assert Entrypoint.objects.get(pk=hello.pk).task_graph == HELLO_GRAPH
    saved = client.post(f"/entrypoints/{hello.pk}/", {**data, "confirm_invalid": "on"}, **HTMX)
    assert "flagged invalid" in saved.content.decode()
    assert Entrypoint.objects.get(pk=hello.pk).valid is False


def test_a_stale_save_shows_what_changed_and_can_save_on_top(lab, writer, hello, client_for):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    other = make_user("bob", lab="write")
    theirs = page_form(client_for(other).get(f"/entrypoints/{hello.pk}/").content.decode())
    theirs["task_graph"] = HELLO_GRAPH + "# bob was here\n"
    assert client_for(other).post(f"/entrypoints/{hello.pk}/", theirs, **HTMX).status_code == 200

    data["task_graph"] = HELLO_GRAPH.replace("$name", "$greeting")
    refused = client.post(f"/entrypoints/{hello.pk}/", data, **HTMX)
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "Someone saved this entrypoint" in html and "bob" in html and "# bob was here" in html
    assert "bob was here" in Entrypoint.objects.get(pk=hello.pk).task_graph

    latest = re.search(r'"etag": "(\d+)"', html).group(1)
    on_top = client.post(f"/entrypoints/{hello.pk}/", {**data, "etag": latest}, **HTMX)
    assert on_top.status_code == 200
    assert Entrypoint.objects.get(pk=hello.pk).task_graph == data["task_graph"]


def test_duplicate_names_are_refused_with_a_message(lab, writer, hello, client_for):
    make_entrypoint(lab, "taken", user=writer)
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    response = client.post(f"/entrypoints/{hello.pk}/", {**data, "name": "taken"}, **HTMX)
    assert response.status_code == 409 and "already used" in response.content.decode()


def test_rows_with_problems_block_saving(lab, writer, hello, client_for):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    data |= {"param-7-name": "greeting", "param-7-type": "string", "param-7-nodefault": "on"}
    response = client.post(f"/entrypoints/{hello.pk}/", data, **HTMX)
    assert response.status_code == 400 and "more than once" in response.content.decode()


def test_sync_pins_the_latest_snapshot_in_the_form_only(lab, writer, client_for):
    plugin = make_hello_plugin(lab, "greeter", user=writer)
    entrypoint = make_entrypoint(lab, "pinned", user=writer, plugins=[plugin])
    from tests.plugins.factories import make_file

    make_file(plugin, "more.py", contents="def more():\n    pass\n", user=writer)
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{entrypoint.pk}/").content.decode())
    pinned = data[f"pin-plugins-{plugin.pk}"]
    html = client.post(
        f"/entrypoints/{entrypoint.pk}/fields", {**data, "sync": plugin.pk}, **HTMX
    ).content.decode()
    assert f'name="pin-plugins-{plugin.pk}" value="{pinned}"' not in html
    assert "outdated" not in html
    assert Entrypoint.objects.get(pk=entrypoint.pk).plugin_snapshot_ids == [int(pinned)]


def test_new_rows_come_with_the_next_add_button(writer, client_for):
    html = client_for(writer).get("/entrypoints/rows/param?index=4", **HTMX).content.decode()
    assert 'name="param-4-name"' in html and "index=5" in html and 'hx-swap-oob="true"' in html
    assert client_for(writer).get("/entrypoints/rows/bogus").status_code == 404


@pytest.mark.parametrize(
    "hostile",
    [
        {"task_graph": "a: &x [1]\nb: *x\n"},  # an alias
        {"task_graph": "a:\n  t: {}\n\x00"},  # NUL, refused by PostgreSQL's text columns
        {"task_graph": "x" * 300_000},  # over the size cap
        {"etag": "not a number"},
        {"pin-plugins-1": "999999", "plugins": ["1"]},  # a snapshot nobody may see
        {"param-99999999999999999999-name": "p", "param-99999999999999999999-type": "nope"},
        {"art-0-name": "a", "art-0-outputs": "x: no_such_type, :::"},
        {"queues": ["999999"], "tags": ["abc"]},
        {"name": ""},
    ],
)
def test_hostile_posts_get_an_answer_and_change_nothing(lab, writer, hello, client_for, hostile):
    client = client_for(writer)
    data = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode()) | hostile
    before = Entrypoint.objects.get(pk=hello.pk).history.count()
    validated = client.post(f"/entrypoints/{hello.pk}/validate", data, **HTMX)
    assert validated.status_code == 200
    saved = client.post(f"/entrypoints/{hello.pk}/", data, **HTMX)
    assert saved.status_code in (200, 400, 413)  # 200: "it has errors, save anyway?"
    assert "Saved snapshot" not in saved.content.decode()
    assert Entrypoint.objects.get(pk=hello.pk).history.count() == before


def test_the_editor_offers_the_entrypoint_as_a_dioptra_export(hello, writer, client_for):
    import re as regex
    import tarfile
    from html import unescape
    from io import BytesIO

    client = client_for(writer)
    html = client.get(f"/entrypoints/{hello.pk}/").content.decode()
    link = unescape(regex.search(r'id="export-link" href="([^"]+)"', html).group(1))
    response = client.get(link)
    assert response.status_code == 200
    archive = tarfile.open(
        fileobj=BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    )
    assert any(name.endswith("dioptra.toml") for name in archive.getnames())
