"""The plugin, type and group pages in Debian's Chromium against the live server, the way a
person uses them."""

import re

import pytest
from playwright.sync_api import expect

from access.models import Membership
from entrypoints.models import Entrypoint
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from tests.browser.test_editor import sign_in
from tests.entrypoints.factories import make_entrypoint, make_hello_plugin
from tests.factories import make_user
from tests.plugins.factories import make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = """def greet(name: str, times: int = 1) -> str:
    return name * times


def count(words: list[str]) -> int:
    return len(words)
"""


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


def wait_for_editors(page, count: int = 1) -> None:
    page.wait_for_function(
        f"() => window.EntrypointEditor && EntrypointEditor.views.size === {count}"
    )


def test_create_a_plugin_with_a_file_and_accept_the_suggested_tasks(live_server, page, lab, writer):
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/plugins/")
    page.get_by_role("link", name="New plugin").click()
    page.select_option("select[name=group]", label="lab")
    page.fill("input[name=name]", "words")
    page.get_by_role("button", name="Create plugin").click()
    expect(page.locator(".messages")).to_contain_text("Created plugin 'words'")
    expect(page.locator("h1")).to_have_text("words")

    page.get_by_role("link", name="Add file").first.click()
    wait_for_editors(page)
    page.fill("input[name=filename]", "tasks.py")
    page.evaluate("(code) => EntrypointEditor.setText('contents', code)", CODE)
    page.get_by_role("button", name="Suggest tasks from the code").click()
    expect(page.locator(".task-row")).to_have_count(2)
    expect(page.locator("#tasks")).to_contain_text("Found 2 tasks in the code")
    expect(page.locator("#tasks")).to_contain_text("Saving also creates the types list_str")
    # The suggestion is editable: rename the first task's output before accepting.
    page.locator('input[name="task-0-out-0-name"]').fill("greeting")
    page.locator("#save-button").click()
    expect(page.locator(".messages")).to_contain_text("Saved tasks.py")

    plugin = Plugin.objects.get(name="words", deleted_on__isnull=True)
    tasks = PluginFile.objects.get(plugin=plugin).tasks["functions"]
    assert [t["name"] for t in tasks] == ["greet", "count"]
    assert tasks[0]["outputParams"][0]["name"] == "greeting"
    assert PluginParameterType.objects.filter(group=lab, name="list_str").exists()
    page.get_by_role("link", name="words").click()
    expect(page.locator(".tasks-table")).to_contain_text("greet")
    expect(page.locator(".tasks-table")).to_contain_text("words*: list_str")


def test_a_file_edited_in_the_browser_outdates_its_entrypoints_which_sync_from_the_plugin_page(
    live_server, page, lab, writer
):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    entrypoint = make_entrypoint(lab, "greets", user=writer, plugins=[plugin])
    sign_in(page.context, live_server, writer)
    plugin_file = PluginFile.objects.get(plugin=plugin)
    page.goto(f"{live_server.url}/plugins/{plugin.pk}/files/{plugin_file.pk}/")
    wait_for_editors(page)
    page.evaluate(
        "EntrypointEditor.setText('contents', EntrypointEditor.getText('contents') + '# v2\\n')"
    )
    page.keyboard.press("Control+s")
    expect(page.locator(".messages")).to_contain_text("1 entrypoint pins an older snapshot")

    page.goto(f"{live_server.url}/entrypoints/")
    expect(page.locator("#results")).to_contain_text("outdated")
    page.goto(f"{live_server.url}/plugins/{plugin.pk}/")
    used_by = page.locator("#used-by")
    expect(used_by).to_contain_text("greets")
    expect(used_by.locator(".verdict-after")).to_contain_text("valid")
    page.get_by_role("button", name="Sync the ones that stay valid").click()
    expect(page.locator(".messages")).to_contain_text("Synced 1 entrypoint")
    expect(page.locator("#used-by")).to_contain_text("pins its latest snapshot")
    entrypoint.refresh_from_db()
    latest = plugin.history.order_by("-history_id").first().history_id
    assert entrypoint.plugin_snapshot_ids == [latest]
    assert Entrypoint.history.filter(id=entrypoint.pk).count() == 2


