"""Palette "Add": a well-formed step at the end, a unique name, the first input selected."""

import pytest

from tests.frontend.driver import ARTIFACT, cursor, focus, get_text, selection_text, set_text

pytestmark = pytest.mark.browser


def add(page, task):
    page.click(f".palette-insert[data-task={task}]")


def test_insert_then_fill_the_placeholders(editor):
    before = get_text(editor)
    add(editor, "train_model")
    assert (
        get_text(editor)
        == before + "\ntrain_model:\n  train_model:\n    data: data\n    epochs: epochs\n"
    )
    assert selection_text(editor) == "data"
    assert editor.evaluate("EntrypointEditor.views.get('taskGraph').hasFocus")
    editor.keyboard.type("$load")
    editor.keyboard.press("Tab")
    assert selection_text(editor) == "epochs"
    editor.keyboard.type("$epochs")
    assert get_text(editor).endswith(
        "\ntrain_model:\n  train_model:\n    data: $load\n    epochs: $epochs\n"
    )
    # Tab after the last field leaves the snippet at the end of the entry.
    editor.keyboard.press("Tab")
    assert editor.locator(".cm-snippetField").count() == 0
    last = get_text(editor).count("\n")
    assert cursor(editor) == {"line": last, "column": len("    epochs: $epochs") + 1}


def test_the_step_name_is_unique(editor):
    add(editor, "train_model")
    add(editor, "train_model")
    text = get_text(editor)
    assert "\n\ntrain_model:\n  train_model:\n" in text
    assert text.endswith("\n\ntrain_model_2:\n  train_model:\n    data: data\n    epochs: epochs\n")


def test_a_name_taken_by_a_known_step_is_skipped(editor):
    set_text(editor, "x:\n  noop: {}\n")
    editor.evaluate(
        "Harness.swap({steps: [{name: 'noop', task: 'noop', line: 9, outputs: []}], issues: []})"
    )
    add(editor, "noop")
    assert get_text(editor) == "x:\n  noop: {}\n\nnoop_2:\n  noop: {}\n"


def test_a_task_without_required_inputs_gets_an_empty_mapping(editor):
    set_text(editor, "a:\n  load_data: {path: x}")
    add(editor, "noop")
    assert get_text(editor) == "a:\n  load_data: {path: x}\n\nnoop:\n  noop: {}\n"
    assert cursor(editor) == {"line": 5, "column": len("  noop: {}") + 1}


def test_into_an_empty_document(editor):
    set_text(editor, "")
    add(editor, "noop")
    assert get_text(editor) == "noop:\n  noop: {}\n"


def with_split_task(page):
    page.evaluate(
        "Harness.swap({tasks: {...Harness.initial.tasks, split: {outputs: [],"
        " inputs: [{name: 'text', type: 'string', required: true}]}}})"
    )
    page.evaluate(
        "document.querySelector('.palette').insertAdjacentHTML('beforeend',"
        " '<button type=button class=palette-insert data-task=split>Add split</button>')"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n  t: {}\n", "a:\n  t: {}\n\nsplit:\n  split:\n    text: text\n"),
        ("a:\n  t: {}", "a:\n  t: {}\n\nsplit:\n  split:\n    text: text\n"),
        ("a:\n  t: {}\n\n\n", "a:\n  t: {}\n\n\nsplit:\n  split:\n    text: text\n"),
        ("# steps\n", "# steps\n\nsplit:\n  split:\n    text: text\n"),
        ("", "split:\n  split:\n    text: text\n"),
    ],
)
def test_the_document_ends_with_a_newline_and_typing_replaces_the_placeholder(
    editor, text, expected
):
    with_split_task(editor)
    set_text(editor, text)
    focus(editor, line=1)  # wherever the cursor was, the entry goes at the end
    add(editor, "split")
    assert get_text(editor) == expected
    assert selection_text(editor) == "text"
    editor.keyboard.type("$x")
    assert get_text(editor) == expected.replace("text: text", "text: $x")
    editor.keyboard.press("Tab")
    assert editor.locator(".cm-snippetField").count() == 0
    assert cursor(editor)["line"] == expected.count("\n")


def test_under_a_graph_wrapper_and_with_the_documents_indentation(editor):
    set_text(editor, "graph:\n    a:\n        noop: {}\n\n")
    add(editor, "train_model")
    assert get_text(editor) == (
        "graph:\n    a:\n        noop: {}\n\n"
        "    train_model:\n        train_model:\n"
        "            data: data\n            epochs: epochs\n"
    )
    assert selection_text(editor) == "data"


def test_artifact_output(editor):
    before = get_text(editor, ARTIFACT)
    add(editor, "save")
    assert get_text(editor, ARTIFACT) == before + (
        "\nsave:\n  contents: step\n  task:\n    name: save\n    args: {}\n"
    )
    assert selection_text(editor, ARTIFACT) == "step"
    editor.keyboard.type("$train.model")
    assert get_text(editor, ARTIFACT).endswith(
        "\nsave:\n  contents: $train.model\n  task:\n    name: save\n    args: {}\n"
    )


def test_insert_is_one_undo_away(editor):
    before = get_text(editor)
    add(editor, "noop")
    focus(editor)
    editor.keyboard.press("Control+z")
    assert get_text(editor) == before


def test_palette_does_nothing_in_a_readonly_editor(open_harness):
    page = open_harness("?readonly")
    before = get_text(page)
    add(page, "noop")
    assert get_text(page) == before
