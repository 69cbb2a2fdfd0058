"""The editor's live validation as a person sees it, in headless Chromium: from the request leaving
(htmx's ``beforeRequest``) to the answer arriving (``afterRequest``) and to the markers painted
(editor.js's ``editor-state-applied``, one animation frame after applying the answer), for 5, 50
and 200 chained steps, each with an unknown task on every step (one marker per step).

Runs Django's development server on a throwaway SQLite database and Debian's Chromium. Target:
markers painted within 50 ms after the answer arrives.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.bench_api import _setup_django
from benchmarks.bench_editor import chain

SIZES = (5, 50, 200)
REPEAT = 15
CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent

MEASURE = """async ([text, repeat]) => {
    const form = document.getElementById("entrypoint-form");
    const times = [];
    for (let i = 0; i < repeat; i++) {
        const round = await new Promise((resolve) => {
            let left, arrived;
            const start = () => { left = performance.now(); };
            const answer = () => { arrived = performance.now(); };
            const painted = (event) => {
                form.removeEventListener("htmx:beforeRequest", start);
                form.removeEventListener("htmx:afterRequest", answer);
                document.removeEventListener("editor-state-applied", painted);
                resolve([arrived - left, event.detail.paintedAt - arrived]);
            };
            form.addEventListener("htmx:beforeRequest", start);
            form.addEventListener("htmx:afterRequest", answer);
            document.addEventListener("editor-state-applied", painted);
            EntrypointEditor.setText("taskGraph", text + "# edit " + i + "\\n");
        });
        times.push(round);
    }
    return times;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _populate() -> list[tuple[int, str]]:
    from django.contrib.auth import get_user_model

    from access.services import group_create, membership_set
    from entrypoints import services
    from plugins_app import services as plugin_services
    from plugins_app.models import PluginParameterType

    user = get_user_model().objects.create_user(username="bench", password="bench-password-1")
    group = group_create(name="bench")
    membership_set(group=group, user=user, role="write")
    any_type = PluginParameterType.objects.get(group=group, name="any", deleted_on__isnull=True)
    plugin = plugin_services.plugin_create(user=user, group=group, name="work")
    param = {"name": "value", "parameterType": any_type.pk, "required": True}
    plugin_services.plugin_file_create(
        user=user,
        plugin=plugin,
        filename="tasks.py",
        contents="def work(value):\n    return value\n",
        tasks={"functions": [{"name": "work", "inputParams": [param], "outputParams": []}]},
    )
    made = []
    for steps in SIZES:
        text = chain(steps).replace("  work:\n", "  wrok:\n")  # every step: E_UNKNOWN_TASK
        entrypoint = services.entrypoint_create(
            user=user,
            group=group,
            name=f"chain{steps}",
            task_graph=text,
            plugins=[plugin],
            parameters=[{"name": "seed", "parameterType": "string", "defaultValue": "x"}],
        )
        made.append((entrypoint.pk, text))
    return made


def main() -> None:
    if not os.path.exists(CHROMIUM):
        print(f"skipped: {CHROMIUM} is not installed (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as directory:
        _setup_django(directory)
        made = _populate()
        port = _free_port()
        # As in production: DEBUG off, static files collected (hashed names, WhiteNoise).
        env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": f"{directory}/static"}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--no-first-run",
                    ],
                )
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", "bench")
                page.fill("input[name=password]", "bench-password-1")
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                print(f"{'steps':>6} {'request -> answer ms':>21} {'answer -> painted ms':>21}")
                for (pk, text), steps in zip(made, SIZES, strict=True):
                    page.goto(f"{base}/entrypoints/{pk}/")
                    page.wait_for_function("() => window.EntrypointEditor?.views.size === 2")
                    rounds = page.evaluate(MEASURE, [text, REPEAT])
                    answer = statistics.median(r[0] for r in rounds)
                    painted = statistics.median(r[1] for r in rounds)
                    print(f"{steps:>6} {answer:>21.1f} {painted:>21.1f}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
