"""Plugin services: the manifest each plugin snapshot freezes, and the rules the database backs."""

import pytest

from core.errors import Conflict
from plugins_app import services
from plugins_app.models import BUILTIN_TYPE_NAMES, Plugin, PluginParameterType
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

pytestmark = pytest.mark.django_db


def test_manifest_freezes_files_and_the_types_they_use(lab):
    string = builtin(lab)
    image = make_type(lab, "image", structure={"list": "number"})
    make_type(lab, "unused")
    plugin = make_plugin(lab, "vision")
    tasks = {
        "functions": [function_task("load", inputs=[("path", string)], outputs=[("img", image)])]
    }
    plugin_file = make_file(plugin, "tasks.py", contents="def load(path): ...\n", tasks=tasks)
    make_file(plugin, "a_first.py")

    manifest = Plugin.objects.get(pk=plugin.pk).manifest
    assert [f["filename"] for f in manifest["files"]] == ["a_first.py", "tasks.py"]
    entry = manifest["files"][1]
    assert entry == {
        "id": plugin_file.pk,
        "filename": "tasks.py",
        "snapshotId": plugin_file.history.get().history_id,
        "contents": "def load(path): ...\n",
        "description": None,
        "tasks": {"functions": tasks["functions"], "artifacts": []},
    }
    assert {t["name"] for t in manifest["types"].values()} == {"string", "image", "number"}
    assert manifest["types"][str(image.pk)] == {
        "id": image.pk,
        "name": "image",
        "structure": {"list": "number"},
        "snapshotId": image.history.get().history_id,
    }


def test_each_plugin_record_keeps_its_own_manifest(lab):
    plugin = make_plugin(lab)
    make_file(plugin, "a.py")
    make_file(plugin, "b.py")
    manifests = [r.manifest for r in Plugin.history.filter(id=plugin.pk).order_by("history_id")]
    assert [[f["filename"] for f in m["files"]] for m in manifests] == [
        [],
        ["a.py"],
        ["a.py", "b.py"],
    ]


def test_deleting_a_plugin_keeps_the_last_manifest_in_its_final_snapshot(lab):
    plugin = make_plugin(lab)
    make_file(plugin, "a.py")
    services.plugin_delete(user=None, plugin=plugin)
    last = Plugin.history.filter(id=plugin.pk).latest("history_id")
    assert last.deleted_on is not None and [f["filename"] for f in last.manifest["files"]] == [
        "a.py"
    ]


def test_history_records_the_user(lab, django_user_model):
    user = django_user_model.objects.create_user("author")
    plugin = make_plugin(lab, user=user)
    plugin_file = make_file(plugin, user=user)
    assert plugin.history.latest("history_id").history_user == user
    assert plugin_file.history.get().history_user == user
    assert plugin.creator == user and plugin_file.creator == user and plugin_file.group == lab


def test_a_name_race_is_a_conflict_not_an_integrity_error(lab, monkeypatch):
    make_plugin(lab, "taken")
    monkeypatch.setattr(services, "owned_name_check", lambda **kwargs: None)
    with pytest.raises(Conflict):
        make_plugin(lab, "taken")
    plugin = make_plugin(lab)
    make_file(plugin, "tasks.py")
    monkeypatch.setattr(services, "plugin_file_check", lambda **kwargs: {"functions": []})
    with pytest.raises(Conflict, match="tasks.py"):
        make_file(plugin, "tasks.py")


def test_ensure_builtin_types_is_idempotent(lab):
    services.ensure_builtin_types(lab)
    services.ensure_builtin_types(lab)
    builtins = PluginParameterType.objects.filter(group=lab, is_builtin=True)
    assert sorted(builtins.values_list("name", flat=True)) == sorted(BUILTIN_TYPE_NAMES)
