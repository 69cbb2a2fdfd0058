"""A job's page in Chromium: open while the job is queued, it follows the real worker's run to the
end without a reload (status, graph colours, log, metric, artifact); and its buttons (cancel,
rerun) work through htmx."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jobs import services
from jobs.models import Job
from tests.browser.test_editor import sign_in
from tests.factories import make_user
from tests.jobs.factories import HELLO, SAVE_MESSAGE, make_job, strings
from tests.jobs.test_worker import queue_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


def test_the_page_follows_the_run_live_from_queued_to_finished(page, live_server, lab, writer):
    builtins = services.builtin_artifacts_install(user=None, group=lab)
    job = queue_job(
        lab,
        HELLO,
        strings("greeting", "name", greeting="Hello"),
        user=writer,
        values={"name": "Ada"},
        artifact_graph=SAVE_MESSAGE,
        artifact_plugins=[builtins],
    )
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator("#job-actions .status-chip")).to_have_text("queued")
    expect(page.locator('.node.step.state-pending[data-step="message"]')).to_be_visible()
    expect(page.locator("#log-list")).to_contain_text("Nothing logged yet.")
    page.evaluate("window.stillTheSamePage = true")

    call_command("runworker", batch=True, verbosity=0)  # the real worker, in this process

    expect(page.locator("#job-actions .status-chip")).to_have_text("finished", timeout=15_000)
    step = page.locator('.node.step.state-finished[data-step="message"]')
    expect(step).to_be_visible()
    expect(step.locator("text.note")).to_have_text(r"✓ " + _seconds(job, "message"))
    expect(
        page.locator('.node.artifact-output.state-finished[data-artifact-output="saved"]')
    ).to_be_visible()
    log = page.locator("#log-list .log-line .msg")
    expect(log).to_have_text(["said Hello, Ada!", "loud message='HELLO, ADA!'", "Hello, Ada!"])
    expect(page.locator("#log-list .log-empty")).to_be_hidden()
    expect(page.locator("#job-metrics figcaption")).to_contain_text("length 11 at step 1")
    expect(page.locator("#job-artifacts")).to_contain_text("saved")
    expect(page.locator("#reset-job")).to_be_visible()
    expect(page.locator("#cancel-job")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload: htmx swapped the parts
    poll = page.locator("#job-poll")
    expect(poll).not_to_have_attribute("hx-trigger", "every 1500ms")  # the job ended: no polls


def _seconds(job, step: str) -> str:
    from jobs.page_data import format_seconds

    return format_seconds(job.steps.get(name=step).seconds)


def test_cancel_then_rerun_from_the_buttons(page, live_server, lab, writer):
    job = make_job(lab, user=writer)
    sign_in(page.context, live_server, writer)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#cancel-job").click()
    expect(page.locator("#job-actions .status-chip")).to_have_text("cancelled")
    expect(page.locator("#job-run")).to_contain_text("Cancelled by writer.")
    expect(page.locator("#cancel-job")).to_have_count(0)

    page.locator("#rerun-job").click()
    page.wait_for_url(f"{live_server.url}/jobs/{job.pk + 1}/")
    new = Job.objects.get(rerun_of=job)
    expect(page.locator("h1")).to_contain_text(f"Job #{new.pk}")
    expect(page.locator(".flash.ok")).to_contain_text(f"Job {new.pk} runs job {job.pk}'s")
    expect(page.locator("#job-actions .status-chip")).to_have_text("queued")
