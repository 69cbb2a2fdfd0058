"""``/workflows``: validate a proposed entrypoint, analyse plugin code, import resources."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any, Literal

from .base import Collection, without_none
from .files import File, select_files_in_directory

BAD_SOURCE = (
    "source is a git URL (str), an archive (File or a .tar.gz Path), a list of File, or a "
    "folder (Path); got {kind}."
)


class WorkflowsCollection(Collection):
    name = "workflows"

    def validate_entrypoint(
        self,
        group_id: int,
        task_graph: str,
        plugin_snapshots: list[int],
        entrypoint_parameters: list[dict[str, Any]],
        artifact_graph: str | None = None,
        artifact_plugin_snapshots: list[int] | None = None,
        artifact_parameters: list[dict[str, Any]] | None = None,
    ) -> Any:
        """The engine's verdict on a proposed entrypoint, stored nowhere:
        ``{"schemaValid": bool, "schemaIssues": [issue, ...]}``.

        The first four arguments are Dioptra 1.1's; the artifact graph, artifact plugin
        snapshots and artifact parameters are checked too when given.
        """
        body = {
            "group": group_id,
            "taskGraph": task_graph,
            "pluginSnapshots": plugin_snapshots,
            "parameters": entrypoint_parameters,
            **without_none(
                artifactGraph=artifact_graph,
                artifactPluginSnapshots=artifact_plugin_snapshots,
                artifacts=artifact_parameters,
            ),
        }
        return self._call("post", "validateEntrypoint", json=body)

    def export_resources(
        self,
        group_id: int,
        path: str | Path,
        entrypoint_ids: list[int] | None = None,
    ) -> Path:
        """Download a .tar.gz of entrypoints (default: all of the group's resources) in
        Dioptra's import format, to ``path`` (a folder: under the server's file name)."""
        params = {"groupId": group_id, **without_none(entrypoints=entrypoint_ids)}
        return self._session.download(self.name, "resourceExport", path=Path(path), params=params)

    def analyze_plugin_task_signatures(self, python_code: str) -> Any:
        """The tasks found in Python code, with their inferred input and output types."""
        return self._call("post", "pluginTaskSignatureAnalysis", json={"pythonCode": python_code})

    def import_resources(
        self,
        group_id: int,
        source: str | Path | File | list[File],
        config_path: str | None = None,
        resolve_name_conflicts_strategy: Literal["fail", "update", "overwrite"] | None = None,
    ) -> Any:
        """Import plugins, parameter types and entrypoints described by a ``dioptra.toml``.

        ``source``: a git URL (``str``, ``#ref`` selects a branch, tag or commit), an archive
        (a ``File`` or the ``Path`` of a ``.tar.gz``), files (a list of ``File`` named by their
        paths in the folder) or a folder (a ``Path``: all its files). All or nothing: the
        answer lists what was created or updated, a failure changes nothing.
        """
        data: dict[str, Any] = {
            "group": str(group_id),
            **without_none(
                configPath=config_path, resolveNameConflictsStrategy=resolve_name_conflicts_strategy
            ),
        }
        with ExitStack() as opened:
            files: dict[str, File | list[File]] = {}
            if isinstance(source, Path):
                if source.is_dir():
                    source = select_files_in_directory(source, recursive=True)
                    for file in source:
                        opened.callback(file.stream.close)
                else:
                    source = File(source.name, opened.enter_context(source.open("rb")))
            if isinstance(source, str):
                data.update(sourceType="git", gitUrl=source)
            elif isinstance(source, File):
                data["sourceType"] = "upload_archive"
                files["archiveFile"] = source
            elif isinstance(source, list) and all(isinstance(f, File) for f in source):
                data["sourceType"] = "upload_files"
                files["files"] = source
            else:
                raise TypeError(BAD_SOURCE.format(kind=type(source).__name__))
            return self._call("post", "resourceImport", data=data, files=files)
