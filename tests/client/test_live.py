"""Every method of the light client against a live server, errors included."""

import pytest

from entrypoints_client import Client, iter_all
from tests.client.conftest import error_of, ids
from tests.compat.client_flow import ARTIFACT_GRAPH, HELLO_PY, TASK_GRAPH
from tests.factories import PASSWORD, make_group, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_seed_example_works_verbatim(client, seed):
    GROUP_ID = seed.group_id  # noqa: N806 (the seed's names)
    TASK_GRAPH_YAML_STR = TASK_GRAPH  # noqa: N806
    ARTIFACT_TASK_GRAPH_YAML_STR = ARTIFACT_GRAPH  # noqa: N806
    STRING_PARAM_TYPE_ID = seed.string_type  # noqa: N806
    QUEUE_ID_1, PLUGIN_ID_1, PLUGIN_ID_2 = seed.queue_id, seed.plugin_id, seed.artifact_plugin_id  # noqa: N806

    # The seed's example as it stands (entrypoints reference, "Using Python Client").
    # fmt: off
    entrypoint = client.entrypoints.create( group_id=GROUP_ID, name="hello_world", task_graph=TASK_GRAPH_YAML_STR, artifact_graph=ARTIFACT_TASK_GRAPH_YAML_STR, description="An entrypoint to run hello world task", parameters=[ { "name": "greeting", "defaultValue": "Hello", "parameterType": "string", }, { "name": "name", "defaultValue": "World", "parameterType": "string", }, ], artifact_parameters=[ { "name": "artifact_name", "outputParams": [ {"name": "value", "parameterType": STRING_PARAM_TYPE_ID} ], } ], queues=[QUEUE_ID_1], plugins=[PLUGIN_ID_1], artifact_plugins=[PLUGIN_ID_2], )  # noqa: E501
    # fmt: on

    assert entrypoint["name"] == "hello_world" and entrypoint["valid"] is True
    assert entrypoint["taskGraph"] == TASK_GRAPH and entrypoint["artifactGraph"] == ARTIFACT_GRAPH
    assert [p["defaultValue"] for p in entrypoint["parameters"]] == ["Hello", "World"]
    output = entrypoint["artifactParameters"][0]["outputParams"][0]
    assert output["parameterType"]["name"] == "string"
    assert ids(entrypoint["queues"]) == [QUEUE_ID_1]
    assert ids(entrypoint["plugins"]) == [PLUGIN_ID_1]
    assert ids(entrypoint["artifactPlugins"]) == [PLUGIN_ID_2]
    assert client.entrypoints.get_by_id(entrypoint["id"]) == entrypoint


def current_username(client: Client) -> str:
    """Who ``client`` is signed in as; the client is closed (its connection would otherwise keep
    a thread of the live server waiting until the end of the session)."""
    with client:
        return client.users.get_current()["username"]


def test_auth_session_token_and_environment(site, monkeypatch):
    with Client(site) as anonymous:
        error = error_of(anonymous.users.get_current)
        assert error.status == 401 and error.message
        assert error_of(anonymous.login, "alice", "wrong").status == 401

        assert anonymous.login("alice", PASSWORD)["username"] == "alice"
        assert anonymous.users.get_current()["username"] == "alice"
        assert anonymous.logout()["username"] == "alice"
        assert error_of(anonymous.users.get_current).status == 401
        key = anonymous.auth.get_token("alice", PASSWORD)["token"]

    assert current_username(Client(site, token=key)) == "alice"
    monkeypatch.setenv("ENTRYPOINTS_API_URL", site)
    monkeypatch.setenv("ENTRYPOINTS_API_TOKEN", key)
    assert current_username(Client()) == "alice"
    assert current_username(Client(site + "/api/v1/", token=key)) == "alice"
    with Client(site, token="not-a-key") as wrong:
        assert error_of(wrong.users.get_current).status == 401


def test_users_and_groups(client, group_id):
    me = client.users.get_current()
    assert client.users.get_by_id(me["id"])["username"] == "alice"
    assert "alice" in [u["username"] for u in client.users.get(search="alice")["data"]]
    assert "alice" in [u["username"] for u in client.users.iter_all()]
    assert client.groups.get_by_id(group_id)["name"] == "public"
    assert group_id in ids(client.groups.get()["data"])
    assert group_id in ids(client.groups.iter_all(search="public"))


