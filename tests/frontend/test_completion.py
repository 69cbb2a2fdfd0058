"""Completion after `$`, where a task name goes, and inside a task's keyword mapping."""

import pytest

from tests.frontend.driver import (
    ARTIFACT,
    accept_completion,
    completion_labels,
    focus,
    get_text,
    set_text,
)

pytestmark = pytest.mark.browser


def type_at_end_of_line(page, line, text, source="taskGraph"):
    focus(page, source, line=line, column=999)
    page.keyboard.type(text)


def test_dollar_offers_parameters_inputs_and_other_steps(editor):
    # Line 7 is `    epochs: $epochs`, inside step `train`.
    type_at_end_of_line(editor, 7, "\nlr: $")
    labels = completion_labels(editor)
    assert {
        "$data_path",
        "$epochs",
        "$load",
        "$évaluer",
        "$dataset.x",
        "$dataset.y",
        "$weights",
    } <= set(labels)
    assert not any(label.startswith("$train") for label in labels)  # the step being edited


def test_dollar_offers_step_output_forms_for_steps_with_several_outputs(editor):
    # Line 10 is `    model: $train.model`, inside step `évaluer`.
    type_at_end_of_line(editor, 10, "\nnote: [1, $")
    labels = completion_labels(editor)
    assert {"$train.model", "$train.metrics", "$load"} <= set(labels)
    assert "$train" not in labels and "$évaluer" not in labels


def test_picking_a_reference_replaces_what_was_typed(editor):
    type_at_end_of_line(editor, 10, "\nnote: $tr")
    assert completion_labels(editor)[0] == "$train.metrics"
    accept_completion(editor)
    assert "    note: $train.metrics\n" in get_text(editor)


def test_no_completion_after_an_escaped_dollar(editor):
    type_at_end_of_line(editor, 10, "\nnote: $$")
    editor.wait_for_timeout(150)
    assert editor.locator(".cm-tooltip-autocomplete").count() == 0


def test_the_artifact_graph_offers_the_task_graph_steps(editor):
    set_text(editor, "out:\n  contents: ", ARTIFACT)
    type_at_end_of_line(editor, 2, "$", ARTIFACT)
    labels = completion_labels(editor)
    assert {"$load", "$train.model", "$train.metrics", "$évaluer", "$epochs"} <= set(labels)


def test_task_names_where_a_task_name_goes(editor):
    set_text(editor, "first:\n  ")
    type_at_end_of_line(editor, 2, "tr")
    assert completion_labels(editor) == ["train_model"]
    detail = editor.locator(".cm-tooltip-autocomplete .cm-completionDetail").inner_text()
    assert detail == "data*: any, lr: number, epochs*: integer → model, metrics"
    accept_completion(editor)
    assert get_text(editor) == "first:\n  train_model:"


def test_task_names_as_the_value_of_task(editor):
    set_text(editor, "graph:\n  first:\n    task: ")
    type_at_end_of_line(editor, 3, "ev")
    assert completion_labels(editor) == ["evaluate"]
    accept_completion(editor)
    assert get_text(editor) == "graph:\n  first:\n    task: evaluate"


def test_input_names_inside_a_keyword_mapping_required_first(editor):
    set_text(editor, "first:\n  train_model:\n    data: $load\n    ")
    focus(editor, line=4, column=5)
    editor.keyboard.press("Control+Space")
    assert completion_labels(editor) == ["epochs", "lr"]  # not `data`, given already
    accept_completion(editor)
    assert get_text(editor).endswith("\n    epochs: ")


def test_input_names_under_kwargs_of_the_mixed_style(editor):
    set_text(editor, "first:\n  task: evaluate\n  kwargs:\n    ")
    focus(editor, line=4, column=5)
    editor.keyboard.press("Control+Space")
    assert completion_labels(editor) == ["model", "note"]


def test_artifact_task_names_and_their_inputs(editor):
    set_text(editor, "out:\n  contents: $load\n  task:\n    name: sa", ARTIFACT)
    type_at_end_of_line(editor, 4, "v", ARTIFACT)
    assert completion_labels(editor) == ["save", "save_typed"]
    set_text(editor, "out:\n  task:\n    name: save_typed\n    args:\n      ", ARTIFACT)
    focus(editor, ARTIFACT, line=5, column=7)
    editor.keyboard.press("Control+Space")
    assert completion_labels(editor) == ["format"]


def test_enter_ends_the_line_when_the_option_does_not_complete_what_was_typed(editor):
    # `$mis` matches `$train.metrics` fuzzily: Enter must not swap one for the other.
    type_at_end_of_line(editor, 10, "\nnote: $mis")
    assert completion_labels(editor) == ["$train.metrics"]
    accept_completion(editor)
    assert "    note: $mis\n    " in get_text(editor)
    assert editor.locator(".cm-tooltip-autocomplete").count() == 0


def test_enter_takes_an_option_the_user_moved_to(editor):
    type_at_end_of_line(editor, 10, "\nnote: $mis")
    completion_labels(editor)
    editor.wait_for_timeout(100)  # CodeMirror ignores keys in the list's first 75 ms
    editor.keyboard.press("ArrowDown")
    editor.keyboard.press("Enter")
    assert "    note: $train.metrics\n" in get_text(editor)


def test_a_key_typed_with_its_colon_is_kept_and_enter_indents(editor):
    set_text(editor, "")
    focus(editor, line=1)
    editor.keyboard.type("broken:\nnop")
    assert completion_labels(editor) == ["noop"]
    editor.keyboard.type("e:")
    accept_completion(editor)
    assert get_text(editor) == "broken:\n  nope:\n    "
