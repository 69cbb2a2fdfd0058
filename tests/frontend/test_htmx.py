"""The editor with real htmx 2: typing validates, the answer's markers land, fixing clears them."""

import pytest

from tests.frontend.driver import focus, get_text, markers

pytestmark = pytest.mark.browser

RECORD = """() => { window.timeline = [];
  const note = (name) => (e) => timeline.push([name, e.detail?.paintedAt ?? performance.now()]);
  document.addEventListener('htmx:beforeRequest', note('sent'));
  document.addEventListener('htmx:beforeSwap', note('answered'));
  document.addEventListener('editor-state-applied', note('painted')); }"""


def last(timeline, name):
    return [t for n, t in timeline if n == name][-1]


def test_typing_validates_and_markers_follow_the_answer(open_harness):
    page = open_harness("?htmx")
    page.wait_for_function("window.htmx")
    page.evaluate(RECORD)
    focus(page, line=11, column=999)
    page.keyboard.insert_text("\n    extra: {k: 中😀, r: $bad}")
    page.wait_for_function("EntrypointEditor.markers('taskGraph').some(m => m.text === '$bad')")
    [marker] = markers(page)  # the harness's initial warning went with the first answer
    assert (marker["line"], marker["text"]) == (12, "$bad")
    sent = page.evaluate("JSON.parse(document.getElementById('editor-state').textContent).echo")
    assert sent == get_text(page)
    timeline = page.evaluate("timeline")
    round_trip = last(timeline, "painted") - last(timeline, "sent")
    after_answer = last(timeline, "painted") - last(timeline, "answered")
    print(
        f"\nrequest to markers painted {round_trip:.1f} ms, answer to painted {after_answer:.1f} ms"
    )

    for _ in "$bad":
        page.keyboard.press("Backspace")
    page.keyboard.type("$load")
    page.wait_for_function("EntrypointEditor.markers('taskGraph').length === 0")
    assert page.locator("#diagnostics .issue").count() == 0


def test_a_request_leaving_from_inside_an_editor_update_is_fine(open_harness):
    """With `hx-trigger="editor-change"` (no delay) htmx sends from inside CodeMirror's update."""
    page = open_harness("?htmx")
    page.wait_for_function("window.htmx")
    page.evaluate(
        """() => { const form = document.getElementById('entrypoint-form');
        form.setAttribute('hx-trigger', 'editor-change'); htmx.process(form); }"""
    )
    focus(page, line=11, column=999)
    page.keyboard.insert_text("\n    extra: [$bad, 😀]")
    page.wait_for_function("EntrypointEditor.markers('taskGraph').some(m => m.text === '$bad')")
    focus(page, line=12, column=1)
    page.keyboard.type("  ")
    page.wait_for_function(
        "EntrypointEditor.markers('taskGraph').some(m => m.text === '$bad' && m.column === 15)"
    )
