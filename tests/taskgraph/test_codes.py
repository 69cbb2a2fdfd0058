"""One test per issue code: the code, its severity and category, and the exact node it points at."""

from __future__ import annotations

import pytest

from entrypoints.taskgraph import CODES, Limits, validate_document

from .helpers import DECLARATIONS, assert_issue, document, only, position, span

ARTIFACT_INPUTS = DECLARATIONS.replace(
    "tasks:\n",
    "artifact_inputs:\n  pretrained: {weights: model}\n  splits: [{train: dataset}, {test: "
    "dataset}]\ntasks:\n",
)

ARTIFACT_TASKS = (
    DECLARATIONS
    + """\
artifact_tasks:
  ModelArtifactTask:
    plugin: artifacts.model.ModelArtifactTask
  DataframeArtifactTask:
    plugin: artifacts.frames.DataframeArtifactTask
    inputs:
      - format: string
      - name: save_index
        type: boolean
        required: false
"""
)

VALID_GRAPH = """
dataset:
  load: [$location]
trained_model:
  train: [le_net, $dataset.training]
"""


def _types(definitions: str) -> str:
    return DECLARATIONS.replace("types:\n", "types:\n" + definitions)


# (code, text, the text the issue must cover, searched after this anchor)
CASES = [
    ("E_YAML_TAG", document("s:\n  load: [!custom /data]"), "!custom /data", "graph:"),
    (
        "E_DUPLICATE_KEY",
        document(VALID_GRAPH + "dataset:\n  load: [x]"),
        "dataset",
        "training]\n  ",
    ),
    ("E_UNKNOWN_KEY", document(VALID_GRAPH, extra="grpah: {}\n"), "grpah", ""),
    (
        "E_WRONG_TYPE",
        document("s:\n  task: load\n  args: [$location]\n  kwargs: [1]"),
        "[1]",
        "graph:",
    ),
    ("E_EMPTY_SECTION", DECLARATIONS + "graph: {}\n", "graph", "tasks:"),
    ("E_NON_STRING_KEY", document(VALID_GRAPH + "42:\n  load: [x]"), "42", "graph:"),
    ("E_EMPTY_NAME", document(VALID_GRAPH + '"  ":\n  load: [x]'), '"  "', "graph:"),
    (
        "E_PARAM_NAME_DOT",
        DECLARATIONS.replace("  lr: 0.01", "  lr.max: 0.01") + "graph:\n  s: {load: [x]}\n",
        "lr.max",
        "",
    ),
    ("E_STEP_NAME_DOT", document("data.set:\n  load: [x]"), "data.set", "graph:"),
    (
        "E_ARTIFACT_INPUT_NAME_DOT",
        ARTIFACT_INPUTS.replace("  pretrained:", "  pre.trained:") + "graph:\n  s: {load: [x]}\n",
        "pre.trained",
        "",
    ),
    (
        "E_TASK_DUPLICATE_INPUT_NAMES",
        DECLARATIONS.replace(
            "      - dataset: dataset\n      - name: epochs",
            "      - dataset: dataset\n      - dataset: dataset\n      - name: epochs",
        )
        + "graph:\n  s: {load: [x]}\n",
        "dataset",
        "- dataset: dataset\n      - ",
    ),
    (
        "E_TASK_DUPLICATE_OUTPUT_NAMES",
        DECLARATIONS.replace("      - testing: dataset", "      - training: dataset")
        + "graph:\n  s: {ping: []}\n",
        "training",
        "training: dataset\n",
    ),
    (
        "E_TASK_INPUT_UNDEFINED_TYPE",
        DECLARATIONS.replace("      - location: string", "      - location: strng")
        + "graph:\n  s: {ping: []}\n",
        "strng",
        "",
    ),
    (
        "E_TASK_OUTPUT_UNDEFINED_TYPE",
        DECLARATIONS.replace("      predictions: any", "      predictions: frame")
        + "graph:\n  s: {ping: []}\n",
        "frame",
        "",
    ),
    (
        "E_PLUGIN_ID_NO_DOT",
        DECLARATIONS.replace("plugins.util.ping", "ping_plugin") + "graph:\n  s: {ping: []}\n",
        "ping_plugin",
        "",
    ),
    (
        "E_PLUGIN_ID_EMPTY_COMPONENT",
        DECLARATIONS.replace("plugins.util.ping", "plugins..ping") + "graph:\n  s: {ping: []}\n",
        "plugins..ping",
        "",
    ),
    ("E_STEP_SHORT_FORM_STRUCTURE", document("s:\n  load: [x]\n  ping: []"), "s", "graph:\n  "),
    ("E_PARAM_STEP_NAME_COLLISION", document("location:\n  load: [x]"), "location", "graph:"),
    (
        "E_NAME_COLLISION",
        ARTIFACT_INPUTS + "graph:\n  pretrained:\n    load: [x]\n",
        "pretrained",
        "graph:",
    ),
    ("E_UNKNOWN_TASK", document("s:\n  lod: [$location]"), "lod", "graph:"),
    ("E_TOO_MANY_POSITIONAL_ARGS", document("s:\n  load: [$location, extra]"), "extra", "graph:"),
    ("E_UNKNOWN_KEYWORD_ARG", document("s:\n  load: {location: x, path: y}"), "y", "path: "),
    (
        "E_ARG_ASSIGNED_TWICE",
        document("s:\n  task: load\n  args: [x]\n  kwargs: {location: y}"),
        "y",
        "kwargs",
    ),
    ("E_MISSING_REQUIRED_ARG", document("s:\n  load: {}"), "load", "graph:"),
    ("E_REF_STEP_NO_OUTPUT", document("p:\n  ping: []\ns:\n  load: [$p]"), "$p", "graph:"),
    (
        "E_REF_OUTPUT_NAME_REQUIRED",
        document(VALID_GRAPH + "s:\n  load: [$dataset]"),
        "$dataset",
        "  s:",
    ),
    (
        "E_REF_UNKNOWN_OUTPUT",
        document(VALID_GRAPH + "s:\n  predict: [$trained_model, $dataset.validation]"),
        "$dataset.validation",
        "graph:",
    ),
    (
        "E_REF_PARAM_WITH_OUTPUT",
        document("s:\n  load: [$location.path]"),
        "$location.path",
        "graph:",
    ),
    (
        "E_REF_ARTIFACT_OUTPUT_NAME_REQUIRED",
        ARTIFACT_INPUTS + "graph:\n  s:\n    predict: [$pretrained, $splits]\n",
        "$splits",
        "graph:",
    ),
    (
        "E_REF_ARTIFACT_UNKNOWN_OUTPUT",
        ARTIFACT_INPUTS + "graph:\n  s:\n    predict: [$pretrained, $splits.validation]\n",
        "$splits.validation",
        "graph:",
    ),
    ("E_REF_UNRESOLVABLE", document("s:\n  load: [$locaton]"), "$locaton", "graph:"),
    (
        "E_UNKNOWN_DEPENDENCY",
        document(VALID_GRAPH + "s:\n  ping: []\n  dependencies: [datset]"),
        "datset",
        "graph:",
    ),
    (
        "E_STEP_CYCLE",
        document(
            "a:\n  predict: [$b, $d.testing]\nb:\n  predict: [$a, $d.testing]\nd:\n  load: [x]"
        ),
        "$a",
        "graph:",
    ),
    (
        "E_PARAM_UNDEFINED_TYPE",
        DECLARATIONS.replace("{type: integer, default: 3}", "{type: int, default: 3}")
        + "graph:\n  s: {ping: []}\n",
        "int",
        "epochs: {type: ",
    ),
    (
        "E_ARTIFACT_INPUT_UNDEFINED_TYPE",
        ARTIFACT_INPUTS.replace("{weights: model}", "{weights: modle}")
        + "graph:\n  s: {ping: []}\n",
        "modle",
        "",
    ),
    (
        "E_ARTIFACT_INPUT_NO_OUTPUTS",
        ARTIFACT_INPUTS.replace("{weights: model}", "[]") + "graph:\n  s: {ping: []}\n",
        "pretrained",
        "",
    ),
    (
        "E_UNKNOWN_ARTIFACT_TASK",
        document(
            VALID_GRAPH,
            ARTIFACT_TASKS,
            "artifact_outputs:\n  m:\n    contents: $trained_model\n    task: {name: ModelTask}\n",
        ),
        "ModelTask",
        "artifact_outputs:",
    ),
    (
        "E_TYPE_UNDEFINED_REFERENCE",
        _types("  images: {list: imag}\n") + "graph:\n  s: {ping: []}\n",
        "imag",
        "list: ",
    ),
    (
        "E_TYPE_CYCLE",
        _types("  a: {list: b}\n  b: {list: a}\n") + "graph:\n  s: {ping: []}\n",
        "a",
        "b: {list: ",
    ),
    (
        "E_TYPE_BUILTIN_REDEFINED",
        _types("  string: null\n") + "graph:\n  s: {ping: []}\n",
        "string",
        "types:\n",
    ),
    (
        "E_TYPE_BAD_KEY_TYPE",
        _types("  table: {mapping: [number, string]}\n") + "graph:\n  s: {ping: []}\n",
        "number",
        "table",
    ),
    (
        "E_TYPE_NON_SIMPLE_SUPERTYPE",
        _types("  pair: {tuple: [string, string]}\n  key: {is_a: pair}\n")
        + "graph:\n  s: {ping: []}\n",
        "pair",
        "is_a: ",
    ),
    (
        "E_TYPE_TOO_MANY_STRUCTURES",
        _types("  odd: {list: string, tuple: [string]}\n") + "graph:\n  s: {ping: []}\n",
        "tuple",
        "odd",
    ),
    (
        "E_PARAM_DEFAULT_TYPE_MISMATCH",
        DECLARATIONS.replace("{type: integer, default: 3}", "{type: integer, default: three}")
        + "graph:\n  s: {ping: []}\n",
        "three",
        "",
    ),
    ("E_ARG_TYPE_MISMATCH", document("s:\n  load: [42]"), "42", "graph:"),
    (
        "W_UNION_DUPLICATE_MEMBERS",
        _types("  id: {union: [string, integer, string]}\n") + "graph:\n  s: {ping: []}\n",
        "string",
        "integer, ",
    ),
    (
        "W_CONTENTS_NOT_REFERENCE",
        document(
            VALID_GRAPH,
            extra="artifact_outputs:\n  m:\n    contents: trained_model\n"
            "    task: {name: ModelArtifactTask}\n",
        ),
        "trained_model",
        "contents: ",
    ),
    ("W_YAML11_BOOLEAN", document("s:\n  task: load\n  kwargs: {location: yes}"), "yes", "graph:"),
    ("E_TASK_NAME_INVALID", document("s:\n  task: ' '\n  args: [x]"), "' '", "graph:"),
    (
        "W_ARTIFACT_INPUT_DUPLICATE_OUTPUT_NAMES",
        document(
            "s:\n  load: [$splits.train]",
            ARTIFACT_INPUTS.replace("{test: dataset}", "{train: dataset}"),
        ),
        "train",
        "{train: dataset}, {",
    ),
]


