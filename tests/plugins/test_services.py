"""Plugin services: the manifest each plugin snapshot freezes, and the rules the database backs."""

import threading
import time
from contextlib import contextmanager
from functools import partial

import pytest
from django.db import connection, transaction
from django.db.models.signals import pre_save

from core.errors import Conflict
from entrypoints.taskgraph import BUILTIN_TYPE_NAMES
from plugins_app import services
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from tests.concurrency import in_thread
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


@contextmanager
def rival_saved_first(model, save_rival):
    """The next new ``model`` row loses a race: just before its insert, after the service's own
    checks passed, ``save_rival()`` saves a row holding the same unique name.

    ``pre_save`` is where a concurrent writer's commit lands between check and insert; only the
    database's unique constraint can catch it there.
    """
    fired = []

    def receiver(sender, instance, **kwargs):
        if instance.pk is None and not fired:
            fired.append(instance)
            save_rival()

    pre_save.connect(receiver, sender=model, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(receiver, sender=model)
    assert fired, f"no new {model.__name__} was saved"


def test_a_plugin_name_taken_between_check_and_insert_is_a_conflict(lab):
    rival = partial(make_plugin, lab, "taken")
    with rival_saved_first(Plugin, rival), pytest.raises(Conflict, match="'taken'"):
        make_plugin(lab, "taken")


def test_a_filename_taken_between_check_and_insert_is_a_conflict(lab):
    plugin = make_plugin(lab)
    rival = partial(make_file, plugin, "tasks.py")
    with rival_saved_first(PluginFile, rival), pytest.raises(Conflict, match="tasks.py"):
        make_file(plugin, "tasks.py")
    assert Plugin.history.filter(id=plugin.pk).count() == 1  # the loser wrote no plugin snapshot


@pytest.mark.django_db(transaction=True)
def test_two_transactions_creating_one_name_one_commits_the_other_conflicts(lab):
    """The second create passes its check (the first row is not committed yet), then its insert
    waits on the unique index until the first commits, and fails: a 409, not a 500."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes whole writes: the two inserts cannot interleave")
    first_written, release = threading.Event(), threading.Event()
    errors = []

    def create_and_hold():
        with transaction.atomic():
            make_plugin(lab, "taken")
            first_written.set()
            assert release.wait(10)

    holder = in_thread(create_and_hold, errors)
    assert first_written.wait(10)
    loser = in_thread(lambda: make_plugin(lab, "taken"), errors)
    time.sleep(0.5)
    assert loser.is_alive(), "the second insert did not wait for the first one's row"
    release.set()
    holder.join(10)
    loser.join(10)
    assert [type(error) for error in errors] == [Conflict], errors
    assert Plugin.objects.alive().filter(group=lab, name="taken").count() == 1


def test_ensure_builtin_types_is_idempotent(lab):
    services.ensure_builtin_types(lab)
    services.ensure_builtin_types(lab)
    builtins = PluginParameterType.objects.filter(group=lab, is_builtin=True)
    assert sorted(builtins.values_list("name", flat=True)) == sorted(BUILTIN_TYPE_NAMES)
