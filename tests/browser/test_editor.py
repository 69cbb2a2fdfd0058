"""The editor page in Debian's Chromium against the live server: markers, graph, palette,
completion, saving, conflicts and read-only access, the way a person uses them."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from entrypoints.models import Entrypoint
from tests.entrypoints.factories import HELLO_GRAPH, make_entrypoint, make_hello_plugin
from tests.factories import make_user
from tests.plugins.factories import builtin, function_task, make_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK_GRAPH = '.code-editor[data-source="taskGraph"]'


def sign_in(context, live_server, user) -> None:
    """Give the browser context a session of ``user`` (no login form round trip)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def hello(lab, writer):
    """The seed's hello world, plus a task with two outputs for ``step.output`` forms."""
    plugin = make_hello_plugin(lab, "hello", user=writer)
    string = builtin(lab, "string")
    split = function_task(
        "split", inputs=[("text", string)], outputs=[("head", string), ("tail", string)]
    )
    make_file(
        plugin,
        "more.py",
        contents="def split(text): ...\n",
        tasks={"functions": [split]},
        user=writer,
    )
    return make_entrypoint(lab, "hello", user=writer, plugins=[plugin])


def open_editor(page, live_server, entrypoint):
    page.goto(f"{live_server.url}/entrypoints/{entrypoint.pk}/")
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")


def set_text(page, text: str, source: str = "taskGraph") -> None:
    page.evaluate("([s, t]) => EntrypointEditor.setText(s, t)", [source, text])


def text_of(page, source: str = "taskGraph") -> str:
    return page.evaluate("(s) => EntrypointEditor.getText(s)", source)


def marker_lines(page) -> dict[int, list[str]]:
    """Line number -> the texts underlined as errors on that line, in the task-graph editor."""
    found = page.evaluate(
        """(selector) => {
            const view = EntrypointEditor.views.get("taskGraph");
            const out = {};
            for (const mark of document.querySelectorAll(selector + " .cm-lintRange-error")) {
                const line = view.state.doc.lineAt(view.posAtDOM(mark)).number;
                (out[line] = out[line] || []).push(mark.textContent);
            }
            return out;
        }""",
        TASK_GRAPH,
    )
    return {int(line): texts for line, texts in found.items()}


def wait_for_verdict(page, text: str) -> None:
    expect(page.locator("#verdict-chip")).to_contain_text(text)


