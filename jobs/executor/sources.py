"""`PluginSource`s from frozen data, for the worker building a `JobSpec` (the child never
imports this): a pinned plugin snapshot's manifest, and the builtin artifact tasks plugin."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from entrypoints.context import ARTIFACTS, FUNCTIONS, plugin_module

from .spec import PluginSource

# The builtin artifact tasks, shipped as the plugin files in jobs/builtin_artifacts/.
BUILTIN_ARTIFACTS_PLUGIN = "builtin_artifacts"
BUILTIN_ARTIFACTS_DIR = Path(__file__).resolve().parents[1] / "builtin_artifacts"
# Each task with the parameter type of the value its deserialize returns (its one output).
BUILTIN_ARTIFACT_TASKS = {
    "StringArtifactTask": "string",
    "BytesArtifactTask": "any",
    "FileArtifactTask": "any",
    "DirectoryArtifactTask": "any",
    "NumpyArrayArtifactTask": "any",
    "NumpyArraysArtifactTask": "any",
    "PickleArtifactTask": "any",
    "DataframeArtifactTask": "any",
}
BUILTIN_ARTIFACTS_FILE = "artifacts.py"


def plugin_source(name: str, manifest: Mapping[str, Any]) -> PluginSource:
    """A plugin snapshot as the child installs it: every file of its manifest, and each declared
    function and artifact task as `module.path:name` in its package."""
    source = PluginSource(name=name, files={})
    for plugin_file in manifest.get("files", []):
        filename = plugin_file["filename"]
        source.files[filename] = plugin_file["contents"]
        declared = plugin_file.get("tasks") or {}
        for kind, targets in ((FUNCTIONS, source.tasks), (ARTIFACTS, source.artifact_tasks)):
            for task in declared.get(kind) or []:
                targets.setdefault(task["name"], f"{plugin_module(filename)}:{task['name']}")
    return source


def builtin_artifacts_files() -> dict[str, str]:
    """The builtin artifact plugin's files: filename -> contents."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(BUILTIN_ARTIFACTS_DIR.glob("*.py"))
    }


def builtin_artifacts_source() -> PluginSource:
    """The builtin artifact tasks as an artifact plugin of a job."""
    return PluginSource(
        name=BUILTIN_ARTIFACTS_PLUGIN,
        files=builtin_artifacts_files(),
        artifact_tasks={
            task: f"{plugin_module(BUILTIN_ARTIFACTS_FILE)}:{task}"
            for task in BUILTIN_ARTIFACT_TASKS
        },
    )
