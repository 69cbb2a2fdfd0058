"""The graph editor's round trips through Django's test client: a step's action panel, and each
operation applied to the unsaved page (nothing saved), refused with a reason when it cannot be."""

import json
import re

import pytest
from django.test import Client

from entrypoints.models import Entrypoint
from tests.entrypoints.factories import make_entrypoint, make_hello_plugin
from tests.entrypoints.test_pages import page_form
from tests.factories import make_user
from tests.plugins.factories import builtin, function_task, make_file

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GRAPH = """\
# greet twice; keep this comment
message:
  hello_world:
    greeting: $greeting
    name: $name
"""


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def hello(lab, writer):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    number = builtin(lab, "integer")
    count = function_task("count", inputs=[("n", number)], outputs=[("total", number)])
    make_file(
        plugin,
        "count.py",
        contents="def count(n): ...\n",
        tasks={"functions": [count]},
        user=writer,
    )
    return make_entrypoint(lab, "hello", user=writer, task_graph=GRAPH, plugins=[plugin])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, entrypoint) -> dict:
    return page_form(client.get(f"/entrypoints/{entrypoint.pk}/").content.decode())


def edit(client, entrypoint, form=None, **fields):
    form = {**(form or page(client, entrypoint)), **{f"g-{k}": v for k, v in fields.items()}}
    return client.post(f"/entrypoints/{entrypoint.pk}/graph/edit", form, **HTMX)


def result(response) -> dict:
    found = re.search(
        r'<script id="graph-edit-result" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def test_the_panel_lists_a_steps_inputs_sources_and_actions(hello, writer):
    client = client_of(writer)
    response = client.post(
        f"/entrypoints/{hello.pk}/graph/actions",
        {**page(client, hello), "g-select": "message"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="graph-actions"' in html
    assert "Step <code>message</code>" in html
    assert 'name="g-arg-greeting" value="$greeting"' in html
    assert "parameter greeting (string)" in html
    assert "Delete step message" in html and "Nothing else uses it." in html


def test_rename_keeps_the_comment_and_saves_nothing(hello, writer):
    client = client_of(writer)
    response = edit(client, hello, op="rename", step="message", name="greeting_text")
    assert response.status_code == 200
    assert result(response) == {
        "taskGraph": GRAPH.replace("message:", "greeting_text:"),
        "artifactGraph": "",
        "select": "greeting_text",
    }
    assert "Step <code>greeting_text</code>" in response.content.decode()
    assert Entrypoint.objects.get(pk=hello.pk).task_graph == GRAPH


def test_add_after_wires_the_first_compatible_input(hello, writer):
    client = client_of(writer)
    response = edit(client, hello, op="add", step="message", task="hello_world")
    text = result(response)["taskGraph"]
    assert text == GRAPH + 'hello_world:\n  hello_world:\n    greeting: $message\n    name: "$?"\n'
    assert result(response)["select"] == "hello_world"


def test_an_incompatible_connection_is_refused_with_the_reason(hello, writer):
    client = client_of(writer)
    form = page(client, hello)
    added = result(edit(client, hello, form, op="add", task="count"))
    form["task_graph"] = added["taskGraph"]
    refused = edit(client, hello, form, op="connect", step="count", input="n", source="$message")
    assert refused.status_code == 400
    assert (
        "Not connected:" in refused.content.decode()
        and "expects `integer`" in refused.content.decode()
    )
    assert "graph-edit-result" not in refused.content.decode()


def test_connect_disconnect_and_dependencies(hello, writer):
    client = client_of(writer)
    form = page(client, hello)
    form["task_graph"] = result(edit(client, hello, form, op="add", task="hello_world"))[
        "taskGraph"
    ]
    connected = result(
        edit(client, hello, form, op="connect", step="hello_world", input="name", source="$message")
    )["taskGraph"]
    assert connected.endswith('    greeting: "$?"\n    name: $message\n')
    form["task_graph"] = connected
    gone = result(
        edit(client, hello, form, op="disconnect", step="hello_world", disconnect="$message")
    )
    assert gone["taskGraph"].endswith('    name: "$?"\n')
    depends = result(edit(client, hello, form, op="depend", step="hello_world", on="message"))
    assert depends["taskGraph"].endswith("    name: $message\n  dependencies: [message]\n")
    form["task_graph"] = depends["taskGraph"]
    undone = result(edit(client, hello, form, op="undepend", step="hello_world", off="message"))
    assert undone["taskGraph"] == connected


def test_delete_lists_what_breaks_then_leaves_placeholders(hello, writer):
    client = client_of(writer)
    form = page(client, hello)
    form["task_graph"] = GRAPH + "shout:\n  hello_world:\n    greeting: $message\n    name: $name\n"
    panel = client.post(
        f"/entrypoints/{hello.pk}/graph/actions", {**form, "g-select": "message"}, **HTMX
    ).content.decode()
    assert "step `shout` uses `$message`" in panel
    deleted = result(edit(client, hello, form, op="delete", step="message"))
    assert deleted["taskGraph"] == (
        "# greet twice; keep this comment\n"
        'shout:\n  hello_world:\n    greeting: "$?"\n    name: $name\n'
    )


def test_arguments_are_written_in_the_steps_style(hello, writer):
    client = client_of(writer)
    out = result(
        edit(client, hello, op="arguments", step="message", **{"arg-greeting": '"Hi: there"'})
    )
    assert '    greeting: "Hi: there"\n' in out["taskGraph"]
    bad = edit(client, hello, op="arguments", step="message", **{"arg-name": "[unclosed"})
    assert bad.status_code == 400 and "not a YAML value" in bad.content.decode()


def test_a_text_that_does_not_parse_is_refused(hello, writer):
    client = client_of(writer)
    form = {**page(client, hello), "task_graph": "message: ["}
    response = edit(client, hello, form, op="rename", step="message", name="x")
    assert response.status_code == 400 and "must parse" in response.content.decode()


def test_readers_and_outsiders_cannot_edit(lab, hello):
    reader = make_user("reader", lab="read")
    client = client_of(reader)
    refused = edit(client, hello, op="rename", step="message", name="x")
    assert refused.status_code == 403 and "graph-edit-result" not in refused.content.decode()
    outsider = client_of(make_user("outsider", elsewhere="write"))
    assert (
        outsider.post(f"/entrypoints/{hello.pk}/graph/edit", {"g-op": "rename"}).status_code == 404
    )
    assert outsider.post(f"/entrypoints/{hello.pk}/graph/actions", {}).status_code == 404


def test_the_new_entrypoint_page_edits_its_graph_too(lab, writer):
    make_hello_plugin(lab, "hello", user=writer)
    client = client_of(writer)
    form = page_form(client.get("/entrypoints/new/").content.decode())
    form.update({"name": "fresh", "task_graph": "", "g-op": "add", "g-task": "hello_world"})
    plugin_ids = re.findall(
        r'name="plugins" value="(\d+)"', client.get("/entrypoints/new/").content.decode()
    )
    form["plugins"] = plugin_ids
    response = client.post("/entrypoints/new/graph/edit", form, **HTMX)
    assert (
        result(response)["taskGraph"]
        == 'hello_world:\n  hello_world:\n    greeting: "$?"\n    name: "$?"\n'
    )
