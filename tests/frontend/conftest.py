"""The static editor harness (tests/frontend/harness.html) served from the repository root."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="session")
def harness_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=ROOT))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tests/frontend/harness.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def harness_page(browser):
    """One page for all harness tests (a new browser context per test costs more than the test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def open_harness(harness_page, harness_url):
    """``open_harness("?readonly")`` -> the page, freshly loaded, both editors upgraded.

    A JavaScript error on the page fails the test.
    """
    page = harness_page
    page.js_errors.clear()
    page.emulate_media(color_scheme="light")

    def open_(query: str = ""):
        page.goto(harness_url + query)
        page.wait_for_function("window.EntrypointEditor && EntrypointEditor.views.size === 2")
        return page

    yield open_
    assert page.js_errors == []


@pytest.fixture
def editor(open_harness):
    return open_harness()
