""" "Show History" in Chromium: open the panel, compare (also with unsaved text), restore, and
open a deep link to an old snapshot with a step selected."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor import open_editor, set_text, sign_in
from tests.entrypoints.factories import HELLO_GRAPH, make_entrypoint
from tests.entrypoints.test_history_pages import TWO_STEPS, edit, snapshot_ids
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def hello(lab, writer):
    entrypoint = make_entrypoint(lab, "hello", user=writer)
    edit(entrypoint, writer, task_graph=TWO_STEPS)
    return entrypoint


def test_compare_with_the_previous_snapshot_and_with_unsaved_text(page, live_server, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    toggle = page.locator("#history-toggle")
    toggle.click()
    panel = page.locator("#history-panel")
    expect(panel).to_be_visible()
    expect(toggle).to_have_text("Hide History")
    expect(panel.locator(".history-row")).to_have_count(2)
    expect(panel.locator(".history-row").first).to_contain_text("added step shout")

    panel.locator(".history-row").first.get_by_role("link", name="Changes").click()
    detail = page.locator("#history-detail")
    expect(detail.locator(".node.step.diff-added[data-step=shout]")).to_be_visible()
    expect(detail.locator(".diff-legend")).to_be_visible()

    set_text(page, TWO_STEPS.replace("shout:", "yell:"))
    panel.locator(".history-row").first.get_by_role("button", name="vs editor").click()
    expect(detail).to_contain_text("Your unsaved text")
    expect(detail).to_contain_text("Renamed step shout → yell")
    expect(detail.locator(".node.step.diff-renamed[data-step=yell]")).to_be_visible()

    toggle.click()
    expect(panel).to_have_count(0)
    expect(toggle).to_have_text("Show History")


def test_restore_an_old_snapshot_after_its_preview(page, live_server, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    page.locator("#history-toggle").click()
    page.locator(".history-row").last.get_by_role("link", name="Restore…").click()
    detail = page.locator("#history-detail")
    expect(detail).to_contain_text("Removed step shout")
    expect(detail.locator(".node.step.diff-removed[data-step=shout]")).to_be_visible()
    detail.locator("#confirm-restore").click()
    first = snapshot_ids(hello)[0]
    expect(page.locator(".flash.ok")).to_contain_text(f"Restored snapshot {first} as snapshot")
    assert page.evaluate("EntrypointEditor.getText('taskGraph')") == HELLO_GRAPH
    assert hello.history.count() == 3


def test_a_deep_link_opens_an_old_snapshot_with_the_step_selected(page, live_server, hello, writer):
    edit(hello, writer, task_graph=TWO_STEPS.replace("$name\n", "$greeting\n"))
    second = snapshot_ids(hello)[1]
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/entrypoints/{hello.pk}/?snapshot={second}#step=shout")
    page.wait_for_function("() => window.EntrypointEditor && EntrypointEditor.views.size === 2")
    expect(page.locator("#snapshot-banner")).to_contain_text(f"snapshot {second}")
    expect(page.locator('.node.step.selected[data-step="shout"]')).to_be_visible()
    assert page.evaluate("EntrypointEditor.cursor('taskGraph').line") == 5
    expect(page.locator(".cm-content").first).to_have_attribute("aria-readonly", "true")
    page.locator("[data-graph-zoom-in]").click()  # readers of old versions still zoom
    page.locator("#back-to-current").click()
    expect(page.locator("#snapshot-banner")).to_have_count(0)
