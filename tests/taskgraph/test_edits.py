"""Graph edits as text edits (``entrypoints.taskgraph.edits``): exact results on every invocation
style, block and flow YAML, comments, ``\\r\\n`` and non-ASCII names; then properties over
generated graphs: the text still parses, the data changes exactly as the operation says, and
the steps it does not touch keep their source lines."""

import difflib
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.taskgraph.edits import (
    EditError,
    Texts,
    add_dependency,
    add_step,
    connect,
    delete_step,
    disconnect,
    references_to,
    remove_dependency,
    rename_step,
    set_argument,
)

GRAPH = """\
# training, keep this comment
load:
  load_data:
    path: $path   # where the data is
train:
  train_model:
    data: $load
    epochs: 3
scale:
  scale: [$train, 2]
report:
  task: report
  args: [$train]
  kwargs: {title: "Run"}
  dependencies: [load]
"""
ARTIFACTS = "saved:\n  contents: $train\n  task:\n    name: save\n    args: [$$train]\n"
BOTH = Texts(GRAPH, ARTIFACTS)


def test_rename_follows_every_reference_but_not_escaped_text():
    out = rename_step(BOTH, old="train", new="fit")
    assert out.task_graph == (
        GRAPH.replace("train:\n  train_model", "fit:\n  train_model")
        .replace("[$train, 2]", "[$fit, 2]")
        .replace("args: [$train]", "args: [$fit]")
    )
    assert out.artifact_graph == ARTIFACTS.replace("contents: $train", "contents: $fit")
    assert "# training, keep this comment" in out.task_graph


def test_rename_keeps_quotes_and_renames_dependencies():
    text = Texts('a:\n  t: {}\nb:\n  u: {x: "$a.out"}\n  dependencies: [a]\n')
    assert rename_step(text, old="a", new="é").task_graph == (
        'é:\n  t: {}\nb:\n  u: {x: "$é.out"}\n  dependencies: [é]\n'
    )


@pytest.mark.parametrize("new", ["", "a.b", "$x", "load"])
def test_rename_refuses_bad_or_taken_names(new):
    with pytest.raises(EditError):
        rename_step(BOTH, old="train", new=new)


def test_delete_leaves_marked_placeholders_and_drops_dependencies():
    out = delete_step(BOTH, step="load")
    assert out.task_graph == (
        "# training, keep this comment\n"
        'train:\n  train_model:\n    data: "$?"\n    epochs: 3\n'
        "scale:\n  scale: [$train, 2]\n"
        'report:\n  task: report\n  args: [$train]\n  kwargs: {title: "Run"}\n'
    )
    assert references_to(BOTH, step="load") == [
        "step `train` uses `$load`",
        "step `report` depends on it",
    ]


def test_delete_in_the_artifact_graph_too():
    out = delete_step(BOTH, step="train")
    assert 'contents: "$?"' in out.artifact_graph and "args: [$$train]" in out.artifact_graph
    assert 'scale: ["$?", 2]' in out.task_graph and 'args: ["$?"]' in out.task_graph


@pytest.mark.parametrize(
    ("step", "input_name", "inputs", "expected"),
    [
        ("train", "epochs", [], "    epochs: $load\n"),  # keyword: replaced
        ("train", "lr", [], "    epochs: 3\n    lr: $load\n"),  # keyword: added
        ("scale", "factor", ["x", "factor"], "scale: [$train, $load]"),  # positional: replaced
        ("scale", "third", ["x", "factor", "third"], "scale: [$train, 2, $load]"),  # appended
        ("report", "title", ["data", "title"], "kwargs: {title: $load}"),  # mixed keyword
        ("report", "data", ["data", "title"], "args: [$load]"),  # mixed positional
    ],
)
def test_connect_writes_the_reference_in_the_steps_own_style(step, input_name, inputs, expected):
    out = connect(BOTH, step=step, input_name=input_name, source="load", inputs=inputs)
    assert expected in out.task_graph
    diff = list(difflib.ndiff(GRAPH.splitlines(), out.task_graph.splitlines()))
    added = [line for line in diff if line.startswith("+ ")]
    removed = [line for line in diff if line.startswith("- ")]
    assert len(added) == 1 and len(removed) <= 1  # one line changes, or one is added


def test_connect_an_output_of_several():
    out = connect(BOTH, step="train", input_name="data", source="load", output="training")
    assert "    data: $load.training\n" in out.task_graph


def test_connect_into_flow_and_empty_mappings():
    text = Texts("a: {t: {}}\nb: {u: {x: 1}}\nc:\n  v:\n")
    assert connect(text, step="a", input_name="k", source="p").task_graph.startswith(
        "a: {t: {k: $p}}"
    )
    assert "b: {u: {x: 1, k: $p}}" in connect(text, step="b", input_name="k", source="p").task_graph
    assert "  v: {k: $p}\n" in connect(text, step="c", input_name="k", source="p").task_graph


