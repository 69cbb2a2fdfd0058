"""Drive this API with NIST Dioptra's own Python client (``dioptra.client``).

    python tests/compat/client_flow.py BASE_URL USERNAME PASSWORD [--foreign-entrypoint ID ...]

``BASE_URL`` is the site root (the client appends ``/api/v1``). The user must be able to write in
the group ``--group`` (default ``public``), which every user is a member of. ``--foreign-*`` ids
name objects of a group the user does not belong to: they must answer 404 to reads and 400 in a
request body (our contract; Dioptra answers 404 there too, and its client raises either way).

Works with the 1.1 client (``workflows.validate_entrypoint``, PUT without plugin snapshots) and
the 1.2 clients (``?validateOnly=`` and the required ``pluginSnapshotIds`` on PUT): which one is
imported is up to ``PYTHONPATH``. Every step asserts on what the server answered; the first
failure prints the step and what went wrong and exits with status 1. Only the standard library,
the client (with what it imports) and ``tests/api/shapes.py`` are needed: no Django.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dioptra.client
from dioptra.client import connect_json_dioptra_client, connect_response_dioptra_client
from dioptra.client.__version__ import __version__ as CLIENT_VERSION
from dioptra.client.base import StatusCodeError

# Run as a script, Python puts only this folder on sys.path: the repository root makes the
# Django-free ``tests.api.shapes`` importable, so the flow checks the fields the API tests do.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.api.shapes import RESOURCE_FIELDS  # noqa: E402

V11 = CLIENT_VERSION.startswith("1.1.")
BUILTIN_TYPES = {"any", "string", "integer", "number", "boolean", "null"}

# The seed example's plugin (entrypoints reference: "hello_world" with artifact parameters).
HELLO_PY = """\
from dioptra import pyplugs


@pyplugs.register
def hello_world(greeting: str, name: str) -> str:
    return f"{greeting}, {name}!"
"""
ARTIFACTS_PY = """\
from dioptra import pyplugs
from dioptra.sdk.api.artifact import ArtifactTaskInterface


class StringArtifactTask(ArtifactTaskInterface):
    @staticmethod
    def serialize(working_dir, name, contents, **kwargs):
        path = working_dir / f"{name}.txt"
        path.write_text(contents)
        return path

    @staticmethod
    def deserialize(working_dir, path, **kwargs):
        return path.read_text()
"""
TASK_GRAPH = """\
message:
  hello_world:
    greeting: $greeting
    name: $name
"""
ARTIFACT_GRAPH = """\
saved_message:
  contents: $message
  task:
    name: StringArtifactTask
"""
# The job's plugin logs the way Dioptra's examples do (structlog) and prints.
HELLO_JOB_PY = """\
import structlog
from dioptra import pyplugs

LOGGER = structlog.get_logger()


@pyplugs.register
def hello_world(greeting: str, name: str) -> str:
    message = f"{greeting}, {name}!"
    LOGGER.info("said hello", message=message)
    print(message)
    return message
"""
ENDED = ("finished", "failed", "cancelled")
WAIT_SECONDS = 300  # a safeguard against a worker that never comes, not a speed check
BROKEN_TASK_GRAPH = """\
message:
  no_such_task:
    greeting: $greeting
