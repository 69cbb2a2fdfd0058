"""The plugins admin: group scoping, writes and restores through the services (snapshot rules)."""

import json

import pytest
from django.test import Client

from plugins_app import services
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from tests.factories import make_group, make_user
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

TYPES = "/admin/plugins_app/pluginparametertype/"
PLUGINS = "/admin/plugins_app/plugin/"
FILES = "/admin/plugins_app/pluginfile/"


def staff(username, superuser=False, **roles):
    user = make_user(username, superuser=superuser, **roles)
    user.is_staff = True
    user.save()
    return user


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshots(plugin) -> int:
    return Plugin.history.filter(id=plugin.pk).count()


@pytest.fixture
def root(db):
    return login(staff("root", superuser=True))


@pytest.fixture
def writer(db, lab):
    return login(staff("writer", lab="write"))


@pytest.mark.django_db
class TestScoping:
    def test_staff_see_and_open_only_their_groups_objects(self, writer, lab):
        mine = make_plugin(lab, "mine")
        theirs = make_plugin(make_group("elsewhere"), "theirs")
        their_file = make_file(theirs, "secret.py")
        page = writer.get(PLUGINS).content.decode()
        assert "mine" in page and "theirs" not in page
        assert writer.get(f"{PLUGINS}{theirs.pk}/change/").status_code == 302  # not found: home
        assert "secret.py" not in writer.get(FILES).content.decode()
        assert writer.get(f"{FILES}{their_file.pk}/change/").status_code == 302
        assert writer.get(f"{PLUGINS}{mine.pk}/change/").status_code == 200

    def test_readers_may_look_but_not_change(self, lab):
        plugin = make_plugin(lab, "looked_at")
        reader = login(staff("reader", lab="read"))
        assert reader.get(f"{PLUGINS}{plugin.pk}/change/").status_code == 200
        reader.post(f"{PLUGINS}{plugin.pk}/change/", {"name": "renamed"})
        assert Plugin.objects.get(pk=plugin.pk).name == "looked_at"

    @pytest.mark.parametrize(
        "url", [TYPES, PLUGINS, FILES, f"{TYPES}add/", f"{PLUGINS}add/", f"{FILES}add/"]
    )
    def test_pages_render(self, url, root, lab):
        plugin = make_plugin(lab)
        make_file(plugin, tasks={"functions": [function_task("t", inputs=[("x", builtin(lab))])]})
        assert root.get(url).status_code == 200

    def test_change_and_history_pages_render(self, root, lab):
        plugin = make_plugin(lab, "shown")
        plugin_file = make_file(
            plugin,
            "tasks.py",
            tasks={
                "functions": [
                    function_task(
                        "greet", inputs=[("name", builtin(lab))], outputs=[("out", builtin(lab))]
                    )
                ]
            },
        )
        page = root.get(f"{PLUGINS}{plugin.pk}/change/").content.decode()
        assert "tasks.py" in page and "greet(name: string)" in page
        history = root.get(f"{PLUGINS}{plugin.pk}/history/").content.decode()
        assert "tasks.py" in history  # the files each snapshot froze
        record = plugin_file.history.get()
        assert root.get(f"{FILES}{plugin_file.pk}/history/{record.history_id}/").status_code == 200


