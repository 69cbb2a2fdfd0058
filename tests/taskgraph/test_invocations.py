"""Steps and artifact outputs: invocation styles, binding, references, dependencies, no cascades."""

from __future__ import annotations

import pytest

from entrypoints.taskgraph import validate_document

from .helpers import DECLARATIONS, codes, document, errors, only, position, span

ARTIFACT_TASKS = (
    DECLARATIONS
    + """\
artifact_tasks:
  ModelArtifactTask:
    plugin: artifacts.model.ModelArtifactTask
  FrameTask:
    plugin: artifacts.frames.FrameTask
    inputs:
      - format: string
      - name: save_index
        type: boolean
        required: false
"""
)

BASE = """
dataset:
  load: [$location]
trained_model:
  train: [le_net, $dataset.training]
"""


@pytest.mark.parametrize(
    "step",
    [
        "s:\n  predict: [$trained_model, $dataset.testing]",
        "s:\n  predict:\n    model: $trained_model\n    dataset: $dataset.testing",
        "s:\n  task: predict\n  args: [$trained_model]\n  kwargs:\n    dataset: $dataset.testing",
        "s:\n  task: predict\n  args: [$trained_model, $dataset.testing]",
        "s:\n  task: predict\n  kwargs: {model: $trained_model, dataset: $dataset.testing}",
    ],
    ids=["positional", "keyword", "mixed", "mixed-args-only", "mixed-kwargs-only"],
)
def test_three_invocation_styles(step):
    result = validate_document(document(BASE + step))
    assert result.valid, result.issues


def test_graph_may_be_one_step_without_inputs_in_mixed_style():
    assert validate_document(document("s:\n  task: ping")).valid
    assert validate_document(document("s:\n  ping: []")).valid
    assert validate_document(document("s:\n  ping: {}")).valid


def test_a_non_list_positional_value_is_one_argument():
    assert validate_document(document("s:\n  load: /data")).valid
    assert validate_document(document("s:\n  task: load\n  args: /data")).valid
    result = validate_document(document("s:\n  ping:"))
    issue = only(result, "E_TOO_MANY_POSITIONAL_ARGS")
    assert "ping: []" in issue.message  # an empty value is one null argument


def test_a_literal_list_argument_needs_double_brackets():
    text = DECLARATIONS.replace(
        "  ping:\n",
        "  total:\n    plugin: plugins.math.total\n    inputs: [{values: {list: number}}]\n  "
        "ping:\n",
    ).replace("types:\n", "types:\n  numbers: {list: number}\n")
    text = text.replace("{values: {list: number}}", "{values: numbers}")
    assert validate_document(text + "graph:\n  s:\n    total: [[1, 2.5]]\n").valid
    result = validate_document(text + "graph:\n  s:\n    total: [1, 2.5]\n")
    assert errors(result) == ["E_ARG_TYPE_MISMATCH", "E_TOO_MANY_POSITIONAL_ARGS"]


def test_optional_inputs_may_be_left_out_and_given():
    assert validate_document(document(BASE + "s:\n  train: [le_net, $dataset.training, 5]")).valid
    assert validate_document(
        document(BASE + "s:\n  train: {architecture: x, dataset: $dataset.training}")
    ).valid


@pytest.mark.parametrize(
    "dependencies", ["dependencies: [dataset]", "dependencies: dataset", "dependencies: []"]
)
def test_dependencies_as_list_or_single_name(dependencies):
    assert validate_document(document(BASE + f"s:\n  ping: []\n  {dependencies}")).valid


def test_dependencies_must_be_names():
    result = validate_document(document(BASE + "s:\n  ping: []\n  dependencies: [dataset, 3]"))
    assert codes(result) == ["E_WRONG_TYPE"]


def test_references_are_found_at_any_depth_but_not_in_keys():
    text = DECLARATIONS.replace("      - location: string", "      - location: any")
    text += "graph:\n  s:\n    load:\n      - {a: [1, {b: [[$nope]]}], $key_is_not_a_ref: 1}\n"
    issue = only(validate_document(text), "E_REF_UNRESOLVABLE")
    assert issue.path == ["graph", "s", "load", 0, "a", 1, "b", 0, 0]
    assert position(issue) == span(text, "$nope")


@pytest.mark.parametrize("value", ["$$location", "cost $5", "$", "$$", "a$b"])
def test_escapes_and_dollar_signs_inside_text_are_not_references(value):
    result = validate_document(document(f"s:\n  load: ['{value}']"))
    assert result.valid, result.issues


