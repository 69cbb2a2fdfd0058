"""``Client``: every collection of the API on one session."""

from __future__ import annotations

from typing import Any

from .entrypoints import EntrypointsCollection
from .jobs import ArtifactsCollection, ExperimentsCollection, JobsCollection
from .plugins import PluginsCollection
from .resources import (
    AuthCollection,
    GroupsCollection,
    PluginParameterTypesCollection,
    QueuesCollection,
    TagsCollection,
    UsersCollection,
)
from .session import Session
from .workflows import WorkflowsCollection


class Client:
    """A client of the Entrypoints API, with the collections and methods of Dioptra's.

    ``address`` is the site's address (``http://127.0.0.1:8000``), by default
    ``$ENTRYPOINTS_API_URL``. Authenticate with ``login`` (a session) or a ``token``
    (default ``$ENTRYPOINTS_API_TOKEN``). Every method answers the API's parsed JSON and raises
    ``APIError`` when the call fails.
    """

    def __init__(
        self, address: str | None = None, *, token: str | None = None, timeout: float = 60.0
    ) -> None:
        self._session = Session(address, token=token, timeout=timeout)
        self.auth = AuthCollection(self._session)
        self.users = UsersCollection(self._session)
        self.groups = GroupsCollection(self._session)
        self.queues = QueuesCollection(self._session)
        self.tags = TagsCollection(self._session)
        self.plugin_parameter_types = PluginParameterTypesCollection(self._session)
        self.plugins = PluginsCollection(self._session)
        self.entrypoints = EntrypointsCollection(self._session)
        self.workflows = WorkflowsCollection(self._session)
        self.experiments = ExperimentsCollection(self._session)
        self.jobs = JobsCollection(self._session)
        self.artifacts = ArtifactsCollection(self._session)

    @property
    def url(self) -> str:
        """The API root every path is joined to (``.../api/v1``)."""
        return self._session.url

    @property
    def token(self) -> str | None:
        return self._session.token

    @token.setter
    def token(self, key: str | None) -> None:
        self._session.token = key

    def login(self, username: str, password: str) -> Any:
        """Start a session (the cookie is kept for every later call)."""
        return self.auth.login(username, password)

    def logout(self) -> Any:
        return self.auth.logout()

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def connect_json_dioptra_client(address: str | None = None) -> Client:
    """Dioptra's way to get a JSON client: scripts change only their import line."""
    return Client(address)