@pytest.mark.django_db
class TestWrites:
    def test_adding_and_changing_a_plugin_write_one_snapshot_each(self, writer, lab):
        response = writer.post(
            f"{PLUGINS}add/",
            {
                "group": lab.pk,
                "name": "made_here",
                "description": "",
                "files-TOTAL_FORMS": 0,
                "files-INITIAL_FORMS": 0,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        plugin = Plugin.objects.get(name="made_here")
        assert snapshots(plugin) == 1 and plugin.creator.username == "writer"
        writer.post(
            f"{PLUGINS}{plugin.pk}/change/",
            {
                "name": "renamed",
                "description": "x",
                "files-TOTAL_FORMS": 0,
                "files-INITIAL_FORMS": 0,
            },
        )
        assert Plugin.objects.get(pk=plugin.pk).name == "renamed" and snapshots(plugin) == 2

    def test_groups_one_cannot_write_are_not_offered(self, writer, lab):
        elsewhere = make_group("elsewhere")
        response = writer.post(
            f"{PLUGINS}add/",
            {
                "group": elsewhere.pk,
                "name": "sneaky",
                "files-TOTAL_FORMS": 0,
                "files-INITIAL_FORMS": 0,
            },
        )
        assert response.status_code == 200  # the form again, with an error
        assert not Plugin.objects.filter(name="sneaky").exists()

    def test_a_file_added_here_snapshots_its_plugin(self, writer, lab):
        plugin = make_plugin(lab)
        tasks = {"functions": [function_task("greet", inputs=[("name", builtin(lab))])]}
        response = writer.post(
            f"{FILES}add/",
            {
                "plugin": plugin.pk,
                "filename": "tasks.py",
                "contents": "def greet(name): ...\r\n",
                "description": "",
                "tasks": json.dumps(tasks),
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        plugin_file = PluginFile.objects.get(plugin=plugin)
        # Browsers send textareas with \r\n line breaks: the file keeps the lines, with \n.
        assert plugin_file.contents == "def greet(name): ...\n" and plugin_file.group == lab
        assert plugin_file.tasks["functions"][0]["inputParams"][0]["required"] is True
        assert snapshots(plugin) == 2
        assert Plugin.objects.get(pk=plugin.pk).manifest["files"][0]["filename"] == "tasks.py"

    @pytest.mark.parametrize(
        "tasks, fragment",
        [
            ('{"functions": [{"name": "bad name"}]}', "Task names"),
            (
                '{"functions": [{"name": "t", '
                '"inputParams": [{"name": "x", "parameterType": 987654}]}]}',
                "987654",
            ),
            ('{"things": []}', "Unknown field"),
        ],
    )
    def test_bad_tasks_are_form_errors_and_change_nothing(self, tasks, fragment, writer, lab):
        plugin = make_plugin(lab)
        response = writer.post(
            f"{FILES}add/",
            {"plugin": plugin.pk, "filename": "t.py", "contents": "", "tasks": tasks},
        )
        assert response.status_code == 200 and fragment in response.content.decode()
        assert not PluginFile.objects.exists() and snapshots(plugin) == 1

    def test_type_rules_hold_in_the_admin(self, writer, lab):
        make_type(lab, "point")
        make_type(lab, "points", structure={"list": "point"})
        response = writer.post(
            f"{TYPES}add/", {"group": lab.pk, "name": "loop", "structure": '{"list": "loop"}'}
        )
        assert response.status_code == 200 and "refer to themselves" in response.content.decode()
        point = PluginParameterType.objects.get(name="point")
        response = writer.post(f"{TYPES}{point.pk}/change/", {"name": "dot", "structure": "null"})
        assert response.status_code == 200 and "in use" in response.content.decode()
        assert PluginParameterType.objects.get(pk=point.pk).name == "point"

    def test_builtin_types_are_view_only(self, writer, lab):
        string = builtin(lab)
        writer.post(f"{TYPES}{string.pk}/change/", {"name": "text"})
        writer.post(f"{TYPES}{string.pk}/delete/", {"post": "yes"})
        string.refresh_from_db()
        assert string.name == "string" and string.deleted_on is None

    def test_deleting_a_type_in_use_is_refused_with_a_message(self, writer, lab):
        used = make_type(lab, "model")
        make_file(
            make_plugin(lab), tasks={"functions": [function_task("t", outputs=[("m", used)])]}
        )
        response = writer.post(f"{TYPES}{used.pk}/delete/", {"post": "yes"}, follow=True)
        assert "in use" in response.content.decode()
        assert PluginParameterType.objects.get(pk=used.pk).deleted_on is None

    def test_deleting_a_plugin_goes_through_the_service(self, writer, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin)
        writer.post(f"{PLUGINS}{plugin.pk}/delete/", {"post": "yes"})
        assert Plugin.objects.get(pk=plugin.pk).deleted_on is not None
        assert PluginFile.objects.get(pk=plugin_file.pk).deleted_on is not None
        assert snapshots(plugin) == 3


@pytest.mark.django_db
class TestRestores:
    def test_restoring_a_plugin_snapshot_brings_back_its_files_in_one_snapshot(self, writer, lab):
        plugin = make_plugin(lab, "vision")
        kept = make_file(plugin, "kept.py", contents="v1\n")
        gone = make_file(plugin, "gone.py", contents="gone\n")
        frozen = Plugin.history.filter(id=plugin.pk).latest("history_id")
        services.plugin_file_update(
            user=None, plugin_file=kept, filename="kept.py", contents="v2\n"
        )
        services.plugin_file_delete(user=None, plugin_file=gone)
        make_file(plugin, "added.py")
        services.plugin_update(user=None, plugin=plugin, name="renamed")
        before = snapshots(plugin)

        response = writer.post(f"{PLUGINS}{plugin.pk}/history/{frozen.history_id}/", {"name": "x"})
        assert response.status_code == 302
        plugin.refresh_from_db()
        assert snapshots(plugin) == before + 1 and plugin.name == "vision"
        live = {f.filename: f.contents for f in PluginFile.objects.alive().filter(plugin=plugin)}
        assert live == {"kept.py": "v1\n", "gone.py": "gone\n"}
        assert [f["filename"] for f in plugin.manifest["files"]] == ["gone.py", "kept.py"]
        latest = Plugin.history.filter(id=plugin.pk).latest("history_id")
        assert latest.history_change_reason == f"Restored snapshot {frozen.history_id}"
        assert latest.history_user.username == "writer"

    def test_restoring_a_file_snapshot(self, writer, lab):
        plugin = make_plugin(lab)
        plugin_file = make_file(plugin, "tasks.py", contents="v1\n")
        first = plugin_file.history.get()
        services.plugin_file_update(
            user=None, plugin_file=plugin_file, filename="tasks.py", contents="v2\n"
        )
        before = snapshots(plugin)
        writer.post(f"{FILES}{plugin_file.pk}/history/{first.history_id}/", {})
        assert PluginFile.objects.get(pk=plugin_file.pk).contents == "v1\n"
        assert snapshots(plugin) == before + 1 and plugin_file.history.count() == 3

    def test_restoring_a_type_snapshot_is_checked_again(self, writer, lab):
        base = make_type(lab, "base", structure={"list": "string"})
        first = base.history.get()
        services.parameter_type_update(user=None, param_type=base, name="base")
        make_type(lab, "derived", structure={"is_a": "base"})
        response = writer.post(f"{TYPES}{base.pk}/history/{first.history_id}/", {}, follow=True)
        assert "was not restored" in response.content.decode()
        assert PluginParameterType.objects.get(pk=base.pk).structure is None

    def test_restores_need_the_write_role(self, lab):
        plugin = make_plugin(lab, "kept_name")
        first = Plugin.history.filter(id=plugin.pk).get()
        services.plugin_update(user=None, plugin=plugin, name="current")
        reader = login(staff("reader", lab="read"))
        url = f"{PLUGINS}{plugin.pk}/history/{first.history_id}/"
        assert reader.get(url).status_code == 200  # reviewing a version is reading
        response = reader.post(
            url,
            {
                "name": "kept_name",
                "description": "",
                "files-TOTAL_FORMS": 0,
                "files-INITIAL_FORMS": 0,
            },
        )
        assert response.status_code == 403
        assert Plugin.objects.get(pk=plugin.pk).name == "current"