@pytest.mark.parametrize(
    ("code", "text", "needle", "after"), CASES, ids=[case[0] for case in CASES]
)
def test_issue_code_points_at_its_node(code, text, needle, after):
    result = validate_document(text)
    issue = assert_issue(result, code, text, needle, after)
    assert issue.source == "document"
    assert issue.message
    assert result.valid is (issue.severity == "warning" and not result.errors)


def test_yaml_syntax_error_sits_at_the_parsers_mark():
    text = "graph:\n  s: {load: [x}\n"
    issue = only(validate_document(text), "E_YAML_SYNTAX")
    assert (issue.category, issue.severity) == ("syntax", "error")
    assert position(issue) == (2, 15, 2, 16)  # the `}` where `]` was expected


def test_alias_and_anchor_are_refused():
    text = document("a:\n  load: &where [x]\nb:\n  load: *where")
    result = validate_document(text)
    alias = [i for i in result.issues if i.code == "E_YAML_ALIAS"]
    assert [position(i) for i in alias] == [span(text, "&where"), span(text, "*where")]
    assert all((i.category, i.severity) == ("syntax", "error") for i in alias)


def test_multiple_documents():
    text = document(VALID_GRAPH) + "---\nmore: 1\n"
    issue = only(validate_document(text), "E_MULTIPLE_DOCUMENTS")
    line = text.split("\n").index("---") + 1
    assert position(issue) == (line, 1, line, 4)
    assert issue.category == "syntax"