def test_reference_name_is_split_at_the_first_dot():
    result = validate_document(document(BASE + "s:\n  load: [$dataset.training.extra]"))
    issue = only(result, "E_REF_UNKNOWN_OUTPUT")
    assert "training.extra" in issue.message


def test_suggestions_for_misspelt_names():
    result = validate_document(document(BASE + "s:\n  predict: [$trained_modle, $dataset.testng]"))
    messages = [issue.message for issue in result.issues]
    assert any("did you mean `$trained_model`?" in m for m in messages)
    assert any("did you mean `$dataset.testing`?" in m for m in messages)


def test_cycle_message_and_location():
    text = document(
        "a:\n  ping: []\n  dependencies: [c]\nb:\n  ping: []\n  dependencies: [a]\nc:\n  ping: "
        "[]\n  dependencies: [b]"
    )
    issue = only(validate_document(text), "E_STEP_CYCLE")
    assert "a > c > b > a" in issue.message
    assert position(issue) == span(
        text, "b", "dependencies: [a]\n  c:\n    ping: []\n    dependencies: ["
    )


def test_self_reference_is_a_cycle():
    issue = only(validate_document(document("a:\n  ping: []\n  dependencies: a")), "E_STEP_CYCLE")
    assert "a > a" in issue.message


def test_every_independent_problem_is_reported_in_one_pass():
    text = document(
        BASE
        + "s1:\n  lod: [x]\n"
        + "s2:\n  load: [$nothing]\n"
        + "s3:\n  predict: {model: $trained_model}\n"
        + "s4:\n  ping: []\n  dependencies: [nowhere]"
    )
    assert codes(validate_document(text)) == [
        "E_UNKNOWN_TASK",
        "E_REF_UNRESOLVABLE",
        "E_MISSING_REQUIRED_ARG",
        "E_UNKNOWN_DEPENDENCY",
    ]


def test_unknown_task_suppresses_binding_and_type_checks_but_not_references():
    result = validate_document(document("s:\n  lod: [1, 2, 3, $nothing]"))
    assert codes(result) == ["E_UNKNOWN_TASK", "E_REF_UNRESOLVABLE"]


def test_reference_error_suppresses_the_type_check_of_that_argument_only():
    result = validate_document(document(BASE + "s:\n  predict: [$trained_modl, 42]"))
    assert codes(result) == ["E_REF_UNRESOLVABLE", "E_ARG_TYPE_MISMATCH"]
    assert result.issues[1].path[-1] == 1


def test_references_to_steps_with_unknown_tasks_are_not_judged():
    result = validate_document(document("a:\n  lod: [x]\nb:\n  load: [$a.whatever]"))
    assert codes(result) == ["E_UNKNOWN_TASK"]


def test_name_collision_suppresses_resolution_of_that_name():
    result = validate_document(document("location:\n  load: [x]\ns:\n  load: [$location.x]"))
    assert codes(result) == ["E_PARAM_STEP_NAME_COLLISION"]


def test_missing_sections_do_not_cascade():
    assert codes(validate_document("parameters: {x: 1}\ngraph:\n  s:\n    load: [$x]\n")) == [
        "E_MISSING_KEY"
    ]
    text = "tasks: 3\ngraph:\n  a:\n    load: [x]\n  s:\n    load: [$a.out]\n"
    assert codes(validate_document(text)) == ["E_WRONG_TYPE"]


def test_mixed_style_rejects_other_keys_and_bad_args():
    result = validate_document(document("s:\n  task: load\n  arg: [x]\n  args: {location: x}"))
    assert codes(result) == ["E_UNKNOWN_KEY", "E_WRONG_TYPE"]
    assert "args" in result.issues[0].message  # did you mean `args`?


def test_short_form_with_no_task():
    result = validate_document(document("s:\n  dependencies: []"))
    assert codes(result) == ["E_STEP_SHORT_FORM_STRUCTURE"]
    assert "names no task" in result.issues[0].message


def test_timestamps_where_dioptra_wants_json_values_are_wrong_types():
    assert codes(validate_document(document("s:\n  load: 2024-01-01"))) == ["E_WRONG_TYPE"]
    # inside a list the value is an argument of type `any`, which fits only `any`
    assert codes(validate_document(document("s:\n  load: [2024-01-01]"))) == ["E_ARG_TYPE_MISMATCH"]


# ---- artifact outputs ------------------------------------------------------------------------

ARTIFACT_BASE = BASE + "predictions:\n  predict: [$trained_model, $dataset.testing]"