def test_parameter_types(client, group_id):
    types = client.plugin_parameter_types
    created = types.create(
        group_id, "image_shape", description="a shape", structure={"list": "integer"}
    )
    assert (created["name"], created["structure"]) == ("image_shape", {"list": "integer"})
    assert types.get_by_id(created["id"])["description"] == "a shape"
    modified = types.modify_by_id(created["id"], "image_dims", None, {"list": "number"})
    assert (modified["name"], modified["description"]) == ("image_dims", None)
    names = [t["name"] for t in types.iter_all(group_id=group_id, page_length=2)]
    assert {"string", "integer", "image_dims"} <= set(names) and len(names) == len(set(names))
    found = types.get(group_id=group_id, search="name:image_*", sort_by="name", descending=True)
    assert ids(found["data"]) == [created["id"]]

    snapshots = types.snapshots.get(created["id"])["data"]
    assert [s["name"] for s in snapshots] == ["image_shape", "image_dims"]
    first = types.snapshots.get_by_id(created["id"], snapshot_id=snapshots[0]["snapshot"])
    assert first["structure"] == {"list": "integer"}
    assert [s["snapshot"] for s in types.snapshots.iter_all(created["id"], page_length=1)] == [
        s["snapshot"] for s in snapshots
    ]

    tag = client.tags.create(group_id, "vision")
    assert ids(types.tags.append(created["id"], ids=[tag["id"]])) == [tag["id"]]
    assert ids(types.tags.get(created["id"])) == [tag["id"]]

    conflict = error_of(types.create, group_id, "image_dims")
    assert conflict.status == 409 and "image_dims" in conflict.message
    string = next(t for t in types.iter_all(group_id=group_id) if t["name"] == "string")
    builtin = error_of(types.modify_by_id, string["id"], "text", None, None)
    assert builtin.status == 403 and "string" in builtin.message
    assert types.delete_by_id(created["id"])["status"] == "Success"
    assert error_of(types.get_by_id, created["id"]).status == 404


def test_queues_and_tags(client, group_id):
    queue = client.queues.create(group_id, "gpu", description="the GPU queue")
    spare = client.queues.create(group_id, "cpu")
    assert spare["description"] is None
    assert client.queues.get_by_id(queue["id"])["description"] == "the GPU queue"
    page = client.queues.get(group_id=group_id, page_length=1, sort_by="name")
    assert ids(page["data"]) == [spare["id"]] and page["isComplete"] is False
    assert ids(client.queues.iter_all(group_id=group_id, page_length=1, sort_by="name")) == [
        spare["id"],
        queue["id"],
    ]
    renamed = client.queues.modify_by_id(spare["id"], "cpu2", "spare")
    assert (renamed["name"], renamed["description"]) == ("cpu2", "spare")
    assert len(client.queues.snapshots.get(spare["id"])["data"]) == 2
    first = client.queues.snapshots.get(spare["id"])["data"][0]
    assert (
        client.queues.snapshots.get_by_id(spare["id"], snapshot_id=first["snapshot"])["name"]
        == "cpu"
    )

    tags = client.tags
    mnist, cifar = tags.create(group_id, "mnist"), tags.create(group_id, "cifar")
    assert tags.get_by_id(mnist["id"])["name"] == "mnist"
    assert tags.modify_by_id(cifar["id"], "cifar10")["name"] == "cifar10"
    assert [t["name"] for t in tags.get(group_id=group_id, sort_by="name")["data"]] == [
        "cifar10",
        "mnist",
    ]
    assert [t["name"] for t in tags.iter_all(group_id=group_id, page_length=1, sort_by="name")] == [
        "cifar10",
        "mnist",
    ]

    queue_tags = client.queues.tags
    assert ids(queue_tags.append(queue["id"], ids=[mnist["id"]])) == [mnist["id"]]
    assert set(ids(queue_tags.modify(queue["id"], ids=[mnist["id"], cifar["id"]]))) == {
        mnist["id"],
        cifar["id"],
    }
    assert queue_tags.remove(queue["id"], tag_id=cifar["id"])["status"] == "Success"
    assert ids(queue_tags.get(queue["id"])) == [mnist["id"]]
    assert f"/api/v1/queues/{queue['id']}" in tags.get_resources_for_tag(mnist["id"])["data"]
    assert tags.get_resources_for_tag(mnist["id"], resource_type="entry_point")["data"] == []
    queue_tags.remove_all(queue["id"])
    assert queue_tags.get(queue["id"]) == []

    assert tags.delete_by_id(cifar["id"])["status"] == "Success"
    assert error_of(tags.get_by_id, cifar["id"]).status == 404
    assert client.queues.delete_by_id(spare["id"])["status"] == "Success"
    assert error_of(client.queues.get_by_id, spare["id"]).status == 404


