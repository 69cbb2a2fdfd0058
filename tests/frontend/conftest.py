"""The static editor harness (tests/frontend/harness.html) served from the repository root."""

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import django_htmx
import pytest

ROOT = Path(__file__).resolve().parents[2]


HTMX = Path(django_htmx.__file__).parent / "static" / "django_htmx" / "htmx-2.min.js"


def validation_fragment(task_graph: str) -> str:
    """What the server's validation answer looks like: one error per `$bad`, columns counted in
    code points as the engine does (Python indexes strings by code point)."""
    issues = []
    for number, line in enumerate(task_graph.splitlines(), start=1):
        start = line.find("$bad")
        while start >= 0:
            issues.append(
                {
                    "source": "taskGraph",
                    "severity": "error",
                    "code": "E_REF_UNRESOLVABLE",
                    "message": "`$bad` names no step or parameter.",
                    "line": number,
                    "column": start + 1,
                    "endLine": number,
                    "endColumn": start + 5,
                    "path": [],
                }
            )
            start = line.find("$bad", start + 1)
    state = json.dumps({"issues": issues, "echo": task_graph}).replace("<", "\\u003c")
    items = "".join(
        f'<li class="issue" data-source="taskGraph" data-line="{i["line"]}"'
        f' data-column="{i["column"]}" tabindex="0">{i["code"]}</li>'
        for i in issues
    )
    return f'<script type="application/json" id="editor-state">{state}</script><ul>{items}</ul>'


class HarnessHandler(SimpleHTTPRequestHandler):
    """Static files from the repository root, htmx at /_htmx.js, and POST /validate."""

    def do_GET(self):
        if self.path == "/_htmx.js":
            self.reply(HTMX.read_bytes(), "text/javascript")
        else:
            super().do_GET()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        form = parse_qs(body, keep_blank_values=True)
        self.reply(validation_fragment(form["task_graph"][0]).encode(), "text/html; charset=utf-8")

    def reply(self, content: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="session")
def harness_url():
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(HarnessHandler, directory=ROOT)
    )
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