def test_markers_appear_at_the_right_lines_and_go_when_fixed(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    wait_for_verdict(page, "Valid")
    # Typed for real: the task name is unknown, the reference names nothing.
    page.locator(f"{TASK_GRAPH} .cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("broken:\n")
    page.keyboard.type("nope:\n")  # CodeMirror indents the nested key itself
    page.keyboard.type("x: $missing")
    wait_for_verdict(page, "2 errors")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_count(2)
    lines = marker_lines(page)
    assert lines == {6: ["nope"], 7: ["$missing"]}, lines
    expect(page.locator("#diagnostics .issue.error")).to_have_count(2)
    expect(page.locator("#diagnostics")).to_contain_text("E_UNKNOWN_TASK")

    set_text(page, HELLO_GRAPH)
    wait_for_verdict(page, "Valid")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_count(0)


def test_non_ascii_text_puts_markers_at_the_right_columns(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    set_text(page, 'grüße_😀:\n  hello_world:\n    greeting: "中文 😀 é"\n    name: $nämé\n')
    wait_for_verdict(page, "1 error")
    assert marker_lines(page) == {4: ["$nämé"]}


def test_clicking_an_issue_moves_the_cursor_there(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    set_text(page, HELLO_GRAPH.replace("$name", "$nobody"))
    wait_for_verdict(page, "1 error")
    page.locator("#diagnostics .issue.error").click()
    assert page.evaluate("EntrypointEditor.cursor('taskGraph')") == {"line": 4, "column": 11}


def test_the_graph_follows_the_text_and_the_cursor(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    expect(page.locator("#graph-panel g.node.step")).to_have_count(1)
    set_text(page, HELLO_GRAPH + "parts:\n  split:\n    text: hello\n")
    expect(page.locator("#graph-panel g.node.step")).to_have_count(2)
    expect(page.locator("#graph-panel g.edge")).to_have_count(2)  # the two parameters
    set_text(page, HELLO_GRAPH + "parts:\n  split:\n    text: $message\n")
    expect(page.locator('#graph-panel g.edge[data-from="message"][data-to="parts"]')).to_have_count(
        1
    )

    page.locator('#graph-panel g.node.step[data-step="parts"]').click()
    assert page.evaluate("EntrypointEditor.cursor('taskGraph')")["line"] == 5
    set_text(page, text_of(page))  # unchanged: nothing to redraw
    page.evaluate("EntrypointEditor.views.get('taskGraph').dispatch({selection: {anchor: 3}})")
    expect(page.locator('#graph-panel g.node.step[data-step="message"]')).to_have_class(
        re.compile("selected")
    )

    set_text(page, "parts: [\n")  # does not parse: the last good graph stays, greyed
    expect(page.locator("#graph-stale-note")).to_be_visible()
    expect(page.locator("#graph-panel g.node.step")).to_have_count(2)


def test_palette_insert_then_fill_gives_a_valid_graph(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    page.locator('.palette-insert[data-task="split"]').click()
    assert text_of(page).endswith("\nsplit:\n  split:\n    text: text\n"), text_of(page)
    page.keyboard.type("$message")  # the placeholder is selected: typing replaces it
    assert text_of(page).endswith("\nsplit:\n  split:\n    text: $message\n")
    wait_for_verdict(page, "Valid")
    expect(page.locator("#graph-panel g.node.step")).to_have_count(2)


def test_dollar_completion_offers_step_outputs(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    set_text(
        page, HELLO_GRAPH + "parts:\n  split:\n    text: hi\nuse:\n  hello_world:\n    greeting: \n"
    )
    wait_for_verdict(page, "error")
    page.evaluate(
        "() => { const v = EntrypointEditor.views.get('taskGraph');"
        " v.focus(); v.dispatch({selection: {anchor: v.state.doc.length - 1}}); }"
    )
    page.keyboard.type("$")
    options = page.locator(".cm-tooltip-autocomplete li")
    expect(options.first).to_be_visible()
    labels = options.all_inner_texts()
    assert any("parts.head" in label for label in labels), labels
    assert any("greeting" in label for label in labels), labels
    assert not any(label.startswith("use") for label in labels), labels  # not the step being edited


def test_saving_with_errors_asks_first_and_ctrl_s_saves(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    set_text(page, "a:\n  nope: {}\n")
    wait_for_verdict(page, "1 error")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-status")).to_contain_text("has 1 error")
    assert Entrypoint.objects.get(pk=hello.pk).task_graph == HELLO_GRAPH
    page.locator("#confirm-save").click()
    expect(page.locator("#save-status")).to_contain_text("Saved snapshot")
    expect(page.locator("#save-status")).to_contain_text("flagged invalid")
    saved = Entrypoint.objects.get(pk=hello.pk)
    assert saved.task_graph == "a:\n  nope: {}\n" and not saved.valid
    # Nothing unsaved now: leaving does not ask.
    page.goto(f"{live_server.url}/entrypoints/")
    expect(page.locator("h1")).to_have_text("Entrypoints")


def test_unsaved_changes_guard_the_page(live_server, page, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    set_text(page, HELLO_GRAPH + "# more\n")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("() => { window.location.href = '/entrypoints/'; }")
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_a_stale_save_shows_the_conflict_panel(live_server, browser, hello, writer, lab):
    bob = make_user("bob", lab="write")
    mine, theirs = browser.new_context(), browser.new_context()
    sign_in(mine, live_server, writer)
    sign_in(theirs, live_server, bob)
    page, other = mine.new_page(), theirs.new_page()
    open_editor(page, live_server, hello)
    open_editor(other, live_server, hello)

    set_text(other, HELLO_GRAPH + "# bob's change\n")
    other.locator("#save-button").click()
    expect(other.locator("#save-status")).to_contain_text("Saved snapshot")

    set_text(page, HELLO_GRAPH.replace("$name", "$greeting"))
    wait_for_verdict(page, "Valid")
    page.locator("#save-button").click()
    panel = page.locator("#conflict-panel")
    expect(panel).to_contain_text("Someone saved this entrypoint")
    expect(panel).to_contain_text("bob")
    expect(panel).to_contain_text("# bob's change")
    page.locator("#save-on-top").click()
    expect(page.locator("#save-status")).to_contain_text("Saved snapshot")
    assert Entrypoint.objects.get(pk=hello.pk).task_graph == HELLO_GRAPH.replace(
        "$name", "$greeting"
    )
    mine.close()
    theirs.close()


def test_readers_see_the_page_read_only(live_server, page, hello, lab):
    reader = make_user("reader", lab="read")
    sign_in(page.context, live_server, reader)
    open_editor(page, live_server, hello)
    expect(page.locator(".notice")).to_contain_text("role in group")
    expect(page.locator("#save-button")).to_have_count(0)
    page.locator(f"{TASK_GRAPH} .cm-content").click()
    page.keyboard.type("zzz")
    assert text_of(page) == HELLO_GRAPH


def test_new_entrypoint_from_the_list(live_server, page, lab, writer):
    make_hello_plugin(lab, "hello", user=writer)
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="New entrypoint").click()
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")
    page.locator('input[name="name"]').fill("from the browser")
    page.get_by_label("hello").first.check()
    expect(page.locator('.palette-insert[data-task="hello_world"]')).to_be_visible()
    page.locator('.palette-insert[data-task="hello_world"]').click()
    page.keyboard.type("hi")
    page.keyboard.press("Tab")
    page.keyboard.type("you")
    wait_for_verdict(page, "Valid")
    page.locator("#save-button").click()
    page.wait_for_url(re.compile(r"/entrypoints/\d+/$"))
    created = Entrypoint.objects.get(name="from the browser")
    assert created.valid and "hello_world:\n    greeting: hi\n    name: you\n" in created.task_graph