def test_plugins_and_files(client, seed):
    plugins = client.plugins
    plugin = plugins.create(seed.group_id, "scratch", description="first")
    assert plugin["files"] == []
    assert plugins.modify_by_id(plugin["id"], "scratch", "second")["description"] == "second"
    assert plugins.get_by_id(plugin["id"])["name"] == "scratch"
    assert [p["name"] for p in plugins.get(group_id=seed.group_id, sort_by="name")["data"]] == [
        "artifact_plugin",
        "hello_plugin",
        "scratch",
    ]
    assert len(list(plugins.iter_all(group_id=seed.group_id, page_length=2))) == 3

    files = plugins.files
    created = files.create(plugin["id"], "tasks.py", HELLO_PY, description="hello")
    assert created["tasks"] == {"functions": [], "artifacts": []}
    task = {
        "name": "hello_world",
        "inputParams": [{"name": "name", "parameterType": seed.string_type, "required": True}],
        "outputParams": [{"name": "message", "parameterType": seed.string_type}],
    }
    changed = files.modify_by_id(plugin["id"], created["id"], "tasks.py", HELLO_PY, [task])
    assert changed["tasks"]["functions"][0]["inputParams"][0]["parameterType"]["name"] == "string"
    assert changed["description"] is None  # PUT replaces: omitted is cleared
    assert files.get_by_id(plugin["id"], created["id"])["contents"] == HELLO_PY
    files.create(plugin["id"], "sub/util.py", "X = 1\n", artifact_tasks=[])
    assert [f["filename"] for f in files.get(plugin["id"], sort_by="filename")["data"]] == [
        "sub/util.py",
        "tasks.py",
    ]
    assert len(list(files.iter_all(plugin["id"], page_length=1))) == 2
    history = files.snapshots.get(plugin["id"], created["id"])["data"]
    assert [s["description"] for s in history] == ["hello", None]
    first = files.snapshots.get_by_id(
        plugin["id"], created["id"], snapshot_id=history[0]["snapshot"]
    )
    assert first["tasks"]["functions"] == []

    tag = client.tags.create(seed.group_id, "nlp")
    assert ids(files.tags.append(plugin["id"], created["id"], ids=[tag["id"]])) == [tag["id"]]
    files.tags.remove_all(plugin["id"], created["id"])
    assert plugins.tags.append(plugin["id"], ids=[tag["id"]])[0]["name"] == "nlp"
    snapshots = plugins.snapshots.get(plugin["id"], page_length=100)["data"]
    assert len(snapshots) == 5  # created, modified, and one per file change
    assert (
        plugins.snapshots.get_by_id(plugin["id"], snapshot_id=snapshots[0]["snapshot"])["files"]
        == []
    )

    bad = error_of(files.create, plugin["id"], "not-a-module.py", "")
    assert bad.status == 400 and list(bad.field_errors) == ["filename"]
    assert files.delete_by_id(plugin["id"], created["id"])["status"] == "Success"
    assert error_of(files.get_by_id, plugin["id"], created["id"]).status == 404
    assert files.delete_all(plugin["id"])["status"] == "Success"
    assert files.get(plugin["id"])["data"] == []
    assert plugins.delete_by_id(plugin["id"])["status"] == "Success"
    assert error_of(plugins.get_by_id, plugin["id"]).status == 404


