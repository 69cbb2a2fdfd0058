"""The browsable API (``/api/v1/...`` in a browser): its HTML forms write what they show, its
pages read well, and it answers visitors who are not signed in."""

import json
import re
from html import unescape

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from core.api.browsable import json_html
from jobs.services import queue_create
from tests.api.html_forms import html_form, submit
from tests.api.mixins import make_tag, unique_name
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    make_artifact_plugin,
    make_entrypoint,
    make_hello_plugin,
)
from tests.factories import make_user
from tests.plugins.factories import builtin, make_plugin, make_type

URL = "/api/v1/entrypoints"
HTML = {"HTTP_ACCEPT": "text/html"}
# What every versioned write changes by itself.
SNAPSHOT_FIELDS = {"snapshot", "snapshotCreatedOn", "lastModifiedOn"}


@pytest.fixture
def client(lab):
    """A client of a user who manages the lab."""
    client = APIClient()
    client.force_authenticate(make_user(unique_name("manager"), lab="manage"))
    return client


def page(client, url) -> str:
    response = client.get(url, **HTML)
    assert response.status_code == 200, response.content
    return response.content.decode()


def without_snapshot(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in SNAPSHOT_FIELDS}


def rich_entrypoint(lab):
    """An entrypoint with every field set, texts with line breaks at both ends."""
    string = builtin(lab, "string")
    return make_entrypoint(
        lab,
        description="First line\nsecond line\n",
        task_graph="\n" + HELLO_GRAPH + "\n",
        artifact_graph="saved:\n  contents: $message\n",
        artifact_parameters=[
            {"name": "previous", "outputParams": [{"name": "value", "parameterType": string.pk}]}
        ],
        queues=[queue_create(user=None, group=lab, name=unique_name("queue"))],
        artifact_plugins=[make_artifact_plugin(lab)],
    )


def entrypoint_url(lab) -> str:
    return f"{URL}/{rich_entrypoint(lab).pk}"


def queue_url(lab) -> str:
    return f"/api/v1/queues/{queue_create(user=None, group=lab, name=unique_name('q')).pk}"


def tag_url(lab) -> str:
    return f"/api/v1/tags/{make_tag(lab).pk}"


def plugin_url(lab) -> str:
    return f"/api/v1/plugins/{make_plugin(lab).pk}"


def parameter_type_url(lab) -> str:
    return f"/api/v1/pluginParameterTypes/{make_type(lab, structure={'list': 'string'}).pk}"


def plugin_file_url(lab) -> str:
    plugin = make_hello_plugin(lab)
    return f"/api/v1/plugins/{plugin.pk}/files/{plugin.files.get().pk}"


def member_url(lab) -> str:
    return f"/api/v1/groups/{lab.pk}/members/{make_user(unique_name('member'), lab='write').pk}"


@pytest.mark.django_db
class TestPutForm:
    @pytest.mark.parametrize(
        "detail_url",
        [
            entrypoint_url,
            queue_url,
            tag_url,
            plugin_url,
            parameter_type_url,
            plugin_file_url,
            member_url,
        ],
    )
    def test_submitting_the_form_unchanged_changes_nothing(self, detail_url, client, lab):
        url = detail_url(lab)
        before = client.get(url).json()
        form = html_form(page(client, url), "PUT")
        response = submit(client, "PUT", url, form)
        assert response.status_code == 200, response.content
        assert without_snapshot(client.get(url).json()) == without_snapshot(before)
        assert html_form(response.content.decode(), "PUT") == form  # the page after it too

    def test_every_field_is_shown_with_its_value(self, client, lab):
        url = entrypoint_url(lab)
        entrypoint = client.get(url).json()
        form = {name: value for name, value, _ in html_form(page(client, url), "PUT")}
        assert form.keys() == {
            "name",
            "description",
            "taskGraph",
            "artifactGraph",
            "parameters",
            "artifactParameters",
            "queues",
            "pluginSnapshotIds",
            "artifactPluginSnapshotIds",
        }
        for text in ("name", "description", "taskGraph", "artifactGraph"):
            assert form[text] == entrypoint[text]
        assert json.loads(form["parameters"]) == entrypoint["parameters"]
        assert (
            json.loads(form["artifactParameters"])[0]["outputParams"][0]["parameterType"]
            == (entrypoint["artifactParameters"][0]["outputParams"][0]["parameterType"]["id"])
        )
        assert json.loads(form["pluginSnapshotIds"]) == [
            plugin["snapshotId"] for plugin in entrypoint["plugins"]
        ]
        assert form["queues"] == str(entrypoint["queues"][0]["id"])

    def test_a_changed_json_field_is_written(self, client, lab):
        url = entrypoint_url(lab)
        parameters = [{"name": "greeting", "defaultValue": "Hi", "parameterType": "string"}]
        fields = html_form(page(client, url), "PUT")
        response = submit(client, "PUT", url, fields, parameters=json.dumps(parameters))
        assert response.status_code == 200, response.content
        assert client.get(url).json()["parameters"] == parameters

    def test_json_that_does_not_parse_is_an_error_of_its_field(self, client, lab):
        url = entrypoint_url(lab)
        before = client.get(url).json()
        response = submit(client, "PUT", url, html_form(page(client, url), "PUT"), parameters="[{")
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert "Enter valid JSON" in html
        assert re.search(r'<textarea name="parameters"[^>]*>\s*\[\{</textarea>', html)
        assert client.get(url).json() == before


