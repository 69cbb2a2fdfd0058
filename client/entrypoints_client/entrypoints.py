"""``/entrypoints`` with its plugins, artifact plugins, queues, tags and snapshots."""

from __future__ import annotations

from typing import Any

from .base import SnapshotsSubCollection, SubCollection, without_none
from .resources import GroupOwnedCollection


class EntrypointPluginsSubCollection(SubCollection):
    """The plugins an entrypoint pins; ``create`` attaches (or syncs to their latest)."""

    name = "plugins"
    field = "plugins"

    def get(self, entrypoint_id: int | str) -> Any:
        return self._call("get", (entrypoint_id,))

    def get_by_id(self, entrypoint_id: str | int, plugin_id: str | int) -> Any:
        return self._call("get", (entrypoint_id,), plugin_id)

    def create(self, entrypoint_id: str | int, plugin_ids: list[int]) -> Any:
        return self._call("post", (entrypoint_id,), json={self.field: plugin_ids})

    def delete_by_id(self, entrypoint_id: str | int, plugin_id: str | int) -> Any:
        return self._call("delete", (entrypoint_id,), plugin_id)


class EntrypointArtifactPluginsSubCollection(EntrypointPluginsSubCollection):
    """The plugins whose artifact tasks an entrypoint's artifact graph may use."""

    name = "artifactPlugins"
    field = "artifactPlugins"

    def get_by_id(self, entrypoint_id: str | int, artifact_plugin_id: str | int) -> Any:
        return super().get_by_id(entrypoint_id, artifact_plugin_id)

    def create(self, entrypoint_id: str | int, artifact_plugin_ids: list[int]) -> Any:
        return super().create(entrypoint_id, artifact_plugin_ids)

    def delete_by_id(self, entrypoint_id: str | int, artifact_plugin_id: str | int) -> Any:
        return super().delete_by_id(entrypoint_id, artifact_plugin_id)


class IdsSubCollection(SubCollection):
    """A list of related ids (``{ids: [...]}``): ``create`` appends, ``modify_by_id``
    replaces, ``delete`` clears, ``delete_by_id`` removes one."""

    def get(self, resource_id: int | str) -> Any:
        return self._call("get", (resource_id,))

    def create(self, resource_id: str | int, ids: list[int]) -> Any:
        return self._call("post", (resource_id,), json={"ids": ids})

    def modify_by_id(self, resource_id: str | int, ids: list[int]) -> Any:
        return self._call("put", (resource_id,), json={"ids": ids})

    def delete(self, resource_id: str | int) -> Any:
        return self._call("delete", (resource_id,))

    def delete_by_id(self, resource_id: str | int, related_id: str | int) -> Any:
        return self._call("delete", (resource_id,), related_id)


class EntrypointQueuesSubCollection(IdsSubCollection):
    name = "queues"

    def get(self, entrypoint_id: int | str) -> Any:
        return super().get(entrypoint_id)

    def create(self, entrypoint_id: str | int, queue_ids: list[int]) -> Any:
        return super().create(entrypoint_id, queue_ids)

    def modify_by_id(self, entrypoint_id: str | int, queue_ids: list[int]) -> Any:
        return super().modify_by_id(entrypoint_id, queue_ids)

    def delete(self, entrypoint_id: str | int) -> Any:
        return super().delete(entrypoint_id)

    def delete_by_id(self, entrypoint_id: str | int, queue_id: str | int) -> Any:
        return super().delete_by_id(entrypoint_id, queue_id)


class EntrypointSnapshotsSubCollection(SnapshotsSubCollection):
    """Every version of an entrypoint, with the document each one runs."""

    def get_config(
        self,
        entrypoint_id: str | int,
        entrypoint_snapshot_id: str | int,
        swap_parameters: dict[str, str] | None = None,
        sections: list[str] | None = None,
        partial: bool = False,
    ) -> Any:
        """The full task-graph document built for that snapshot (what a job of it runs).

        ``swap_parameters``, ``sections`` and ``partial`` are Dioptra's; they are sent as
        Dioptra sends them, and a server without swaps ignores them.
        """
        params: dict[str, Any] = {"partial": str(partial)}
        for swap, alias in (swap_parameters or {}).items():
            params[f"swaps[{swap}]"] = alias
        if sections:
            params["sections"] = ",".join(sections)
        return self._call("get", (entrypoint_id,), entrypoint_snapshot_id, "config", params=params)

    def get_artifact_plugins(
        self, entrypoint_id: str | int, entrypoint_snapshot_id: str | int
    ) -> Any:
        return self._call("get", (entrypoint_id,), entrypoint_snapshot_id, "artifactPlugins")


class EntrypointsCollection(GroupOwnedCollection):
    """Entrypoints: task graphs with parameters, pinned plugins, queues and tags.

    Every read carries ``valid`` and ``issues``: the engine's verdict on that snapshot.
    """

    name = "entrypoints"
    snapshots_class = EntrypointSnapshotsSubCollection

    def __init__(self, session) -> None:
        super().__init__(session)
        self.plugins = EntrypointPluginsSubCollection(session, self.name)
        self.artifact_plugins = EntrypointArtifactPluginsSubCollection(session, self.name)
        self.queues = EntrypointQueuesSubCollection(session, self.name)

    def get_by_id(self, entrypoint_id: str | int) -> Any:
        return self._call("get", entrypoint_id)

    def create(
        self,
        group_id: int,
        name: str,
        task_graph: str,
        artifact_graph: str | None = None,
        description: str | None = None,
        parameters: list[dict[str, Any]] | None = None,
        artifact_parameters: list[dict[str, Any]] | None = None,
        queues: list[int] | None = None,
        plugins: list[int] | None = None,
        artifact_plugins: list[int] | None = None,
        validate_only: bool = False,
    ) -> Any:
        """Create an entrypoint; its plugins are pinned to their latest snapshots.

        With ``validate_only`` nothing is stored: the answer is the entrypoint it would be.
        """
        body = without_none(
            group=group_id,
            name=name,
            taskGraph=task_graph,
            artifactGraph=artifact_graph,
            description=description,
            parameters=parameters,
            artifactParameters=artifact_parameters,
            queues=queues,
            plugins=plugins,
            artifactPlugins=artifact_plugins,
        )
        return self._call("post", params={"validateOnly": validate_only}, json=body)

    def modify_by_id(
        self,
        entrypoint_id: str | int,
        name: str,
        task_graph: str,
        artifact_graph: str | None,
        description: str | None,
        parameters: list[dict[str, Any]] | None,
        artifact_parameters: list[dict[str, Any]] | None,
        queues: list[int] | None,
        plugin_snapshot_ids: list[int] | None = None,
        artifact_plugin_snapshot_ids: list[int] | None = None,
        validate_only: bool = False,
    ) -> Any:
        """Replace the entrypoint (a new snapshot); omitted lists are cleared.

        ``plugin_snapshot_ids`` / ``artifact_plugin_snapshot_ids`` (required by Dioptra 1.2's
        client, optional here) choose the pinned snapshots; left out, the plugins stay as they
        are attached.
        """
        body = without_none(
            name=name,
            taskGraph=task_graph,
            artifactGraph=artifact_graph,
            description=description,
            parameters=parameters,
            artifactParameters=artifact_parameters,
            queues=queues,
            pluginSnapshotIds=plugin_snapshot_ids,
            artifactPluginSnapshotIds=artifact_plugin_snapshot_ids,
        )
        return self._call("put", entrypoint_id, params={"validateOnly": validate_only}, json=body)

    def delete_by_id(self, entrypoint_id: str | int) -> Any:
        return self._delete(entrypoint_id)