def test_edit_a_types_yaml_with_a_validation_error_shown(live_server, page, lab, writer):
    points = make_type(lab, "points", structure={"list": "number"})
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/types/{points.pk}/")
    wait_for_editors(page)
    page.evaluate("EntrypointEditor.setText('structure', 'list: numbr\\n')")
    check = page.locator("#type-check")
    expect(check).to_contain_text("structure.list: unknown type 'numbr'")
    expect(page.locator(".code-editor .cm-lintRange-error")).to_have_count(1)
    expect(page.locator(".code-editor .cm-lintRange-error")).to_have_text("numbr")

    page.locator("#save-button").click()  # saving anyway is refused, the text kept
    expect(page.locator("#type-check")).to_contain_text("unknown type 'numbr'")
    wait_for_editors(page)
    assert page.evaluate("EntrypointEditor.getText('structure')") == "list: numbr\n"

    page.evaluate("EntrypointEditor.setText('structure', 'tuple: [number, number]\\n')")
    expect(page.locator("#type-check")).to_contain_text("No problems found")
    page.locator("#save-button").click()
    expect(page.locator(".messages")).to_contain_text("Saved type 'points'")
    points.refresh_from_db()
    assert points.structure == {"tuple": ["number", "number"]}


def test_a_manager_adds_a_member_changes_the_role_and_removes_them(live_server, page, lab):
    manager = make_user("boss", lab="manage")
    make_user("newcomer")
    sign_in(page.context, live_server, manager)
    page.goto(f"{live_server.url}/groups/")
    page.get_by_role("link", name="lab").click()
    page.fill("input[name=username]", "newcomer")
    page.locator(".add-member select[name=role]").select_option("write")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("newcomer joined lab with the write role.")
    row = page.locator("tr", has_text="newcomer")
    row.get_by_label("Role of newcomer").select_option("manage")
    row.get_by_role("button", name="Change").click()
    expect(page.locator(".messages")).to_contain_text("newcomer now has the manage role in lab.")
    assert Membership.objects.get(group=lab, user__username="newcomer").role == "manage"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text="newcomer").get_by_role("button", name="Remove newcomer").click()
    expect(page.locator(".messages")).to_contain_text("newcomer left lab.")
    assert not Membership.objects.filter(group=lab, user__username="newcomer").exists()


def test_the_pages_read_without_javascript(live_server, browser, lab, writer):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    make_entrypoint(lab, "greets", user=writer, plugins=[plugin])
    context = browser.new_context(java_script_enabled=False)
    sign_in(context, live_server, writer)
    page = context.new_page()
    page.goto(f"{live_server.url}/plugins/")
    expect(page.get_by_role("navigation", name="Main").locator("[aria-current=page]")).to_have_text(
        "Plugins"
    )
    page.get_by_role("link", name="hello").click()
    expect(page.locator(".tasks-table")).to_contain_text("hello_world")
    page.get_by_role("link", name="tasks.py").first.click()
    expect(page.locator("textarea[name=contents]")).to_have_value(re.compile("def hello_world"))
    for section in ("Types", "Queues", "Tags", "Groups"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()
        expect(page.locator("h1")).to_contain_text(section if section != "Types" else "types")
    context.close()


def test_unsaved_changes_of_a_file_guard_the_page_until_saved(live_server, page, lab, writer):
    plugin = make_hello_plugin(lab, "hello", user=writer)
    sign_in(page.context, live_server, writer)
    page.goto(
        f"{live_server.url}/plugins/{plugin.pk}/files/{PluginFile.objects.get(plugin=plugin).pk}/"
    )
    wait_for_editors(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("EntrypointEditor.setText('contents', '# changed\\n')")
    page.get_by_role("link", name="hello").first.click()
    assert dialogs == ["beforeunload"]
    page.locator("#save-button").click()
    expect(page.locator(".messages")).to_contain_text("Saved tasks.py")
    page.get_by_role("link", name="hello").first.click()
    expect(page.locator("h1")).to_have_text("hello")
    assert dialogs == ["beforeunload"]