def test_limit_size_counts_utf8_bytes():
    text = document(VALID_GRAPH) + "# " + "é" * 200 + "\n"
    limit = len(text.encode()) - 1
    assert len(text) <= limit  # under the cap in code points, over it in bytes
    result = validate_document(text, limits=Limits(max_bytes=limit))
    issue = only(result, "E_LIMIT_SIZE")
    assert (issue.line, issue.column) == (1, 1)
    assert result.issues == [issue]


def test_limit_steps_points_at_the_first_step_over_the_cap():
    text = document("a: {ping: []}\nb: {ping: []}\nc: {ping: []}")
    result = validate_document(text, limits=Limits(max_steps=2))
    issue = only(result, "E_LIMIT_STEPS")
    line, column, _, _ = span(text, "c: {ping")
    assert position(issue) == (line, column, line, column + 1)
    assert issue.category == "syntax"


def test_limit_depth():
    text = document("s:\n  load: [[[[[x]]]]]")
    result = validate_document(text, limits=Limits(max_depth=6))
    issue = only(result, "E_LIMIT_DEPTH")
    assert issue.category == "syntax"
    assert (issue.line, issue.column) == (text.split("\n").index("  s:") + 2, 14)
    assert [i.code for i in result.issues] == ["E_LIMIT_DEPTH"]