@pytest.mark.parametrize(
    "task",
    [
        "{name: FrameTask, args: [csv, false]}",
        "{name: FrameTask, args: {format: csv, save_index: false}}",
        "{name: FrameTask, args: [csv], kwargs: {save_index: false}}",
        "{name: FrameTask, kwargs: {format: csv}}",
    ],
    ids=["positional", "keyword", "mixed", "kwargs"],
)
def test_artifact_task_invocation_styles(task):
    extra = f"artifact_outputs:\n  saved:\n    contents: $predictions\n    task: {task}\n"
    result = validate_document(document(ARTIFACT_BASE, ARTIFACT_TASKS, extra))
    assert result.valid, result.issues


def test_artifact_task_arguments_bind_and_type_check_when_inputs_are_declared():
    extra = (
        "artifact_outputs:\n  saved:\n    contents: $predictions\n"
        "    task: {name: FrameTask, args: [1, true, x], kwargs: {fmt: csv}}\n"
    )
    text = document(ARTIFACT_BASE, ARTIFACT_TASKS, extra)
    result = validate_document(text)
    assert codes(result) == [
        "E_ARG_TYPE_MISMATCH",
        "E_TOO_MANY_POSITIONAL_ARGS",
        "E_UNKNOWN_KEYWORD_ARG",
    ]
    assert result.issues[1].path == ["artifact_outputs", "saved", "task", "args", 2]


def test_artifact_tasks_without_declared_inputs_take_any_arguments():
    extra = (
        "artifact_outputs:\n  saved:\n    contents: $trained_model\n"
        "    task: {name: ModelArtifactTask, args: [1, 2], kwargs: {x: 3}}\n"
    )
    assert validate_document(document(ARTIFACT_BASE, ARTIFACT_TASKS, extra)).valid


def test_artifact_references_resolve_like_step_references():
    extra = (
        "artifact_outputs:\n"
        "  a:\n    contents: $dataset\n    task: {name: ModelArtifactTask}\n"
        "  b:\n    contents: $trained_model\n    task: {name: ModelArtifactTask, kwargs: "
        "{format: $nope}}\n"
    )
    result = validate_document(document(ARTIFACT_BASE, ARTIFACT_TASKS, extra))
    assert codes(result) == ["E_REF_OUTPUT_NAME_REQUIRED", "E_REF_UNRESOLVABLE"]
    assert result.issues[0].message.startswith("Artifact output `a`")


def test_artifact_task_names_are_checked_only_when_known():
    extra = (
        "artifact_outputs:\n  saved:\n    contents: $trained_model\n    task: {name: Anything}\n"
    )
    text = document(ARTIFACT_BASE, extra=extra)
    assert validate_document(text).valid
    assert codes(validate_document(text, artifact_task_names=["ModelArtifactTask"])) == [
        "E_UNKNOWN_ARTIFACT_TASK"
    ]
    assert validate_document(text, artifact_task_names=["Anything"]).valid


@pytest.mark.parametrize(
    ("contents", "suggestion"),
    [
        ("trained_model", "$trained_model"),
        ("trained_modle", "$trained_model"),
        ("dataset.testing", "$dataset.testing"),
        ("createDataFrame$output", "$createDataFrame.output"),
    ],
)
def test_literal_contents_that_look_like_steps_warn(contents, suggestion):
    extra = (
        f"artifact_outputs:\n  saved:\n    contents: {contents}\n"
        "    task: {name: ModelArtifactTask}\n"
    )
    result = validate_document(document(ARTIFACT_BASE, extra=extra))
    issue = only(result, "W_CONTENTS_NOT_REFERENCE")
    assert result.valid and f"did you mean `{suggestion}`?" in issue.message


@pytest.mark.parametrize("contents", ["model.pkl", "$$trained_model", "'cost $5'"])
def test_plain_literal_contents_do_not_warn(contents):
    extra = (
        f"artifact_outputs:\n  saved:\n    contents: {contents}\n"
        "    task: {name: ModelArtifactTask}\n"
    )
    result = validate_document(document(ARTIFACT_BASE, extra=extra))
    assert (
        result.issues == [] or codes(result) == ["W_CONTENTS_NOT_REFERENCE"] and "cost" in contents
    )


def test_artifact_output_structure():
    extra = (
        "artifact_outputs:\n  a:\n    content: $dataset\n  b: 3\n"
        "  c:\n    contents: [1]\n    task: {nme: X}\n"
    )
    result = validate_document(document(ARTIFACT_BASE, extra=extra))
    assert codes(result) == [
        "E_MISSING_KEY",
        "E_MISSING_KEY",
        "E_UNKNOWN_KEY",
        "E_WRONG_TYPE",
        "E_WRONG_TYPE",
        "E_MISSING_KEY",
        "E_UNKNOWN_KEY",
    ]
