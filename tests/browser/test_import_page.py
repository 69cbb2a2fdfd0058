"""The import page in Debian's Chromium: a Dioptra folder picked as a folder, the report, and on
to what it created."""

import pytest
from playwright.sync_api import expect

from entrypoints.models import Entrypoint
from plugins_app.models import PluginFile
from tests.browser.test_editor import sign_in
from tests.factories import make_user
from tests.workflows.archives import EXAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_a_folder_then_open_an_entrypoint_it_created(live_server, page, lab):
    sign_in(page.context, live_server, make_user("writer", lab="write"))
    page.goto(f"{live_server.url}/entrypoints/?group={lab.pk}")
    page.get_by_role("link", name="Import from Dioptra").click()
    expect(page.locator("select[name=group]")).to_have_value(str(lab.pk))

    archive_input = page.locator("input[name=archiveFile]")
    folder_input = page.locator("input[name=files][webkitdirectory]")
    expect(archive_input).to_be_visible()
    expect(folder_input).to_be_hidden()
    page.get_by_text("Folder or files").click()
    expect(folder_input).to_be_visible()
    expect(archive_input).to_be_hidden()
    folder_input.set_input_files(EXAMPLE)
    page.evaluate("window.stayed = true")
    page.locator(".import-form").get_by_role("button", name="Import").click()

    result = page.locator("#import-result")
    expect(result).to_contain_text("Imported into group 'lab': 7 created.")
    expect(result.locator("tbody tr")).to_have_count(7)
    assert page.evaluate("window.stayed")  # answered in place, by htmx
    plugin_files = PluginFile.objects.filter(plugin__group=lab, plugin__name="greetings")
    assert set(plugin_files.values_list("filename", flat=True)) == {"tasks.py", "util/case.py"}

    result.get_by_role("link", name="Hello World").click()
    hello = Entrypoint.objects.get(group=lab, name="Hello World")
    expect(page).to_have_url(f"{live_server.url}/entrypoints/{hello.pk}/")
    expect(page.locator("input[name=name]")).to_have_value("Hello World")
    expect(page.locator("#verdict-chip")).to_contain_text("Valid")
