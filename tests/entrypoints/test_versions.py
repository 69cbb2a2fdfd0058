"""What changed between two versions (``entrypoints.versions``): steps, edges, parameters, pins,
and the one-line summary the history list shows. Pure: no database."""

import pytest

from entrypoints.versions import Version, compare, step_calls

BEFORE = """\
# the seed's training graph
load:
  load_data:
    path: $path
train:
  train_model:
    data: $load
    epochs: 3
old_name:
  noop: {}
"""


def version(task_graph=BEFORE, **fields) -> Version:
    fields.setdefault("name", "training")
    fields.setdefault(
        "parameters", [{"name": "path", "parameterType": "string", "defaultValue": "a"}]
    )
    return Version(task_graph=task_graph, **fields)


def kinds(diff) -> dict:
    return {change.name: change.kind for change in diff.steps}


def test_a_changed_argument_is_named_with_both_values():
    diff = compare(version(), version(BEFORE.replace("epochs: 3", "epochs: 5")))
    (change,) = diff.steps
    assert (change.kind, change.name, change.task) == ("changed", "train", "train_model")
    assert [(a.label, a.old, a.new) for a in change.arguments] == [("epochs", "3", "5")]
    assert diff.summary() == "changed step train"
    assert not diff.edges_added and not diff.edges_removed


def test_a_step_doing_the_same_work_under_a_new_name_is_a_rename():
    diff = compare(version(), version(BEFORE.replace("old_name:", "new_name:")))
    assert [(c.kind, c.old_name, c.name) for c in diff.steps] == [
        ("renamed", "old_name", "new_name")
    ]
    assert diff.summary() == "renamed step old_name → new_name"


def test_a_new_name_with_other_arguments_is_an_added_and_a_removed_step():
    after = BEFORE.replace("old_name:\n  noop: {}", "fresh:\n  noop: [1]")
    assert kinds(compare(version(), version(after))) == {"fresh": "added", "old_name": "removed"}


def test_edges_follow_references_and_dependencies():
    after = BEFORE + "report:\n  task: report\n  args: [$train]\n  dependencies: [load]\n"
    diff = compare(version(), version(after))
    assert kinds(diff) == {"report": "added"}
    assert diff.edges_added == [("load", "report", "dependency"), ("train", "report", "reference")]
    removed = compare(version(after), version())
    assert removed.edges_removed == diff.edges_added


def test_the_three_invocation_styles_compare_by_their_arguments():
    positional = "a:\n  t: [$x, 2]\n"
    keyword = "a:\n  t: {first: $x, second: 2}\n"
    mixed = "a:\n  task: t\n  args: [$x]\n  kwargs: {second: 2}\n"
    assert step_calls(positional)["a"].arguments == {"#1": '"$x"', "#2": "2"}
    assert step_calls(keyword)["a"].arguments == {"first": '"$x"', "second": "2"}
    assert step_calls(mixed)["a"].arguments == {"#1": '"$x"', "second": "2"}
    (change,) = compare(version(positional), version(mixed)).steps
    assert [(a.label, a.old, a.new) for a in change.arguments] == [
        ("#2", "2", None),
        ("second", None, "2"),
    ]


def test_a_graph_wrapper_and_comments_are_not_changes():
    wrapped = "graph:\n" + "".join(f"  {line}\n" for line in BEFORE.splitlines() if line[:1] != "#")
    diff = compare(version(), version(wrapped))
    assert diff.steps == [] and diff.texts_differ
    assert diff.summary() == "reformatted the graphs"


def test_parameters_and_pins_are_compared_by_name_and_plugin():
    names = {5: (1, "hello"), 9: (1, "hello"), 7: (2, "extra")}
    old = version(plugin_snapshot_ids=[5, 7])
    new = version(
        parameters=[
            {"name": "path", "parameterType": "string", "defaultValue": "b"},
            {"name": "epochs", "parameterType": "integer", "defaultValue": None},
        ],
        plugin_snapshot_ids=[9],
    )
    diff = compare(old, new, plugin_names=names)
    assert [(c.kind, c.name, c.old, c.new) for c in diff.parameters] == [
        ("changed", "path", "string, default 'a'", "string, default 'b'"),
        ("added", "epochs", None, "integer, no default"),
    ]
    assert [(c.kind, c.name) for c in diff.plugins] == [("synced", "hello"), ("removed", "extra")]
    assert diff.summary() == (
        "added parameter epochs; changed parameter path; removed plugin extra; synced plugin hello"
    )


def test_the_first_version_is_a_creation():
    assert compare(None, version()).summary() == "created with 3 steps"


def test_a_task_graph_that_stops_parsing_says_so_and_keeps_the_text_diff():
    diff = compare(version(), version("load: [unclosed"))
    assert not diff.new_readable and diff.steps == []
    assert diff.summary() == "the task graph stopped parsing"
    assert diff.task_graph_changed


@pytest.mark.parametrize(
    ("old", "new", "summary"),
    [
        ({"name": "a"}, {"name": "b"}, "renamed to b"),
        ({"description": None}, {"description": "Trains"}, "changed the description"),
        ({}, {}, "no change to the content"),
    ],
)
def test_fields(old, new, summary):
    assert compare(version(**old), version(**new)).summary() == summary


def test_a_long_summary_is_cut_with_a_count():
    many = "".join(f"s{n}:\n  t{n}: {{}}\n" for n in range(3))
    after = "".join(f"s{n}:\n  t{n}: [1]\n" for n in range(3))
    epochs = [{"name": "epochs", "parameterType": "integer", "defaultValue": None}]
    diff = compare(
        version(many, name="a", description="x", plugin_snapshot_ids=[5]),
        version(after, name="b", description="y", parameters=epochs),
        plugin_names={5: (1, "hello")},
    )
    assert diff.summary() == (
        "renamed to b; changed the description; changed steps s0, s1, s2; "
        "added parameter epochs; 2 more changes"
    )


def test_artifact_outputs_are_compared_by_contents_and_task():
    old = version(
        artifact_graph="saved:\n  contents: $train\n  task:\n    name: save\n    args: {}\n"
    )
    new = version(
        artifact_graph="saved:\n  contents: $load\n  task:\n    name: save\n    args: {}\n"
    )
    (change,) = compare(old, new).artifact_outputs
    assert change.kind == "changed"
    assert [(a.label, a.old, a.new) for a in change.arguments] == [
        ("contents", '"$train"', '"$load"')
    ]
