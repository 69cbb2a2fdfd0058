"""A live server and a signed-in light client against it, with the seed's hello-world plugins."""

from types import SimpleNamespace

import pytest

from entrypoints_client import APIError, Client
from tests.compat.client_flow import ARTIFACTS_PY, HELLO_PY
from tests.factories import PASSWORD, make_user

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def error_of(call, *args, **kwargs) -> APIError:
    """The ``APIError`` that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(APIError) as caught:
        call(*args, **kwargs)
    return caught.value


def ids(items) -> list[int]:
    return [item["id"] for item in items]


@pytest.fixture
def site(live_server, settings, transactional_db):
    settings.PASSWORD_HASHERS = FAST_HASHER
    make_user("alice")  # a writer in "public", as every user
    return live_server.url


@pytest.fixture
def client(site):
    with Client(site) as client:
        client.login("alice", PASSWORD)
        yield client


@pytest.fixture
def group_id(client):
    return next(g["id"] for g in client.users.get_current()["groups"] if g["name"] == "public")


@pytest.fixture
def seed(client, group_id):
    """What the seed's ``hello_world`` example names: the group, the builtin ``string`` type,
    a queue, a plugin with the ``hello_world`` task and one with an artifact task."""
    types = client.plugin_parameter_types.get(group_id=group_id, search="name:string")
    string = types["data"][0]["id"]
    queue = client.queues.create(group_id, "default")
    hello = client.plugins.create(group_id, "hello_plugin")
    client.plugins.files.create(
        hello["id"],
        "tasks.py",
        HELLO_PY,
        function_tasks=[
            {
                "name": "hello_world",
                "inputParams": [
                    {"name": "greeting", "parameterType": string, "required": True},
                    {"name": "name", "parameterType": string, "required": True},
                ],
                "outputParams": [{"name": "message", "parameterType": string}],
            }
        ],
    )
    artifacts = client.plugins.create(group_id, "artifact_plugin")
    client.plugins.files.create(
        artifacts["id"],
        "artifacts.py",
        ARTIFACTS_PY,
        artifact_tasks=[
            {
                "name": "StringArtifactTask",
                "outputParams": [{"name": "text", "parameterType": string}],
            }
        ],
    )
    return SimpleNamespace(
        group_id=group_id,
        string_type=string,
        queue_id=queue["id"],
        plugin_id=hello["id"],
        artifact_plugin_id=artifacts["id"],
    )
