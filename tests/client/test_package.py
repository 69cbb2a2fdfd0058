"""The client is a package of its own: installable alone, importing neither Django nor the app."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from entrypoints_client import APIError, Client, File
from entrypoints_client.errors import format_issue

CLIENT_DIR = Path(__file__).resolve().parents[2] / "client"


def test_its_metadata_names_one_dependency():
    project = tomllib.loads((CLIENT_DIR / "pyproject.toml").read_text())["project"]
    assert project["name"] == "entrypoints-client"
    assert [d.split(">")[0].split("<")[0] for d in project["dependencies"]] == ["requests"]


def test_importing_and_using_it_loads_no_django(tmp_path):
    """Run from an empty folder with only ``client/`` on the path: the app is not importable."""
    script = """
import json, sys
import entrypoints_client
client = entrypoints_client.Client("http://127.0.0.1:1")
try:
    client.entrypoints.get()
except entrypoints_client.APIError as error:
    status = error.status
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"status": status, "loaded": loaded}))
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(CLIENT_DIR), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["status"] is None  # nothing listens on port 1: a connection error
    foreign = {"django", "rest_framework", "entrypoints", "plugins_app", "access", "core", "yaml"}
    assert not foreign & set(answer["loaded"])
    assert "requests" in answer["loaded"]


def test_the_address_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ENTRYPOINTS_API_URL", "http://example.test:8000/")
    monkeypatch.setenv("ENTRYPOINTS_API_TOKEN", "abc")
    client = Client()
    assert client.url == "http://example.test:8000/api/v1"
    assert client.token == "abc"
    assert Client("http://h/api/v1", token="k").url == "http://h/api/v1"
    monkeypatch.delenv("ENTRYPOINTS_API_URL")
    with pytest.raises(ValueError, match="ENTRYPOINTS_API_URL"):
        Client()


def test_api_error_reads_every_error_shape():
    fields = APIError("Bad Request", status=400, body={"name": ["This field may not be blank."]})
    assert fields.status == fields.status_code == 400
    assert fields.field_errors == {"name": ["This field may not be blank."]}
    assert fields.message == "name: This field may not be blank."
    detail = APIError("Not Found", status=404, body={"detail": "Not found."})
    assert (detail.message, detail.field_errors, detail.issues) == ("Not found.", {}, [])
    issue = {"code": "E_UNKNOWN_TASK", "severity": "error", "message": "no task", "line": 2}
    issues = APIError(
        "x", status=400, body={"detail": "invalid", "issues": [issue | {"column": 3}]}
    )
    assert issues.issues[0]["code"] == "E_UNKNOWN_TASK"
    assert "2:3: error E_UNKNOWN_TASK: no task" in str(issues)
    assert format_issue({"code": "C", "message": "m"}) == "error C: m"
    plain = APIError("Bad Gateway", status=502, text="<html>")
    assert plain.message == "Bad Gateway" and plain.body is None


@pytest.mark.parametrize("name", ["/abs.py", "../up.py", "a/../b.py", "a//b.py", "a\\b.py", ""])
def test_upload_names_are_relative_paths(name):
    with pytest.raises(ValueError):
        File(name, None)
