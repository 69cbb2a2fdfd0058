"""The entrypoint change page: the editor page's CodeMirror editors, parameter tables and live
verdict (its own endpoint and fragment), and a save that says when what it saved cannot run."""

import json
import re

import pytest

from entrypoints import services
from entrypoints.models import Entrypoint
from entrypoints.selectors import plugin_snapshots
from tests.entrypoints.factories import HELLO_GRAPH, make_entrypoint, make_hello_plugin
from tests.entrypoints.test_admin import ADMIN, form_data
from tests.factories import make_user
from tests.plugins.factories import builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user("root", superuser=True))
    return client


@pytest.fixture
def hello(lab):
    return make_entrypoint(lab, "hello", plugins=[make_hello_plugin(lab, "hello")])


def plugin_of(entrypoint) -> int:
    """The id of the plugin that ``entrypoint`` pins first."""
    pinned = entrypoint.plugin_snapshot_ids[0]
    return plugin_snapshots([pinned])[pinned].id


def change_page(client, entrypoint) -> str:
    response = client.get(f"{ADMIN}/{entrypoint.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def editor_state(page: str) -> dict:
    found = re.search(r'<script id="editor-state" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_texts_are_code_editors_of_the_editor_page(root, hello):
    page = change_page(root, hello)
    task_graph = re.search(
        r'<div class="code-editor" data-source="taskGraph" data-language="yaml">\s*'
        r"<textarea ([^>]*)>(.*?)</textarea>",
        page,
        re.S,
    )
    assert 'name="task_graph"' in task_graph.group(1)
    assert "data-codemirror" in task_graph.group(1)
    assert task_graph.group(2).strip() == HELLO_GRAPH.strip()
    assert re.search(
        r'data-source="artifactGraph" data-language="yaml" data-min-lines="6">\s*'
        r'<textarea name="artifact_graph"',
        page,
    )
    assert '<script src="/static/js/editor.js" defer>' in page


def test_the_verdict_comes_first_with_line_and_column(root, lab):
    broken = make_entrypoint(lab, "broken", task_graph=HELLO_GRAPH.replace("$name", "$nobody"))
    page = change_page(root, broken)
    diagnostics = page.index('id="diagnostics"')
    assert diagnostics < page.index('name="name"') < page.index('name="task_graph"')
    issue = re.search(r'<li class="issue error"[^>]*data-line="4" data-column="11"', page)
    assert issue, page[diagnostics : diagnostics + 2000]
    assert "E_REF_UNRESOLVABLE" in page and "4:11" in page
    state = editor_state(page)
    assert [(i["code"], i["line"], i["column"]) for i in state["issues"]] == [
        ("E_REF_UNRESOLVABLE", 4, 11)
    ]
    assert state["parameters"] == ["greeting", "name"]  # completion works before any typing


def test_live_validation_posts_to_the_editor_pages_endpoint(root, hello):
    page = change_page(root, hello)
    assert f'hx-post="/entrypoints/{hello.pk}/validate"' in page
    assert 'hx-target="#diagnostics"' in page
    assert "htmx" in page.split("</head>")[0]
    # The pinned snapshot goes with every validation, as the save keeps it.
    pinned = hello.plugin_snapshot_ids[0]
    assert f'name="pin-plugins-{plugin_of(hello)}" value="{pinned}"' in page


def test_what_the_admin_posts_is_what_the_endpoint_reads(root, lab, hello):
    """The admin form's fields are the editor page's: the endpoint judges them the same."""
    plugin = plugin_of(hello)
    data = form_data(lab, task_graph=HELLO_GRAPH.replace("$name", "$nobody"))
    data |= {"plugins": [plugin], f"pin-plugins-{plugin}": hello.plugin_snapshot_ids[0]}
    del data["group"]
    fragment = root.post(f"/entrypoints/{hello.pk}/validate", data).content.decode()
    assert 'data-line="4" data-column="11"' in fragment
    assert [i["code"] for i in editor_state(fragment)["issues"]] == ["E_REF_UNRESOLVABLE"]
    fixed = root.post(f"/entrypoints/{hello.pk}/validate", {**data, "task_graph": HELLO_GRAPH})
    assert editor_state(fixed.content.decode())["issues"] == []


def test_parameters_are_rows_with_their_values(root, lab):
    entrypoint = make_entrypoint(
        lab,
        parameters=[
            {"name": "greeting", "parameterType": "string", "defaultValue": "Hello"},
            {"name": "times", "parameterType": "integer", "defaultValue": None},
        ],
    )
    page = change_page(root, entrypoint)
    assert 'id="param-table"' in page and '"json"' not in page
    assert re.search(r'name="param-0-name" value="greeting"', page)
    assert re.search(r'name="param-0-default" id="param-0-default" value="Hello"', page)
    assert re.search(r"<option selected>integer</option>", page)
    assert re.search(r'name="param-1-nodefault" checked', page)
    assert 'id="add-param"' in page and "/entrypoints/rows/param?index=2" in page


def test_artifact_parameters_are_rows_with_type_names(root, lab):
    string = builtin(lab, "string")
    entrypoint = make_entrypoint(
        lab,
        artifact_parameters=[
            {"name": "data", "outputParams": [{"name": "text", "parameterType": string.pk}]}
        ],
    )
    page = change_page(root, entrypoint)
    assert 'name="art-0-name" value="data"' in page
    assert 'name="art-0-outputs" value="text: string"' in page
    assert '<option value="string">' in page  # the type names offered while typing

    data = form_data(lab, name=entrypoint.name) | {
        "art-0-name": "data",
        "art-0-outputs": "text: string, more: string",
    }
    del data["group"]
    assert root.post(f"{ADMIN}/{entrypoint.pk}/change/", data).status_code == 302
    entrypoint.refresh_from_db()
    assert entrypoint.artifact_parameters[0]["outputParams"] == [
        {"name": "text", "parameterType": string.pk},
        {"name": "more", "parameterType": string.pk},
    ]


def test_rows_are_saved_through_the_service(root, lab, hello):
    data = form_data(lab, name="hello") | {
        "param-0-name": "greeting",
        "param-0-type": "string",
        "param-0-default": "Hi",
        "param-5-name": "epochs",
        "param-5-type": "integer",
        "param-5-nodefault": "on",
    }
    data = {k: v for k, v in data.items() if not k.startswith("param-1-")}
    del data["group"]
    response = root.post(f"{ADMIN}/{hello.pk}/change/", data)
    assert response.status_code == 302
    hello.refresh_from_db()
    assert hello.parameters == [
        {"name": "greeting", "parameterType": "string", "defaultValue": "Hi"},
        {"name": "epochs", "parameterType": "integer", "defaultValue": None},
    ]
    assert hello.history.count() == 2


@pytest.mark.parametrize(
    "row, error",
    [
        ({"param-0-name": " ", "param-0-type": "string"}, "Row 1: Give the parameter a name."),
        ({"art-0-name": "a", "art-0-outputs": "x: nosuchtype"}, "Row 1: &#x27;nosuchtype&#x27;"),
        ({"art-0-name": "a", "art-0-outputs": "just words"}, "Row 1: Write each output as"),
    ],
)
def test_unreadable_rows_are_form_errors(row, error, root, lab):
    data = form_data(lab, parameters=[]) | row
    response = root.post(f"{ADMIN}/add/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Entrypoint.objects.exists()


def test_texts_keep_their_lines_with_unix_line_breaks(root, lab):
    data = form_data(lab, task_graph=HELLO_GRAPH.replace("\n", "\r\n"), description="a\r\nb")
    data["plugins"] = [make_hello_plugin(lab).pk]
    assert root.post(f"{ADMIN}/add/", data).status_code == 302
    entrypoint = Entrypoint.objects.get()
    assert (entrypoint.task_graph, entrypoint.description) == (HELLO_GRAPH, "a\nb")
    assert entrypoint.valid


def test_saving_an_invalid_entrypoint_warns(root, lab, hello):
    data = form_data(lab, name="hello", task_graph=HELLO_GRAPH.replace("$name", "$nobody"))
    data |= {"plugins": [plugin_of(hello)], "_continue": "Save and continue editing"}
    del data["group"]
    page = root.post(f"{ADMIN}/{hello.pk}/change/", data, follow=True).content.decode()
    assert (
        'class="warning">The entrypoint \u201chello\u201d was saved, but it has 1 error: '
        "it cannot run until fixed.</li>"
    ) in page
    assert "successfully" not in page
    hello.refresh_from_db()
    assert hello.valid is False and hello.history.count() == 2


def test_saving_a_valid_entrypoint_says_so_plainly(root, lab, hello):
    data = form_data(lab, name="hello2") | {"plugins": [plugin_of(hello)]}
    del data["group"]
    page = root.post(f"{ADMIN}/{hello.pk}/change/", data, follow=True).content.decode()
    assert 'class="success">The entrypoint' in page and "changed successfully" in page


def test_restoring_an_invalid_snapshot_warns(root, lab, hello):
    first = hello.history.get()
    services.entrypoint_update(
        user=None, entrypoint=hello, name="hello", task_graph="x: [", parameters=[]
    )
    bad = hello.history.latest("history_id")
    services.entrypoint_update(user=None, entrypoint=hello, name="hello", task_graph=HELLO_GRAPH)
    page = root.post(f"{ADMIN}/{hello.pk}/history/{bad.history_id}/", follow=True)
    assert "it cannot run until fixed" in page.content.decode()
    good = root.post(f"{ADMIN}/{hello.pk}/history/{first.history_id}/", follow=True)
    assert 'class="success">Snapshot' in good.content.decode()


def test_a_reader_sees_the_verdict_but_nothing_to_validate(client, lab, hello):
    reader = make_user("reader", lab="read")
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    page = change_page(client, hello)
    assert 'id="diagnostics"' in page and "No problems found." in page
    assert "live-validation" not in page
    # The same editor and table, read-only (not run-together text and JSON).
    assert re.search(
        r'data-source="taskGraph" data-language="yaml" data-readonly>\s*<textarea [^>]*readonly',
        page,
    )
    assert '<fieldset class="plain rows-table" disabled>' in page
    assert 'name="param-0-name" value="greeting"' in page and "parameterType" not in page
    assert 'id="add-param"' not in page and "/static/js/editor.js" in page


def test_a_deleted_entrypoint_is_not_validated_live(root, hello):
    services.entrypoint_delete(user=None, entrypoint=hello)
    page = change_page(root, hello)
    assert 'id="diagnostics"' in page and "live-validation" not in page


def test_the_add_page_starts_in_the_users_group_and_validates_new(root, lab):
    page = root.get(f"{ADMIN}/add/").content.decode()
    assert 'hx-post="/entrypoints/new/validate"' in page
    assert re.search(rf'<option value="{lab.pk}" selected>lab</option>', page)
    assert 'id="diagnostics"' in page


def test_a_plugin_file_is_edited_in_the_python_editor(root, lab):
    plugin = make_hello_plugin(lab)
    plugin_file = plugin.files.get()
    page = root.get(f"/admin/plugins_app/pluginfile/{plugin_file.pk}/change/").content.decode()
    assert re.search(
        r'<div class="code-editor" data-source="pluginFile" data-language="python">\s*'
        r'<textarea name="contents"',
        page,
    )
    assert page.count('class="code-editor"') == 1


def test_a_reader_reads_a_plugin_file_in_the_read_only_editor(client, lab):
    plugin_file = make_hello_plugin(lab).files.get()
    reader = make_user("reader", lab="read")
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    page = client.get(f"/admin/plugins_app/pluginfile/{plugin_file.pk}/change/").content.decode()
    assert page.count('class="code-editor"') == 1
    assert 'data-language="python" data-readonly>' in page
