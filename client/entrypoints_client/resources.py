"""Auth, users, groups, queues, tags and plugin parameter types (Dioptra's signatures)."""

from __future__ import annotations

from typing import Any

from .base import Collection, Paged, Versioned, list_params, without_none


class AuthCollection(Collection):
    """``/auth``: session login and logout, and API tokens."""

    name = "auth"

    def login(self, username: str, password: str) -> Any:
        return self._call("post", "login", json={"username": username, "password": password})

    def logout(self, everywhere: bool = False) -> Any:
        return self._call("post", "logout", params={"everywhere": everywhere})

    def get_token(self, username: str, password: str) -> Any:
        """``{"token": key}``: the user's API token, for ``Client(address, token=key)``."""
        return self._call("post", "token", json={"username": username, "password": password})


class UsersCollection(Paged, Collection):
    name = "users"

    def get(self, index: int = 0, page_length: int = 10, search: str | None = None) -> Any:
        return self._call("get", params=list_params(index, page_length, search=search))

    def get_by_id(self, user_id: str | int) -> Any:
        return self._call("get", user_id)

    def get_current(self) -> Any:
        """The signed-in user, with the groups they belong to."""
        return self._call("get", "current")


class GroupsCollection(Paged, Collection):
    name = "groups"

    def get(self, index: int = 0, page_length: int = 10, search: str | None = None) -> Any:
        return self._call("get", params=list_params(index, page_length, search=search))

    def get_by_id(self, group_id: str | int) -> Any:
        return self._call("get", group_id)


class GroupOwnedCollection(Paged, Versioned):
    """A versioned collection of group-owned resources: the shared list, read and delete."""

    def get(
        self,
        group_id: int | None = None,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
        show_deleted: bool | None = None,
    ) -> Any:
        params = list_params(
            index,
            page_length,
            sort_by=sort_by,
            descending=descending,
            search=search,
            group_id=group_id,
            show_deleted=show_deleted,
        )
        return self._call("get", params=params)

    def _create(self, group_id: int, name: str, **fields: Any) -> Any:
        return self._call("post", json={"group": group_id, "name": name, **without_none(**fields)})

    def _modify(self, resource_id: str | int, name: str, **fields: Any) -> Any:
        return self._call("put", resource_id, json={"name": name, **without_none(**fields)})

    def _delete(self, resource_id: str | int) -> Any:
        return self._call("delete", resource_id)


class QueuesCollection(GroupOwnedCollection):
    name = "queues"

    def get_by_id(self, queue_id: str | int) -> Any:
        return self._call("get", queue_id)

    def create(self, group_id: int, name: str, description: str | None = None) -> Any:
        return self._create(group_id, name, description=description)

    def modify_by_id(self, queue_id: str | int, name: str, description: str | None) -> Any:
        return self._modify(queue_id, name, description=description)

    def delete_by_id(self, queue_id: str | int) -> Any:
        return self._delete(queue_id)


class PluginParameterTypesCollection(GroupOwnedCollection):
    name = "pluginParameterTypes"

    def get_by_id(self, plugin_parameter_type_id: str | int) -> Any:
        return self._call("get", plugin_parameter_type_id)

    def create(
        self,
        group_id: int,
        name: str,
        description: str | None = None,
        structure: dict[str, Any] | None = None,
    ) -> Any:
        return self._create(group_id, name, description=description, structure=structure)

    def modify_by_id(
        self,
        plugin_parameter_type_id: str | int,
        name: str,
        description: str | None,
        structure: dict[str, Any] | None,
    ) -> Any:
        return self._modify(
            plugin_parameter_type_id, name, description=description, structure=structure
        )

    def delete_by_id(self, plugin_parameter_type_id: str | int) -> Any:
        return self._delete(plugin_parameter_type_id)


class TagsCollection(Paged, Collection):
    """``/tags``: tags are not versioned; ``get_resources_for_tag`` lists what carries one."""

    name = "tags"

    def get(
        self,
        group_id: int | None = None,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = list_params(
            index,
            page_length,
            sort_by=sort_by,
            descending=descending,
            search=search,
            group_id=group_id,
        )
        return self._call("get", params=params)

    def get_by_id(self, tag_id: str | int) -> Any:
        return self._call("get", tag_id)

    def create(self, group_id: int, name: str) -> Any:
        return self._call("post", json={"group": group_id, "name": name})

    def modify_by_id(self, tag_id: str | int, name: str) -> Any:
        return self._call("put", tag_id, json={"name": name})

    def delete_by_id(self, tag_id: str | int) -> Any:
        return self._call("delete", tag_id)

    def get_resources_for_tag(
        self,
        tag_id: str | int,
        resource_type: str | None = None,
        index: int = 0,
        page_length: int = 10,
    ) -> Any:
        params = list_params(index, page_length)
        if resource_type is not None:
            params["resourceType"] = resource_type
        return self._call("get", tag_id, "resources", params=params)
