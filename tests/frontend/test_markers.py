"""Markers land where the engine says, with columns counted in code points."""

import pytest

from tests.frontend.driver import (
    ARTIFACT,
    focus,
    get_text,
    issue,
    markers,
    set_text,
    swap,
    textarea_value,
)

pytestmark = pytest.mark.browser

TEXT = (
    "plain:\n"
    "  task: {x: $ascii}\n"
    "accent:\n"
    "  tâche: {é: $réf}\n"
    "中文:\n"
    "  任务: [中😀, $中文]\n"
    "emoji😀:\n"
    "  t😀sk: {😀: $x😀y, z: $after}\n"
)


CASES = [(2, "$ascii"), (4, "$réf"), (6, "$中文"), (8, "$x😀y"), (8, "$after"), (7, "emoji😀")]


def test_marker_covers_the_issue_range(editor):
    set_text(editor, TEXT)
    for line, needle in CASES:  # one page for all cases: each answer replaces the markers
        swap(editor, issues=[issue(TEXT, line, needle)])
        [marker] = markers(editor)
        assert (marker["text"], marker["line"], marker["severity"]) == (needle, line, "error")
        assert marker["message"] == f"E_TEST: about {needle}"


def test_markers_are_painted_with_code_and_message(editor):
    set_text(editor, TEXT)
    swap(
        editor,
        issues=[
            issue(TEXT, 8, "$x😀y", code="E_REF_UNRESOLVABLE"),
            issue(TEXT, 4, "tâche", severity="warning", code="W_X"),
        ],
    )
    assert editor.locator(".cm-lintRange-error").all_inner_texts() == ["$x😀y"]
    assert editor.locator(".cm-lintRange-warning").inner_text() == "tâche"
    assert editor.locator(".cm-gutter-lint .cm-lint-marker-error").count() == 1
    editor.locator(".cm-lintRange-error").hover()
    tooltip = editor.locator(".cm-tooltip-lint")
    tooltip.wait_for()
    assert "E_REF_UNRESOLVABLE: about $x😀y" in tooltip.inner_text()


def test_text_loaded_with_crlf(editor):
    crlf = "a:\r\n  t: {k: $é😀}\r\n\r\nb:\r\n  t: {k: $bad}\r\n"
    set_text(editor, crlf)
    swap(editor, issues=[issue(crlf, 5, "$bad"), issue(crlf, 2, "$é😀")])
    assert sorted((m["line"], m["text"]) for m in markers(editor)) == [(2, "$é😀"), (5, "$bad")]
    assert get_text(editor) == textarea_value(editor) == crlf.replace("\r\n", "\n")


def test_empty_ranges_widen_to_one_code_point_or_sit_at_the_line_end(editor):
    set_text(editor, TEXT)
    emoji = issue(TEXT, 8, "😀: ", length=0)
    end = issue(TEXT, 2, "}", length=0)
    end["column"] = end["endColumn"] = len("  task: {x: $ascii}") + 1
    swap(editor, issues=[emoji, end])
    found = sorted((m["line"], m["column"], m["text"]) for m in markers(editor))
    assert found == [(2, 20, ""), (8, emoji["column"], "😀")]


def test_positions_beyond_the_text_are_clamped(editor):
    set_text(editor, "a: 1\n")
    far = {**issue("a: 1\n", 1, "1"), "line": 40, "column": 3, "endLine": 41, "endColumn": 9}
    long = {**issue("a: 1\n", 1, "1"), "endColumn": 99}
    swap(editor, issues=[far, long])
    assert sorted((m["line"], m["column"], m["text"]) for m in markers(editor)) == [
        (1, 4, "1"),
        (2, 1, ""),
    ]


def test_issues_go_to_their_editor_and_context_issues_to_none(editor):
    artifact_text = get_text(editor, ARTIFACT)
    swap(
        editor,
        issues=[
            issue(artifact_text, 4, "save", source=ARTIFACT),
            {**issue("x", 1, "x"), "source": "context", "line": None, "column": None},
            {**issue("x", 1, "x"), "source": "document"},
        ],
    )
    assert markers(editor) == []
    assert [m["text"] for m in markers(editor, ARTIFACT)] == ["save"]


def test_a_new_answer_replaces_the_markers(editor):
    set_text(editor, TEXT)
    swap(editor, issues=[issue(TEXT, 2, "$ascii"), issue(TEXT, 4, "$réf")])
    assert len(markers(editor)) == 2
    swap(editor, issues=[])
    assert markers(editor) == []
    assert editor.locator(".cm-lintRange").count() == 0


def test_text_typed_while_the_request_was_out_is_mapped_over(editor):
    """The answer is for the text the request carried; what was typed since shifts it."""
    set_text(editor, TEXT)
    editor.evaluate("Harness.beforeRequest()")
    focus(editor, line=8, column=1)
    editor.keyboard.type("  ")  # two spaces at the start of line 8, after the request left
    reported = issue(TEXT, 8, "$x😀y")
    swap(editor, issues=[reported])
    [marker] = markers(editor)
    assert (marker["text"], marker["column"]) == ("$x😀y", reported["column"] + 2)


def test_an_unchanged_answer_is_not_applied_again(editor):
    """A swap elsewhere (no new #editor-state) must not re-apply stale positions."""
    set_text(editor, TEXT)
    swap(editor, issues=[issue(TEXT, 2, "$ascii")])
    focus(editor, line=2, column=1)
    editor.keyboard.type("    ")
    editor.evaluate("document.dispatchEvent(new CustomEvent('htmx:afterSettle'))")
    assert [m["text"] for m in markers(editor)] == ["$ascii"]


def test_the_initial_state_is_applied_on_load(editor):
    assert [(m["line"], m["text"], m["severity"]) for m in markers(editor)] == [
        (9, "evaluate", "warning")
    ]
