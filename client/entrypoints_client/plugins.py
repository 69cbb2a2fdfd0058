"""``/plugins`` and their files (``/plugins/{id}/files``), each with snapshots and tags."""

from __future__ import annotations

from typing import Any

from .base import (
    Paged,
    SnapshotsSubCollection,
    SubCollection,
    TagsSubCollection,
    list_params,
    without_none,
)
from .resources import GroupOwnedCollection


def _file_body(
    filename: str,
    contents: str,
    function_tasks: list[dict[str, Any]] | None,
    artifact_tasks: list[dict[str, Any]] | None,
    description: str | None,
) -> dict[str, Any]:
    tasks = without_none(functions=function_tasks, artifacts=artifact_tasks)
    return {
        "filename": filename,
        "contents": contents,
        "tasks": tasks,
        **without_none(description=description),
    }


class PluginFilesSubCollection(Paged, SubCollection):
    """The files (Python modules) of a plugin; each change writes a new plugin snapshot.

    Task declarations: ``{"name", "inputParams": [{"name", "parameterType": <type id>,
    "required"}], "outputParams": [{"name", "parameterType": <type id>}]}``.
    """

    name = "files"

    def __init__(self, session, root: str) -> None:
        super().__init__(session, root)
        self.snapshots = SnapshotsSubCollection(session, root, parents=(self.name,))
        self.tags = TagsSubCollection(session, root, parents=(self.name,))

    def get(
        self,
        plugin_id: int | str,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = list_params(
            index, page_length, sort_by=sort_by, descending=descending, search=search
        )
        return self._call("get", (plugin_id,), params=params)

    def get_by_id(self, plugin_id: str | int, plugin_file_id: str | int) -> Any:
        return self._call("get", (plugin_id,), plugin_file_id)

    def create(
        self,
        plugin_id: str | int,
        filename: str,
        contents: str,
        function_tasks: list[dict[str, Any]] | None = None,
        artifact_tasks: list[dict[str, Any]] | None = None,
        description: str | None = None,
    ) -> Any:
        body = _file_body(filename, contents, function_tasks, artifact_tasks, description)
        return self._call("post", (plugin_id,), json=body)

    def modify_by_id(
        self,
        plugin_id: str | int,
        plugin_file_id: str | int,
        filename: str,
        contents: str,
        function_tasks: list[dict[str, Any]] | None = None,
        artifact_tasks: list[dict[str, Any]] | None = None,
        description: str | None = None,
    ) -> Any:
        body = _file_body(filename, contents, function_tasks, artifact_tasks, description)
        return self._call("put", (plugin_id,), plugin_file_id, json=body)

    def delete_by_id(self, plugin_id: str | int, plugin_file_id: str | int) -> Any:
        return self._call("delete", (plugin_id,), plugin_file_id)

    def delete_all(self, plugin_id: str | int) -> Any:
        return self._call("delete", (plugin_id,))


class PluginsCollection(GroupOwnedCollection):
    name = "plugins"

    def __init__(self, session) -> None:
        super().__init__(session)
        self.files = PluginFilesSubCollection(session, self.name)

    def get(
        self,
        group_id: int | None = None,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        return super().get(group_id, index, page_length, sort_by, descending, search)

    def get_by_id(self, plugin_id: str | int) -> Any:
        return self._call("get", plugin_id)

    def create(self, group_id: int, name: str, description: str | None = None) -> Any:
        return self._create(group_id, name, description=description)

    def modify_by_id(self, plugin_id: str | int, name: str, description: str | None) -> Any:
        return self._modify(plugin_id, name, description=description)

    def delete_by_id(self, plugin_id: str | int) -> Any:
        return self._delete(plugin_id)
