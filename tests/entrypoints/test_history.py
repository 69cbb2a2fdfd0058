"""change_summary: one line per snapshot saying what it changed, from two snapshots' fields."""

from types import SimpleNamespace

import pytest

from core.snapshots import NO_CHANGES
from entrypoints import selectors, services
from entrypoints.history import change_summary
from plugins_app.models import Plugin
from tests.entrypoints.factories import HELLO_GRAPH, HELLO_PARAMETERS, make_entrypoint
from tests.plugins.factories import make_file

GRAPH = """\
prepare:
  load_data:
    path: $path
train:
  train_model:
    data: $prepare
"""

# The same steps under Dioptra's ``graph:`` key.
WRAPPED = "graph:\n" + "".join(f"  {line}\n" for line in GRAPH.splitlines())


def snapshot(**fields):
    """A snapshot's fields, as a historical record has them."""
    base = {
        "name": "training",
        "description": None,
        "task_graph": GRAPH,
        "artifact_graph": "",
        "parameters": [{"name": "path", "parameterType": "string", "defaultValue": "/data"}],
        "artifact_parameters": [],
        "plugin_snapshot_ids": [5],
        "artifact_plugin_snapshot_ids": [],
        "valid": True,
        "history_type": "~",
        "history_change_reason": "Updated",
    }
    return SimpleNamespace(**(base | fields))


PLUGINS = {
    5: SimpleNamespace(id=1, name="hello"),
    9: SimpleNamespace(id=1, name="hello"),
    7: SimpleNamespace(id=2, name="metrics"),
}


def test_the_example_of_the_issue():
    older = snapshot()
    newer = snapshot(
        task_graph=GRAPH.replace("data: $prepare", "data: $prepare\n    epochs: $epochs"),
        parameters=[*older.parameters, {"name": "epochs", "parameterType": "integer"}],
        plugin_snapshot_ids=[9],
    )
    assert change_summary(older, newer, plugins=PLUGINS) == (
        "changed step train; added parameter epochs; synced plugin hello"
    )


@pytest.mark.parametrize(
    "changes, summary",
    [
        ({"name": "training_v2"}, "renamed training to training_v2"),
        ({"description": "Trains."}, "changed the description"),
        ({"task_graph": GRAPH + "report:\n  print: {}\n"}, "added step report"),
        ({"task_graph": GRAPH.split("train:")[0]}, "removed step train"),
        ({"task_graph": WRAPPED}, "edited the task graph (layout or comments)"),
        ({"task_graph": GRAPH + "# a comment\n"}, "edited the task graph (layout or comments)"),
        ({"task_graph": "prepare: [\n"}, "edited the task graph (it does not parse)"),
        ({"artifact_graph": "saved:\n  contents: $train\n"}, "added artifact output saved"),
        ({"parameters": []}, "removed parameter path"),
        (
            {"parameters": [{"name": "path", "parameterType": "string", "defaultValue": "/x"}]},
            "changed parameter path",
        ),
        (
            {"artifact_parameters": [{"name": "model", "outputParams": []}]},
            "added artifact parameter model",
        ),
        ({"plugin_snapshot_ids": [5, 7]}, "added plugin metrics"),
        ({"plugin_snapshot_ids": []}, "removed plugin hello"),
        ({"artifact_plugin_snapshot_ids": [7]}, "added artifact plugin metrics"),
        ({"valid": False}, "now invalid"),
        ({}, NO_CHANGES),
    ],
)
def test_each_kind_of_change(changes, summary):
    assert change_summary(snapshot(), snapshot(**changes), plugins=PLUGINS) == summary


def test_several_names_of_one_kind_are_listed_together():
    newer = snapshot(task_graph=GRAPH + "a:\n  t: {}\nb:\n  t: {}\n", plugin_snapshot_ids=[])
    assert change_summary(snapshot(), newer, plugins=PLUGINS) == (
        "added steps a, b; removed plugin hello"
    )


def test_the_first_snapshot_says_what_it_was_created_with():
    assert change_summary(None, snapshot(), plugins=PLUGINS) == (
        "created with 2 steps, 1 parameter, plugin hello"
    )
    assert change_summary(
        None, snapshot(task_graph="x: [", parameters=[], plugin_snapshot_ids=[])
    ) == ("created with a task graph that does not parse, 0 parameters")


def test_restores_and_deletions_say_so():
    restored = snapshot(name="old", history_change_reason="Restored snapshot 3")
    assert change_summary(snapshot(), restored) == "restored snapshot 3; renamed training to old"
    assert change_summary(snapshot(), snapshot(history_type="-")) == "deleted"
    # The services delete softly: a snapshot with deleted_on set.
    assert change_summary(snapshot(), snapshot(deleted_on="2026-01-01")) == "deleted"


def test_without_plugin_records_snapshots_are_named_by_id():
    assert change_summary(snapshot(), snapshot(plugin_snapshot_ids=[9])) == (
        "added plugin snapshot 9; removed plugin snapshot 5"
    )


@pytest.mark.django_db
def test_real_history_records(lab):
    entrypoint = make_entrypoint(lab, "hello")
    plugin_id = selectors.plugin_snapshots(entrypoint.plugin_snapshot_ids).popitem()[1].id
    services.entrypoint_update(
        user=None,
        entrypoint=entrypoint,
        name="hello",
        task_graph=HELLO_GRAPH.replace("$name", "$who"),
        parameters=[HELLO_PARAMETERS[0], {**HELLO_PARAMETERS[1], "name": "who"}],
    )
    make_file(Plugin.objects.get(pk=plugin_id), "more.py")
    services.entrypoint_plugins_sync(user=None, entrypoint=entrypoint)
    records = list(entrypoint.history.order_by("history_id"))
    plugins = selectors.plugin_snapshots(
        sid for record in records for sid in record.plugin_snapshot_ids
    )
    summaries = [
        change_summary(older, newer, plugins=plugins)
        for older, newer in zip([None, *records], records, strict=False)
    ]
    name = plugins[records[0].plugin_snapshot_ids[0]].name
    assert summaries == [
        f"created with 1 step, 2 parameters, plugin {name}",
        "changed step message; added parameter who; removed parameter name",
        f"synced plugin {name}",
    ]
