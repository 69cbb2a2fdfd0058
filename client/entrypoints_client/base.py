"""What every collection shares: paths, list queries, paging, tags and snapshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from .session import Session

# Dioptra's keyword arguments -> the API's query names.
_QUERY_NAMES = {
    "sort_by": "sortBy",
    "descending": "descending",
    "search": "search",
    "group_id": "groupId",
    "show_deleted": "showDeleted",
}
ITER_PAGE_LENGTH = 100


def without_none(**fields: Any) -> dict[str, Any]:
    """The fields that were given (Dioptra's client sends no ``None``)."""
    return {key: value for key, value in fields.items() if value is not None}


def list_params(index: int, page_length: int, **filters: Any) -> dict[str, Any]:
    """The query of a list call; filters left at ``None`` are not sent."""
    params: dict[str, Any] = {"index": index, "pageLength": page_length}
    params.update({_QUERY_NAMES[key]: value for key, value in without_none(**filters).items()})
    return params


def iter_all(list_method: Callable[..., dict], *args: Any, **kwargs: Any) -> Iterator[dict]:
    """Every item of a paged list, page after page: ``iter_all(client.jobs.get_logs_by_id, 5)``.

    ``list_method`` is any call that takes ``index`` and ``page_length`` and answers Dioptra's
    envelope (``data``, ``isComplete``); the other arguments are passed on. ``page_length``
    (default 100) sets the size of each request.
    """
    index = kwargs.pop("index", 0)
    page_length = kwargs.pop("page_length", ITER_PAGE_LENGTH)
    while True:
        page = list_method(*args, index=index, page_length=page_length, **kwargs)
        data = page.get("data") or []
        yield from data
        index += len(data)
        if page.get("isComplete", True) or not data:
            return


class Collection:
    """A top-level collection (``/entrypoints``); ``name`` is its path."""

    name: ClassVar[str]

    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def url(self) -> str:
        return self._session.build_url(self.name)

    def _call(self, method: str, *parts: Any, **kwargs: Any) -> Any:
        return self._session.request(method, self.name, *parts, **kwargs)


class Paged:
    """A collection whose ``get`` is paged: ``iter_all`` takes ``get``'s arguments, minus
    ``index``/``page_length``, and yields every item."""

    get: Callable[..., Any]

    def iter_all(self, *args: Any, **kwargs: Any) -> Iterator[dict]:
        return iter_all(self.get, *args, **kwargs)


class SubCollection:
    """A collection under resources: ``/<root>/{id}[/<parent>/{id}...]/<name>``."""

    name: ClassVar[str]

    def __init__(self, session: Session, root: str, parents: tuple[str, ...] = ()) -> None:
        self._session = session
        self._root = root
        self._parents = parents

    def _path(self, resource_ids: tuple[Any, ...]) -> list[Any]:
        if len(resource_ids) != len(self._parents) + 1:
            raise TypeError(
                f"{self._root}/.../{self.name} needs {len(self._parents) + 1} resource id(s), "
                f"got {len(resource_ids)}."
            )
        path = [self._root, resource_ids[0]]
        for parent, resource_id in zip(self._parents, resource_ids[1:], strict=True):
            path += [parent, resource_id]
        return [*path, self.name]

    def _call(self, method: str, resource_ids: tuple[Any, ...], *parts: Any, **kwargs) -> Any:
        return self._session.request(method, *self._path(resource_ids), *parts, **kwargs)


class TagsSubCollection(SubCollection):
    """``/<resource>/{id}/tags``: the tags of one resource (not versioned)."""

    name = "tags"

    def get(self, *resource_ids: str | int) -> Any:
        return self._call("get", resource_ids)

    def modify(self, *resource_ids: str | int, ids: list[int]) -> Any:
        return self._call("put", resource_ids, json={"ids": ids})

    def append(self, *resource_ids: str | int, ids: list[int]) -> Any:
        return self._call("post", resource_ids, json={"ids": ids})

    def remove(self, *resource_ids: str | int, tag_id: int) -> Any:
        return self._call("delete", resource_ids, tag_id)

    def remove_all(self, *resource_ids: str | int) -> Any:
        return self._call("delete", resource_ids)


class SnapshotsSubCollection(Paged, SubCollection):
    """``/<resource>/{id}/snapshots``: every version of one resource, oldest first."""

    name = "snapshots"

    def get(
        self,
        *resource_ids: str | int,
        index: int = 0,
        page_length: int = 10,
        search: str | None = None,
    ) -> Any:
        params = list_params(index, page_length, search=search)
        return self._call("get", resource_ids, params=params)

    def get_by_id(self, *resource_ids: str | int, snapshot_id: int) -> Any:
        return self._call("get", resource_ids, snapshot_id)


class Versioned(Collection):
    """A versioned collection: a ``snapshots`` sub-collection, and ``tags`` if ``tagged``."""

    snapshots_class: ClassVar[type[SnapshotsSubCollection]] = SnapshotsSubCollection
    tagged: ClassVar[bool] = True

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.snapshots = self.snapshots_class(session, self.name)
        if self.tagged:
            self.tags = TagsSubCollection(session, self.name)