def test_disconnect_turns_the_reference_into_a_placeholder():
    out = disconnect(BOTH, step="train", source="load")
    assert '    data: "$?"\n' in out.task_graph
    with pytest.raises(EditError, match="does not use"):
        disconnect(BOTH, step="load", source="train")


def test_dependencies_are_added_and_removed_in_place():
    added = add_dependency(BOTH, step="train", on="scale")
    assert "    epochs: 3\n  dependencies: [scale]\nscale:" in added.task_graph
    more = add_dependency(BOTH, step="report", on="scale")
    assert "  dependencies: [load, scale]\n" in more.task_graph
    removed = remove_dependency(BOTH, step="report", on="load")
    assert removed.task_graph == GRAPH.replace("  dependencies: [load]\n", "")
    with pytest.raises(EditError):
        add_dependency(BOTH, step="report", on="load")
    with pytest.raises(EditError):
        add_dependency(BOTH, step="train", on="train")


def test_add_step_in_keyword_style_with_placeholders():
    out, name = add_step(BOTH, task="train_model", inputs=["data", "epochs"])
    assert name == "train_model"
    assert (
        out.task_graph
        == GRAPH + '\ntrain_model:\n  train_model:\n    data: "$?"\n    epochs: "$?"\n'
    )
    again, second = add_step(out, task="train_model")
    assert second == "train_model_2" and again.task_graph.endswith(
        "\ntrain_model_2:\n  train_model: {}\n"
    )


def test_add_step_after_a_step_wired_to_it():
    out, name = add_step(
        BOTH, task="evaluate", inputs=["model"], values={"model": "$train"}, after="train"
    )
    assert "    epochs: 3\nevaluate:\n  evaluate:\n    model: $train\nscale:" in out.task_graph


def test_add_step_to_an_empty_or_flow_graph():
    assert add_step(Texts(""), task="t")[0].task_graph == "t:\n  t: {}\n"
    flow = add_step(Texts("{a: {t: [1]}}\n"), task="u", inputs=["x"])[0]
    assert flow.task_graph == '{a: {t: [1]}, u: {u: {x: "$?"}}}\n'


def test_crlf_and_the_graph_wrapper_are_kept():
    text = Texts("graph:\r\n  a:\r\n    t: {}\r\n  b:\r\n    u: [$a]\r\n")
    renamed = rename_step(text, old="a", new="z").task_graph
    assert renamed == "graph:\r\n  z:\r\n    t: {}\r\n  b:\r\n    u: [$z]\r\n"
    added = add_step(text, task="v")[0].task_graph
    assert (
        added == "graph:\r\n  a:\r\n    t: {}\r\n  b:\r\n    u: [$a]\r\n\r\n  v:\r\n    v: {}\r\n"
    )
    assert "\n" not in added.replace("\r\n", "")


def test_set_argument_writes_any_yaml_value():
    out = set_argument(BOTH, step="train", input_name="epochs", value="[1, 2]")
    assert "    epochs: [1, 2]\n" in out.task_graph


@pytest.mark.parametrize("text", ["a: [", "a: &x 1\nb: *x\n", "- a\n- b\n"])
def test_a_text_that_does_not_load_is_refused(text):
    with pytest.raises(EditError):
        rename_step(Texts(text), old="a", new="b")


# Properties ---------------------------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "c", "d", "e", "ü", "step_x"])


@st.composite
def graphs(draw):
    """A task graph in mixed styles, with comments, blank lines, maybe CRLF and a wrapper."""
    count = draw(st.integers(1, 5))
    names = draw(st.lists(NAMES, min_size=count, max_size=count, unique=True))
    lines = []
    indent = "  " if draw(st.booleans()) else ""
    if indent:
        lines.append("graph:")
    for n, name in enumerate(names):
        earlier = names[:n]
        refs = [f"${e}" for e in earlier] + ["$p", "1", '"text"']
        args = draw(st.lists(st.sampled_from(refs), min_size=1, max_size=3))
        style = draw(st.sampled_from(["keyword", "flow", "positional", "mixed"]))
        if draw(st.booleans()):
            lines.append(f"{indent}# about {name}")
        lines.append(f"{indent}{name}:")
        if style == "keyword":
            lines.append(f"{indent}  t{n}:")
            lines += [f"{indent}    i{k}: {a}" for k, a in enumerate(args)]
        elif style == "flow":
            lines.append(
                f"{indent}  t{n}: {{" + ", ".join(f"i{k}: {a}" for k, a in enumerate(args)) + "}"
            )
        elif style == "positional":
            lines.append(f"{indent}  t{n}: [" + ", ".join(args) + "]")
        else:
            lines += [f"{indent}  task: t{n}", f"{indent}  args: [" + ", ".join(args) + "]"]
        if earlier and draw(st.booleans()):
            lines.append(f"{indent}  dependencies: [{draw(st.sampled_from(earlier))}]")
        if draw(st.booleans()):
            lines.append("")
    newline = "\r\n" if draw(st.booleans()) else "\n"
    return newline.join(lines) + newline, names


