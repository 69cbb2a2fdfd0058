"""The run page in Debian's Chromium: from the editor's Run button to the job's page."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from tests.browser.test_editor import open_editor, sign_in
from tests.entrypoints.factories import HELLO_PARAMETERS, make_entrypoint
from tests.factories import make_user
from tests.jobs.factories import make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_from_the_editor_with_the_live_check_then_land_on_the_job(live_server, page, lab):
    writer = make_user("writer", lab="write")
    queue = make_queue(lab, "gpu")
    parameters = [*HELLO_PARAMETERS, {"name": "times", "parameterType": "integer"}]
    entrypoint = make_entrypoint(lab, "hello", user=writer, queues=[queue], parameters=parameters)
    sign_in(page.context, live_server, writer)
    open_editor(page, live_server, entrypoint)
    page.click("#run-link")
    expect(page).to_have_url(re.compile(rf"/entrypoints/{entrypoint.pk}/run/$"))
    page.wait_for_load_state()  # htmx listens once the page has loaded: typing before is lost
    expect(page.locator("#run-experiment-name")).to_have_value("hello")
    expect(page.locator("#run-p0")).to_have_value("Hello")
    expect(page.locator("#run-summary")).to_contain_text("needs a value")

    page.fill("#run-p2", "twice")  # the live check answers beside the input
    expect(page.locator("#run-msg-p2")).to_contain_text("`twice` is not an integer")
    page.fill("#run-p2", "2")
    page.fill("#run-p1", "Ada")
    expect(page.locator("#run-msg-p2")).to_be_empty()
    expect(page.locator("#run-summary")).to_contain_text("Ready to run snapshot")
    page.fill("#run-description", "from the browser")
    page.click("#run-submit")

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    expect(page.locator(".messages")).to_contain_text(f"Job {job.pk} is queued on 'gpu'.")
    assert job.values == {"greeting": "Hello", "name": "Ada", "times": "2"}
    assert (job.description, job.experiment.name) == ("from the browser", "hello")
