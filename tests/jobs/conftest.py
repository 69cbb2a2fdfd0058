import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Artifacts go to a folder of the test's own, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_processes(settings):
    """``start(*args, **env)`` starts a ``manage.py runworker`` process on the test database
    (PostgreSQL only: an in-memory SQLite database is this process's alone); killed at the end
    if still running."""
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they share with the test (PostgreSQL)")
    db = django_settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    started = []

    def start(*args, **env):
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", *args, "--verbosity", "0"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "JOB_HEARTBEAT_SECONDS": "0.2",
                **env,
            },
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
