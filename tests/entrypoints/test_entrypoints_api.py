"""``/api/v1/entrypoints``: the shared matrices, every sub-collection, the contract's shapes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entrypoints import services
from entrypoints.models import Entrypoint
from jobs.services import queue_create
from tests.api.matrix import ACTORS, READ, WRITE
from tests.api.mixins import GroupOwnedAPITests, ResourceTagsAPITests, make_tag, unique_name
from tests.api.shapes import RESOURCE_FIELDS
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_entrypoint,
    make_hello_plugin,
)
from tests.factories import make_group
from tests.plugins.factories import builtin, make_file

URL = "/api/v1/entrypoints"
# The resource envelope with the verdict (valid, issues) just before tags.
ENVELOPE = [name for name in RESOURCE_FIELDS if name != "tags"] + ["valid", "issues", "tags"]
FIELDS = [
    "name",
    "description",
    "taskGraph",
    "artifactGraph",
    "parameters",
    "artifactParameters",
    "plugins",
    "artifactPlugins",
    "queues",
]


def detail(entrypoint) -> str:
    return f"{URL}/{entrypoint.pk}"


def snapshot_count(entrypoint) -> int:
    return entrypoint.history.count()


def make_rich_entrypoint(group):
    """An entrypoint with a queue, artifact plugins and a tag: every relation its body shows."""
    queue = queue_create(user=None, group=group, name=unique_name("q"))
    entrypoint = make_entrypoint(
        group, queues=[queue], artifact_plugins=[make_artifact_plugin(group)]
    )
    entrypoint.tags.add(make_tag(group))
    return entrypoint


class TestEntrypointAPI(GroupOwnedAPITests):
    list_url = URL
    model = Entrypoint
    # The paging count, the page, then one prefetch each: tags, queues, plugin snapshots, the
    # latest snapshot ids of those plugins.
    list_queries = 6
    # The object, its tags and queues, plugin snapshots and their latest ids.
    detail_queries = 5

    def make_object(self, group, name=None):
        return make_entrypoint(group, name)

    def make_rich_object(self, group):
        return make_rich_entrypoint(group)

    def create_payload(self, group):
        return {
            "group": group.pk,
            "name": unique_name("entrypoint"),
            "taskGraph": HELLO_GRAPH,
            "parameters": HELLO_PARAMETERS,
            "plugins": [make_hello_plugin(group).pk],
        }

    def update_payload(self, obj):
        return {
            "name": obj.name + "_renamed",
            "taskGraph": obj.task_graph,
            "parameters": obj.parameters,
        }


class TestEntrypointTagsAPI(ResourceTagsAPITests):
    def detail_url(self, obj):
        return detail(obj)

    def make_object(self, group, name=None):
        return make_entrypoint(group, name)


# Permission matrices of the sub-collections ----------------------------------------------------


@pytest.mark.django_db
class TestSubCollectionMatrix:
    @pytest.mark.parametrize("actor", ACTORS)
    @pytest.mark.parametrize("path", ["plugins", "artifactPlugins", "queues", "snapshots", "tags"])
    def test_reads(self, actor, path, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        assert as_actor(actor).get(f"{detail(entrypoint)}/{path}").status_code == READ[actor]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_read_one_plugin_snapshot_and_config(self, actor, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        artifacts = make_artifact_plugin(lab)
        services.entrypoint_artifact_plugins_attach(
            user=None, entrypoint=entrypoint, artifact_plugins=[artifacts]
        )
        client = as_actor(actor)
        hello_id = _attached_ids(entrypoint)["plugins"][0]
        sid = entrypoint.history.latest("history_id").history_id
        for url in (
            f"{detail(entrypoint)}/plugins/{hello_id}",
            f"{detail(entrypoint)}/artifactPlugins/{artifacts.pk}",
            f"{detail(entrypoint)}/snapshots/{sid}",
            f"{detail(entrypoint)}/snapshots/{sid}/config",
        ):
            assert client.get(url).status_code == READ[actor], url

    @pytest.mark.parametrize("actor", ACTORS)
    def test_attach_plugins(self, actor, as_actor, lab):
        entrypoint = make_entrypoint(lab, plugins=[])
        hello = make_hello_plugin(lab)
        response = as_actor(actor).post(
            f"{detail(entrypoint)}/plugins", {"plugins": [hello.pk]}, format="json"
        )
        assert response.status_code == WRITE[actor]
        changed = response.status_code == 200
        assert snapshot_count(entrypoint) == 1 + changed
        if changed:
            assert [p["id"] for p in response.json()] == [hello.pk]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_attach_artifact_plugins(self, actor, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        artifacts = make_artifact_plugin(lab)
        response = as_actor(actor).post(
            f"{detail(entrypoint)}/artifactPlugins",
            {"artifactPlugins": [artifacts.pk]},
            format="json",
        )
        assert response.status_code == WRITE[actor]
        assert snapshot_count(entrypoint) == 1 + (response.status_code == 200)

    @pytest.mark.parametrize("actor", ACTORS)
    @pytest.mark.parametrize("kind", ["plugins", "artifactPlugins"])
    def test_detach(self, actor, kind, as_actor, lab):
        artifacts = make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab, artifact_plugins=[artifacts])
        plugin_id = _attached_ids(entrypoint)[kind][0]
        response = as_actor(actor).delete(f"{detail(entrypoint)}/{kind}/{plugin_id}")
        assert response.status_code == WRITE[actor]
        changed = response.status_code == 200
        if changed:
            assert response.json() == {"id": [plugin_id], "status": "Success"}
        entrypoint.refresh_from_db()
        assert bool(_attached_ids(entrypoint)[kind]) != changed
        assert snapshot_count(entrypoint) == 1 + changed

    @pytest.mark.parametrize("actor", ACTORS)
    @pytest.mark.parametrize("method", ["post", "put"])
    def test_add_or_replace_queues(self, actor, method, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        kept, new = (
            queue_create(user=None, group=lab, name="kept"),
            queue_create(user=None, group=lab, name="new"),
        )
        entrypoint.queues.add(kept)
        response = getattr(as_actor(actor), method)(
            f"{detail(entrypoint)}/queues", {"ids": [new.pk]}, format="json"
        )
        assert response.status_code == WRITE[actor]
        expected = {kept.pk}
        if response.status_code == 200:
            expected = {kept.pk, new.pk} if method == "post" else {new.pk}
            assert {q["id"] for q in response.json()} == expected
        assert set(entrypoint.queues.values_list("pk", flat=True)) == expected
        assert snapshot_count(entrypoint) == 1

    @pytest.mark.parametrize("actor", ACTORS)
    def test_remove_queues(self, actor, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        one, two = (
            queue_create(user=None, group=lab, name="one"),
            queue_create(user=None, group=lab, name="two"),
        )
        entrypoint.queues.add(one, two)
        client = as_actor(actor)
        response = client.delete(f"{detail(entrypoint)}/queues/{one.pk}")
        assert response.status_code == WRITE[actor]
        if response.status_code == 200:
            assert response.json() == {"id": [one.pk], "status": "Success"}
            response = client.delete(f"{detail(entrypoint)}/queues")
            assert response.json() == {"id": [two.pk], "status": "Success"}
            assert not entrypoint.queues.exists()
        assert snapshot_count(entrypoint) == 1


def _attached_ids(entrypoint) -> dict[str, list[int]]:
    from entrypoints.selectors import with_attachments

    with_attachments([entrypoint])
    return {
        "plugins": [p.id for p in entrypoint.attached_plugins],
        "artifactPlugins": [p.id for p in entrypoint.attached_artifact_plugins],
    }


# The contract: shapes, envelopes, status codes -------------------------------------------------


@pytest.mark.django_db
class TestContract:
    def example(self, lab):
        hello = make_hello_plugin(lab, "hello_plugin")
        queue = queue_create(user=None, group=lab, name="default")
        string = builtin(lab, "string")
        return (
            {
                "group": lab.pk,
                "name": "hello_world",
                "taskGraph": HELLO_GRAPH,
                "artifactGraph": "",
                "description": "An entrypoint to run hello world task",
                "parameters": HELLO_PARAMETERS,
                "artifactParameters": [
                    {
                        "name": "artifact_name",
                        "outputParams": [{"name": "value", "parameterType": string.pk}],
                    }
                ],
                "queues": [queue.pk],
                "plugins": [hello.pk],
                "artifactPlugins": [],
            },
            hello,
            queue,
            string,
        )

    def test_create_answers_200_with_the_example_shape(self, as_actor, actors, lab):
        payload, hello, queue, string = self.example(lab)
        response = as_actor("writer").post(URL, payload, format="json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert list(body) == ENVELOPE + FIELDS
        assert response["ETag"] == f'"{body["snapshot"]}"'
        assert body["group"] == {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"}
        writer = actors["writer"]
        assert body["user"] == {
            "id": writer.pk,
            "username": "writer",
            "url": f"/api/v1/users/{writer.pk}",
        }
        assert (body["latestSnapshot"], body["hasDraft"], body["tags"]) == (True, False, [])
        assert (body["valid"], body["issues"]) == (True, [])
        for field in ("name", "description", "taskGraph", "artifactGraph", "parameters"):
            assert body[field] == payload[field]
        type_ref = {
            "id": string.pk,
            "name": "string",
            "group": body["group"],
            "url": f"/api/v1/pluginParameterTypes/{string.pk}",
        }
        assert body["artifactParameters"] == [
            {
                "name": "artifact_name",
                "outputParams": [{"name": "value", "parameterType": type_ref}],
            }
        ]
        assert body["queues"] == [
            {
                "id": queue.pk,
                "name": "default",
                "group": body["group"],
                "url": f"/api/v1/queues/{queue.pk}",
            }
        ]
        [plugin] = body["plugins"]
        sid = hello.history.latest("history_id").history_id
        assert list(plugin) == ["id", "name", "snapshotId", "latestSnapshot", "url", "files"]
        assert (plugin["id"], plugin["name"], plugin["snapshotId"], plugin["latestSnapshot"]) == (
            hello.pk,
            "hello_plugin",
            sid,
            True,
        )
        assert plugin["url"] == f"/api/v1/plugins/{hello.pk}/snapshots/{sid}"
        [file] = plugin["files"]
        assert list(file) == ["id", "filename", "snapshotId", "url", "tasks"]
        assert (
            file["url"]
            == f"/api/v1/plugins/{hello.pk}/files/{file['id']}/snapshots/{file['snapshotId']}"
        )
        [task] = file["tasks"]["functions"]
        assert file["tasks"]["artifacts"] == []
        assert task["name"] == "hello_world"
        assert task["inputParams"][0] == {
            "name": "greeting",
            "parameterType": type_ref,
            "required": True,
        }
        assert task["outputParams"] == [{"name": "message", "parameterType": type_ref}]
        assert body["artifactPlugins"] == []

    def test_reads_lists_and_snapshots_carry_the_verdict(self, as_actor, lab):
        entrypoint = make_entrypoint(lab, task_graph="step:\n  nothing_here: []\n")
        client = as_actor("reader")
        body = client.get(detail(entrypoint)).json()
        assert body["valid"] is False
        [issue] = body["issues"]
        assert issue["code"] == "E_UNKNOWN_TASK"
        assert set(issue) >= {
            "code",
            "severity",
            "category",
            "type",
            "message",
            "source",
            "path",
            "line",
            "column",
            "endLine",
            "endColumn",
        }
        assert (issue["source"], issue["line"]) == ("taskGraph", 2)
        [row] = [
            r
            for r in client.get(URL, {"pageLength": 100}).json()["data"]
            if r["id"] == entrypoint.pk
        ]
        assert row["valid"] is False
        [snapshot] = client.get(f"{detail(entrypoint)}/snapshots").json()["data"]
        assert (snapshot["valid"], snapshot["issues"]) == (False, body["issues"])

    def test_outdated_plugins_read_latest_snapshot_false(self, as_actor, lab):
        hello = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello])
        client = as_actor("writer")
        assert client.get(detail(entrypoint)).json()["plugins"][0]["latestSnapshot"] is True
        make_file(hello, "more.py")
        assert client.get(detail(entrypoint)).json()["plugins"][0]["latestSnapshot"] is False
        assert (
            client.get(f"{detail(entrypoint)}/plugins/{hello.pk}").json()["latestSnapshot"] is False
        )
        synced = client.post(
            f"{detail(entrypoint)}/plugins", {"plugins": [hello.pk]}, format="json"
        )
        assert synced.status_code == 200
        assert synced.json()[0]["latestSnapshot"] is True
        assert synced.json()[0]["snapshotId"] == hello.history.latest("history_id").history_id

    def test_snapshots_are_oldest_first_paged_and_read_as_they_were(self, as_actor, lab):
        entrypoint = make_entrypoint(lab, "v0")
        for version in range(1, 4):
            services.entrypoint_update(
                user=None,
                entrypoint=entrypoint,
                name=f"v{version}",
                task_graph=HELLO_GRAPH,
                parameters=HELLO_PARAMETERS,
            )
        client = as_actor("reader")
        first = client.get(f"{detail(entrypoint)}/snapshots", {"pageLength": 2}).json()
        assert (first["totalNumResults"], first["isComplete"]) == (4, False)
        assert [s["name"] for s in first["data"]] == ["v0", "v1"]
        assert [s["latestSnapshot"] for s in first["data"]] == [False, False]
        second = client.get(first["next"]).json()
        assert [s["name"] for s in second["data"]] == ["v2", "v3"]
        assert second["data"][-1]["latestSnapshot"] is True
        assert all(s["id"] == entrypoint.pk for s in first["data"] + second["data"])
        old = first["data"][0]["snapshot"]
        one = client.get(f"{detail(entrypoint)}/snapshots/{old}").json()
        assert (one["snapshot"], one["name"], one["latestSnapshot"]) == (old, "v0", False)
        found = client.get(f"{detail(entrypoint)}/snapshots", {"search": "name:v2"}).json()
        assert [s["name"] for s in found["data"]] == ["v2"]

    def test_config_is_the_built_document(self, as_actor, lab):
        hello = make_hello_plugin(lab, "hello_plugin")
        entrypoint = make_entrypoint(lab, plugins=[hello])
        sid = entrypoint.history.get().history_id
        document = as_actor("reader").get(f"{detail(entrypoint)}/snapshots/{sid}/config").json()
        assert document["graph"] == {
            "message": {"hello_world": {"greeting": "$greeting", "name": "$name"}}
        }
        assert document["tasks"]["hello_world"]["plugin"] == "hello_plugin.tasks.hello_world"
        assert document["parameters"]["greeting"] == {"type": "string", "default": "Hello"}

    def test_unknown_snapshots_plugins_and_queues_are_404(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        other = make_entrypoint(lab)
        foreign_sid = other.history.get().history_id
        client = as_actor("writer")
        for url in (
            f"{detail(entrypoint)}/snapshots/{foreign_sid}",
            f"{detail(entrypoint)}/snapshots/{foreign_sid}/config",
            f"{detail(entrypoint)}/plugins/987654",
            f"{detail(entrypoint)}/artifactPlugins/987654",
            f"{detail(entrypoint)}/snapshots/x",
        ):
            assert client.get(url).status_code == 404, url
        assert client.delete(f"{detail(entrypoint)}/plugins/987654").status_code == 404
        assert client.delete(f"{detail(entrypoint)}/queues/987654").status_code == 404
        assert snapshot_count(entrypoint) == 1

    def test_every_route_works_with_and_without_trailing_slash(self, as_actor, lab):
        queue = queue_create(user=None, group=lab, name="q")
        artifacts = make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab, artifact_plugins=[artifacts])
        hello_id = _attached_ids(entrypoint)["plugins"][0]
        sid = entrypoint.history.get().history_id
        client = as_actor("writer")
        base = detail(entrypoint)
        gets = [
            URL,
            base,
            f"{base}/plugins",
            f"{base}/plugins/{hello_id}",
            f"{base}/artifactPlugins",
            f"{base}/artifactPlugins/{artifacts.pk}",
            f"{base}/queues",
            f"{base}/tags",
            f"{base}/snapshots",
            f"{base}/snapshots/{sid}",
            f"{base}/snapshots/{sid}/config",
        ]
        for url in gets:
            for variant in (url, url + "/"):
                assert client.get(variant).status_code == 200, variant
        for slash in ("", "/"):
            assert (
                client.post(f"{base}/queues{slash}", {"ids": [queue.pk]}, format="json").status_code
                == 200
            )
            assert client.delete(f"{base}/queues/{queue.pk}{slash}").status_code == 200
            assert (
                client.post(
                    f"{base}/plugins{slash}", {"plugins": [hello_id]}, format="json"
                ).status_code
                == 200
            )
            assert (
                client.post(
                    f"{base}/artifactPlugins{slash}",
                    {"artifactPlugins": [artifacts.pk]},
                    format="json",
                ).status_code
                == 200
            )
            body = {
                "name": entrypoint.name,
                "taskGraph": HELLO_GRAPH,
                "parameters": HELLO_PARAMETERS,
            }
            assert client.put(f"{base}{slash}", body, format="json").status_code == 200
            payload = {"group": lab.pk, "name": unique_name("e"), "taskGraph": HELLO_GRAPH}
            assert client.post(f"{URL}{slash}", payload, format="json").status_code == 200
            validate = {"group": lab.pk, "taskGraph": HELLO_GRAPH}
            assert (
                client.post(
                    f"/api/v1/workflows/validateEntrypoint{slash}", validate, format="json"
                ).status_code
                == 200
            )
        assert client.delete(f"{base}/artifactPlugins/{artifacts.pk}/").status_code == 200
        assert client.delete(f"{base}/plugins/{hello_id}").status_code == 200
        assert client.delete(f"{base}/").status_code == 200

    def test_texts_are_kept_exactly_and_description_defaults_to_none(self, as_actor, lab):
        client = as_actor("writer")
        graph = "# comment\r\nmessage:\r\n  hello_world: [a, b]\r\n\n"
        body = client.post(
            URL,
            {"group": lab.pk, "name": "e", "taskGraph": graph, "artifactGraph": "  \n"},
            format="json",
        ).json()
        assert (body["taskGraph"], body["artifactGraph"], body["description"]) == (
            graph,
            "  \n",
            None,
        )
        body = client.put(
            f"{URL}/{body['id']}",
            {"name": "e", "taskGraph": graph, "description": ""},
            format="json",
        ).json()
        assert (body["description"], body["artifactGraph"]) == ("", "")

    def test_put_clears_omitted_lists_and_keeps_plugins(self, as_actor, lab):
        queue = queue_create(user=None, group=lab, name="q")
        entrypoint = make_entrypoint(lab, queues=[queue], description="d")
        plugins = as_actor("reader").get(detail(entrypoint)).json()["plugins"]
        body = (
            as_actor("writer")
            .put(detail(entrypoint), {"name": "n", "taskGraph": HELLO_GRAPH}, format="json")
            .json()
        )
        assert (body["parameters"], body["queues"], body["description"]) == ([], [], None)
        assert body["plugins"] == plugins
        assert body["valid"] is False
        assert snapshot_count(entrypoint) == 2

    def test_put_with_plugin_snapshot_ids_as_dioptra_1_2_sends(self, as_actor, lab):
        hello = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello])
        pinned = entrypoint.plugin_snapshot_ids
        client = as_actor("writer")
        body = {
            "name": entrypoint.name,
            "taskGraph": HELLO_GRAPH,
            "parameters": HELLO_PARAMETERS,
            "pluginSnapshotIds": pinned,
            "artifactPluginSnapshotIds": [],
        }
        response = client.put(f"{detail(entrypoint)}?validateOnly=False", body, format="json")
        assert response.status_code == 200
        assert [p["snapshotId"] for p in response.json()["plugins"]] == pinned
        response = client.put(
            detail(entrypoint), {**body, "pluginSnapshotIds": [987654]}, format="json"
        )
        assert response.status_code == 400 and "pluginSnapshotIds" in response.json()
        response = client.put(detail(entrypoint), {**body, "pluginSnapshotIds": []}, format="json")
        assert response.json()["plugins"] == [] and response.json()["valid"] is False

    def test_search_and_sort_fields(self, as_actor, lab):
        alpha = make_entrypoint(
            lab,
            "alpha",
            description="Trains a zebra model",
            task_graph="step:\n  train_zebra: []\n",
        )
        beta = make_entrypoint(lab, "beta", description="Greets")
        client = as_actor("reader")

        def ids(**query):
            response = client.get(URL, {"pageLength": 100, **query})
            assert response.status_code == 200, response.content
            return [row["id"] for row in response.json()["data"]]

        assert ids(search="ZEBRA") == [alpha.pk]
        assert ids(search="taskGraph:*train_zebra*") == [alpha.pk]
        assert ids(search="description:greets") == [beta.pk]
        assert ids(search="name:?eta") == [beta.pk]
        assert ids(search=f"createdOn:{alpha.created_on.year}*") == [alpha.pk, beta.pk]
        services.entrypoint_plugins_sync(user=None, entrypoint=alpha)  # modified last
        assert ids(sortBy="lastModifiedOn") == [beta.pk, alpha.pk]
        assert ids(sortBy="createdOn", descending="True") == [beta.pk, alpha.pk]
        assert ids(sortBy="description") == [beta.pk, alpha.pk]
        assert ids(sortBy="taskGraph", descending="1") == [alpha.pk, beta.pk]
        assert client.get(URL, {"search": "artifactGraph:x"}).status_code == 422

    def test_snapshots_read_as_they_were_after_the_plugin_changed(self, as_actor, lab):
        from plugins_app.services import plugin_file_update

        hello = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello])
        client = as_actor("reader")
        sid = entrypoint.history.get().history_id
        before = client.get(f"{detail(entrypoint)}/snapshots/{sid}").json()
        config = client.get(f"{detail(entrypoint)}/snapshots/{sid}/config").json()
        plugin_file_update(
            user=None, plugin_file=hello.files.get(), filename="tasks.py", tasks={"functions": []}
        )
        client.post(f"{detail(entrypoint)}/plugins", {"plugins": [hello.pk]}, format="json")
        writer = as_actor("writer")
        synced = writer.post(
            f"{detail(entrypoint)}/plugins", {"plugins": [hello.pk]}, format="json"
        )
        assert synced.json()[0]["files"][0]["tasks"]["functions"] == []
        after = client.get(f"{detail(entrypoint)}/snapshots/{sid}").json()
        assert after["plugins"][0]["files"] == before["plugins"][0]["files"]
        assert after["plugins"][0]["latestSnapshot"] is False
        assert (after["valid"], after["issues"]) == (True, [])
        assert client.get(f"{detail(entrypoint)}/snapshots/{sid}/config").json() == config
        assert client.get(detail(entrypoint)).json()["valid"] is False

    def test_validate_only_stores_nothing(self, as_actor, lab):
        client = as_actor("writer")
        payload = {
            "group": lab.pk,
            "name": "dry",
            "taskGraph": HELLO_GRAPH,
            "parameters": HELLO_PARAMETERS,
        }
        response = client.post(f"{URL}?validateOnly=True", payload, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["name"] == "dry" and "id" not in body and "snapshot" not in body
        assert body["valid"] is False  # hello_world is not attached
        assert not Entrypoint.objects.exists()
        entrypoint = make_entrypoint(lab)
        response = client.put(
            f"{detail(entrypoint)}?validateOnly=true",
            {"name": "renamed", "taskGraph": "x: ["},
            format="json",
        )
        assert response.status_code == 200 and response.json()["valid"] is False
        entrypoint.refresh_from_db()
        assert entrypoint.name != "renamed" and snapshot_count(entrypoint) == 1
        assert client.post(f"{URL}?validateOnly=maybe", payload, format="json").status_code == 400

    def test_if_match_guards_plugin_writes(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        client = as_actor("writer")
        hello_id = _attached_ids(entrypoint)["plugins"][0]
        stale = '"1"' if entrypoint.history.get().history_id != 1 else '"2"'
        response = client.delete(f"{detail(entrypoint)}/plugins/{hello_id}", HTTP_IF_MATCH=stale)
        assert response.status_code == 412
        etag = client.get(detail(entrypoint))["ETag"]
        response = client.post(
            f"{detail(entrypoint)}/plugins",
            {"plugins": [hello_id]},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        assert response.status_code == 200 and response["ETag"] != etag


# Bad input: 4xx naming the field, and nothing changes ------------------------------------------


@pytest.mark.django_db
class TestBadInput:
    def assert_unchanged(self, entrypoint, before: dict):
        entrypoint.refresh_from_db()
        assert snapshot_count(entrypoint) == before["snapshots"]
        assert entrypoint.name == before["name"]

    def state(self, entrypoint) -> dict:
        return {"snapshots": snapshot_count(entrypoint), "name": entrypoint.name}

    def test_malformed_json_is_400(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        before = self.state(entrypoint)
        client = as_actor("writer")
        for url, method in (
            (URL, client.post),
            (detail(entrypoint), client.put),
            (f"{detail(entrypoint)}/plugins", client.post),
        ):
            response = method(url, data='{"name": "x", ', content_type="application/json")
            assert response.status_code == 400, url
        self.assert_unchanged(entrypoint, before)
        assert Entrypoint.objects.count() == 1

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"taskGraph": 5}, "taskGraph"),
            ({"taskGraph": None}, "taskGraph"),
            ({"artifactGraph": ["a"]}, "artifactGraph"),
            ({"description": True}, "description"),
            ({"name": 12}, "name"),
            ({"parameters": "greeting"}, "parameters"),
            ({"parameters": [{"name": "p", "parameterType": "complex"}]}, "parameters"),
            (
                {"parameters": [{"name": "p", "parameterType": "string", "defaultValue": 3}]},
                "parameters",
            ),
            ({"parameters": [{"name": "p", "parameterType": "string", "extra": 1}]}, "parameters"),
            ({"parameters": [{"parameterType": "string"}]}, "parameters"),
            (
                {
                    "artifactParameters": [
                        {"name": "a", "outputParams": [{"name": "v", "parameterType": "x"}]}
                    ]
                },
                "artifactParameters",
            ),
            ({"queues": "1"}, "queues"),
            ({"queues": [True]}, "queues"),
            ({"bogus": 1}, "bogus"),
            ({"snapshot": 1}, "snapshot"),
        ],
    )
    def test_wrong_types_and_unknown_fields_are_400_naming_the_field(
        self, change, field, as_actor, lab
    ):
        entrypoint = make_entrypoint(lab)
        before = self.state(entrypoint)
        client = as_actor("writer")
        body = {"name": "new_name", "taskGraph": HELLO_GRAPH, **change}
        response = client.put(detail(entrypoint), body, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        self.assert_unchanged(entrypoint, before)
        response = client.post(URL, {"group": lab.pk, **body}, format="json")
        assert response.status_code == 400 and field in response.json()
        assert Entrypoint.objects.count() == 1

    def test_duplicate_parameter_names_name_the_item(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        before = self.state(entrypoint)
        body = {
            "name": "n",
            "taskGraph": HELLO_GRAPH,
            "parameters": [*HELLO_PARAMETERS, {"name": "greeting", "parameterType": "string"}],
            "artifactParameters": [
                {"name": "a", "outputParams": []},
                {"name": "a", "outputParams": []},
            ],
        }
        response = as_actor("writer").put(detail(entrypoint), body, format="json")
        assert response.status_code == 400
        errors = response.json()
        assert list(errors["parameters"]) == ["2"] and list(errors["parameters"]["2"]) == ["name"]
        assert list(errors["artifactParameters"]) == ["1"]
        assert list(errors["artifactParameters"]["1"]) == ["name"]
        self.assert_unchanged(entrypoint, before)

    @pytest.mark.parametrize(
        "parameter_type, default",
        [
            ("integer", "three"),
            ("float", "1,5"),
            ("boolean", "yes"),
            ("list", '{"a": 1}'),
            ("mapping", "[1]"),
            ("list", "[1,"),
        ],
    )
    def test_defaults_that_do_not_convert_name_the_item(
        self, parameter_type, default, as_actor, lab
    ):
        body = {
            "group": lab.pk,
            "name": "e",
            "taskGraph": HELLO_GRAPH,
            "parameters": [
                HELLO_PARAMETERS[0],
                {"name": "p", "parameterType": parameter_type, "defaultValue": default},
            ],
        }
        response = as_actor("writer").post(URL, body, format="json")
        assert response.status_code == 400
        [message] = response.json()["parameters"]["1"]["defaultValue"]
        assert response.json() == {"parameters": {"1": {"defaultValue": [message]}}}
        assert repr(default) in message
        assert not Entrypoint.objects.exists()

    @pytest.mark.parametrize(
        "parameter_type, default",
        [
            ("integer", "-3"),
            ("float", "1e3"),
            ("boolean", "TRUE"),
            ("list", "[1, 2]"),
            ("mapping", '{"a": [1]}'),
            ("string", ""),
            ("integer", None),
        ],
    )
    def test_defaults_that_convert_are_accepted(self, parameter_type, default, as_actor, lab):
        body = {
            "group": lab.pk,
            "name": "e",
            "taskGraph": HELLO_GRAPH,
            "parameters": [{"name": "p", "parameterType": parameter_type, "defaultValue": default}],
        }
        response = as_actor("writer").post(URL, body, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["parameters"][0]["defaultValue"] == default

    def test_ids_of_other_groups_or_invisible_are_400_naming_the_field(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        before = self.state(entrypoint)
        public, elsewhere = make_group("public"), make_group("elsewhere")
        client = as_actor("writer")
        cases = [
            ("queues", [queue_create(user=None, group=public, name="pq").pk]),
            ("queues", [queue_create(user=None, group=elsewhere, name="eq").pk]),
            ("queues", [987654]),
            ("plugins", [make_hello_plugin(public).pk]),
            ("plugins", [make_hello_plugin(elsewhere).pk]),
            ("artifactPlugins", [make_artifact_plugin(public).pk]),
            (
                "artifactParameters",
                [
                    {
                        "name": "a",
                        "outputParams": [{"name": "v", "parameterType": builtin(public).pk}],
                    }
                ],
            ),
            (
                "artifactParameters",
                [
                    {
                        "name": "a",
                        "outputParams": [{"name": "v", "parameterType": builtin(elsewhere).pk}],
                    }
                ],
            ),
            ("group", elsewhere.pk),
        ]
        for field, value in cases:
            payload = {"group": lab.pk, "name": "x", "taskGraph": HELLO_GRAPH, field: value}
            response = client.post(URL, payload, format="json")
            assert response.status_code == 400, (field, value, response.content)
            assert field in response.json(), (field, response.json())
        for field, value in cases[:3] + cases[6:8]:
            response = client.put(
                detail(entrypoint),
                {"name": "x", "taskGraph": HELLO_GRAPH, field: value},
                format="json",
            )
            assert response.status_code == 400 and field in response.json(), field
        for kind, plugin in (
            ("plugins", make_hello_plugin(public)),
            ("artifactPlugins", make_artifact_plugin(elsewhere)),
        ):
            response = client.post(
                f"{detail(entrypoint)}/{kind}", {kind: [plugin.pk]}, format="json"
            )
            assert response.status_code == 400 and kind in response.json()
        response = client.post(
            f"{detail(entrypoint)}/queues", {"ids": [cases[0][1][0]]}, format="json"
        )
        assert response.status_code == 400 and "ids" in response.json()
        self.assert_unchanged(entrypoint, before)
        assert Entrypoint.objects.count() == 1

    def test_text_over_the_cap_is_413_naming_it(self, as_actor, lab, settings):
        settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 1000}
        entrypoint = make_entrypoint(lab)
        before = self.state(entrypoint)
        client = as_actor("writer")
        big = "x: " + "y" * 1000
        for field in ("taskGraph", "artifactGraph", "description"):
            body = {"name": "n", "taskGraph": HELLO_GRAPH, field: big}
            response = client.put(detail(entrypoint), body, format="json")
            assert response.status_code == 413 and field in response.json(), field
            response = client.post(URL, {"group": lab.pk, **body}, format="json")
            assert response.status_code == 413
        self.assert_unchanged(entrypoint, before)

    def test_huge_bodies_are_413(self, as_actor, lab, settings):
        client = as_actor("writer")
        text = "y" * (settings.MAX_REQUEST_BYTES + 1)
        body = f'{{"group": {lab.pk}, "name": "e", "taskGraph": "{text}"}}'
        assert client.post(URL, data=body, content_type="application/json").status_code == 413
        assert not Entrypoint.objects.exists()

    @pytest.mark.parametrize(
        "graph, code",
        [
            ("a: &x [1, 2]\nb: *x\n", "E_YAML_ALIAS"),
            (
                "a: &a [*a, *a]\n"
                + "".join(
                    f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n".replace("*l0", "*a")
                    for i in range(1, 30)
                ),
                "E_YAML_ALIAS",
            ),
            (
                "message:\n  hello_world: [a, b]\nmessage:\n  hello_world: [c, d]\n",
                "E_DUPLICATE_KEY",
            ),
            ("message: !!python/object/apply:os.system [echo hacked]\n", "E_YAML_TAG"),
            ("message: !!python/name:os.system\n", "E_YAML_TAG"),
            ("message:\n  hello_world: [a, b\n", "E_YAML_SYNTAX"),
            ("---\na: 1\n---\nb: 2\n", "E_MULTIPLE_DOCUMENTS"),
            ("\t- ]]]{{{", "E_YAML_SYNTAX"),
        ],
    )
    def test_hostile_or_broken_yaml_is_stored_invalid_never_expanded(
        self, graph, code, as_actor, lab
    ):
        client = as_actor("writer")
        response = client.post(
            URL, {"group": lab.pk, "name": "e", "taskGraph": graph}, format="json"
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["valid"] is False and code in [i["code"] for i in body["issues"]]
        assert body["taskGraph"] == graph
        sid = body["snapshot"]
        assert client.get(f"{URL}/{body['id']}/snapshots/{sid}/config").status_code == 200
        response = client.post(
            f"{URL}/{body['id']}/plugins", {"plugins": [make_hello_plugin(lab).pk]}, format="json"
        )
        assert response.status_code == 200


# Query counts and the browsable API ------------------------------------------------------------


def count_queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.django_db
class TestQueryCounts:
    """List and detail are pinned by ``TestEntrypointAPI``; snapshots must not grow either."""

    def test_snapshots_do_not_grow_with_page_size(self, as_actor, lab):
        entrypoint = make_rich_entrypoint(lab)
        for _ in range(4):
            services.entrypoint_plugins_sync(user=None, entrypoint=entrypoint)
        client = as_actor("reader")
        url = f"{detail(entrypoint)}/snapshots"
        assert count_queries(client, url, pageLength=1) == count_queries(client, url, pageLength=5)


@pytest.mark.django_db
class TestBrowsableAPI:
    def test_every_endpoint_renders_as_html(self, as_actor, lab):
        artifacts = make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab, artifact_plugins=[artifacts])
        hello_id = _attached_ids(entrypoint)["plugins"][0]
        sid = entrypoint.history.get().history_id
        base = detail(entrypoint)
        client = as_actor("writer")
        urls = [
            URL,
            base,
            f"{base}/plugins",
            f"{base}/plugins/{hello_id}",
            f"{base}/artifactPlugins",
            f"{base}/artifactPlugins/{artifacts.pk}",
            f"{base}/queues",
            f"{base}/tags",
            f"{base}/snapshots",
            f"{base}/snapshots/{sid}",
            f"{base}/snapshots/{sid}/config",
        ]
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="text/html")
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("text/html"), url
        response = client.get("/api/v1/workflows/validateEntrypoint", HTTP_ACCEPT="text/html")
        assert response.status_code == 405 and b'name="taskGraph"' in response.content

    @pytest.mark.parametrize("url", [URL, "/api/v1/workflows/validateEntrypoint", "{detail}"])
    def test_graphs_are_multiline_textareas(self, url, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        html = (
            as_actor("writer")
            .get(url.format(detail=detail(entrypoint)), HTTP_ACCEPT="text/html")
            .content.decode()
        )
        assert '<textarea name="taskGraph"' in html
        assert '<textarea name="artifactGraph"' in html

    def test_html_form_post_creates(self, as_actor, lab):
        client = as_actor("writer")
        response = client.post(
            URL,
            {"group": lab.pk, "name": "from_form", "taskGraph": HELLO_GRAPH},
            HTTP_ACCEPT="text/html",
        )
        assert response.status_code == 200
        assert Entrypoint.objects.get().name == "from_form"


@pytest.mark.django_db
def test_ids_out_of_any_range_are_client_errors(as_actor, lab):
    entrypoint = make_entrypoint(lab)
    client = as_actor("writer")
    huge = 2**70
    base = detail(entrypoint)
    for url, body in (
        (URL, {"group": lab.pk, "name": "a", "taskGraph": "", "queues": [huge]}),
        (URL, {"group": huge, "name": "a", "taskGraph": ""}),
        (f"{base}/plugins", {"plugins": [huge]}),
        (f"{base}/queues", {"ids": [huge]}),
        (f"{base}/tags", {"ids": [huge]}),
        (
            "/api/v1/workflows/validateEntrypoint",
            {"group": lab.pk, "taskGraph": "", "pluginSnapshots": [2**40]},
        ),
    ):
        assert client.post(url, body, format="json").status_code == 400, url
    body = {"name": "x", "taskGraph": "", "pluginSnapshotIds": [2**40]}
    assert client.put(base, body, format="json").status_code == 400
    for url in (
        f"{URL}/{huge}",
        f"{base}/snapshots/{huge}",
        f"{base}/snapshots/{huge}/config",
        f"{base}/plugins/{huge}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.delete(f"{base}/queues/{huge}").status_code == 404
    assert snapshot_count(entrypoint) == 1
