"""Enter in the YAML editors: one level deeper after `key:`, else the line's own indentation."""

import pytest

from tests.frontend.driver import cursor, focus, get_text, set_text

pytestmark = pytest.mark.browser


def test_typing_nested_keys_at_the_end_of_the_document(editor):
    before = get_text(editor)
    assert before.endswith("\n")
    focus(editor, line=before.count("\n") + 1)
    editor.keyboard.type("broken:\nnope:\nx: $missing")
    assert get_text(editor) == before + "broken:\n  nope:\n    x: $missing"


@pytest.mark.parametrize(
    ("line", "indent"),
    [
        ("broken:", 2),
        ("  nope:  # x", 4),
        ("  nope:   ", 4),
        ('  note: "a: #b:"', 2),  # a quoted value, not a key
        ("    x: $missing", 4),
        ("    x: 1  # nope:", 4),
        ("  - a: 1", 4),
        ("  - a:", 6),
        ("  - ", 4),
        ("  -", 4),
        ("  - one", 2),
        ("  script: |", 4),
        ("    ", 4),
        ("  # a comment", 2),
        ("", 0),
    ],
)
def test_the_new_lines_indentation(editor, line, indent):
    set_text(editor, "top:\n" + line)
    focus(editor, line=2, column=len(line) + 1)
    editor.keyboard.press("Enter")
    assert cursor(editor) == {"line": 3, "column": indent + 1}
    assert get_text(editor).split("\n")[2] == " " * indent


def test_enter_in_the_middle_of_a_line_indents_what_follows(editor):
    set_text(editor, "a: b")
    focus(editor, line=1, column=3)
    editor.keyboard.press("Enter")
    assert get_text(editor) == "a:\n  b"


def test_flow_collections_keep_the_modes_indentation(editor):
    set_text(editor, "a: [1, 2]")
    focus(editor, line=1, column=10)
    editor.keyboard.press("Enter")
    assert get_text(editor) == "a: [1, 2]\n"
    set_text(editor, "a: []")
    focus(editor, line=1, column=5)
    editor.keyboard.press("Enter")
    assert get_text(editor) == "a: [\n  \n]"


def test_the_python_editor_keeps_the_python_modes_indentation(editor):
    editor.evaluate(
        """() => { const html = '<div class="code-editor" data-source="py" data-language="python">'
          + '<textarea name="py" data-codemirror></textarea></div>';
          document.getElementById('entrypoint-form').insertAdjacentHTML('beforeend', html);
          document.dispatchEvent(new CustomEvent('htmx:load')); }"""
    )
    set_text(editor, "x = f(1,", "py")
    focus(editor, "py", line=1, column=9)
    editor.keyboard.press("Enter")
    # Aligned with the argument, as the Python mode says.
    assert get_text(editor, "py") == "x = f(1,\n      "
