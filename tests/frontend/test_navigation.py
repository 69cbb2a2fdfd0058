"""Issue list and graph clicks move the cursor; moving the cursor tells the graph its step."""

import pytest

from tests.frontend.driver import cursor, focus, set_text

pytestmark = pytest.mark.browser

COLLECT_STEPS = """() => { window.steps = [];
  document.addEventListener('editor-step', (e) => steps.push(e.detail.step)); }"""


def has_focus(page, source="taskGraph"):
    return page.evaluate("s => EntrypointEditor.views.get(s).hasFocus", source)


def test_clicking_an_issue_puts_the_cursor_there(editor):
    set_text(editor, "a:\n  b: {é😀: $x}\n")
    editor.evaluate(
        """Harness.swap({issues: [{source: 'taskGraph', severity: 'error', code: 'E_X',
            message: 'm', line: 2, column: 10, endLine: 2, endColumn: 12, path: []}]})"""
    )
    editor.click(".issue[data-line='2']")
    assert cursor(editor) == {"line": 2, "column": 10}
    assert has_focus(editor)


def test_enter_on_an_issue_puts_the_cursor_there(editor):
    editor.locator(".issue[data-line='9']").focus()
    editor.keyboard.press("Enter")
    assert cursor(editor) == {"line": 9, "column": 3}
    assert has_focus(editor)


def test_an_issue_without_position_does_nothing(editor):
    focus(editor, line=2, column=2)
    editor.click(".issue:not([data-line])")
    assert cursor(editor) == {"line": 2, "column": 2}


def test_clicking_a_graph_node_moves_the_cursor_to_the_step_key(editor):
    editor.click("g.node[data-step='évaluer']")
    assert cursor(editor) == {"line": 8, "column": 1}
    assert has_focus(editor)


def test_graph_select_finds_the_step_by_name_when_lines_moved(editor):
    focus(editor, line=1)
    editor.keyboard.type("# a comment\n")
    editor.evaluate(
        """document.dispatchEvent(new CustomEvent('graph-select',
            {detail: {source: 'taskGraph', line: 4, step: 'train'}}))"""
    )
    assert cursor(editor) == {"line": 5, "column": 1}


def test_graph_select_goes_to_the_first_non_space_of_the_line(editor):
    set_text(editor, "graph:\n  a:\n    noop: {}\n")
    editor.evaluate(
        """document.dispatchEvent(new CustomEvent('graph-select',
            {detail: {source: 'taskGraph', line: 3, step: null}}))"""
    )
    assert cursor(editor) == {"line": 3, "column": 5}


def test_moving_the_cursor_announces_the_step(editor):
    editor.evaluate(COLLECT_STEPS)
    focus(editor, line=6, column=3)
    focus(editor, line=7, column=3)  # same step: no new event
    focus(editor, line=10, column=1)
    focus(editor, line=1, column=1)
    assert editor.evaluate("steps") == ["train", "évaluer", "load"]
    selected = editor.locator("g.node.selected")
    assert selected.count() == 1 and selected.get_attribute("data-step") == "load"


def test_the_artifact_editor_does_not_announce_steps(editor):
    editor.evaluate(COLLECT_STEPS)
    focus(editor, "artifactGraph", line=3)
    assert editor.evaluate("steps") == []


def test_the_step_is_read_from_the_current_text_before_the_answer_comes(editor):
    focus(editor, line=1, column=1)
    # `load` moves to line 4, where the last answer still has `train`.
    editor.keyboard.type("# one\n# two\n# three\n")
    editor.evaluate(COLLECT_STEPS)
    focus(editor, line=5, column=1)
    focus(editor, line=7, column=1)
    assert editor.evaluate("steps") == ["train"]
    focus(editor, line=4, column=3)
    assert editor.evaluate("steps") == ["train", "load"]


def test_text_without_block_steps_uses_the_answers_step_lines(editor):
    set_text(editor, "{a: {noop: {}},\n b: {noop: {}}}\n")
    focus(editor, line=2, column=2)
    editor.evaluate(COLLECT_STEPS)
    editor.evaluate(
        """Harness.swap({steps: [{name: 'a', task: 'noop', line: 1, outputs: []},
                             {name: 'b', task: 'noop', line: 2, outputs: []}]})"""
    )
    assert editor.evaluate("steps") == ["b"]
