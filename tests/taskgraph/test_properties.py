"""Property tests: hostile and random input never raises, positions lie inside the text, and the
results are deterministic."""

from __future__ import annotations

import os
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.taskgraph import (
    ArtifactInputSpec,
    Limits,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    build_document,
    graph_model,
    validate_document,
    validate_entrypoint,
)

from .helpers import DECLARATIONS, assert_positions_inside, document

# TASKGRAPH_FUZZ=10 runs ten times as many examples (for a longer local hunt).
SCALE = int(os.environ.get("TASKGRAPH_FUZZ", "1"))
FAST = settings(
    max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SLOW = settings(
    max_examples=600 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

NOT_READ = "could not be read"

VALID_TEXT = document(
    """
dataset:
  load: [$location]
trained_model:
  task: train
  args: [le_net]
  kwargs: {dataset: $dataset.training, epochs: $epochs}
predictions:
  predict:
    model: $trained_model
    dataset: $dataset.testing
  dependencies: [dataset]
""",
    extra="artifact_outputs:\n  saved:\n    contents: $predictions\n"
    "    task: {name: Saver, args: [csv]}\n",
)

CONTEXT = StaticContext(
    tasks={
        "load": TaskSpec(
            "io.files.load",
            [("location", "string", True)],
            [("training", "any"), ("testing", "any")],
        ),
        "train": TaskSpec(
            "ml.fit.train",
            [("architecture", "string", True), ("dataset", "any", True)],
            [("model", "any")],
        ),
        "ping": TaskSpec("util.misc.ping", None),
        "dup": [TaskSpec("a.b.dup"), TaskSpec("c.d.dup")],
    },
    artifact_tasks={"Saver": TaskSpec("art.save.Saver", None)},
    types={"dataset": None},
    parameters=[ParameterSpec("location", "string", "/data"), ParameterSpec("n", "integer", "x")],
    artifact_inputs=[ArtifactInputSpec("weights", [("state", "any")])],
)


def check(text: str, **kwargs) -> None:
    first = validate_document(text, **kwargs)
    second = validate_document(text, **kwargs)
    assert first.issues == second.issues and first.valid == second.valid
    assert_positions_inside(text, first)
    assert not any(NOT_READ in issue.message for issue in first.issues)
    assert all(issue.source == "document" for issue in first.issues)
    graph_model(first)


YAML_ALPHABET = (
    string.ascii_letters[:8]
    + string.digits[:3]
    + " :-[]{},#&*!|>'\"$.\n\t\r?%@`\\\u00e9\u2028\ufeff"
)


@FAST
@given(st.text())
def test_random_text_never_raises(text):
    check(text)


@FAST
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_yaml_looking_text_never_raises(text):
    check(text)


NAMES = st.sampled_from(
    [
        "types",
        "parameters",
        "tasks",
        "graph",
        "artifact_outputs",
        "artifact_inputs",
        "artifact_tasks",
        "task",
        "args",
        "kwargs",
        "dependencies",
        "plugin",
        "inputs",
        "outputs",
        "name",
        "type",
        "required",
        "contents",
        "default",
        "list",
        "tuple",
        "mapping",
        "union",
        "is_a",
        "s1",
        "s2",
        "load",
        "any",
        "string",
        "x.y",
        "",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["$s1", "$s2.out", "$x", "$$x", "$", "cost $5", "a.b", "any", "string", "yes", "", " "]
    ),
    st.text(max_size=5),
)
KEYS = st.one_of(NAMES, st.integers(-2, 2), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=30,
)
DOCUMENTS = st.dictionaries(NAMES, VALUES, max_size=7)


@FAST
@given(DOCUMENTS)
def test_random_mappings_never_raise(value):
    result = validate_document(value)
    assert all(issue.line is None for issue in result.issues)
    assert not any(NOT_READ in issue.message for issue in result.issues)
    assert validate_document(value).issues == result.issues


@FAST
@given(DOCUMENTS, st.booleans())
def test_random_yaml_documents_agree_with_their_mapping(value, flow):
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    check(text)
    from_text = [i.code for i in validate_document(text).issues if i.code != "W_YAML11_BOOLEAN"]
    from_mapping = [i.code for i in validate_document(value).issues]
    assert sorted(from_text) == sorted(from_mapping)


def mutate(text: str, data) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        if not text:
            break
        at = data.draw(st.integers(0, len(text) - 1))
        kind = data.draw(st.sampled_from(["delete", "insert", "duplicate", "indent", "swap"]))
        if kind == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 8)) :]
        elif kind == "insert":
            text = (
                text[:at]
                + data.draw(st.text(alphabet=YAML_ALPHABET, min_size=1, max_size=4))
                + text[at:]
            )
        elif kind == "duplicate":
            lines = text.split("\n")
            i = data.draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "indent":
            lines = text.split("\n")
            i = data.draw(st.integers(0, len(lines) - 1))
            lines[i] = data.draw(st.sampled_from(["", " ", "  ", "    "])) + lines[i].lstrip(" ")
            text = "\n".join(lines)
        else:
            lines = text.split("\n")
            i = data.draw(st.integers(0, len(lines) - 1))
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def test_the_document_being_mutated_is_valid():
    assert validate_document(VALID_TEXT).valid


@FAST
@given(st.data())
def test_mutated_valid_documents_never_raise(data):
    check(mutate(VALID_TEXT, data))


@pytest.mark.slow
@SLOW
@given(st.data())
def test_mutated_valid_documents_never_raise_many(data):
    check(mutate(VALID_TEXT, data), artifact_task_names=["Saver"])


@FAST
@given(st.data())
def test_mutated_entrypoints_never_raise(data):
    graph = mutate(VALID_TEXT.split("graph:\n", 1)[1].split("artifact_outputs:")[0], data)
    artifacts = mutate("saved:\n  contents: $predictions\n  task: {name: Saver}\n", data)
    result = validate_entrypoint(graph, artifacts, context=CONTEXT)
    again = validate_entrypoint(graph, artifacts, context=CONTEXT)
    assert result.issues == again.issues
    assert_positions_inside(
        graph, type(result)(result.valid, [i for i in result.issues if i.source == "taskGraph"])
    )
    assert_positions_inside(
        artifacts,
        type(result)(result.valid, [i for i in result.issues if i.source == "artifactGraph"]),
    )
    assert not any(NOT_READ in issue.message for issue in result.issues)
    assert result.valid == validate_document(
        build_document(graph, artifacts, context=CONTEXT)
    ).valid or any(
        issue.source == "context" and issue.code == "E_DUPLICATE_KEY" for issue in result.issues
    )


@FAST
@given(st.integers(1, 60), st.sampled_from(["[", "{a: ", "- ", "? "]))
def test_deep_nesting_is_capped(depth, opener):
    text = "graph:\n  s:\n    load: " + opener * depth
    result = validate_document(text, limits=Limits(max_depth=16))
    assert_positions_inside(text, result)
    assert not result.valid


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2000), st.sampled_from(["x", "é", "\u2028", "\r\n"]))
def test_large_texts_respect_the_size_cap(size, filler):
    text = DECLARATIONS + "graph:\n  s:\n    ping: []\n# " + filler * (size * 70) + "\n"
    result = validate_document(text, limits=Limits(max_bytes=64 * 1024))
    over = len(text.encode()) > 64 * 1024
    assert ("E_LIMIT_SIZE" in [i.code for i in result.issues]) is over
    assert_positions_inside(text, result)
