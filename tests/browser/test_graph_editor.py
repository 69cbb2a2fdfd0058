"""The graph editor in Chromium: each operation from the graph view changes the YAML exactly (the
comment survives), the graph follows, and undo takes it back."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor import open_editor, sign_in
from tests.entrypoints.factories import make_entrypoint, make_hello_plugin
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRAPH = """\
# greet twice; keep this comment
message:
  hello_world:
    greeting: $greeting
    name: $name
shout:
  hello_world:
    greeting: $message
    name: $name
"""


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def hello(lab, writer):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    return make_entrypoint(lab, "hello", user=writer, task_graph=GRAPH, plugins=[plugin])


def text(page) -> str:
    return page.evaluate("EntrypointEditor.getText('taskGraph')")


def wait_for_text(page, expected: str) -> None:
    """The editor shows ``expected`` (the answer to an operation has been applied)."""
    page.wait_for_function("t => EntrypointEditor.getText('taskGraph') === t", arg=expected)


def node(page, step):
    return page.locator(f'#graph-panel g.node.step[data-step="{step}"]')


def open_page(page, live_server, hello, writer):
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    page.locator(".graph-card").scroll_into_view_if_needed()


def test_rename_from_the_graph_then_undo(page, live_server, hello, writer):
    open_page(page, live_server, hello, writer)
    node(page, "message").click()
    panel = page.locator("#graph-actions")
    expect(panel.locator("h2")).to_have_text("Step message")
    panel.get_by_text("Rename", exact=True).first.click()
    panel.locator('input[name="g-name"]').fill("greeting_text")
    panel.get_by_role("button", name="Rename").click()
    expected = GRAPH.replace("message:", "greeting_text:").replace("$message", "$greeting_text")
    expect(panel.locator("h2")).to_have_text("Step greeting_text")
    assert text(page) == expected
    expect(node(page, "greeting_text")).to_be_visible()  # the graph follows after validation
    expect(page.locator("#verdict-chip")).to_have_text("Valid")
    page.locator(".cm-content").first.click()
    page.keyboard.press("Control+z")
    assert text(page) == GRAPH  # one undo step, shared with typing


def test_drag_a_parameter_onto_a_step_to_connect_it(page, live_server, hello, writer):
    open_page(page, live_server, hello, writer)
    source = page.locator('#graph-panel g.node.param[data-param="greeting"]').bounding_box()
    target = node(page, "shout").bounding_box()
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(source["x"] + 30, source["y"] + 40, steps=4)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=6)
    expect(page.locator("#graph-panel .drag-line")).to_have_count(1)
    expect(node(page, "shout")).to_have_class("node step drop-target")
    page.mouse.up()
    panel = page.locator("#graph-actions")
    expect(panel.locator('select[name="g-source"]')).to_have_value("$greeting")
    panel.locator('select[name="g-input"]').select_option("greeting")
    panel.get_by_role("button", name="Connect", exact=True).click()
    expect(panel.locator("h2")).to_have_text("Step shout")
    wait_for_text(page, GRAPH.replace("greeting: $message", "greeting: $greeting"))


def test_delete_from_the_keyboard_leaves_a_marked_placeholder(page, live_server, hello, writer):
    open_page(page, live_server, hello, writer)
    node(page, "message").focus()
    page.keyboard.press("Delete")
    panel = page.locator("#graph-actions")
    expect(panel.locator(".breaks")).to_contain_text("step `shout` uses `$message`")
    expect(panel.locator("#confirm-delete-step")).to_be_focused()
    page.keyboard.press("Enter")
    expect(node(page, "message")).to_have_count(0)
    assert text(page) == (
        "# greet twice; keep this comment\n"
        'shout:\n  hello_world:\n    greeting: "$?"\n    name: $name\n'
    )
    expect(page.locator(".issue.error")).to_contain_text("not connected yet")
    page.wait_for_function("() => EntrypointEditor.markers('taskGraph').length === 1")


def test_drop_a_task_from_the_palette_onto_a_step_to_add_one_after_it(
    page, live_server, hello, writer
):
    page.set_viewport_size({"width": 1400, "height": 2400})  # the palette and the graph in view
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, hello)
    page.locator('[data-drag-task="hello_world"] .sig').hover()
    page.mouse.down()
    node(page, "message").hover(position={"x": 20, "y": 20})
    node(page, "message").hover(position={"x": 30, "y": 30})
    page.mouse.up()
    panel = page.locator("#graph-actions")
    expect(panel.locator("h2")).to_have_text("Step hello_world")
    assert text(page) == GRAPH.replace(
        "    name: $name\nshout:",
        "    name: $name\nhello_world:\n  hello_world:\n"
        '    greeting: $message\n    name: "$?"\nshout:',
    )
    expect(node(page, "hello_world")).to_be_visible()


def test_dependencies_from_the_panel(page, live_server, hello, writer):
    open_page(page, live_server, hello, writer)
    node(page, "shout").focus()
    page.keyboard.press("d")
    panel = page.locator("#graph-actions")
    expect(panel.locator('select[name="g-on"]')).to_be_focused()
    panel.get_by_role("button", name="Add dependency").click()
    expect(panel.locator(".dependency")).to_contain_text("after message")
    assert text(page) == GRAPH + "  dependencies: [message]\n"
    panel.get_by_role("button", name="Remove the dependency on message").click()
    expect(panel.locator(".dependency")).to_have_count(0)
    assert text(page) == GRAPH


def test_readers_get_no_graph_editing(page, live_server, hello, lab):
    reader = make_user("reader", lab="read")
    sign_in(page.context, live_server, reader)
    open_editor(page, live_server, hello)
    node(page, "message").click()
    expect(page.locator("#graph-actions")).to_have_count(0)
