"""Typing, the form's copy of the text, saving with the keyboard, read-only editors, the guard."""

import pytest

from tests.frontend.driver import ARTIFACT, focus, get_text, set_text, textarea_value

pytestmark = pytest.mark.browser

COUNT_CHANGES = """() => { window.changes = [];
  document.getElementById('entrypoint-form').addEventListener('editor-change',
    (e) => changes.push(e.target.name)); }"""


def test_the_textarea_holds_the_text_exactly_as_typed(editor):
    set_text(editor, "")
    focus(editor)
    editor.keyboard.type("name: é 中 😀  ")
    editor.keyboard.insert_text("\n\n  tail:   \n\n")
    expected = "name: é 中 😀  \n\n  tail:   \n\n"
    assert get_text(editor) == expected
    assert textarea_value(editor) == expected


def test_the_textarea_starts_with_newline_line_endings(editor):
    assert textarea_value(editor) == get_text(editor)
    assert "\r" not in textarea_value(editor)
    assert textarea_value(editor, ARTIFACT).startswith("saved_model:\n  contents: $train.model\n")


def test_typing_fires_editor_change_on_the_textarea(editor):
    editor.evaluate(COUNT_CHANGES)
    focus(editor, ARTIFACT, line=1)
    editor.keyboard.type("ab")
    assert editor.evaluate("changes") == ["artifact_graph", "artifact_graph"]
    focus(editor, line=1)
    editor.keyboard.press("Backspace")  # nothing before the cursor: no change
    editor.keyboard.press("Delete")
    assert editor.evaluate("changes") == ["artifact_graph", "artifact_graph", "task_graph"]


def test_ctrl_or_cmd_s_clicks_the_save_button(editor):
    focus(editor)
    editor.keyboard.press("Control+s")
    editor.locator("#id_name").focus()
    editor.keyboard.press("Control+s")
    editor.keyboard.press("Meta+s")
    assert editor.evaluate("window.saves") == 3
    editor.evaluate("document.getElementById('save-button').disabled = true")
    editor.keyboard.press("Control+s")
    assert editor.evaluate("window.saves") == 3
    assert get_text(editor).startswith("load:")  # the key did not type into the editor


def test_readonly_editors_refuse_typing_but_can_be_read_with_the_keyboard(open_harness):
    page = open_harness("?readonly")
    before = get_text(page)
    page.locator(".code-editor[data-source=taskGraph] .cm-content").focus()
    page.keyboard.type("xyz")
    page.keyboard.press("Enter")
    assert get_text(page) == before == textarea_value(page)
    content = page.locator(".code-editor[data-source=taskGraph] .cm-content")
    assert content.get_attribute("contenteditable") == "false"
    assert content.get_attribute("aria-readonly") == "true"
    page.keyboard.press("Control+f")  # search still works
    page.locator(".cm-search input[name=search]").wait_for()


def test_each_editor_is_labelled_by_its_label(editor):
    labels = editor.locator(".cm-content").evaluate_all("els => els.map(e => e.ariaLabel)")
    assert labels == ["Task graph", "Artifact output graph"]


def test_tab_indents_and_escape_then_tab_leaves_the_editor(editor):
    set_text(editor, "a:")
    focus(editor, line=1, column=3)
    editor.keyboard.press("Enter")
    before_tab = get_text(editor)
    editor.keyboard.press("Tab")
    assert get_text(editor) == before_tab + "  "
    assert editor.evaluate("EntrypointEditor.views.get('taskGraph').hasFocus")
    editor.keyboard.press("Escape")
    editor.keyboard.press("Tab")
    assert not editor.evaluate("EntrypointEditor.views.get('taskGraph').hasFocus")


BEFORE_UNLOAD = """() => { const e = new Event('beforeunload', {cancelable: true});
  window.dispatchEvent(e); return e.defaultPrevented; }"""


def test_beforeunload_warns_only_while_dirty(editor):
    assert editor.evaluate(BEFORE_UNLOAD) is False
    focus(editor, line=1)
    editor.keyboard.type("x")
    assert editor.evaluate(BEFORE_UNLOAD) is True
    editor.evaluate(
        "document.body.dispatchEvent(new CustomEvent('entrypoint-saved', {bubbles: true}))"
    )
    assert editor.evaluate(BEFORE_UNLOAD) is False
    editor.locator("#id_name").fill("renamed")
    assert editor.evaluate(BEFORE_UNLOAD) is True


def test_mark_clean_drops_the_dirty_state(editor):
    focus(editor, line=1)
    editor.keyboard.type("x")
    assert editor.evaluate(BEFORE_UNLOAD) is True
    editor.evaluate("EntrypointEditor.markClean()")
    assert editor.evaluate("EntrypointEditor.isDirty()") is False
    assert editor.evaluate(BEFORE_UNLOAD) is False


def test_searching_does_not_make_the_page_dirty(editor):
    focus(editor)
    editor.keyboard.press("Control+f")
    editor.locator(".cm-search input[name=search]").fill("train")
    assert editor.evaluate("EntrypointEditor.isDirty()") is False


def test_the_browser_asks_before_leaving_unsaved_changes(harness_page, harness_url):
    page = harness_page.context.new_page()
    page.goto(harness_url)
    page.wait_for_function("window.EntrypointEditor && EntrypointEditor.views.size === 2")
    focus(page, line=1)
    page.keyboard.type("x")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    assert not page.is_closed()
    page.evaluate(
        "document.body.dispatchEvent(new CustomEvent('entrypoint-saved', {bubbles: true}))"
    )
    with page.expect_event("close"):
        page.close(run_before_unload=True)


SWAP_EDITOR = """([source, language, text]) => {
  const old = document.querySelector(`.code-editor[data-source=${source}]`);
  const html = `<div class="code-editor" data-source="${source}" data-language="${language}">
    <textarea name="${source}" data-codemirror></textarea></div>`;
  const holder = old ?? document.getElementById('entrypoint-form').appendChild(
    document.createElement('div'));
  holder.outerHTML = html;
  const fresh = document.querySelector(`.code-editor[data-source=${source}]`);
  fresh.querySelector('textarea').value = text;
  fresh.dispatchEvent(new CustomEvent('htmx:load', {bubbles: true}));
}"""


def test_an_editor_swapped_in_by_htmx_is_upgraded_once(editor):
    editor.evaluate(SWAP_EDITOR, ["taskGraph", "yaml", "fresh:\n  noop: {}\n"])
    assert get_text(editor) == "fresh:\n  noop: {}\n"
    assert editor.locator(".code-editor[data-source=taskGraph] .cm-editor").count() == 1
    editor.evaluate("document.dispatchEvent(new CustomEvent('htmx:load'))")
    assert editor.locator(".cm-editor").count() == 2
    editor.evaluate(SWAP_EDITOR, ["pluginCode", "python", "def f(x):\n    return x\n"])
    assert editor.evaluate("EntrypointEditor.views.size") == 3
    assert get_text(editor, "pluginCode") == "def f(x):\n    return x\n"
