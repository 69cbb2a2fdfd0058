"""The admin in Debian's Chromium against the live server: staff edit an entrypoint in the
editor page's CodeMirror editor with its live markers and parameter table, are warned when they
save something that cannot run, and read the history's diff."""

import re

import pytest
from playwright.sync_api import expect

from entrypoints.models import Entrypoint
from tests.browser.test_editor import TASK_GRAPH, marker_lines, sign_in
from tests.entrypoints.factories import make_entrypoint, make_hello_plugin
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(lab):
    user = make_user("staffer", lab="write")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def hello(lab, staff):
    return make_entrypoint(lab, "hello", user=staff, plugins=[make_hello_plugin(lab, "hello")])


def open_change_page(page, live_server, entrypoint):
    page.goto(f"{live_server.url}/admin/entrypoints/entrypoint/{entrypoint.pk}/change/")
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")


def type_at(page, line: int, column: int, *, delete: int, text: str) -> None:
    """Put the cursor at (line, column) of the task graph, delete backwards and type."""
    page.click(f"{TASK_GRAPH} .cm-content")
    page.evaluate("([l, c]) => EntrypointEditor.setCursor('taskGraph', l, c)", [line, column])
    for _ in range(delete):
        page.keyboard.press("Backspace")
    page.keyboard.type(text)


def test_a_broken_reference_is_marked_live_and_saving_it_warns(live_server, page, staff, hello):
    sign_in(page.context, live_server, staff)
    open_change_page(page, live_server, hello)
    expect(page.locator("#diagnostics")).to_contain_text("No problems found.")

    type_at(page, 4, 16, delete=4, text="nobody")  # "    name: $name" -> "$nobody"
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_text("$nobody")
    assert marker_lines(page) == {4: ["$nobody"]}
    issue = page.locator("#diagnostics .issue.error")
    expect(issue).to_contain_text("E_REF_UNRESOLVABLE")
    expect(issue).to_contain_text("4:11")

    page.click('input[name="_continue"]')
    warning = page.locator(".messagelist .warning")
    expect(warning).to_have_text(
        "The entrypoint \u201chello\u201d was saved, but it has 1 error: it cannot run until fixed."
    )
    expect(page.locator(".messagelist .success")).to_have_count(0)
    assert Entrypoint.objects.get(pk=hello.pk).valid is False
    # The page opens again on what was saved, its verdict on top.
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_text("$nobody")


def test_a_parameter_added_in_the_table_resolves_the_marker(live_server, page, staff, hello):
    sign_in(page.context, live_server, staff)
    open_change_page(page, live_server, hello)
    type_at(page, 4, 16, delete=4, text="who")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_text("$who")

    page.click("#add-param")
    row = page.locator("#param-rows tr").nth(2)
    row.locator('input[aria-label="Parameter name"]').fill("who")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_count(0)
    expect(page.locator("#diagnostics")).to_contain_text("No problems found.")

    page.click('input[name="_save"]')
    expect(page.locator(".messagelist .success")).to_contain_text("changed successfully")
    saved = Entrypoint.objects.get(pk=hello.pk)
    assert saved.valid and [p["name"] for p in saved.parameters] == ["greeting", "name", "who"]


def test_the_history_shows_what_changed_and_the_diff(live_server, page, staff, hello):
    sign_in(page.context, live_server, staff)
    open_change_page(page, live_server, hello)
    type_at(page, 4, 16, delete=4, text="nobody")
    expect(page.locator(f"{TASK_GRAPH} .cm-lintRange-error")).to_have_count(1)
    page.click('input[name="_continue"]')
    expect(page.locator(".messagelist .warning")).to_be_visible()

    page.click("a.historylink")
    newest = page.locator("#change-history tbody tr").first
    expect(newest.locator(".change-summary")).to_contain_text("changed step message")
    newest.get_by_text("Task graph: the lines that changed").click()
    changed = newest.locator("table.diff tr.changed")
    expect(changed.locator("td.old")).to_have_text("    name: $name")
    expect(changed.locator("td.new")).to_have_text("    name: $nobody")

    newest.locator("th a").click()
    expect(page.locator(".snapshot-changes h2")).to_contain_text("changed step message")
    expect(page.locator(".snapshot-changes table.diff tr.changed td.new")).to_have_text(
        "    name: $nobody"
    )
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")
    read_only = page.locator(f"{TASK_GRAPH} .cm-editor")
    expect(read_only).to_have_class(re.compile(r"\bcm-readonly\b"))


def test_a_plugin_file_opens_in_the_python_editor(live_server, page, staff, lab):
    sign_in(page.context, live_server, staff)
    plugin_file = make_hello_plugin(lab, "greetings", user=staff).files.get()
    page.goto(f"{live_server.url}/admin/plugins_app/pluginfile/{plugin_file.pk}/change/")
    editor = page.locator('.code-editor[data-language="python"] .cm-editor')
    expect(editor).to_be_visible()
    expect(editor.locator(".cm-content")).to_contain_text("def hello_world(")
