"""The browsable API in Chromium: an entrypoint created, edited and deleted with its HTML forms."""

import json

import pytest
from playwright.sync_api import expect

from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_entrypoint,
    make_hello_plugin,
)
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/entrypoints"
SNAPSHOT_FIELDS = {"snapshot", "snapshotCreatedOn", "lastModifiedOn"}


def without_snapshot(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in SNAPSHOT_FIELDS}


def html_form(page, method: str):
    """The "HTML form" tab of the ``method`` form, shown."""
    tab = {"POST": "#post-object-form", "PUT": "#put-object-form"}[method]
    page.click(f"a[name=html-tab][href='{tab}']")
    return page.locator(f"{tab} form")


def test_an_entrypoint_is_created_edited_and_deleted_with_the_html_forms(live_server, page, lab):
    make_user("alice", lab="write")
    plugin = make_hello_plugin(lab)
    make_entrypoint(lab, "already_there", plugins=[plugin])

    def api(path: str):
        response = page.request.get(f"{live_server.url}{path}")
        return response.status, response.json()

    def everything():
        return [api(path) for path in (f"{URL}?pageLength=100", "/api/v1/plugins?pageLength=100")]

    page.goto(f"{live_server.url}/accounts/login/?next={URL}")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{URL}")
    before = everything()

    form = html_form(page, "POST")
    form.locator("[name=name]").fill("made_in_the_browser")
    form.locator("[name=taskGraph]").fill(HELLO_GRAPH)
    form.locator("[name=parameters]").fill(json.dumps(HELLO_PARAMETERS))
    form.locator("[name=group]").select_option(str(lab.pk))
    form.locator("[name=plugins]").select_option(str(plugin.pk))
    form.get_by_role("button", name="POST").click()
    expect(page.locator(".response-info")).to_contain_text("HTTP 200 OK")
    _, listed = api(f"{URL}?search=made_in_the_browser")
    (created,) = listed["data"]
    assert created["valid"] is True, created["issues"]
    assert created["taskGraph"] == HELLO_GRAPH and created["parameters"] == HELLO_PARAMETERS
    assert [p["id"] for p in created["plugins"]] == [plugin.pk]
    detail = f"{URL}/{created['id']}"

    page.goto(f"{live_server.url}{detail}")
    form = html_form(page, "PUT")
    form.locator("[name=description]").fill("Edited\nin the browser")
    form.get_by_role("button", name="PUT").click()
    expect(page.locator(".response-info")).to_contain_text('"Edited\\nin the browser"')
    form = html_form(page, "PUT")  # the page the answer replaced, with the values written
    expect(form.locator("[name=description]")).to_have_value("Edited\nin the browser")
    _, edited = api(detail)
    assert without_snapshot(edited) == without_snapshot(created) | {
        "description": "Edited\nin the browser"
    }

    page.get_by_role("button", name="DELETE").click()
    page.locator("#deleteModal button.btn-danger").click()  # (the modal stays aria-hidden)
    expect(page.locator(".response-info")).to_contain_text('"status": "Success"')
    assert api(detail)[0] == 404
    assert everything() == before
