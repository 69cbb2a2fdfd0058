"""The command line: `python -m entrypoints.taskgraph validate FILE... [--format json]`."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from entrypoints.taskgraph.__main__ import main

from .helpers import document

VALID = document("s:\n  load: [$location]")
INVALID = document("s:\n  load: [$locaton]")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_valid_file_exits_0(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID)
    status, output = run("validate", str(path))
    assert status == 0
    assert output.strip() == f"{path}: valid (0 errors, 0 warnings)"


def test_invalid_file_exits_1_and_lists_issues_with_positions(tmp_path):
    good, bad = tmp_path / "ok.yaml", tmp_path / "bad.yaml"
    good.write_text(VALID)
    bad.write_text(INVALID)
    status, output = run("validate", str(good), str(bad))
    assert status == 1
    line = INVALID.split("\n").index("    load: [$locaton]") + 1
    assert f"{bad}:{line}:12: error E_REF_UNRESOLVABLE: " in output
    assert f"{bad}: invalid (1 error, 0 warnings)" in output


def test_json_format(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(INVALID)
    status, output = run("validate", "--format", "json", str(bad))
    data = json.loads(output)
    assert status == 1 and data["valid"] is False
    [issue] = data["files"][0]["issues"]
    assert (
        issue["code"] == "E_REF_UNRESOLVABLE"
        and issue["type"] == "SEMANTIC"
        and "endColumn" in issue
    )


def test_unreadable_files_are_errors(tmp_path):
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    status, output = run("validate", str(tmp_path / "missing.yaml"), str(binary))
    assert status == 1
    assert "cannot read" in output


def test_artifact_task_option(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        document(
            "s:\n  load: [$location]",
            extra="artifact_outputs:\n  o:\n    contents: $s.training\n    task: {name: Saver}\n",
        )
    )
    assert run("validate", str(path), "--artifact-task", "Other")[0] == 1
    assert run("validate", str(path), "--artifact-task", "Saver")[0] == 0


def test_module_entry_point(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID)
    completed = subprocess.run(
        [sys.executable, "-m", "entrypoints.taskgraph", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "valid" in completed.stdout
