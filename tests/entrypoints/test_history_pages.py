""" "Show History" through Django's test client: the snapshot list and its paging, a snapshot shown
read-only, compare (two snapshots, or a snapshot and the unsaved page), the restore preview and
the restore itself, blame, and who may do what."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from entrypoints import services, timeline
from entrypoints.models import Entrypoint
from tests.entrypoints.factories import HELLO_GRAPH, make_entrypoint, make_hello_plugin
from tests.entrypoints.test_pages import page_form
from tests.factories import make_user
from tests.plugins.factories import make_file

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TWO_STEPS = HELLO_GRAPH + "shout:\n  hello_world:\n    greeting: $message\n    name: $name\n"


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def reader(lab):
    return make_user("reader", lab="read")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit(entrypoint, user, **changes) -> Entrypoint:
    """Save a new snapshot of ``entrypoint`` with ``changes`` over its current content."""
    entrypoint.refresh_from_db()
    fields = {
        "name": entrypoint.name,
        "description": entrypoint.description,
        "task_graph": entrypoint.task_graph,
        "artifact_graph": entrypoint.artifact_graph,
        "parameters": entrypoint.parameters,
        "artifact_parameters": entrypoint.artifact_parameters,
        **changes,
    }
    return services.entrypoint_update(user=user, entrypoint=entrypoint, **fields)


def snapshot_ids(entrypoint) -> list[int]:
    return list(entrypoint.history.order_by("history_id").values_list("history_id", flat=True))


@pytest.fixture
def hello(lab, writer):
    """Three snapshots: created, a step added, a parameter default changed."""
    entrypoint = make_entrypoint(lab, "hello", user=writer)
    edit(entrypoint, writer, task_graph=TWO_STEPS)
    parameters = [{**p} for p in entrypoint.parameters]
    parameters[0]["defaultValue"] = "Hi"
    edit(entrypoint, writer, parameters=parameters)
    return entrypoint


# The list -----------------------------------------------------------------------------------------


def test_the_panel_lists_every_snapshot_newest_first_with_what_changed(hello, writer):
    response = client_of(writer).get(f"/entrypoints/{hello.pk}/history?in=editor", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="history-panel"' in html
    assert "<html" not in html  # a fragment
    first, second, third = snapshot_ids(hello)
    assert html.index(f'id="snapshot-{third}"') < html.index(f'id="snapshot-{first}"')
    assert "changed parameter greeting" in html
    assert "added step shout" in html
    assert "created with 1 step" in html
    assert html.count('class="badge ok">latest') == 1
    assert "vs editor" in html  # inside the editor, a snapshot can be compared with the page


def test_without_javascript_the_history_is_a_page(hello, writer):
    response = client_of(writer).get(f"/entrypoints/{hello.pk}/history")
    html = response.content.decode()
    assert "<html" in html and "History" in html and "vs editor" not in html


def test_an_invalid_snapshot_shows_its_error_count(hello, writer):
    edit(
        hello, writer, task_graph="message:\n  hello_world:\n    greeting: $nope\n    name: $name\n"
    )
    html = client_of(writer).get(f"/entrypoints/{hello.pk}/history", **HTMX).content.decode()
    assert "1 error</span>" in html


def test_long_histories_are_paged_at_a_fixed_number_of_queries(hello, writer):
    def listing_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client_of(writer).get(f"/entrypoints/{hello.pk}/history", **HTMX)
        assert response.status_code == 200
        return len(queries)

    few = listing_queries()
    for n in range(timeline.PAGE_SIZE + 5):
        edit(hello, writer, description=f"take {n}")
    assert listing_queries() == few
    html = client_of(writer).get(f"/entrypoints/{hello.pk}/history", **HTMX).content.decode()
    assert html.count('class="history-row') == timeline.PAGE_SIZE
    assert "Show older snapshots" in html
    older = client_of(writer).get(f"/entrypoints/{hello.pk}/history?page=2", **HTMX)
    rows = older.content.decode()
    assert rows.count('class="history-row') == 8 and 'id="history-panel"' not in rows
    assert "created with 1 step" in rows


# One snapshot, read-only --------------------------------------------------------------------------


def test_a_snapshot_opens_read_only_with_a_banner(hello, writer):
    first = snapshot_ids(hello)[0]
    response = client_of(writer).get(f"/entrypoints/{hello.pk}/?snapshot={first}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"You are looking at snapshot {first}" in html
    assert 'id="save-button"' not in html and "readonly" in html
    assert "shout:" not in html  # the old text, not today's
    assert "Back to the current version" in html and "Restore this version" in html


def test_the_latest_snapshot_is_the_editor_itself(hello, writer):
    latest = snapshot_ids(hello)[-1]
    response = client_of(writer).get(f"/entrypoints/{hello.pk}/?snapshot={latest}")
    assert response.status_code == 302 and response["Location"] == f"/entrypoints/{hello.pk}/"


@pytest.mark.parametrize("sid", ["999999", "abc", "-1"])
def test_an_unknown_snapshot_is_404(hello, writer, sid):
    assert client_of(writer).get(f"/entrypoints/{hello.pk}/?snapshot={sid}").status_code == 404


def test_another_entrypoints_snapshot_is_404(lab, hello, writer):
    other = make_entrypoint(lab, "other", user=writer)
    foreign = snapshot_ids(other)[0]
    client = client_of(writer)
    assert client.get(f"/entrypoints/{hello.pk}/?snapshot={foreign}").status_code == 404
    assert client.get(f"/entrypoints/{hello.pk}/compare?a={foreign}").status_code == 404
    assert client.get(f"/entrypoints/{hello.pk}/restore/{foreign}").status_code == 404


# Compare ------------------------------------------------------------------------------------------


def test_two_snapshots_compare_step_by_step_with_a_graph_and_a_text_diff(hello, writer):
    first, second, _ = snapshot_ids(hello)
    response = client_of(writer).get(
        f"/entrypoints/{hello.pk}/compare?a={first}&b={second}", **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="history-detail"' in html
    assert f"Snapshot {first} → Snapshot {second}" in html
    assert '<li class="change added" data-step="shout">' in html
    assert 'class="node step diff-added"' in html  # drawn on the graph
    assert 'class="edge reference diff-added"' in html
    assert "graph-legend diff-legend" in html
    assert '<table class="diff"' in html


def test_the_sides_are_put_in_order_and_b_defaults_to_the_latest(hello, writer):
    first, _, third = snapshot_ids(hello)
    html = client_of(writer).get(f"/entrypoints/{hello.pk}/compare?a={first}").content.decode()
    assert f"Snapshot {first} → Snapshot {third} (latest)" in html
    assert "<html" in html  # without htmx: the history page with the comparison
    swapped = client_of(writer).get(f"/entrypoints/{hello.pk}/compare?a={third}&b={first}", **HTMX)
    assert f"Snapshot {first} → Snapshot {third}" in swapped.content.decode()


def test_a_snapshot_compares_with_the_unsaved_page(hello, writer):
    client = client_of(writer)
    form = page_form(client.get(f"/entrypoints/{hello.pk}/").content.decode())
    form["task_graph"] = form["task_graph"].replace("shout:", "yell:")
    latest = snapshot_ids(hello)[-1]
    response = client.post(f"/entrypoints/{hello.pk}/compare?a={latest}", form, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your unsaved text" in html and "Renamed step shout → yell" in html
    assert Entrypoint.objects.get(pk=hello.pk).history.count() == 3  # nothing saved


def test_identical_versions_say_so(hello, writer):
    latest = snapshot_ids(hello)[-1]
    html = client_of(writer).get(f"/entrypoints/{hello.pk}/compare?a={latest}&b={latest}", **HTMX)
    assert "Both versions have the same content." in html.content.decode()


# Restore ------------------------------------------------------------------------------------------


def test_the_restore_preview_shows_the_change_and_the_verdict_then_restores(hello, writer):
    first = snapshot_ids(hello)[0]
    client = client_of(writer)
    preview = client.get(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX).content.decode()
    assert f"Restore snapshot {first}?" in preview
    assert "Removed step shout" in preview and 'id="confirm-restore"' in preview
    assert hello.history.count() == 3  # looking writes nothing
    response = client.post(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/entrypoints/{hello.pk}/?restored={first}"
    hello.refresh_from_db()
    assert hello.task_graph == HELLO_GRAPH and hello.history.count() == 4
    assert hello.history.first().history_change_reason == f"Restored snapshot {first}"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert f"Restored snapshot {first} as snapshot" in page
    listing = client.get(f"/entrypoints/{hello.pk}/history", **HTMX).content.decode()
    assert f"restored snapshot {first}: removed step shout" in listing


def test_restore_without_javascript_redirects(hello, writer):
    first = snapshot_ids(hello)[0]
    response = client_of(writer).post(f"/entrypoints/{hello.pk}/restore/{first}")
    assert response.status_code == 302


def test_the_preview_explains_what_todays_plugins_would_break(lab, writer):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    entrypoint = make_entrypoint(lab, "greeter", user=writer, plugins=[plugin])
    first = snapshot_ids(entrypoint)[0]
    edit(entrypoint, writer, description="later")
    # The plugin's task is renamed: the old graph's task no longer exists today.
    code = "def hello_there(greeting, name): ...\n"
    task_file = plugin.files.get()
    tasks = task_file.tasks
    tasks["functions"][0]["name"] = "hello_there"
    make_file(plugin, "tasks2.py", contents=code, tasks=tasks, user=writer)
    from plugins_app import services as plugin_services

    plugin_services.plugin_file_delete(user=writer, plugin_file=task_file)
    html = client_of(writer).get(f"/entrypoints/{entrypoint.pk}/restore/{first}", **HTMX)
    html = html.content.decode()
    assert "has moved on" in html and "tasks removed: <code>hello_world</code>" in html
    assert "if its plugins were synced" in html and "E_UNKNOWN_TASK" in html
    assert "Restore it with today's plugins" in html


def test_a_reader_can_look_and_compare_but_not_restore(hello, reader):
    first = snapshot_ids(hello)[0]
    client = client_of(reader)
    listing = client.get(f"/entrypoints/{hello.pk}/history", **HTMX).content.decode()
    assert "Restore…" not in listing and "Changes" in listing
    assert client.get(f"/entrypoints/{hello.pk}/compare?a={first}", **HTMX).status_code == 200
    preview = client.get(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX).content.decode()
    assert 'id="confirm-restore"' not in preview and "needs the write role" in preview
    refused = client.post(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX)
    assert refused.status_code == 403 and "role in group" in refused.content.decode()
    assert hello.history.count() == 3


def test_a_restore_whose_name_is_taken_is_refused_clearly(lab, hello, writer):
    first = snapshot_ids(hello)[0]
    edit(hello, writer, name="renamed")
    make_entrypoint(lab, "hello", user=writer)
    client = client_of(writer)
    preview = client.get(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX).content.decode()
    assert "rename one of them before restoring" in preview
    refused = client.post(f"/entrypoints/{hello.pk}/restore/{first}", **HTMX)
    assert refused.status_code == 409 and "Not restored." in refused.content.decode()


@pytest.mark.parametrize("path", ["history", "compare?a=1", "restore/1"])
def test_outsiders_get_404_and_visitors_the_login_page(hello, path):
    outsider = make_user("outsider", elsewhere="write")
    url = f"/entrypoints/{hello.pk}/{path}"
    assert client_of(outsider).get(url).status_code == 404
    assert client_of(outsider).post(url).status_code in (404, 405)
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Blame --------------------------------------------------------------------------------------------


def test_each_step_names_who_last_changed_it(lab, hello, writer):
    other = make_user("other", lab="write")
    edit(hello, other, task_graph=TWO_STEPS.replace("$message", "$name"))
    blame = timeline.step_blame(entrypoint=hello, latest_id=snapshot_ids(hello)[-1])
    assert blame["shout"].user == "other" and blame["message"].user == "writer"
    assert blame["message"].snapshot_id == snapshot_ids(hello)[0]
    html = client_of(writer).get(f"/entrypoints/{hello.pk}/").content.decode()
    assert "Last changed in snapshot" in html and "by other" in html