def test_missing_key_sits_on_the_parent_key():
    text = document(VALID_GRAPH).replace("    plugin: plugins.util.ping\n", "    outputs: []\n")
    assert_issue(validate_document(text), "E_MISSING_KEY", text, "ping", "tasks:")


def test_missing_section_sits_on_the_first_key_of_the_document():
    text = "graph:\n  s: {ping: []}\n"
    issue = only(validate_document(text), "E_MISSING_KEY")
    assert position(issue) == (1, 1, 1, 6)
    assert issue.path == []


def test_ambiguous_task_and_default_conversion_are_entrypoint_codes():
    from entrypoints.taskgraph import ParameterSpec, StaticContext, TaskSpec, validate_entrypoint

    context = StaticContext(
        tasks={
            "load": [
                TaskSpec("alpha.io.load", [("location", "string", True)]),
                TaskSpec("beta.io.load"),
            ]
        },
        parameters=[ParameterSpec("epochs", "integer", "three")],
    )
    text = "s:\n  load: [x]\n"
    result = validate_entrypoint(text, None, context=context)
    ambiguous = only(result, "E_AMBIGUOUS_TASK")
    assert (ambiguous.category, ambiguous.severity, ambiguous.source) == (
        "semantic",
        "error",
        "taskGraph",
    )
    assert position(ambiguous) == (2, 3, 2, 7)
    assert "alpha.io.load" in ambiguous.message and "beta.io.load" in ambiguous.message
    conversion = only(result, "E_PARAM_DEFAULT_CONVERSION")
    assert (conversion.category, conversion.source, conversion.path) == (
        "type",
        "context",
        ["parameters", 0, "defaultValue"],
    )
    assert conversion.line is None


COVERED_ELSEWHERE = {
    "E_YAML_SYNTAX",
    "E_YAML_ALIAS",
    "E_MULTIPLE_DOCUMENTS",
    "E_LIMIT_SIZE",
    "E_LIMIT_STEPS",
    "E_LIMIT_DEPTH",
    "E_MISSING_KEY",
    "E_AMBIGUOUS_TASK",
    "E_PARAM_DEFAULT_CONVERSION",
}


def test_every_code_has_a_test():
    assert {case[0] for case in CASES} | COVERED_ELSEWHERE == set(CODES)
