"""NIST Dioptra's own Python client against a live server, in both client generations.

``client_flow.py`` runs in a subprocess (the two clients are both called ``dioptra``, so each
needs its own ``PYTHONPATH``) against pytest-django's ``live_server``:

- 1.2.x is installed in the venv (``pip install --no-deps dioptra-platform==1.2.2``);
- 1.1.0 is installed beside it in ``.venv/dioptra-client-1.1.0``
  (``pip install --no-deps --target``); both come from ``make install``.

A client that cannot be imported fails the test: this suite is the proof of compatibility.

The flow's jobs run on django-tasks-db's worker (the loop of ``manage.py db_worker --batch``) in
a thread of this process, since the test database is this process's; requests and worker
batches take turns (``serialized_requests``), as the server thread shares SQLite's in-memory
test database connection.
"""

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from tests.factories import PASSWORD, make_user

FLOW = Path(__file__).with_name("client_flow.py")
ROOT = Path(__file__).resolve().parents[2]
CLIENT_1_1_DIR = "dioptra-client-1.1.0"
INSTALL_HINT = (
    "Dioptra's client {version} is not importable; `make install` installs it "
    "(see the $(STAMP) recipe in the Makefile)."
)


def client_1_1_path() -> Path:
    """Where ``make install`` put the 1.1.0 client (``DIOPTRA_CLIENT_1_1_PATH`` overrides)."""
    if override := os.environ.get("DIOPTRA_CLIENT_1_1_PATH"):
        return Path(override)
    for venv in (Path(sys.prefix), ROOT / ".venv"):
        if (venv / CLIENT_1_1_DIR / "dioptra" / "client").is_dir():
            return venv / CLIENT_1_1_DIR
    return Path(sys.prefix) / CLIENT_1_1_DIR


# client -> (the version it must report, the PYTHONPATH that imports it: "" = the venv's own)
CLIENTS = {
    "1.1.0": ("1.1.0", lambda: str(client_1_1_path())),
    "1.2.x": ("1.2.", lambda: ""),
}


def client_env(pythonpath: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_python(args: list[str], env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def imported_client(env: dict) -> tuple[str, str]:
    """(version, file) of the ``dioptra.client`` that ``env`` imports."""
    probe = run_python(
        [
            "-c",
            "import dioptra.client, dioptra.client.__version__ as v;"
            "print(v.__version__); print(dioptra.client.__file__)",
        ],
        env,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    version, file = probe.stdout.split()
    return version, file


@pytest.fixture
def foreign_objects(db):
    """An entrypoint, queue and plugin of a group the flow's user does not belong to."""
    from entrypoints.services import entrypoint_create
    from jobs.services import queue_create
    from plugins_app.services import plugin_create

    olga = make_user("olga", elsewhere="write")
    group = olga.memberships.get(group__name="elsewhere").group
    return {
        "--foreign-entrypoint": entrypoint_create(
            user=olga, group=group, name="olgas_entrypoint", task_graph=""
        ).pk,
        "--foreign-queue": queue_create(user=olga, group=group, name="olgas_queue").pk,
        "--foreign-plugin": plugin_create(user=olga, group=group, name="olgas_plugin").pk,
        "--foreign-group": group.pk,
    }


@pytest.fixture
def serialized_requests(monkeypatch) -> threading.Lock:
    """A lock every request of the live server holds while it is handled."""
    lock = threading.Lock()
    handle = WSGIHandler.__call__

    def serialized(self, environ, start_response):
        with lock:
            return handle(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", serialized)
    return lock


@contextmanager
def db_worker(lock: threading.Lock):
    """django-tasks-db's worker in batch mode, run again and again (holding ``lock``) in a
    thread until the block ends."""
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    stopped = threading.Event()
    errors = []

    def work():
        for alias, conn in shared.items():
            connections[alias] = conn
        try:
            while not stopped.is_set():
                with lock:
                    Worker(
                        queue_names=["*"],
                        interval=0,
                        batch=True,
                        backend_name="default",
                        startup_delay=False,
                        max_tasks=None,
                        worker_id="compat-worker",
                        excluded_queue_names=[],
                    ).run()
                stopped.wait(0.1)
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            if not shared:
                connections.close_all()

    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = threading.Thread(target=work, name="compat-db-worker")
    thread.start()
    try:
        yield errors
    finally:
        stopped.set()
        thread.join()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.mark.parametrize("version", list(CLIENTS))
@pytest.mark.django_db(transaction=True)
def test_dioptra_client_flow(
    version, live_server, settings, foreign_objects, serialized_requests, tmp_path
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("alice")  # every user writes in the group "public"
    wanted, pythonpath = CLIENTS[version]
    env = client_env(pythonpath())
    try:
        found, file = imported_client(env)
    except AssertionError as error:
        pytest.fail(f"{INSTALL_HINT.format(version=version)}\n{error}")
    assert found.startswith(wanted), (
        f"PYTHONPATH={env.get('PYTHONPATH', '')!r} imports dioptra.client {found} from {file}; "
        f"{INSTALL_HINT.format(version=version)}"
    )

    args = [str(FLOW), live_server.url, "alice", PASSWORD]
    for option, value in foreign_objects.items():
        args += [option, str(value)]
    with db_worker(serialized_requests) as worker_errors:
        flow = run_python(args, env)
    assert not worker_errors, worker_errors

    output = flow.stdout + flow.stderr
    assert flow.returncode == 0, f"dioptra.client {found} ({file}):\n{output}"
    assert f"OK dioptra.client {found}" in flow.stdout, output
