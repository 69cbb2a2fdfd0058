""" "Show History" on a plugin's page: the snapshot list with what each changed (files, tasks),
compare, restore after a preview, and who may do what."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plugins_app import services, timeline
from tests.factories import make_user
from tests.plugins.factories import builtin, function_task, make_file, make_plugin

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def plugin(lab, writer):
    """Snapshots: created, a file added, its code and tasks changed."""
    plugin = make_plugin(lab, "hello", user=writer)
    string = builtin(lab, "string")
    hello = function_task("hello", inputs=[("name", string)], outputs=[("text", string)])
    tasks_file = make_file(
        plugin,
        "tasks.py",
        contents="def hello(name):\n    return name\n",
        tasks={"functions": [hello]},
        user=writer,
    )
    shout = function_task("shout", inputs=[("text", string)], outputs=[("text", string)])
    services.plugin_file_update(
        user=writer,
        plugin_file=tasks_file,
        filename="tasks.py",
        contents="def hello(name):\n    return name\n\ndef shout(text):\n    return text.upper()\n",
        tasks={"functions": [hello, shout]},
    )
    return plugin


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ids(plugin) -> list[int]:
    return list(plugin.history.order_by("history_id").values_list("history_id", flat=True))


def test_the_panel_lists_snapshots_with_what_changed(plugin, writer):
    response = client_of(writer).get(f"/plugins/{plugin.pk}/history", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="history-panel"' in html and "<html" not in html
    assert "created with 0 files" in html
    assert "added file tasks.py; added task hello" in html
    assert "changed file tasks.py; added task shout" in html
    page = client_of(writer).get(f"/plugins/{plugin.pk}/")
    assert 'id="history-toggle"' in page.content.decode()


def test_the_list_costs_the_same_however_long(plugin, writer):
    def queries():
        with CaptureQueriesContext(connection) as found:
            assert client_of(writer).get(f"/plugins/{plugin.pk}/history", **HTMX).status_code == 200
        return len(found)

    few = queries()
    for n in range(timeline.PAGE_SIZE + 3):
        services.plugin_update(user=writer, plugin=plugin, name="hello", description=f"v{n}")
    assert queries() == few


def test_compare_shows_the_code_diff_and_the_task_changes(plugin, writer):
    _, second, third = ids(plugin)
    html = (
        client_of(writer)
        .get(f"/plugins/{plugin.pk}/compare?a={second}&b={third}", **HTMX)
        .content.decode()
    )
    assert f"Snapshot {second} → Snapshot {third} (latest)" in html
    assert (
        '<li class="change added"><span class="change-kind">added</span> task <code>shout</code>'
        in html
    )
    assert '<table class="diff"' in html and "return text.upper()" in html


def test_restore_after_a_preview(plugin, writer):
    first_with_file = ids(plugin)[1]
    client = client_of(writer)
    preview = client.get(f"/plugins/{plugin.pk}/restore/{first_with_file}", **HTMX).content.decode()
    assert "Restore snapshot" in preview and "removed task shout" in preview.lower()
    response = client.post(f"/plugins/{plugin.pk}/restore/{first_with_file}", **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == f"/plugins/{plugin.pk}/"
    plugin.refresh_from_db()
    tasks = [t["name"] for f in plugin.manifest["files"] for t in f["tasks"]["functions"]]
    assert tasks == ["hello"] and len(ids(plugin)) == 4
    page = client.get(f"/plugins/{plugin.pk}/").content.decode()
    assert f"Restored snapshot {first_with_file} of plugin hello" in page


def test_readers_compare_but_do_not_restore_and_outsiders_get_404(lab, plugin):
    reader = client_of(make_user("reader", lab="read"))
    first = ids(plugin)[0]
    listing = reader.get(f"/plugins/{plugin.pk}/history", **HTMX).content.decode()
    assert "Restore…" not in listing
    assert reader.get(f"/plugins/{plugin.pk}/compare?a={first}", **HTMX).status_code == 200
    assert reader.post(f"/plugins/{plugin.pk}/restore/{first}", **HTMX).status_code == 403
    outsider = client_of(make_user("outsider", elsewhere="write"))
    for path in ("history", f"compare?a={first}", f"restore/{first}"):
        assert outsider.get(f"/plugins/{plugin.pk}/{path}").status_code == 404
    other = make_plugin(lab, "other")
    assert reader.get(f"/plugins/{plugin.pk}/compare?a={ids(other)[0]}").status_code == 404