"""


class FlowFailure(Exception):
    pass


class Flow:
    def __init__(self, base_url: str, username: str, password: str, args) -> None:
        self.base_url = base_url
        self.username = username
        self.password = password
        self.args = args
        self.client = connect_json_dioptra_client(base_url)
        self.raw = connect_response_dioptra_client(base_url)
        self.suffix = uuid.uuid4().hex[:8]
        self.step_name = "start"
        self.steps = 0

    # Helpers ------------------------------------------------------------------------------------

    def step(self, name: str) -> None:
        self.step_name = name
        self.steps += 1

    def name(self, prefix: str) -> str:
        return f"{prefix}_{self.suffix}"

    @staticmethod
    def check(condition: bool, message: str, *shown: Any) -> None:
        if not condition:
            details = "".join(f"\n    {json.dumps(v, default=str)[:2000]}" for v in shown)
            raise FlowFailure(message + details)

    def expect_error(self, status: int, call: Callable, *args, **kwargs) -> StatusCodeError:
        """``call`` raises the client's StatusCodeError with ``status``."""
        try:
            answer = call(*args, **kwargs)
        except StatusCodeError as error:
            self.check(
                error.status_code == status,
                f"expected HTTP {status}, got {error.status_code}: {error.message[:1500]}",
            )
            return error
        raise FlowFailure(f"expected HTTP {status}, but the call succeeded: {answer!r:.1500}")

    def check_resource(self, body: dict, kind: str) -> None:
        missing = set(RESOURCE_FIELDS) - set(body)
        self.check(not missing, f"{kind} lacks {sorted(missing)}", body)
        self.check(body["group"]["id"] == self.group_id, f"{kind} in the wrong group", body)
        self.check(body["user"]["username"] == self.username, f"{kind} has the wrong user", body)

    def check_page(self, page: dict, total: int | None = None) -> list[dict]:
        for key in ("index", "isComplete", "totalNumResults", "first", "data"):
            self.check(key in page, f"paged answer lacks {key!r}", page)
        if total is not None:
            self.check(page["totalNumResults"] == total, f"expected {total} results", page)
        return page["data"]

    # The flow -----------------------------------------------------------------------------------

    def run(self) -> None:
        self.auth()
        self.users_and_groups()
        self.parameter_types()
        self.queues()
        self.tags()
        self.plugins()
        self.signature_analysis()
        self.entrypoints()
        self.jobs()
        self.foreign_objects()
        self.logout()

    def auth(self) -> None:
        self.step("a request before login answers 401")
        self.expect_error(401, self.client.users.get_current)

        self.step("auth.login with a wrong password answers 401")
        self.expect_error(401, self.client.auth.login, self.username, self.password + "x")

        self.step("auth.login")
        answer = self.client.auth.login(self.username, self.password)
        self.check(answer.get("username") == self.username, "login answer", answer)

        self.step("auth.login (the response client)")
        response = self.raw.auth.login(self.username, self.password)
        self.check(response.status_code == 200, "response client login", response.text)

    def users_and_groups(self) -> None:
        self.step("users.get_current")
        me = self.client.users.get_current()
        self.check(me["username"] == self.username, "current user", me)
        self.check(isinstance(me["id"], int), "current user id", me)
        names = {g["name"]: g["id"] for g in me["groups"]}
        self.check(self.args.group in names, f"the user is not in {self.args.group!r}", me)
        self.group_id = names[self.args.group]

        self.step("users.get / get_by_id")
        users = self.check_page(self.client.users.get(search=self.username))
        self.check(me["id"] in {u["id"] for u in users}, "users.get", users)
        user = self.client.users.get_by_id(me["id"])
        self.check(user["username"] == self.username, "users.get_by_id", user)

        self.step("groups.get")
        groups = self.check_page(self.client.groups.get(page_length=100))
        self.check(self.group_id in {g["id"] for g in groups}, "groups.get lacks the group", groups)

        self.step("groups.get_by_id")
        group = self.client.groups.get_by_id(self.group_id)
        self.check(
            group["name"] == self.args.group and group["id"] == self.group_id, "group", group
        )

    def parameter_types(self) -> None:
        ppt = self.client.plugin_parameter_types
        self.step("plugin_parameter_types.get: the builtins exist")
        types = self.check_page(ppt.get(group_id=self.group_id, page_length=1000))
        by_name = {t["name"]: t for t in types}
        self.check(BUILTIN_TYPES <= set(by_name), "builtin types missing", sorted(by_name))
        self.string_type = by_name["string"]["id"]

        self.step("plugin_parameter_types.create")
        created = ppt.create(
            self.group_id,
            self.name("image_shape"),
            description="a shape",
            structure={"list": "integer"},
        )
        self.check_resource(created, "parameter type")
        self.check(created["structure"] == {"list": "integer"}, "structure", created)
        self.check(created["description"] == "a shape", "description", created)
        type_id = created["id"]

        self.step("plugin_parameter_types.get_by_id")
        got = ppt.get_by_id(type_id)
        self.check(got["name"] == created["name"], "get_by_id", got)

        self.step("plugin_parameter_types.get with search and sort")
        page = ppt.get(
            group_id=self.group_id,
            search=f"name:image_shape_{self.suffix}",
            sort_by="name",
            descending=True,
        )
        self.check([t["id"] for t in self.check_page(page, 1)] == [type_id], "search", page)

        self.step("plugin_parameter_types.create: a duplicate name answers 409")
        self.expect_error(409, ppt.create, self.group_id, created["name"])

        self.step("plugin_parameter_types.create: a builtin's name answers 400")
        self.expect_error(400, ppt.create, self.group_id, "string")

        self.step("plugin_parameter_types.modify_by_id: builtins are read-only (403)")
        self.expect_error(403, ppt.modify_by_id, self.string_type, "string2", None, None)

        self.step("plugin_parameter_types.modify_by_id")
        modified = ppt.modify_by_id(type_id, self.name("image_dims"), "dims", {"list": "number"})
        self.check(modified["name"] == self.name("image_dims"), "renamed", modified)
        self.check(modified["structure"] == {"list": "number"}, "structure", modified)
        self.check(modified["snapshot"] != created["snapshot"], "a new snapshot", modified)

        self.step("plugin_parameter_types.snapshots.get / get_by_id")
        snapshots = self.check_page(ppt.snapshots.get(type_id), 2)
        first = ppt.snapshots.get_by_id(type_id, snapshot_id=snapshots[0]["snapshot"])
        self.check(first["name"] == created["name"], "first snapshot", first)

        self.step("plugin_parameter_types.tags.append / get")
        answer = ppt.tags.append(type_id, ids=[])
        self.check(answer == [], "ppt tags", answer)
        self.check(ppt.tags.get(type_id) == [], "ppt tags.get")

        self.step("plugin_parameter_types.delete_by_id")
        deleted = ppt.delete_by_id(type_id)
        self.check(deleted.get("status") == "Success", "delete answer", deleted)
        self.expect_error(404, ppt.get_by_id, type_id)

    def queues(self) -> None:
        queues = self.client.queues
        self.step("queues.create")
        queue = queues.create(self.group_id, self.name("default"), description="the queue")
        self.check_resource(queue, "queue")
        self.check(queue["description"] == "the queue", "description", queue)
        self.queue_id = queue["id"]
        spare = queues.create(self.group_id, self.name("spare"))
        self.check(spare["description"] is None, "an omitted description is null", spare)
        self.spare_queue_id = spare["id"]

        self.step("queues.create: a duplicate name answers 409")
        self.expect_error(409, queues.create, self.group_id, queue["name"])

        self.step("queues.get with paging, search and sort")
        page = queues.get(
            group_id=self.group_id,
            index=0,
            page_length=1,
            search=self.suffix,
            sort_by="name",
            descending=False,
        )
        data = self.check_page(page, 2)
        self.check([q["id"] for q in data] == [self.queue_id], "first page", page)
        self.check(page["isComplete"] is False and "next" in page, "a next page", page)
        page = queues.get(group_id=self.group_id, index=1, page_length=1, search=self.suffix)
        self.check([q["id"] for q in page["data"]] == [self.spare_queue_id], "second page", page)

        self.step("queues.delete_by_id")
        doomed = queues.create(self.group_id, self.name("doomed_queue"))
        answer = queues.delete_by_id(doomed["id"])
        self.check(answer.get("status") == "Success", "queues.delete_by_id", answer)
        self.expect_error(404, queues.get_by_id, doomed["id"])

        self.step("queues.get_by_id / modify_by_id")
        self.check(queues.get_by_id(self.queue_id)["name"] == queue["name"], "get_by_id")
        modified = queues.modify_by_id(self.spare_queue_id, self.name("spare2"), "spare queue")
        self.check(modified["name"] == self.name("spare2"), "renamed", modified)
        self.check(modified["description"] == "spare queue", "description", modified)

        self.step("queues.snapshots.get / get_by_id")
        snapshots = self.check_page(queues.snapshots.get(self.spare_queue_id), 2)
        first = queues.snapshots.get_by_id(
            self.spare_queue_id, snapshot_id=snapshots[0]["snapshot"]
        )
        self.check(first["name"] == spare["name"], "first snapshot", first)

    def tags(self) -> None:
        tags = self.client.tags
        self.step("tags.create")
        tag = tags.create(self.group_id, self.name("mnist"))
        self.check(tag["name"] == self.name("mnist"), "tag", tag)
        self.check(tag["group"]["id"] == self.group_id, "tag group", tag)
        self.tag_id = tag["id"]
        self.tag2_id = tags.create(self.group_id, self.name("cifar"))["id"]
        doomed = tags.create(self.group_id, self.name("doomed"))

        self.step("tags.create: a duplicate name answers 409")
        self.expect_error(409, tags.create, self.group_id, tag["name"])

        self.step("tags.get / get_by_id / modify_by_id / delete_by_id")
        page = tags.get(group_id=self.group_id, search=f"name:*_{self.suffix}", sort_by="name")
        self.check(len(self.check_page(page, 3)) == 3, "tags.get", page)
        self.check(tags.get_by_id(self.tag_id)["id"] == self.tag_id, "tags.get_by_id")
        renamed = tags.modify_by_id(doomed["id"], self.name("doomed2"))
        self.check(renamed["name"] == self.name("doomed2"), "tags.modify_by_id", renamed)
        self.check(tags.delete_by_id(doomed["id"]).get("status") == "Success", "tag deleted")
        self.expect_error(404, tags.get_by_id, doomed["id"])

        self.step("queues.tags: append / get / modify / remove / remove_all")
        queue_tags = self.client.queues.tags
        answer = queue_tags.append(self.queue_id, ids=[self.tag_id])
        self.check([t["id"] for t in answer] == [self.tag_id], "append", answer)
        answer = queue_tags.modify(self.queue_id, ids=[self.tag_id, self.tag2_id])
        self.check({t["id"] for t in answer} == {self.tag_id, self.tag2_id}, "modify", answer)
        self.check(len(queue_tags.get(self.queue_id)) == 2, "get")
        removed = queue_tags.remove(self.queue_id, tag_id=self.tag2_id)
        self.check(removed.get("status") == "Success", "remove", removed)
        self.check([t["id"] for t in queue_tags.get(self.queue_id)] == [self.tag_id], "remove")
        queue_tags.remove_all(self.queue_id)
        self.check(queue_tags.get(self.queue_id) == [], "remove_all")

    def plugins(self) -> None:
        plugins = self.client.plugins
        self.step("plugins.create")
        plugin = plugins.create(self.group_id, self.name("hello_plugin"), description="hello")
        self.check_resource(plugin, "plugin")
        self.check(plugin["files"] == [], "a new plugin has no files", plugin)
        self.plugin_id = plugin["id"]
        artifact_plugin = plugins.create(self.group_id, self.name("artifact_plugin"))
        self.artifact_plugin_id = artifact_plugin["id"]

        self.step("plugins.create: a duplicate name answers 409")
        self.expect_error(409, plugins.create, self.group_id, plugin["name"])

        self.step("plugins.files.create (function tasks with parameter type ids)")
        function_task = {
            "name": "hello_world",
            "inputParams": [
                {"name": "greeting", "parameterType": self.string_type, "required": True},
                {"name": "name", "parameterType": self.string_type, "required": True},
            ],
            "outputParams": [{"name": "message", "parameterType": self.string_type}],
        }
        file = plugins.files.create(
            self.plugin_id,
            filename="tasks.py",
            contents=HELLO_PY,
            function_tasks=[function_task],
            description="the hello task",
        )
        self.check(file["filename"] == "tasks.py" and file["contents"] == HELLO_PY, "file", file)
        functions = file["tasks"]["functions"]
        self.check([t["name"] for t in functions] == ["hello_world"], "file tasks", file)
        param = functions[0]["inputParams"][0]
        self.check(param["parameterType"]["id"] == self.string_type, "a type ref", file)
        self.check(param["parameterType"]["name"] == "string", "a type ref", file)
        self.file_id = file["id"]

        self.step("plugins.files.create: a duplicate filename answers 409")
        self.expect_error(409, plugins.files.create, self.plugin_id, "tasks.py", HELLO_PY)

        self.step("plugins.files.create (artifact tasks)")
        artifact_file = plugins.files.create(
            self.artifact_plugin_id,
            filename="artifacts.py",
            contents=ARTIFACTS_PY,
            artifact_tasks=[
                {
                    "name": "StringArtifactTask",
                    "outputParams": [{"name": "text", "parameterType": self.string_type}],
                }
            ],
        )
        artifacts = artifact_file["tasks"]["artifacts"]
        self.check([t["name"] for t in artifacts] == ["StringArtifactTask"], "artifact tasks")

        self.step("plugins.files.get / get_by_id / modify_by_id")
        files = self.check_page(plugins.files.get(self.plugin_id), 1)
        self.check(files[0]["id"] == self.file_id, "files.get", files)
        self.check(plugins.files.get_by_id(self.plugin_id, self.file_id)["id"] == self.file_id, "")
        scratch = plugins.files.create(self.plugin_id, "scratch.py", "x = 1\n", function_tasks=[])
        changed = plugins.files.modify_by_id(
            self.plugin_id,
            scratch["id"],
            "scratch2.py",
            "x = 2\n",
            function_tasks=[],
            description="changed",
        )
        self.check(changed["filename"] == "scratch2.py", "files.modify_by_id", changed)
        self.check(changed["description"] == "changed", "files.modify_by_id", changed)

        self.step("plugins.files.snapshots.get / plugins.files.tags.append")
        file_snapshots = self.check_page(
            plugins.files.snapshots.get(self.plugin_id, scratch["id"]), 2
        )
        self.check(file_snapshots[0]["filename"] == "scratch.py", "first file snapshot")
        answer = plugins.files.tags.append(self.plugin_id, self.file_id, ids=[self.tag_id])
        self.check([t["id"] for t in answer] == [self.tag_id], "file tags", answer)

        self.step("plugins.files.delete_by_id")
        answer = plugins.files.delete_by_id(self.plugin_id, scratch["id"])
        self.check(answer.get("status") == "Success", "files.delete_by_id", answer)
        self.expect_error(404, plugins.files.get_by_id, self.plugin_id, scratch["id"])

        self.step("plugins.get / get_by_id / modify_by_id")
        page = plugins.get(group_id=self.group_id, search=self.suffix, sort_by="name")
        self.check(len(self.check_page(page, 2)) == 2, "plugins.get", page)
        got = plugins.get_by_id(self.plugin_id)
        self.check([f["id"] for f in got["files"]] == [self.file_id], "plugin files", got)
        self.check(got["files"][0]["filename"] == "tasks.py", "plugin file ref", got)
        modified = plugins.modify_by_id(self.plugin_id, plugin["name"], "hello plugin")
        self.check(modified["description"] == "hello plugin", "plugins.modify_by_id", modified)

        self.step("plugins.snapshots.get / get_by_id")
        snapshots = self.check_page(plugins.snapshots.get(self.plugin_id, page_length=100))
        self.check(len(snapshots) >= 2, "plugin snapshots", snapshots)
        self.check(snapshots[-1]["snapshot"] == modified["snapshot"], "the newest last", snapshots)
        first = plugins.snapshots.get_by_id(self.plugin_id, snapshot_id=snapshots[0]["snapshot"])
        self.check(first["description"] == "hello", "first plugin snapshot", first)

        self.step("plugins.tags.append")
        answer = plugins.tags.append(self.plugin_id, ids=[self.tag_id])
        self.check([t["id"] for t in answer] == [self.tag_id], "plugin tags", answer)

        self.step("plugins.files.delete_all / plugins.delete_by_id")
        doomed = plugins.create(self.group_id, self.name("doomed_plugin"))
        plugins.files.create(doomed["id"], "a.py", "", function_tasks=[])
        untasked = plugins.files.create(doomed["id"], "b.py", "")  # sends "tasks": {}
        self.check(untasked["tasks"] == {"functions": [], "artifacts": []}, "no tasks", untasked)
        answer = plugins.files.delete_all(doomed["id"])
        self.check(answer.get("status") == "Success", "files.delete_all", answer)
        self.check_page(plugins.files.get(doomed["id"]), 0)
        self.check(plugins.delete_by_id(doomed["id"]).get("status") == "Success", "deleted")
        self.expect_error(404, plugins.get_by_id, doomed["id"])

    def signature_analysis(self) -> None:
        self.step("workflows.analyze_plugin_task_signatures")
        answer = self.client.workflows.analyze_plugin_task_signatures(HELLO_PY)
        tasks = answer["tasks"]
        self.check([t["name"] for t in tasks] == ["hello_world"], "tasks found", answer)
        inputs = [(i["name"], i["type"]) for i in tasks[0]["inputs"]]
        self.check(inputs == [("greeting", "string"), ("name", "string")], "inputs", answer)

    def entrypoints(self) -> None:
        entrypoints = self.client.entrypoints
        self.step("entrypoints.create (the seed example)")
        entrypoint = entrypoints.create(
            group_id=self.group_id,
            name=self.name("hello_world"),
            task_graph=TASK_GRAPH,
            artifact_graph=ARTIFACT_GRAPH,
            description="An entrypoint to run hello world task",
            parameters=[
                {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
                {"name": "name", "defaultValue": "World", "parameterType": "string"},
            ],
            artifact_parameters=[
                {
                    "name": "artifact_name",
                    "outputParams": [{"name": "value", "parameterType": self.string_type}],
                }
            ],
            queues=[self.queue_id],
            plugins=[self.plugin_id],
            artifact_plugins=[self.artifact_plugin_id],
        )
        self.check_resource(entrypoint, "entrypoint")
        ep = entrypoint["id"]
        self.check(entrypoint["taskGraph"] == TASK_GRAPH, "taskGraph kept as sent", entrypoint)
        self.check(entrypoint["artifactGraph"] == ARTIFACT_GRAPH, "artifactGraph", entrypoint)
        self.check(
            entrypoint["parameters"]
            == [
                {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
                {"name": "name", "defaultValue": "World", "parameterType": "string"},
            ],
            "parameters",
            entrypoint,
        )
        artifact_parameter = entrypoint["artifactParameters"][0]
        out = artifact_parameter["outputParams"][0]
        self.check(
            artifact_parameter["name"] == "artifact_name"
            and out["name"] == "value"
            and out["parameterType"]["id"] == self.string_type
            and out["parameterType"]["name"] == "string",
            "artifactParameters",
            entrypoint,
        )
        self.check([q["id"] for q in entrypoint["queues"]] == [self.queue_id], "queues")
        self.check([p["id"] for p in entrypoint["plugins"]] == [self.plugin_id], "plugins")
        attached = entrypoint["plugins"][0]
        for key in ("id", "name", "snapshotId", "latestSnapshot", "url", "files"):
            self.check(key in attached, f"an attached plugin lacks {key!r}", attached)
        self.check(attached["latestSnapshot"] is True, "pinned at the latest", attached)
        self.check(
            [t["name"] for t in attached["files"][0]["tasks"]["functions"]] == ["hello_world"],
            "attached plugin tasks",
            attached,
        )
        self.check(
            [p["id"] for p in entrypoint["artifactPlugins"]] == [self.artifact_plugin_id],
            "artifactPlugins",
            entrypoint,
        )
        self.check(entrypoint.get("valid") is True, "the seed example is valid", entrypoint)

        self.step("entrypoints.create: a duplicate name answers 409")
        self.expect_error(409, entrypoints.create, self.group_id, entrypoint["name"], TASK_GRAPH)

        second = entrypoints.create(
            self.group_id,
            self.name("another"),
            BROKEN_TASK_GRAPH,
            description="stored though invalid",
        )
        self.check(second.get("valid") is False, "an invalid graph is stored with its verdict")

        self.step("entrypoints.get: paging")
        page = entrypoints.get(group_id=self.group_id, index=0, page_length=1, sort_by="name")
        self.check(page["isComplete"] is False and "next" in page, "a next page", page)
        page = entrypoints.get(group_id=self.group_id, index=0, page_length=10, search=self.suffix)
        self.check({e["id"] for e in self.check_page(page, 2)} == {ep, second["id"]}, "", page)

        self.step("entrypoints.get: sort")
        ids = [
            e["id"]
            for e in entrypoints.get(
                group_id=self.group_id,
                search=f"name:*_{self.suffix}",
                sort_by="name",
                descending=True,
            )["data"]
        ]
        self.check(ids == [ep, second["id"]], "sortBy name descending", ids)
        ids = [
            e["id"]
            for e in entrypoints.get(
                group_id=self.group_id,
                search=f"name:*_{self.suffix}",
                sort_by="createdOn",
                descending=False,
            )["data"]
        ]
        self.check(ids == [ep, second["id"]], "sortBy createdOn", ids)

        self.step("entrypoints.get: search fields (camelCase and Dioptra's snake_case)")
        for search in (
            f"name:hello_world_{self.suffix}",
            f"description:*hello world*,name:*_{self.suffix}",
            f"taskGraph:*hello_world*,name:*_{self.suffix}",
            f"task_graph:*hello_world*,name:*_{self.suffix}",
            f"artifact_graph:*StringArtifactTask*,name:*_{self.suffix}",
        ):
            found = [
                e["id"] for e in entrypoints.get(group_id=self.group_id, search=search)["data"]
            ]
            self.check(found == [ep], f"search {search!r}", found)

        self.step("entrypoints.get: an unknown search field answers 422")
        self.expect_error(422, entrypoints.get, search="no_such_field:x")

        self.step("entrypoints.get_by_id")
        got = entrypoints.get_by_id(ep)
        self.check(got["id"] == ep and got["snapshot"] == entrypoint["snapshot"], "get_by_id")

        self.step("entrypoints.tags: append / modify / get / remove / remove_all")
        answer = entrypoints.tags.append(ep, ids=[self.tag_id])
        self.check([t["id"] for t in answer] == [self.tag_id], "tags.append", answer)
        found = entrypoints.get(group_id=self.group_id, search=f"tag:{self.name('mnist')}")
        self.check([e["id"] for e in found["data"]] == [ep], "search tag:", found)
        answer = entrypoints.tags.modify(ep, ids=[self.tag_id, self.tag2_id])
        self.check({t["id"] for t in answer} == {self.tag_id, self.tag2_id}, "modify", answer)
        self.check(len(entrypoints.tags.get(ep)) == 2, "tags.get")
        entrypoints.tags.remove(ep, tag_id=self.tag2_id)
        self.check([t["id"] for t in entrypoints.tags.get(ep)] == [self.tag_id], "tags.remove")
        entrypoints.tags.remove_all(ep)
        self.check(entrypoints.tags.get(ep) == [], "tags.remove_all")
        entrypoints.tags.append(ep, ids=[self.tag_id])

        self.step("tags.get_resources_for_tag")
        page = self.client.tags.get_resources_for_tag(self.tag_id)
        urls = self.check_page(page)
        for url in (
            f"/api/v1/entrypoints/{ep}",
            f"/api/v1/plugins/{self.plugin_id}",
            f"/api/v1/plugins/{self.plugin_id}/files/{self.file_id}",
        ):
            self.check(url in urls, f"the tag's resources lack {url}", page)
        page = self.client.tags.get_resources_for_tag(self.tag_id, resource_type="entry_point")
        self.check(self.check_page(page, 1) == [f"/api/v1/entrypoints/{ep}"], "entry_point", page)

        self.step("entrypoints.queues: get / create / modify_by_id / delete_by_id / delete")
        queues = entrypoints.queues
        self.check([q["id"] for q in queues.get(ep)] == [self.queue_id], "queues.get")
        answer = queues.create(ep, queue_ids=[self.spare_queue_id])
        self.check({q["id"] for q in answer} == {self.queue_id, self.spare_queue_id}, "", answer)
        answer = queues.modify_by_id(ep, queue_ids=[self.spare_queue_id])
        self.check([q["id"] for q in answer] == [self.spare_queue_id], "modify_by_id", answer)
        answer = queues.delete_by_id(ep, self.spare_queue_id)
        self.check(answer.get("status") == "Success", "queues.delete_by_id", answer)
        self.check(queues.get(ep) == [], "queues.delete_by_id")
        queues.create(ep, queue_ids=[self.queue_id, self.spare_queue_id])
        answer = queues.delete(ep)
        self.check(answer.get("status") == "Success", "queues.delete", answer)
        self.check(queues.get(ep) == [], "queues.delete")
        queues.create(ep, queue_ids=[self.queue_id])

        self.step("entrypoints.plugins: a plugin update leaves the entrypoint pinned")
        self.client.plugins.files.modify_by_id(
            self.plugin_id,
            self.file_id,
            "tasks.py",
            HELLO_PY + "\n",
            function_tasks=[
                {
                    "name": "hello_world",
                    "inputParams": [
                        {"name": "greeting", "parameterType": self.string_type},
                        {"name": "name", "parameterType": self.string_type},
                    ],
                    "outputParams": [{"name": "message", "parameterType": self.string_type}],
                }
            ],
        )
        latest_plugin = self.client.plugins.get_by_id(self.plugin_id)["snapshot"]
        attached = entrypoints.plugins.get(ep)
        self.check([p["id"] for p in attached] == [self.plugin_id], "plugins.get", attached)
        self.check(attached[0]["latestSnapshot"] is False, "now outdated", attached)
        one = entrypoints.plugins.get_by_id(ep, self.plugin_id)
        self.check(one["snapshotId"] == attached[0]["snapshotId"], "plugins.get_by_id", one)

        self.step("entrypoints.plugins.create syncs an attached plugin to its latest snapshot")
        answer = entrypoints.plugins.create(ep, plugin_ids=[self.plugin_id])
        self.check(
            [(p["id"], p["snapshotId"], p["latestSnapshot"]) for p in answer]
            == [(self.plugin_id, latest_plugin, True)],
            "plugins.create",
            answer,
        )

        self.step("entrypoints.plugins.delete_by_id / create")
        answer = entrypoints.plugins.delete_by_id(ep, self.plugin_id)
        self.check(answer.get("status") == "Success", "plugins.delete_by_id", answer)
        self.check(entrypoints.plugins.get(ep) == [], "detached")
        self.expect_error(404, entrypoints.plugins.get_by_id, ep, self.plugin_id)
        self.expect_error(404, entrypoints.plugins.delete_by_id, ep, self.plugin_id)
        answer = entrypoints.plugins.create(ep, plugin_ids=[self.plugin_id])
        self.check([p["id"] for p in answer] == [self.plugin_id], "re-attached", answer)

        self.step("entrypoints.artifact_plugins: get / get_by_id / delete_by_id / create")
        artifact_plugins = entrypoints.artifact_plugins
        attached = artifact_plugins.get(ep)
        self.check([p["id"] for p in attached] == [self.artifact_plugin_id], "get", attached)
        one = artifact_plugins.get_by_id(ep, self.artifact_plugin_id)
        self.check(one["id"] == self.artifact_plugin_id, "artifact_plugins.get_by_id", one)
        answer = artifact_plugins.delete_by_id(ep, self.artifact_plugin_id)
        self.check(answer.get("status") == "Success", "artifact_plugins.delete_by_id", answer)
        self.check(artifact_plugins.get(ep) == [], "artifact plugin detached")
        answer = artifact_plugins.create(ep, artifact_plugin_ids=[self.artifact_plugin_id])
        self.check([p["id"] for p in answer] == [self.artifact_plugin_id], "create", answer)

        self.step("entrypoints.modify_by_id")
        current = entrypoints.get_by_id(ep)
        self.check(current.get("valid") is True, "still valid", current)
        plugin_snapshots = [p["snapshotId"] for p in current["plugins"]]
        artifact_snapshots = [p["snapshotId"] for p in current["artifactPlugins"]]
        modify_args = [
            ep,
            self.name("hello_world"),
            TASK_GRAPH,
            ARTIFACT_GRAPH,
            "modified",
            [{"name": "greeting", "defaultValue": "Hi", "parameterType": "string"}],
            [
                {
                    "name": "artifact_name",
                    "outputParams": [{"name": "value", "parameterType": self.string_type}],
                }
            ],
            [self.queue_id],
        ]
        if not V11:
            modify_args += [plugin_snapshots, artifact_snapshots]
        modified = entrypoints.modify_by_id(*modify_args)
        self.check(modified["description"] == "modified", "description", modified)
        self.check(modified["snapshot"] != current["snapshot"], "a new snapshot", modified)
        self.check(
            [p["name"] for p in modified["parameters"]] == ["greeting"], "parameters", modified
        )
        self.check(
            [p["snapshotId"] for p in modified["plugins"]] == plugin_snapshots,
            "PUT keeps the attached plugins",
            modified,
        )
        self.check(
            [p["snapshotId"] for p in modified["artifactPlugins"]] == artifact_snapshots,
            "PUT keeps the attached artifact plugins",
            modified,
        )
        self.check([q["id"] for q in modified["queues"]] == [self.queue_id], "queues", modified)
        self.check([t["id"] for t in modified["tags"]] == [self.tag_id], "tags kept", modified)

        self.step("entrypoints.modify_by_id: renaming onto another's name answers 409")
        clash = [ep, second["name"], TASK_GRAPH, None, None, None, None, None]
        if not V11:
            clash += [plugin_snapshots, artifact_snapshots]
        self.expect_error(409, entrypoints.modify_by_id, *clash)

        if V11:
            self.validate_entrypoint_v11(plugin_snapshots)
        else:
            self.validate_only_v12(ep, modified, plugin_snapshots, artifact_snapshots)

        self.step("entrypoints.snapshots.get / get_by_id")
        snapshots = self.check_page(entrypoints.snapshots.get(ep, page_length=100))
        self.check(len(snapshots) >= 6, "every write is a snapshot", snapshots)
        self.check(snapshots[0]["snapshot"] == entrypoint["snapshot"], "oldest first", snapshots)
        self.check(snapshots[-1]["snapshot"] == modified["snapshot"], "newest last", snapshots)
        first = entrypoints.snapshots.get_by_id(ep, snapshot_id=entrypoint["snapshot"])
        self.check(first["description"] == entrypoint["description"], "first snapshot", first)
        self.check(first["latestSnapshot"] is False, "an old snapshot", first)
        self.check(len(first["parameters"]) == 2, "the first snapshot's parameters", first)
        found = entrypoints.snapshots.get(ep, search="description:modified")
        self.check(
            [s["snapshot"] for s in found["data"]] == [modified["snapshot"]],
            "snapshot search",
            found,
        )

        self.step("entrypoints.snapshots.get_artifact_plugins")
        pinned = entrypoints.snapshots.get_artifact_plugins(ep, entrypoint["snapshot"])
        self.check(
            [(p["id"], p["snapshotId"]) for p in pinned]
            == [(p["id"], p["snapshotId"]) for p in entrypoint["artifactPlugins"]],
            "the first snapshot's artifact plugins",
            pinned,
        )

        self.step("entrypoints.snapshots.get_config")
        config = entrypoints.snapshots.get_config(ep, modified["snapshot"])
        self.check(isinstance(config, dict) and config, "a config document", config)
        self.check("message" in json.dumps(config), "the config holds the graph", config)

        self.step("entrypoints.modify_by_id: what is omitted (None) is cleared")
        entrypoints.queues.create(second["id"], queue_ids=[self.queue_id])
        cleared = [second["id"], second["name"], TASK_GRAPH, None, None, None, None, None]
        if not V11:
            cleared += [[], []]
        answer = entrypoints.modify_by_id(*cleared)
        self.check(
            answer["description"] is None
            and answer["artifactGraph"] == ""
            and answer["parameters"] == []
            and answer["artifactParameters"] == []
            and answer["queues"] == [],
            "PUT clears what it omits",
            answer,
        )

        self.step("entrypoints.delete_by_id")
        answer = entrypoints.delete_by_id(second["id"])
        self.check(answer == {"id": [second["id"]], "status": "Success"}, "delete", answer)
        self.expect_error(404, entrypoints.get_by_id, second["id"])
        self.expect_error(404, entrypoints.delete_by_id, second["id"])

        self.step("the response client sees the same answers")
        response = self.raw.entrypoints.get_by_id(ep)
        self.check(response.status_code == 200, "response client", response.text)
        self.check(response.json()["id"] == ep, "response client body", response.text)
        response = self.raw.entrypoints.get_by_id(second["id"])
        self.check(response.status_code == 404, "response client 404", response.text)

        self.entrypoint_id = ep

    def validate_entrypoint_v11(self, plugin_snapshots: list[int]) -> None:
        workflows = self.client.workflows
        self.step("workflows.validate_entrypoint: valid")
        answer = workflows.validate_entrypoint(
            self.group_id,
            TASK_GRAPH,
            plugin_snapshots,
            [
                {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
                {"name": "name", "defaultValue": "World", "parameterType": "string"},
            ],
        )
        self.check(answer == {"schemaValid": True, "schemaIssues": []}, "valid", answer)

        self.step("workflows.validate_entrypoint: issues")
        answer = workflows.validate_entrypoint(
            self.group_id, BROKEN_TASK_GRAPH, plugin_snapshots, []
        )
        self.check(answer["schemaValid"] is False and answer["schemaIssues"], "invalid", answer)
        for issue in answer["schemaIssues"]:
            for key in ("type", "severity", "message"):
                self.check(key in issue, f"an issue lacks {key!r}", issue)

        self.step("workflows.validate_entrypoint: an unknown plugin snapshot answers 400")
        self.expect_error(
            400, workflows.validate_entrypoint, self.group_id, TASK_GRAPH, [2**31 - 1], []
        )

    def validate_only_v12(self, ep, modified, plugin_snapshots, artifact_snapshots) -> None:
        entrypoints = self.client.entrypoints
        self.step("entrypoints.create(validate_only=True) stores nothing")
        name = self.name("not_stored")
        answer = entrypoints.create(
            self.group_id,
            name,
            TASK_GRAPH,
            parameters=[
                {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
                {"name": "name", "defaultValue": "World", "parameterType": "string"},
            ],
            plugins=[self.plugin_id],
            validate_only=True,
        )
        self.check(answer["name"] == name and "id" not in answer, "validate_only answer", answer)
        self.check(answer.get("valid") is True, "validate_only verdict", answer)
        found = entrypoints.get(group_id=self.group_id, search=f"name:{name}")
        self.check(found["totalNumResults"] == 0, "validate_only stored the entrypoint", found)

        self.step("entrypoints.modify_by_id(validate_only=True) changes nothing")
        answer = entrypoints.modify_by_id(
            ep,
            self.name("hello_world"),
            BROKEN_TASK_GRAPH,
            None,
            "not stored",
            None,
            None,
            [self.queue_id],
            plugin_snapshots,
            artifact_snapshots,
            validate_only=True,
        )
        self.check(answer["description"] == "not stored", "validate_only answer", answer)
        self.check(answer.get("valid") is False, "validate_only verdict", answer)
        after = entrypoints.get_by_id(ep)
        self.check(after["snapshot"] == modified["snapshot"], "no new snapshot", after)
        self.check(after["description"] == "modified", "nothing changed", after)

        self.step("entrypoints.modify_by_id: pluginSnapshotIds [] detaches the plugins")
        answer = entrypoints.modify_by_id(
            ep,
            self.name("hello_world"),
            TASK_GRAPH,
            None,
            "modified",
            None,
            None,
            [self.queue_id],
            [],
            artifact_snapshots,
            validate_only=True,
        )
        self.check(answer["plugins"] == [], "detached in the answer", answer)

    def wait_for(self, experiment_id: int, job_id: int) -> dict:
        """The job's status once it has ended (``experiments.jobs.get_status``, polled)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            status = self.client.experiments.jobs.get_status(experiment_id, job_id)
            if status["status"] in ENDED or time.monotonic() > deadline:
                return status
            time.sleep(0.2)

    def job_plugins(self) -> tuple[int, int]:
        """A hello-world plugin that logs, and the string artifact task's plugin."""
        plugins = self.client.plugins
        hello = plugins.create(self.group_id, self.name("hello_job"))
        plugins.files.create(
            hello["id"],
            filename="tasks.py",
            contents=HELLO_JOB_PY,
            function_tasks=[
                {
                    "name": "hello_world",
                    "inputParams": [
                        {"name": "greeting", "parameterType": self.string_type},
                        {"name": "name", "parameterType": self.string_type},
                    ],
                    "outputParams": [{"name": "message", "parameterType": self.string_type}],
                }
            ],
        )
        artifacts = plugins.create(self.group_id, self.name("job_artifacts"))
        plugins.files.create(
            artifacts["id"],
            filename="artifacts.py",
            contents=ARTIFACTS_PY,
            artifact_tasks=[
                {
                    "name": "StringArtifactTask",
                    "outputParams": [{"name": "value", "parameterType": self.string_type}],
                }
            ],
        )
        return hello["id"], artifacts["id"]

    def jobs(self) -> None:
        hello, artifact_plugin = self.job_plugins()
        parameters = [
            {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
            {"name": "name", "defaultValue": "World", "parameterType": "string"},
        ]
        entrypoint = self.client.entrypoints.create(
            group_id=self.group_id,
            name=self.name("hello_job"),
            task_graph=TASK_GRAPH,
            artifact_graph=ARTIFACT_GRAPH,
            parameters=parameters,
            queues=[self.queue_id],
            plugins=[hello],
            artifact_plugins=[artifact_plugin],
        )
        self.check(entrypoint.get("valid") is True, "the job's entrypoint is valid", entrypoint)
        experiments = self.client.experiments

        self.step("experiments.create / get_by_id / get")
        experiment = experiments.create(
            self.group_id, self.name("mnist"), "jobs of the flow", entrypoints=[entrypoint["id"]]
        )
        self.check_resource(experiment, "experiment")
        exp = experiment["id"]
        self.check(
            [e["id"] for e in experiment["entrypoints"]] == [entrypoint["id"]],
            "experiment entrypoints",
            experiment,
        )
        self.check(experiments.get_by_id(exp)["name"] == self.name("mnist"), "get_by_id")
        found = experiments.get(group_id=self.group_id, search=f"name:{self.name('mnist')}")
        self.check([e["id"] for e in self.check_page(found, 1)] == [exp], "get", found)

        self.step("experiments.modify_by_id / entrypoints / snapshots / tags")
        modified = experiments.modify_by_id(
            exp, self.name("mnist"), "renamed", entrypoints=[entrypoint["id"]]
        )
        self.check(modified["snapshot"] != experiment["snapshot"], "a new snapshot", modified)
        listed = experiments.entrypoints.get(exp)
        self.check([e["id"] for e in listed] == [entrypoint["id"]], "entrypoints.get", listed)
        snapshots = self.check_page(experiments.snapshots.get(exp), 2)
        self.check([x["description"] for x in snapshots] == ["jobs of the flow", "renamed"], "")
        answer = experiments.tags.append(exp, ids=[self.tag_id])
        self.check([t["id"] for t in answer] == [self.tag_id], "experiments.tags.append", answer)

        self.step("experiments.jobs.create: a queue not attached to the entrypoint answers 400")
        error = self.expect_error(
            400,
            experiments.jobs.create,
            exp,
            entrypoint_id=entrypoint["id"],
            queue_id=self.spare_queue_id,
        )
        self.check(
            "queue" in json.loads(error.message), "the answer names the queue", error.message
        )
        self.step("experiments.jobs.create: an unknown parameter answers 400")
        error = self.expect_error(
            400,
            experiments.jobs.create,
            exp,
            entrypoint_id=entrypoint["id"],
            queue_id=self.queue_id,
            values={"nmae": "typo"},
        )
        self.check("values" in json.loads(error.message), "the answer names values", error.message)

        self.step("experiments.jobs.create (the hello-world job)")
        job = experiments.jobs.create(
            exp,
            entrypoint_id=entrypoint["id"],
            queue_id=self.queue_id,
            entrypoint_snapshot_id=entrypoint["snapshot"],
            values={"name": "Dioptra"},
            timeout="10m",
            description="hello from the client",
        )
        self.check_resource(job, "job")
        for key in ("queue", "experiment", "entrypoint", "values", "timeout", "status"):
            self.check(key in job, f"a job lacks {key!r}", job)
        self.check(job["status"] == "queued", "a new job is queued", job)
        self.check(job["entrypoint"]["snapshotId"] == entrypoint["snapshot"], "snapshot", job)
        self.check(job["values"] == {"name": "Dioptra"}, "values as sent", job)

        self.step("experiments.jobs.get_status: the job runs on a worker and finishes")
        status = self.wait_for(exp, job["id"])
        if status["status"] != "finished":
            log = self.client.jobs.get_logs_by_id(job["id"], page_length=100)
            raise FlowFailure(f"the job ended {status}: {json.dumps(log)[:3000]}")
        self.check(self.client.jobs.get_status(job["id"]) == status, "jobs.get_status")

        self.step("jobs.get_parameters / get_by_id / experiments.jobs.get")
        values = self.client.jobs.get_parameters(job["id"])
        self.check(values == {"greeting": "Hello", "name": "Dioptra"}, "parameters", values)
        finished = self.client.jobs.get_by_id(job["id"])
        self.check(finished["status"] == "finished" and len(finished["artifacts"]) == 1, "")
        page = experiments.jobs.get(exp)
        self.check([j["id"] for j in self.check_page(page, 1)] == [job["id"]], "", page)

        self.step("jobs.get_logs_by_id (with a severity filter)")
        log = self.check_page(self.client.jobs.get_logs_by_id(job["id"], page_length=100))
        messages = [record["message"] for record in log]
        self.check(any("Hello, Dioptra!" in m for m in messages), "the plugin's output", log)
        for record in log:
            for key in ("severity", "loggerName", "message", "createdOn"):
                self.check(key in record, f"a log record lacks {key!r}", record)
        errors = self.client.jobs.get_logs_by_id(job["id"], severity=["ERROR"])
        self.check(self.check_page(errors, 0) == [], "no errors", errors)
        self.client.jobs.append_logs_by_id(
            job["id"], [{"severity": "WARNING", "loggerName": "flow", "message": "noted"}]
        )
        warnings = self.client.jobs.get_logs_by_id(job["id"], severity=["WARNING"])
        self.check(
            [r["message"] for r in self.check_page(warnings)][-1] == "noted", "append", warnings
        )

        self.step("jobs: metrics")
        self.client.jobs.append_metric_by_id(job["id"], "accuracy", 0.5, metric_step=1)
        self.client.jobs.append_metric_by_id(job["id"], "accuracy", float("nan"), metric_step=2)
        metrics = self.client.jobs.get_metrics_by_id(job["id"])
        self.check([(m["name"], m["value"]) for m in metrics] == [("accuracy", "nan")], "", metrics)
        series = self.client.jobs.get_metrics_snapshots_by_id(job["id"], "accuracy")
        self.check([m["value"] for m in self.check_page(series, 2)] == [0.5, "nan"], "", series)
        by_job = self.check_page(experiments.get_metrics_by_id(exp), 1)
        self.check(
            [(j["id"], [m["name"] for m in j["metrics"]]) for j in by_job]
            == [(job["id"], ["accuracy"])],
            "experiments.get_metrics_by_id",
            by_job,
        )

        self.step("artifacts.get_by_id / get_files / get_contents (the job's artifact)")
        artifact = self.client.artifacts.get_by_id(finished["artifacts"][0]["id"])
        self.check_resource(artifact, "artifact")
        self.check(artifact["job"] == job["id"] and artifact["isDir"] is False, "", artifact)
        self.check(artifact["task"].get("name") == "StringArtifactTask", "its task", artifact)
        files = self.client.artifacts.get_files(artifact["id"])
        self.check([f["isDir"] for f in files] == [False], "get_files", files)
        with tempfile.TemporaryDirectory() as folder:
            path = self.client.artifacts.get_contents(artifact["id"], output_dir=Path(folder))
            contents = Path(path).read_text()
        self.check(contents == "Hello, Dioptra!", "the artifact's contents", contents)
        listed = self.client.artifacts.get(
            group_id=self.group_id, search="task:StringArtifactTask", page_length=1000
        )
        self.check(artifact["id"] in [a["id"] for a in listed["data"]], "artifacts.get", listed)

        self.step("a job reading the artifact (the seed's artifact parameter)")
        reader = self.client.entrypoints.create(
            group_id=self.group_id,
            name=self.name("hello_reader"),
            task_graph=TASK_GRAPH,
            parameters=parameters,
            artifact_parameters=[
                {
                    "name": "artifact_name",
                    "outputParams": [{"name": "value", "parameterType": self.string_type}],
                }
            ],
            queues=[self.queue_id],
            plugins=[hello],
            artifact_plugins=[artifact_plugin],
        )
        experiments.entrypoints.create(exp, entrypoint_ids=[reader["id"]])
        self.expect_error(
            400, experiments.jobs.create, exp, entrypoint_id=reader["id"], queue_id=self.queue_id
        )
        second = experiments.jobs.create(
            exp,
            entrypoint_id=reader["id"],
            queue_id=self.queue_id,
            artifact_values={
                "artifact_name": {"id": artifact["id"], "snapshotId": artifact["snapshot"]}
            },
        )
        status = self.wait_for(exp, second["id"])
        self.check(status["status"] == "finished", "the reading job finished", status)
        inputs = self.client.jobs.get_artifact_parameters(second["id"])
        self.check(
            inputs["artifact_name"]["artifact_id"] == artifact["id"]
            and inputs["artifact_name"]["artifact_task"]["task_name"] == "StringArtifactTask",
            "jobs.get_artifact_parameters",
            inputs,
        )

    def foreign_objects(self) -> None:
        entrypoints = self.client.entrypoints
        if self.args.foreign_entrypoint:
            self.step("another group's entrypoint answers 404")
            self.expect_error(404, entrypoints.get_by_id, self.args.foreign_entrypoint)
            self.expect_error(404, entrypoints.plugins.get, self.args.foreign_entrypoint)
            self.expect_error(404, entrypoints.delete_by_id, self.args.foreign_entrypoint)
        if self.args.foreign_queue:
            self.step("another group's queue answers 404; in a body 400")
            self.expect_error(404, self.client.queues.get_by_id, self.args.foreign_queue)
            self.expect_error(
                400,
                entrypoints.create,
                self.group_id,
                self.name("foreign_queue"),
                TASK_GRAPH,
                queues=[self.args.foreign_queue],
            )
            self.expect_error(
                400, entrypoints.queues.create, self.entrypoint_id, [self.args.foreign_queue]
            )
        if self.args.foreign_plugin:
            self.step("another group's plugin answers 404; in a body 400")
            self.expect_error(404, self.client.plugins.get_by_id, self.args.foreign_plugin)
            self.expect_error(
                400, entrypoints.plugins.create, self.entrypoint_id, [self.args.foreign_plugin]
            )
            self.expect_error(
                400,
                entrypoints.artifact_plugins.create,
                self.entrypoint_id,
                [self.args.foreign_plugin],
            )
        if self.args.foreign_group:
            self.step("another group's id in a create body answers 400")
            self.expect_error(400, self.client.queues.create, self.args.foreign_group, "q")
            self.expect_error(404, self.client.groups.get_by_id, self.args.foreign_group)

    def logout(self) -> None:
        self.step("auth.logout")
        answer = self.client.auth.logout(everywhere=False)
        self.check(answer.get("status"), "logout answer", answer)
        self.expect_error(401, self.client.users.get_current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("--group", default="public", help="a group the user may write in")
    parser.add_argument("--foreign-entrypoint", type=int)
    parser.add_argument("--foreign-queue", type=int)
    parser.add_argument("--foreign-plugin", type=int)
    parser.add_argument("--foreign-group", type=int)
    args = parser.parse_args(argv)

    flow = Flow(args.base_url, args.username, args.password, args)
    where = dioptra.client.__file__
    try:
        flow.run()
    except FlowFailure as failure:
        print(f"FAIL [dioptra.client {CLIENT_VERSION}] step {flow.step_name!r}: {failure}")
        return 1
    except StatusCodeError as error:
        print(
            f"FAIL [dioptra.client {CLIENT_VERSION}] step {flow.step_name!r}: "
            f"unexpected HTTP {error.status_code}: {error.message[:3000]}"
        )
        return 1
    except Exception:
        print(f"FAIL [dioptra.client {CLIENT_VERSION}] step {flow.step_name!r}: an exception")
        traceback.print_exc(file=sys.stdout)
        return 1
    print(f"OK dioptra.client {CLIENT_VERSION} ({where}): {flow.steps} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
