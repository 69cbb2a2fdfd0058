"""The admin's history pages: one line per snapshot saying what it changed, columns headed in
words, line-by-line diffs of the YAML, and a snapshot's page showing what it changed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entrypoints import services
from jobs import services as queue_services
from plugins_app import services as plugin_services
from tests.entrypoints.factories import HELLO_GRAPH, HELLO_PARAMETERS, make_entrypoint
from tests.entrypoints.test_admin import ADMIN
from tests.factories import make_user
from tests.plugins.factories import make_file, make_plugin

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user("root", superuser=True))
    return client


def edit(entrypoint, **changes):
    fields = {
        "name": entrypoint.name,
        "task_graph": entrypoint.task_graph,
        "parameters": entrypoint.parameters,
    }
    return services.entrypoint_update(user=None, entrypoint=entrypoint, **(fields | changes))


@pytest.fixture
def edited(lab):
    """Created, then a step added with a parameter, then a reference broken."""
    entrypoint = make_entrypoint(lab, "hello")
    edit(
        entrypoint,
        task_graph=HELLO_GRAPH
        + "again:\n  hello_world:\n    greeting: $greeting\n    name: $who\n",
        parameters=[*HELLO_PARAMETERS, {"name": "who", "parameterType": "string"}],
    )
    edit(entrypoint, task_graph=entrypoint.task_graph.replace("name: $name", "name: $nobody"))
    return entrypoint


def summaries(page: str) -> list[str]:
    return re.findall(r'<td class="change-summary">\s*([^<]*?)\s*<', page)


def test_each_snapshot_says_what_it_changed(root, edited):
    """As the editor's history list says it (``timeline.change_summary``)."""
    page = root.get(f"{ADMIN}/{edited.pk}/history/").content.decode()
    assert summaries(page) == [
        "changed step message",
        "added step again; added parameter who",
        "created with 1 step",
    ]
    assert ">Created<" not in page and ">Changed<" not in page


def test_restores_and_deletions_say_so(root, edited):
    first = edited.history.order_by("history_id").first()
    services.entrypoint_restore(user=None, entrypoint=edited, snapshot_id=first.history_id)
    services.entrypoint_delete(user=None, entrypoint=edited)
    page = root.get(f"{ADMIN}/{edited.pk}/history/").content.decode()
    assert summaries(page)[:2] == [
        "deleted",
        f"restored snapshot {first.history_id}: removed step again; changed step message; "
        "removed parameter who",
    ]


def test_columns_are_headed_in_words(root, edited):
    page = root.get(f"{ADMIN}/{edited.pk}/history/").content.decode()
    table = page[page.index('<table id="change-history"') :]
    headers = re.findall(r'<th scope="col">([^<]*)</th>', table.split("</thead>")[0])
    assert headers == ["Snapshot", "When", "By", "What changed", "Valid", "Issues"]


def test_the_yaml_diff_is_line_by_line(root, edited):
    page = root.get(f"{ADMIN}/{edited.pk}/history/").content.decode()
    newest = page.split('<td class="change-summary">')[1]
    assert "Task graph: the lines that changed" in newest
    changed = re.search(r'<tr class="changed">(.*?)</tr>', newest, re.S).group(1)
    assert "<code>    name: $name</code>" in changed and "<code>    name: $nobody</code>" in changed
    assert re.search(r'<td class="ln">4</td>', changed)


def test_the_history_page_reads_a_fixed_number_of_queries(root, lab):
    def queries(entrypoint) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert root.get(f"{ADMIN}/{entrypoint.pk}/history/").status_code == 200
        return len(captured)

    short, long = make_entrypoint(lab, "short"), make_entrypoint(lab, "long")
    edit(short, name="short2")
    for n in range(6):
        edit(long, name=f"long{n}")
    assert queries(short) == queries(long)


def test_a_snapshots_page_shows_what_it_changed_and_the_way_to_the_current(root, edited):
    second = edited.history.order_by("history_id")[1]
    page = root.get(f"{ADMIN}/{edited.pk}/history/{second.history_id}/").content.decode()
    assert f"Snapshot #{second.history_id}: added step again; added parameter who" in page
    assert "Task graph: what this snapshot changed" in page
    assert "<code>again:</code>" in page
    assert "from this snapshot to the current one" in page
    # Its fields are shown as stored, not as a form whose edits "Revert" would drop.
    textarea = re.search(r'<textarea name="task_graph"[^>]*>', page).group(0)
    assert "disabled" in textarea
    assert 'name="param-2-name" value="who"' in page


def test_odd_snapshot_addresses_are_not_found(root, edited):
    assert root.get(f"{ADMIN}/{edited.pk}/history/x/").status_code == 404
    assert root.get(f"{ADMIN}/{edited.pk}/history/999999/").status_code == 404


def test_a_plugin_files_history_diffs_its_code(root, lab):
    plugin_file = make_file(make_plugin(lab), "tasks.py", contents="def a():\n    return 1\n")
    plugin_services.plugin_file_update(
        user=None,
        plugin_file=plugin_file,
        filename="tasks.py",
        contents="def a():\n    return 2\n",
        description=None,
        tasks=plugin_file.tasks,
    )
    url = f"/admin/plugins_app/pluginfile/{plugin_file.pk}/history/"
    page = root.get(url).content.decode()
    assert summaries(page) == ["changed contents", "created"]
    assert "<code>    return 2</code>" in page


def test_other_resources_name_the_fields_a_snapshot_changed(root, lab):
    queue = queue_services.queue_create(user=None, group=lab, name="gpu")
    queue_services.queue_update(user=None, queue=queue, name="gpu-large", description="Big.")
    queue_services.queue_delete(user=None, queue=queue)
    page = root.get(f"/admin/jobs/queue/{queue.pk}/history/").content.decode()
    assert summaries(page) == ["deleted", "changed name, description", "created"]