def make_entrypoint(client, seed, name="hello_world", **fields):
    return client.entrypoints.create(
        seed.group_id,
        name,
        TASK_GRAPH,
        artifact_graph=fields.pop("artifact_graph", ARTIFACT_GRAPH),
        parameters=[
            {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
            {"name": "name", "defaultValue": "World", "parameterType": "string"},
        ],
        queues=[seed.queue_id],
        plugins=[seed.plugin_id],
        artifact_plugins=[seed.artifact_plugin_id],
        **fields,
    )


def test_entrypoints_and_their_sub_collections(client, seed):
    entrypoints = client.entrypoints
    would_be = make_entrypoint(client, seed, validate_only=True)
    assert would_be["valid"] is True and "id" not in would_be
    assert entrypoints.get(group_id=seed.group_id)["data"] == []

    entrypoint = make_entrypoint(client, seed, description="greets")
    ep = entrypoint["id"]
    for n in range(11):
        entrypoints.create(seed.group_id, f"other_{n:02}", "", description="filler")
    page = entrypoints.get(group_id=seed.group_id, page_length=5, sort_by="name")
    assert page["totalNumResults"] == 12 and len(page["data"]) == 5
    names = [
        e["name"]
        for e in entrypoints.iter_all(group_id=seed.group_id, page_length=5, sort_by="name")
    ]
    assert names == ["hello_world"] + [f"other_{n:02}" for n in range(11)]
    found = entrypoints.get(group_id=seed.group_id, search="description:greets")
    assert ids(found["data"]) == [ep]
    assert error_of(entrypoints.get, search="no_such_field:x").status == 422

    # PUT without snapshot ids keeps the plugins; with them, they choose the pinned snapshots.
    modified = entrypoints.modify_by_id(
        ep,
        "hello_world",
        TASK_GRAPH,
        ARTIFACT_GRAPH,
        "changed",
        entrypoint["parameters"],
        [],
        [seed.queue_id],
    )
    assert modified["description"] == "changed" and ids(modified["plugins"]) == [seed.plugin_id]
    detached = entrypoints.modify_by_id(
        ep, "hello_world", TASK_GRAPH, None, None, None, None, None, [], [], validate_only=True
    )
    assert detached["plugins"] == [] and detached["valid"] is False
    assert ids(entrypoints.get_by_id(ep)["plugins"]) == [seed.plugin_id]

    plugins = entrypoints.plugins
    assert ids(plugins.get(ep)) == [seed.plugin_id]
    assert plugins.get_by_id(ep, seed.plugin_id)["latestSnapshot"] is True
    assert plugins.delete_by_id(ep, seed.plugin_id)["status"] == "Success"
    assert error_of(plugins.get_by_id, ep, seed.plugin_id).status == 404
    assert ids(plugins.create(ep, plugin_ids=[seed.plugin_id])) == [seed.plugin_id]
    artifact_plugins = entrypoints.artifact_plugins
    assert ids(artifact_plugins.get(ep)) == [seed.artifact_plugin_id]
    assert artifact_plugins.get_by_id(ep, seed.artifact_plugin_id)["name"] == "artifact_plugin"
    artifact_plugins.delete_by_id(ep, seed.artifact_plugin_id)
    assert artifact_plugins.get(ep) == []
    assert ids(artifact_plugins.create(ep, artifact_plugin_ids=[seed.artifact_plugin_id])) == [
        seed.artifact_plugin_id
    ]

    queues = entrypoints.queues
    spare = client.queues.create(seed.group_id, "spare")["id"]
    assert set(ids(queues.create(ep, queue_ids=[spare]))) == {seed.queue_id, spare}
    assert ids(queues.modify_by_id(ep, queue_ids=[spare])) == [spare]
    assert queues.delete_by_id(ep, spare)["status"] == "Success"
    queues.create(ep, queue_ids=[seed.queue_id, spare])
    assert queues.delete(ep)["status"] == "Success" and queues.get(ep) == []

    tag = client.tags.create(seed.group_id, "demo")["id"]
    assert ids(entrypoints.tags.modify(ep, ids=[tag])) == [tag]
    assert ids(entrypoints.tags.get(ep)) == [tag]
    entrypoints.tags.remove(ep, tag_id=tag)
    assert entrypoints.tags.get(ep) == []

    snapshots = entrypoints.snapshots
    history = snapshots.get(ep, page_length=100)["data"]
    # created, modified, a plugin and an artifact plugin detached and attached again
    assert len(history) == 6 and history[0]["description"] == "greets"
    latest = history[-1]["snapshot"]
    assert snapshots.get_by_id(ep, snapshot_id=latest)["snapshot"] == latest
    assert len(list(snapshots.iter_all(ep, page_length=4))) == 6
    document = snapshots.get_config(ep, latest)
    assert "hello_world" in str(document["graph"])
    assert ids(snapshots.get_artifact_plugins(ep, latest)) == [seed.artifact_plugin_id]

    assert entrypoints.delete_by_id(ep)["status"] == "Success"
    assert error_of(entrypoints.get_by_id, ep).status == 404


def test_workflows_validate_and_analyse(client, seed):
    entrypoint = make_entrypoint(client, seed)
    plugin_snapshots = [p["snapshotId"] for p in entrypoint["plugins"]]
    artifact_snapshots = [p["snapshotId"] for p in entrypoint["artifactPlugins"]]
    parameters = entrypoint["parameters"]
    workflows = client.workflows

    valid = workflows.validate_entrypoint(
        seed.group_id,
        TASK_GRAPH,
        plugin_snapshots,
        parameters,
        artifact_graph=ARTIFACT_GRAPH,
        artifact_plugin_snapshots=artifact_snapshots,
        artifact_parameters=[
            {"name": "art", "outputParams": [{"name": "v", "parameterType": seed.string_type}]}
        ],
    )
    assert valid["schemaValid"] is True

    broken = workflows.validate_entrypoint(
        seed.group_id,
        TASK_GRAPH.replace("$name", "$nme"),
        plugin_snapshots,
        parameters,
        artifact_graph=ARTIFACT_GRAPH,
    )
    assert broken["schemaValid"] is False
    codes = {(i["code"], i["source"], i["line"]) for i in broken["schemaIssues"]}
    assert ("E_REF_UNRESOLVABLE", "taskGraph", 4) in codes
    # Without the artifact plugin, the artifact graph's task is unknown.
    assert any(i["source"] == "artifactGraph" for i in broken["schemaIssues"])

    invisible = error_of(workflows.validate_entrypoint, seed.group_id, TASK_GRAPH, [10**9], [])
    assert invisible.status == 400 and "pluginSnapshots" in invisible.field_errors

    analysis = workflows.analyze_plugin_task_signatures(HELLO_PY)
    assert [t["name"] for t in analysis["tasks"]] == ["hello_world"]


def test_errors_carry_status_message_and_fields(client, seed, settings):
    bad = error_of(
        client.entrypoints.create,
        seed.group_id,
        "typed",
        "",
        parameters=[{"name": "n", "parameterType": "complex", "defaultValue": None}],
    )
    assert bad.status == 400 and "parameters" in bad.field_errors
    assert "parameters" in str(bad) and "400" in str(bad)
    make_entrypoint(client, seed)
    taken = error_of(make_entrypoint, client, seed)
    assert taken.status == 409 and "hello_world" in taken.message

    settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 100}
    huge = error_of(client.entrypoints.create, seed.group_id, "huge", "a: {b: c}\n" * 20)
    assert huge.status == 413 and list(huge.field_errors) == ["taskGraph"]

    olga = make_user("olga", elsewhere="write")
    foreign = make_group("elsewhere")
    from entrypoints.services import entrypoint_create

    theirs = entrypoint_create(user=olga, group=foreign, name="olgas", task_graph="")
    assert error_of(client.entrypoints.get_by_id, theirs.pk).status == 404

    make_user("rita", lab="read")
    with Client(client.url) as reader:
        reader.login("rita", PASSWORD)
        lab = next(g["id"] for g in reader.users.get_current()["groups"] if g["name"] == "lab")
        refused = error_of(reader.queues.create, lab, "mine")
        assert refused.status == 403 and "lab" in refused.message

    offline = error_of(Client("http://127.0.0.1:1").users.get_current)
    assert offline.status is None and "127.0.0.1:1" in str(offline)


def test_iter_all_follows_any_paged_method(client, seed):
    for n in range(7):
        client.queues.create(seed.group_id, f"q{n}")
    every = list(iter_all(client.queues.get, seed.group_id, page_length=3, sort_by="name"))
    assert [q["name"] for q in every] == ["default", *(f"q{n}" for n in range(7))]
