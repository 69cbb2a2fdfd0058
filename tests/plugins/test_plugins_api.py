"""``/api/v1/plugins`` and ``/plugins/{id}/files``: matrices, contract, history, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins_app import services
from plugins_app.models import Plugin, PluginFile
from plugins_app.validators import MAX_SOURCE_CHARS
from tests.api.matrix import ACTORS, READ, WRITE
from tests.api.mixins import (
    GroupOwnedAPITests,
    ResourceTagsAPITests,
    unique_name,
)
from tests.api.shapes import RESOURCE_FIELDS
from tests.factories import make_group
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

URL = "/api/v1/plugins"


def files_url(plugin) -> str:
    return f"{URL}/{plugin.pk}/files"


def file_url(plugin_file) -> str:
    return f"{URL}/{plugin_file.plugin_id}/files/{plugin_file.pk}"


def hello_tasks(group) -> dict:
    string = builtin(group)
    return {
        "functions": [
            function_task(
                "hello_world",
                inputs=[("greeting", string), ("name", string)],
                outputs=[("message", string)],
            )
        ]
    }


def plugin_snapshots(plugin) -> list:
    return list(Plugin.history.filter(id=plugin.pk).order_by("history_id"))


class TestPluginAPI(GroupOwnedAPITests, ResourceTagsAPITests):
    list_url = URL
    model = Plugin
    # The paging count, the page (group and creator joined), its tags (with their groups), its
    # files, the parameter types their tasks name.
    list_queries = 5
    # The plugin, its tags, its files, the parameter types their tasks name.
    detail_queries = 4

    def make_object(self, group, name=None):
        plugin = make_plugin(group, name)
        make_file(
            plugin,
            "tasks.py",
            contents="def hello_world(greeting, name): ...\n",
            tasks=hello_tasks(group),
        )
        return plugin

    def create_payload(self, group) -> dict:
        return {"group": group.pk, "name": unique_name("plugin"), "description": "Greetings."}

    def update_payload(self, obj) -> dict:
        return {"name": unique_name("renamed"), "description": obj.description}


class TestPluginFileAPI(GroupOwnedAPITests, ResourceTagsAPITests):
    """Files live in a plugin of ``lab``; objects of other groups live in plugins there."""

    model = PluginFile
    # The plugin (must be readable), the paging count, the page (group, creator and plugin
    # joined), its tags (with their groups), the parameter types its tasks name.
    list_queries = 5
    # The plugin, the file, its tags, the parameter types its tasks name.
    detail_queries = 4
    name_field = "filename"

    @pytest.fixture(autouse=True)
    def _plugin(self, lab):
        self.plugin = make_plugin(lab)
        self.list_url = files_url(self.plugin)

    def make_object(self, group, name=None):
        plugin = self.plugin if group == self.plugin.group else make_plugin(group)
        return make_file(
            plugin, f"{name or unique_name('mod')}.py", contents="x = 1\n", tasks=hello_tasks(group)
        )

    def detail_url(self, obj) -> str:
        return file_url(obj)

    def create_payload(self, group) -> dict:
        return {
            "filename": f"{unique_name('mod')}.py",
            "contents": "x = 1\n",
            "tasks": hello_tasks(group),
        }

    def update_payload(self, obj) -> dict:
        return {"filename": f"{unique_name('renamed')}.py", "contents": obj.contents, "tasks": {}}

    # A plugin the caller cannot see hides its files: lists and creates follow the read matrix.
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        response = as_actor(actor).get(self.list_url)
        assert response.status_code == READ[actor]
        if response.status_code == 200:
            assert [row["id"] for row in response.json()["data"]] == [obj.pk]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_create(self, actor, actors, as_actor, lab):
        payload = self.create_payload(lab)
        response = as_actor(actor).post(self.list_url, payload, format="json")
        assert response.status_code == WRITE[actor], response.content
        if response.status_code == 200:
            body = response.json()
            assert (
                body["filename"] == payload["filename"] and body["user"]["id"] == actors[actor].pk
            )
            assert PluginFile.history.filter(id=body["id"]).count() == 1


class TestContract:
    """Field names and shapes as Dioptra's client and scripts read them."""

    def test_plugin_shape_lists_files_with_task_refs(self, as_actor, lab):
        plugin = make_plugin(lab, "hello")
        plugin_file = make_file(plugin, "tasks.py", tasks=hello_tasks(lab))
        body = as_actor("reader").get(f"{URL}/{plugin.pk}").json()
        assert list(body) == [*RESOURCE_FIELDS, "name", "description", "files"]
        [file_ref] = body["files"]
        assert set(file_ref) == {"id", "group", "url", "plugin", "filename", "tasks"}
        assert file_ref["url"] == f"/api/v1/plugins/{plugin.pk}/files/{plugin_file.pk}"
        assert file_ref["plugin"] == plugin.pk
        [task] = file_ref["tasks"]["functions"]
        string = builtin(lab)
        assert task["inputParams"][0] == {
            "name": "greeting",
            "required": True,
            "parameterType": {
                "id": string.pk,
                "name": "string",
                "url": f"/api/v1/pluginParameterTypes/{string.pk}",
                "group": {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
            },
        }
        assert file_ref["tasks"]["artifacts"] == []

    def test_file_shape(self, as_actor, lab):
        plugin = make_plugin(lab, "hello")
        plugin_file = make_file(plugin, "tasks.py", tasks=hello_tasks(lab))
        body = as_actor("reader").get(file_url(plugin_file)).json()
        assert set(body) == {
            *RESOURCE_FIELDS,
            "filename",
            "contents",
            "description",
            "tasks",
            "plugin",
        }
        assert body["plugin"] == {
            "id": plugin.pk,
            "name": "hello",
            "url": f"/api/v1/plugins/{plugin.pk}",
            "group": {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
        }
        assert set(body["tasks"]["functions"][0]) == {"name", "inputParams", "outputParams"}

    def test_dioptra_client_bodies(self, as_actor, lab):
        """The bodies ``plugins.create`` and ``plugins.files.create`` send (no description)."""
        writer = as_actor("writer")
        plugin = writer.post(URL, {"group": lab.pk, "name": "hello"}, format="json").json()
        assert plugin["description"] is None and plugin["files"] == []
        string = builtin(lab).pk
        body = {
            "filename": "tasks.py",
            "contents": "",
            "tasks": {
                "functions": [
                    {
                        "name": "hello",
                        "inputParams": [{"name": "name", "parameterType": string}],
                        "outputParams": [{"name": "out", "parameterType": string}],
                    }
                ],
                "artifacts": [
                    {
                        "name": "TextArtifact",
                        "outputParams": [{"name": "text", "parameterType": string}],
                    }
                ],
            },
        }
        created = writer.post(f"{URL}/{plugin['id']}/files", body, format="json")
        assert created.status_code == 200, created.content
        tasks = created.json()["tasks"]
        assert tasks["functions"][0]["inputParams"][0]["required"] is True  # Dioptra's default
        assert tasks["artifacts"][0]["inputParams"] == []
        assert (
            writer.post(
                f"{URL}/{plugin['id']}/files",
                {"filename": "empty.py", "contents": "", "tasks": {}},
                format="json",
            ).status_code
            == 200
        )

    @pytest.mark.parametrize("text", ["", "\n", "  indented\r\n\ttabs  ", "ünïcödé ✓\n", "a\rb"])
    def test_texts_are_stored_exactly_as_sent(self, text, as_actor, lab):
        writer = as_actor("writer")
        plugin = make_plugin(lab)
        response = writer.post(
            files_url(plugin),
            {"filename": "t.py", "contents": text, "description": text},
            format="json",
        )
        assert response.status_code == 200
        again = writer.get(file_url(PluginFile.objects.get(pk=response.json()["id"]))).json()
        assert again["contents"] == text and again["description"] == text
        described = writer.put(
            f"{URL}/{plugin.pk}", {"name": plugin.name, "description": text}, format="json"
        )
        assert described.json()["description"] == text

    def test_deleting_a_plugin_deletes_its_files(self, as_actor, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin)
        writer = as_actor("writer")
        assert writer.delete(f"{URL}/{plugin.pk}").json() == {
            "id": [plugin.pk],
            "status": "Success",
        }
        assert writer.get(file_url(plugin_file)).status_code == 404
        assert PluginFile.objects.get(pk=plugin_file.pk).deleted_on is not None

    @pytest.mark.parametrize("actor", ACTORS)
    def test_delete_all_files(self, actor, as_actor, lab):
        plugin = make_plugin(lab)
        files = [make_file(plugin), make_file(plugin)]
        response = as_actor(actor).delete(files_url(plugin))
        assert response.status_code == WRITE[actor]
        alive = PluginFile.objects.alive().filter(plugin=plugin).count()
        if response.status_code == 200:
            assert sorted(response.json()["id"]) == sorted(f.pk for f in files)
            assert alive == 0
        else:
            assert alive == 2

    def test_plugin_list_query_count_with_many_files_and_types(self, as_actor, lab):
        for _ in range(6):
            plugin = make_plugin(lab)
            for _ in range(3):
                make_file(
                    plugin,
                    tasks={"functions": [function_task("t", inputs=[("x", make_type(lab))])]},
                )
        client = as_actor("reader")
        counts = []
        for page_length in (1, 6):
            with CaptureQueriesContext(connection) as queries:
                assert (
                    len(client.get(URL, {"pageLength": page_length}).json()["data"]) == page_length
                )
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestTypesOfTasks:
    """Tasks may use only live types of the plugin's group; anything else is a 400 on ``tasks``."""

    @pytest.mark.parametrize("where", ["other_group", "invisible", "deleted", "missing"])
    def test_foreign_types_are_refused_and_nothing_changes(self, where, as_actor, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin, "tasks.py")
        if where == "other_group":
            param_type = builtin(
                make_group("public")
            )  # the writer can see it: still not the plugin's
        elif where == "invisible":
            param_type = make_type(make_group("elsewhere"))
        elif where == "deleted":
            param_type = make_type(lab)
            services.parameter_type_delete(user=None, param_type=param_type)
        else:
            param_type = type("Missing", (), {"pk": 987654})()
        tasks = {"functions": [function_task("t", inputs=[("x", param_type)])]}
        writer = as_actor("writer")
        before = (len(plugin_snapshots(plugin)), PluginFile.history.count())
        created = writer.post(
            files_url(plugin), {"filename": "new.py", "contents": "", "tasks": tasks}, format="json"
        )
        updated = writer.put(
            file_url(plugin_file),
            {"filename": "tasks.py", "contents": "", "tasks": tasks},
            format="json",
        )
        for response in (created, updated):
            assert response.status_code == 400
            assert "tasks" in response.json()
            assert str(param_type.pk) in response.json()["tasks"][0]
        assert (len(plugin_snapshots(plugin)), PluginFile.history.count()) == before


class TestBadInput:
    """Malformed bodies answer 4xx naming the field and change nothing."""

    @pytest.mark.parametrize(
        "name", ["1abc", "has-dash", "has space", "_", "class", "a.b", "x" * 256, ""]
    )
    def test_bad_plugin_names(self, name, as_actor, lab):
        response = as_actor("writer").post(URL, {"group": lab.pk, "name": name}, format="json")
        assert response.status_code == 400
        assert "name" in response.json()
        assert not Plugin.objects.exists()

    @pytest.mark.parametrize(
        "filename",
        [
            "tasks",
            "tasks.txt",
            "/abs.py",
            "../up.py",
            "a/../b.py",
            "sub/_private/x.py",
            "_sub/x.py",
            "1st.py",
            "import.py",
            "sub/class/x.py",
            "a b.py",
            "a\\b.py",
            "tasks.PY",
            "sub/.py",
            "",
        ],
    )
    def test_bad_filenames(self, filename, as_actor, lab):
        plugin = make_plugin(lab)
        response = as_actor("writer").post(
            files_url(plugin), {"filename": filename, "contents": ""}, format="json"
        )
        assert response.status_code == 400
        assert "filename" in response.json()
        assert len(plugin_snapshots(plugin)) == 1

    @pytest.mark.parametrize(
        "filename", ["tasks.py", "__init__.py", "sub/module.py", "a/b/c_1.py", "_x.py"]
    )
    def test_good_filenames(self, filename, as_actor, lab):
        plugin = make_plugin(lab)
        response = as_actor("writer").post(
            files_url(plugin), {"filename": filename, "contents": ""}, format="json"
        )
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize(
        "tasks, field",
        [
            ([], "tasks"),
            ({"functions": {}}, "functions"),
            ({"functions": [{"inputParams": []}]}, "functions"),
            ({"functions": [{"name": "t", "inputParams": [{"name": "x"}]}]}, "functions"),
            (
                {
                    "functions": [
                        {"name": "t", "inputParams": [{"name": "x", "parameterType": "string"}]}
                    ]
                },
                "functions",
            ),
            (
                {
                    "functions": [
                        {"name": "t", "inputParams": [{"name": "x", "parameterType": True}]}
                    ]
                },
                "functions",
            ),
            (
                {
                    "functions": [
                        {"name": "t", "inputParams": [{"name": "x", "parameterType": 2**70}]}
                    ]
                },
                "functions",
            ),
            (
                {
                    "functions": [
                        {"name": "t", "inputParams": [{"name": "x-y", "parameterType": 1}]}
                    ]
                },
                "functions",
            ),
            (
                {
                    "functions": [
                        {
                            "name": "t",
                            "inputParams": [{"name": "x", "parameterType": 1, "extra": 1}],
                        }
                    ]
                },
                "functions",
            ),
            ({"functions": [{"name": "bad name"}]}, "functions"),
            ({"functions": [{"name": "t"}, {"name": "t"}]}, "functions"),
            ({"artifacts": [{"name": "A", "outputParams": "x"}]}, "artifacts"),
            ({"functions": [], "plugins": []}, "plugins"),
        ],
    )
    def test_malformed_tasks(self, tasks, field, as_actor, lab):
        plugin = make_plugin(lab)
        response = as_actor("writer").post(
            files_url(plugin), {"filename": "t.py", "contents": "", "tasks": tasks}, format="json"
        )
        assert response.status_code == 400
        body = response.json()
        assert field in (body["tasks"] if field != "tasks" else body)
        assert not PluginFile.objects.exists()

    def test_duplicate_parameter_names_are_refused(self, as_actor, lab):
        plugin = make_plugin(lab)
        string = builtin(lab)
        task = function_task("t", inputs=[("x", string), ("x", string)])
        response = as_actor("writer").post(
            files_url(plugin),
            {"filename": "t.py", "contents": "", "tasks": {"functions": [task]}},
            format="json",
        )
        assert response.status_code == 400
        assert "'x'" in response.json()["tasks"]["functions"]["0"]["inputParams"][0]

    @pytest.mark.parametrize(
        "body",
        [
            {"contents": ""},
            {"filename": "t.py"},
            {"filename": 5, "contents": ""},
            {"filename": "t.py", "contents": ["x"]},
            {"filename": "t.py", "contents": None},
            {"filename": "t.py", "contents": "", "plugin": 3},
        ],
    )
    def test_missing_or_wrong_file_fields(self, body, as_actor, lab):
        plugin = make_plugin(lab)
        response = as_actor("writer").post(files_url(plugin), body, format="json")
        assert response.status_code == 400
        assert not PluginFile.objects.exists()

    def test_contents_over_the_cap_are_413(self, as_actor, lab):
        plugin = make_plugin(lab)
        response = as_actor("writer").post(
            files_url(plugin),
            {"filename": "t.py", "contents": "#" * (MAX_SOURCE_CHARS + 1)},
            format="json",
        )
        assert response.status_code == 413
        assert "contents" in response.json()
        assert not PluginFile.objects.exists()

    def test_malformed_json_and_huge_bodies(self, as_actor, lab):
        writer = as_actor("writer")
        assert writer.post(URL, '{"group": ', content_type="application/json").status_code == 400
        assert (
            writer.post(
                URL, "[" * 50_000 + "]" * 50_000, content_type="application/json"
            ).status_code
            == 400
        )
        assert (
            writer.post(URL, {"group": lab.pk, "name": "x" * 3_000_000}, format="json").status_code
            == 413
        )
        assert not Plugin.objects.exists()

    def test_duplicate_filename_is_409(self, as_actor, lab):
        plugin = make_plugin(lab)
        make_file(plugin, "tasks.py")
        other = make_file(plugin, "other.py")
        writer = as_actor("writer")
        assert (
            writer.post(
                files_url(plugin), {"filename": "tasks.py", "contents": ""}, format="json"
            ).status_code
            == 409
        )
        assert (
            writer.put(
                file_url(other), {"filename": "tasks.py", "contents": ""}, format="json"
            ).status_code
            == 409
        )
        # The same name in another plugin is fine.
        assert (
            writer.post(
                files_url(make_plugin(lab)), {"filename": "tasks.py", "contents": ""}, format="json"
            ).status_code
            == 200
        )

    def test_files_of_another_plugin_are_404(self, as_actor, lab):
        plugin_file = make_file(make_plugin(lab))
        url = f"{URL}/{make_plugin(lab).pk}/files/{plugin_file.pk}"
        writer = as_actor("writer")
        assert writer.get(url).status_code == 404
        assert (
            writer.put(url, {"filename": "x.py", "contents": ""}, format="json").status_code == 404
        )
        assert writer.delete(url).status_code == 404


class TestHistory:
    """Every change to a plugin or its files writes exactly one plugin snapshot, frozen whole."""

    def test_exactly_one_plugin_snapshot_per_change(self, as_actor, lab):
        writer = as_actor("writer")
        string = builtin(lab)
        plugin_id = writer.post(URL, {"group": lab.pk, "name": "hello"}, format="json").json()["id"]
        plugin = Plugin.objects.get(pk=plugin_id)
        url = f"{URL}/{plugin_id}"

        def step(response, snapshots_added: int = 1):
            before = len(plugin_snapshots(plugin))
            assert response().status_code == 200
            assert len(plugin_snapshots(plugin)) == before + snapshots_added

        step(lambda: writer.put(url, {"name": "hello", "description": "Greetings."}, format="json"))
        first = writer.post(
            f"{url}/files", {"filename": "a.py", "contents": "A = 1\n"}, format="json"
        )
        assert len(plugin_snapshots(plugin)) == 3
        file_a = first.json()["id"]
        step(
            lambda: writer.post(f"{url}/files", {"filename": "b.py", "contents": ""}, format="json")
        )
        step(
            lambda: writer.put(
                f"{url}/files/{file_a}",
                {
                    "filename": "a.py",
                    "contents": "A = 2\n",
                    "tasks": {"functions": [function_task("a", outputs=[("out", string)])]},
                },
                format="json",
            )
        )
        step(lambda: writer.post(f"{url}/tags", {"ids": []}, format="json"), snapshots_added=0)
        step(lambda: writer.delete(f"{url}/files/{file_a}"))
        step(
            lambda: writer.post(f"{url}/files", {"filename": "c.py", "contents": ""}, format="json")
        )
        step(lambda: writer.delete(f"{url}/files"))  # two files, one snapshot
        step(lambda: writer.delete(url))
        reasons = [record.history_change_reason for record in plugin_snapshots(plugin)]
        assert reasons == [
            "Created",
            "Updated",
            "File 'a.py' added",
            "File 'b.py' added",
            "File 'a.py' changed",
            "File 'a.py' deleted",
            "File 'c.py' added",
            "Files 'b.py', 'c.py' deleted",
            "Deleted",
        ]

    def test_failed_writes_make_no_snapshot(self, as_actor, lab):
        plugin = make_plugin(lab, "hello")
        make_plugin(lab, "taken")
        make_file(plugin, "tasks.py")
        writer = as_actor("writer")
        writer.put(f"{URL}/{plugin.pk}", {"name": "taken"}, format="json")
        writer.post(files_url(plugin), {"filename": "tasks.py", "contents": ""}, format="json")
        writer.post(files_url(plugin), {"filename": "bad name.py", "contents": ""}, format="json")
        as_actor("reader").post(
            files_url(plugin), {"filename": "new.py", "contents": ""}, format="json"
        )
        assert len(plugin_snapshots(plugin)) == 2

    def test_snapshots_freeze_files_tasks_and_types(self, as_actor, lab):
        writer = as_actor("writer")
        image = make_type(lab, "image", structure={"list": "number"})
        plugin = make_plugin(lab, "vision")
        plugin_file = make_file(
            plugin,
            "tasks.py",
            contents="v1\n",
            tasks={"functions": [function_task("load", outputs=[("img", image)])]},
        )
        frozen = plugin_snapshots(plugin)[-1]
        writer.put(
            file_url(plugin_file),
            {"filename": "tasks.py", "contents": "v2\n", "tasks": {}},
            format="json",
        )
        writer.put(f"/api/v1/pluginParameterTypes/{image.pk}", {"name": "picture"}, format="json")

        old = writer.get(f"{URL}/{plugin.pk}/snapshots/{frozen.history_id}").json()
        assert old["latestSnapshot"] is False
        assert list(old) == [*RESOURCE_FIELDS, "name", "description", "files"]
        [old_file] = old["files"]
        assert old_file["url"] == f"{file_url(plugin_file)}/snapshots/{old_file['snapshotId']}"
        [task] = old_file["tasks"]["functions"]
        assert (
            task["outputParams"][0]["parameterType"]["name"] == "image"
        )  # as frozen, before the rename
        assert frozen.manifest["types"][str(image.pk)]["structure"] == {"list": "number"}

        file_then = writer.get(old_file["url"]).json()
        assert file_then["contents"] == "v1\n" and file_then["latestSnapshot"] is False
        assert writer.get(file_url(plugin_file)).json()["contents"] == "v2\n"

        page = writer.get(f"{URL}/{plugin.pk}/snapshots").json()
        assert [row["snapshot"] for row in page["data"]] == [
            r.history_id for r in plugin_snapshots(plugin)
        ]
        assert (
            page["data"][-1]["latestSnapshot"] is True
            and page["data"][-1]["files"][0]["tasks"]["functions"] == []
        )

    def test_manifest_holds_types_named_by_structures(self, lab):
        point = make_type(lab, "point", structure={"tuple": ["number", "number"]})
        shape = make_type(lab, "shape", structure={"list": "point"})
        plugin = make_plugin(lab)
        make_file(plugin, tasks={"functions": [function_task("draw", inputs=[("s", shape)])]})
        types = Plugin.objects.get(pk=plugin.pk).manifest["types"]
        assert {t["name"] for t in types.values()} >= {"shape", "point", "number"}
        assert types[str(point.pk)]["snapshotId"] == point.history.get().history_id

    @pytest.mark.parametrize("actor", ACTORS)
    def test_snapshot_endpoints_follow_the_read_matrix(self, actor, as_actor, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin)
        file_record = plugin_file.history.get()
        client = as_actor(actor)
        for url in (
            f"{URL}/{plugin.pk}/snapshots",
            f"{URL}/{plugin.pk}/snapshots/{plugin_snapshots(plugin)[0].history_id}",
            f"{file_url(plugin_file)}/snapshots",
            f"{file_url(plugin_file)}/snapshots/{file_record.history_id}",
        ):
            assert client.get(url).status_code == READ[actor], url

    def test_snapshot_ids_of_other_objects_are_404(self, as_actor, lab):
        one, other = make_plugin(lab), make_plugin(lab)
        reader = as_actor("reader")
        assert (
            reader.get(
                f"{URL}/{one.pk}/snapshots/{plugin_snapshots(other)[0].history_id}"
            ).status_code
            == 404
        )
        file_one, file_other = make_file(one), make_file(one)
        assert (
            reader.get(
                f"{file_url(file_one)}/snapshots/{file_other.history.get().history_id}"
            ).status_code
            == 404
        )

    def test_snapshot_lists_are_paged_oldest_first(self, as_actor, lab):
        plugin = make_plugin(lab)
        for index in range(4):
            services.plugin_update(user=None, plugin=plugin, name=f"v{index}")
        body = (
            as_actor("reader")
            .get(f"{URL}/{plugin.pk}/snapshots", {"pageLength": 2, "index": 2})
            .json()
        )
        assert (
            body["totalNumResults"] == 5
            and body["index"] == 2
            and "prev" in body
            and "next" in body
        )
        assert [row["name"] for row in body["data"]] == ["v1", "v2"]


class TestRoutes:
    """Every path answers with and without a trailing slash (Dioptra's client sends none)."""

    def test_every_read_path_with_and_without_slash(self, as_actor, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin)
        param_type = make_type(lab)
        paths = [
            URL,
            f"{URL}/{plugin.pk}",
            f"{URL}/{plugin.pk}/tags",
            f"{URL}/{plugin.pk}/snapshots",
            f"{URL}/{plugin.pk}/snapshots/{plugin_snapshots(plugin)[0].history_id}",
            files_url(plugin),
            file_url(plugin_file),
            f"{file_url(plugin_file)}/tags",
            f"{file_url(plugin_file)}/snapshots",
            f"{file_url(plugin_file)}/snapshots/{plugin_file.history.get().history_id}",
            "/api/v1/pluginParameterTypes",
            f"/api/v1/pluginParameterTypes/{param_type.pk}",
            f"/api/v1/pluginParameterTypes/{param_type.pk}/tags",
            f"/api/v1/pluginParameterTypes/{param_type.pk}/snapshots",
        ]
        reader = as_actor("reader")
        for path in paths:
            for url in (path, path + "/"):
                assert reader.get(url).status_code == 200, url

    def test_snapshot_lists_do_not_grow_queries_with_page_size(self, as_actor, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin, tasks=hello_tasks(lab))
        for index in range(4):
            services.plugin_file_update(
                user=None, plugin_file=plugin_file, filename=f"v{index}.py", tasks=hello_tasks(lab)
            )
        reader = as_actor("reader")
        for url in (f"{URL}/{plugin.pk}/snapshots", f"{file_url(plugin_file)}/snapshots"):
            counts = []
            for page_length in (1, 5):
                with CaptureQueriesContext(connection) as queries:
                    assert (
                        len(reader.get(url, {"pageLength": page_length}).json()["data"])
                        == page_length
                    )
                counts.append(len(queries))
            assert counts[0] == counts[1], url