def steps_of(text: str) -> dict:
    data = yaml.safe_load(text) or {}
    return (data["graph"] or {}) if list(data) == ["graph"] else data


def step_source(text: str, name: str) -> str:
    """A step's own lines (its key line to before the next step's key or comment)."""
    root = yaml.compose(text)
    root = root.value[0][1] if [k.value for k, _ in root.value] == ["graph"] else root
    for key, value in root.value:
        if key.value == name:
            lines = text[key.start_mark.index : value.end_mark.index].splitlines()
            while lines and lines[-1].strip()[:1] in ("", "#"):
                lines.pop()  # the comments above the next step are not this one's
            return "\n".join(lines)
    raise KeyError(name)


def mentions(body, name: str) -> bool:
    return bool(
        re.search(rf"\$({re.escape(name)})(\.|\b|$)", yaml.safe_dump(body, allow_unicode=True))
    ) or name in (body.get("dependencies") or [])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_rename_changes_only_the_step_and_its_users(found, data):
    text, names = found
    old = data.draw(st.sampled_from(names))
    new = data.draw(st.sampled_from(["renamed", "ñ_new"]))
    before = steps_of(text)
    out = rename_step(Texts(text), old=old, new=new).task_graph
    after = steps_of(out)
    assert list(after) == [new if n == old else n for n in before]
    for name in names:
        if name != old and not mentions(before[name], old):
            assert step_source(out, name) == step_source(text, name)
    dumped = yaml.safe_dump(before, allow_unicode=True).replace(f"${old}", f"${new}")
    assert yaml.safe_dump(after, allow_unicode=True) == dumped.replace(
        f"{old}:", f"{new}:"
    ).replace(f"- {old}\n", f"- {new}\n") or set(after) == {new if n == old else n for n in before}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_delete_removes_the_step_and_leaves_placeholders(found, data):
    text, names = found
    gone = data.draw(st.sampled_from(names))
    out = delete_step(Texts(text), step=gone).task_graph
    after = steps_of(out)
    assert gone not in after
    if not text.lstrip("graph:\r\n ").startswith(f"# about {gone}"):
        assert f"# about {gone}" not in out  # its comment goes with it (not the text's header)
    dumped = yaml.safe_dump(after, allow_unicode=True)
    assert f"${gone}" not in dumped.replace("$$", "")
    for name in names:
        if name != gone and not mentions(steps_of(text)[name], gone):
            assert step_source(out, name) == step_source(text, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_add_then_connect_touch_nothing_else(found, data):
    text, names = found
    after_step = data.draw(st.one_of(st.none(), st.sampled_from(names)))
    out, name = add_step(Texts(text), task="new_task", inputs=["x", "y"], after=after_step)
    steps = steps_of(out.task_graph)
    assert steps[name] == {"new_task": {"x": "$?", "y": "$?"}}
    wired = connect(out, step=name, input_name="y", source=names[0]).task_graph
    assert steps_of(wired)[name] == {"new_task": {"x": "$?", "y": f"${names[0]}"}}
    for other in names:
        assert step_source(wired, other) == step_source(text, other)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_dependencies_round_trip(found, data):
    text, names = found
    if len(names) < 2:
        return
    step, on = data.draw(st.sampled_from(names[1:])), names[0]
    before = steps_of(text)[step]
    deps = before.get("dependencies") or []
    if on in deps:
        out = remove_dependency(Texts(text), step=step, on=on).task_graph
        assert on not in (steps_of(out)[step].get("dependencies") or [])
    else:
        out = add_dependency(Texts(text), step=step, on=on).task_graph
        assert steps_of(out)[step]["dependencies"] == [*deps, on]
    for other in names:
        if other != step:
            assert step_source(out, other) == step_source(text, other)


def test_delete_can_remove_the_keyword_arguments_that_used_the_step():
    text = Texts(
        "a:\n  t: {}\nb:\n  u:\n    x: $a  # goes\n    y: 1\nc:\n  v:\n    z: $a.o\n"
        "d:\n  w: {k: $a, m: 2}\ne:\n  w: [$a]\n"
    )
    out = delete_step(text, step="a", drop_arguments=True).task_graph
    assert out == 'b:\n  u:\n    y: 1\nc:\n  v: {}\nd:\n  w: {m: 2}\ne:\n  w: ["$?"]\n'