@pytest.mark.django_db
class TestPostForm:
    @pytest.mark.parametrize(
        "list_url, filled, named",
        [
            (lambda lab: URL, {"name": "made", "taskGraph": HELLO_GRAPH}, "name"),
            (lambda lab: "/api/v1/queues", {"name": "made"}, "name"),
            (lambda lab: "/api/v1/tags", {"name": "made"}, "name"),
            (lambda lab: "/api/v1/plugins", {"name": "made"}, "name"),
            (lambda lab: "/api/v1/pluginParameterTypes", {"name": "made"}, "name"),
            (
                lambda lab: f"{plugin_url(lab)}/files",
                {"filename": "made.py", "contents": "x = 1\r\n"},
                "filename",
            ),
        ],
    )
    def test_the_form_creates(self, list_url, filled, named, client, lab):
        url = list_url(lab)
        fields = html_form(page(client, url), "POST")
        group = {"group": str(lab.pk)} if any(name == "group" for name, _, _ in fields) else {}
        response = submit(client, "POST", url, fields, **filled, **group)
        assert response.status_code == 200, response.content
        listed = client.get(url, {"pageLength": 1000}).json()["data"]
        assert "made" in [item[named].removesuffix(".py") for item in listed]

    def test_related_ids_and_plugins_are_added_by_their_forms(self, client, lab):
        entrypoint = make_entrypoint(lab)
        base = f"{URL}/{entrypoint.pk}"
        tag, plugin = make_tag(lab), make_hello_plugin(lab)
        tags = submit(
            client,
            "POST",
            f"{base}/tags",
            html_form(page(client, f"{base}/tags"), "POST"),
            ids=f"[{tag.pk}]",
        )
        assert tags.status_code == 200, tags.content
        plugins_page = page(client, f"{base}/plugins")
        plugins = submit(
            client,
            "POST",
            f"{base}/plugins",
            html_form(plugins_page, "POST"),
            plugins=[str(plugin.pk)],
        )
        assert plugins.status_code == 200, plugins.content
        body = client.get(base).json()
        assert [t["id"] for t in body["tags"]] == [tag.pk]
        assert plugin.pk in [p["id"] for p in body["plugins"]]

    def test_members_are_added_by_their_form(self, client, lab):
        newcomer = make_user(unique_name("newcomer"), elsewhere="read")
        url = f"/api/v1/groups/{lab.pk}/members"
        fields = html_form(page(client, url), "POST")
        assert submit(client, "POST", url, fields, user=str(newcomer.pk)).status_code == 200
        assert newcomer.pk in [member["user"]["id"] for member in client.get(url).json()]

    @pytest.mark.parametrize(
        "url, filled",
        [
            ("/api/v1/workflows/validateEntrypoint", {"taskGraph": HELLO_GRAPH}),
            ("/api/v1/workflows/pluginTaskSignatureAnalysis", {"pythonCode": "def f(x): ..."}),
        ],
    )
    def test_the_workflows_answer_their_forms(self, url, filled, client, lab):
        response = client.get(url, **HTML)
        assert response.status_code == 405  # they only take POST, and show its form
        fields = html_form(response.content.decode(), "POST")
        group = {"group": str(lab.pk)} if url.endswith("validateEntrypoint") else {}
        response = submit(client, "POST", url, fields, **filled, **group)
        assert response.status_code == 200, response.content


