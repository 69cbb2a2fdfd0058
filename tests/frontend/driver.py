"""Drives the harness editors through ``window.EntrypointEditor`` and ``window.Harness``."""

TASK = "taskGraph"
ARTIFACT = "artifactGraph"


def get_text(page, source=TASK):
    return page.evaluate("s => EntrypointEditor.getText(s)", source)


def set_text(page, text, source=TASK):
    page.evaluate("([s, t]) => EntrypointEditor.setText(s, t)", [source, text])


def textarea_value(page, source=TASK):
    return page.evaluate(
        "s => document.querySelector(`.code-editor[data-source=${s}] textarea`).value", source
    )


def focus(page, source=TASK, line=None, column=1):
    """Focuses the editor, with the cursor at (line, column in code points) if given."""
    page.evaluate(
        "([s, l, c]) => { if (l) EntrypointEditor.setCursor(s, l, c);"
        " EntrypointEditor.views.get(s).focus(); }",
        [source, line, column],
    )


def cursor(page, source=TASK):
    return page.evaluate("s => EntrypointEditor.cursor(s)", source)


def selection_text(page, source=TASK):
    return page.evaluate(
        "s => { const {state} = EntrypointEditor.views.get(s);"
        " return state.sliceDoc(state.selection.main.from, state.selection.main.to); }",
        source,
    )


def markers(page, source=TASK):
    return page.evaluate("s => EntrypointEditor.markers(s)", source)


def swap(page, **state):
    """Simulates htmx swapping in a validation answer (merged over the harness's initial one)."""
    return page.evaluate("s => Harness.swap(s)", state)


def issue(text, line, needle, *, code="E_TEST", severity="error", source=TASK, length=None):
    """An engine issue covering ``needle`` on ``line`` (1-based) of ``text``.

    Python indexes strings by code point, exactly as the engine counts columns.
    """
    line_text = text.splitlines()[line - 1]
    start = line_text.index(needle)
    end = start + (len(needle) if length is None else length)
    return {
        "source": source,
        "severity": severity,
        "code": code,
        "message": f"about {needle}",
        "line": line,
        "column": start + 1,
        "endLine": line,
        "endColumn": end + 1,
        "path": [],
    }


def completion_labels(page):
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    return page.locator(".cm-tooltip-autocomplete .cm-completionLabel").all_inner_texts()


def accept_completion(page):
    """Enter on the selected option (CodeMirror ignores an Enter in the popup's first 75 ms)."""
    page.wait_for_timeout(100)
    page.keyboard.press("Enter")