@pytest.mark.django_db
class TestFormBodies:
    def test_the_forms_own_fields_are_not_the_resources(self, client, lab):
        response = submit(
            client,
            "POST",
            "/api/v1/queues",
            [],
            csrfmiddlewaretoken="token",
            _content_type="application/json",
            _content="{}",
            _method="POST",
            group=str(lab.pk),
            name="q",
        )
        assert response.status_code == 200, response.content

    def test_other_unknown_fields_are_still_refused(self, client, lab):
        response = client.post("/api/v1/queues", {"group": lab.pk, "name": "q", "colour": "red"})
        assert response.status_code == 400
        assert response.json() == {"colour": ["Unknown field."]}

    def test_lists_of_ids_may_be_sent_as_a_repeated_key(self, client, lab):
        entrypoint, tags = make_entrypoint(lab), [make_tag(lab).pk, make_tag(lab).pk]
        response = client.post(f"{URL}/{entrypoint.pk}/tags", {"ids": tags}, format="multipart")
        assert response.status_code == 200, response.content
        assert [tag["id"] for tag in response.json()] == tags
        response = client.post(f"{URL}/{entrypoint.pk}/tags", {"ids": "x"}, format="multipart")
        assert response.json() == {"ids": {"0": ["A valid integer is required."]}}

    def test_form_texts_arrive_with_unix_line_breaks(self, client, lab):
        response = client.post(
            URL, {"group": lab.pk, "name": "e", "taskGraph": "a:\r\n  b: 1\r\n"}, format="multipart"
        )
        assert response.status_code == 200, response.content
        assert response.json()["taskGraph"] == "a:\n  b: 1\n"
        response = client.post(
            "/api/v1/queues", {"group": lab.pk, "name": "q", "description": "x\r\ny"}
        )
        assert response.json()["description"] == "x\ny"

    def test_json_texts_are_kept_exactly_as_sent(self, client, lab):
        graph = "a:\r\n  b: 1\r\n"
        response = client.post(
            URL, {"group": lab.pk, "name": "e", "taskGraph": graph}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["taskGraph"] == graph


INNERMOST_FOLD = re.compile(
    r"<details><summary>((?:(?!<details>).)*?)</summary>(?:(?!<details>).)*?</details>", re.S
)


def folded_away(html: str) -> str:
    """The lines a page shows of ``html`` while every ``<details>`` is closed (each a block: its
    summary is a line of its own)."""
    while "<details>" in html:
        html = INNERMOST_FOLD.sub(r"\n\1\n", html)
    return [line for line in html.splitlines() if line.strip()]


@pytest.mark.django_db
class TestPages:
    def test_labels_read_like_words(self, client, lab):
        html = page(client, entrypoint_url(lab))
        labels = {
            " ".join(label.split())
            for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
        }
        assert {"Plugin snapshot ids", "Artifact plugin snapshot ids", "Task graph"} <= labels
        assert "Pluginsnapshotids" not in html

    def test_descriptions_show_code_as_code(self, client, lab):
        html = page(client, URL)
        assert "<code>valid</code>" in html and "``" not in html

    def test_a_list_page_folds_what_is_long(self, client, lab):
        for _ in range(10):
            rich_entrypoint(lab)
        assert len(client.get(URL).json()["data"]) == 10  # JSON clients: the contract's page
        html = page(client, URL)
        answer = re.search(r'<div class="response-info".*?</pre>', html, re.S).group()
        assert len(folded_away(answer)) < 30  # ten entrypoints, one line each

    @pytest.mark.parametrize(
        "data",
        [
            {"index": 0, "data": [{"id": 1, "name": "e", "plugins": [{"files": list(range(40))}]}]},
            [{"url": "http://testserver/api/v1/x?a=1&b=<2>"}, "</pre>", None, [], {}],
        ],
    )
    def test_folded_json_is_still_the_answer(self, data):
        html = json_html(data)
        text = unescape(
            re.sub(r"<[^>]+>", "", re.sub(r'<span class="folded-hint">.*?</span>', "", html))
        )
        assert json.loads(text) == data
        assert "<details>" in html or not isinstance(data, dict)

    def test_a_visitor_who_is_not_signed_in_is_offered_to_log_in(self, lab):
        response = APIClient().get(f"{URL}?index=0", **HTML)
        assert response.status_code == 401
        login = "/accounts/login/?next=/api/v1/entrypoints%3Findex%3D0"
        assert f'<a href="{login}">Log in</a>' in response.content.decode()


@pytest.mark.django_db
class TestNotFoundWithDebug:
    @pytest.fixture(autouse=True)
    def debug(self):
        with override_settings(DEBUG=True):
            yield

    @pytest.mark.parametrize("path", ["/api/v1/nothing/here", "/api/v1/entrypoints:lint", "/api/x"])
    def test_unknown_api_paths_answer_json(self, path, client):
        response = client.get(path, **HTML)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_paths_that_need_a_slash_still_redirect(self, client):
        assert client.get("/api/schema").status_code == 301

    def test_pages_keep_djangos_debug_page(self, client):
        response = client.get("/no-such-page")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
