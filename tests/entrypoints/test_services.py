"""Entrypoint services: one snapshot per versioned write, with the engine's verdict on it."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import Conflict, TooLarge
from core.related import related_add, related_remove
from entrypoints import engine, services
from entrypoints.models import Entrypoint
from jobs.services import queue_create
from plugins_app import services as plugin_services
from tags.services import tag_create
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_entrypoint,
    make_hello_plugin,
)
from tests.factories import make_group, make_user
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

pytestmark = pytest.mark.django_db


def snapshots(entrypoint) -> list:
    return list(entrypoint.history.order_by("history_id"))


def codes(entrypoint_or_record) -> list[str]:
    return [issue["code"] for issue in entrypoint_or_record.issues]


@pytest.fixture
def alice(lab):
    return make_user("alice", lab="write")


class TestCreate:
    def test_writes_one_snapshot_with_content_verdict_and_user(self, lab, alice):
        plugin = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, "hello_world", user=alice, plugins=[plugin])
        [record] = snapshots(entrypoint)
        assert record.history_user == alice and record.history_type == "+"
        assert record.task_graph == HELLO_GRAPH
        assert record.parameters == HELLO_PARAMETERS
        assert record.plugin_snapshot_ids == [plugin.history.latest("history_id").history_id]
        assert record.valid is True and record.issues == []
        assert entrypoint.creator == alice

    def test_invalid_graph_is_stored_with_its_issues(self, lab):
        entrypoint = make_entrypoint(lab, plugins=[])
        assert entrypoint.valid is False
        assert codes(entrypoint) == ["E_UNKNOWN_TASK"]
        assert snapshots(entrypoint)[0].issues == entrypoint.issues

    def test_duplicate_plugin_ids_pin_once(self, lab):
        plugin = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[plugin, plugin])
        assert len(entrypoint.plugin_snapshot_ids) == 1

    def test_name_taken_in_group_is_a_conflict(self, lab):
        make_entrypoint(lab, "taken")
        with pytest.raises(Conflict):
            make_entrypoint(lab, "taken")
        assert Entrypoint.objects.filter(name="taken").count() == 1

    def test_text_over_the_cap_is_too_large(self, lab, settings):
        settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 100}
        with pytest.raises(TooLarge) as error:
            make_entrypoint(lab, task_graph="a: " + "é" * 60)  # 60 characters, 120 bytes
        assert error.value.field == "taskGraph"
        assert not Entrypoint.objects.exists()

    def test_objects_of_other_groups_are_refused_naming_the_field(self, lab):
        other = make_group("elsewhere")
        queue = queue_create(user=None, group=other, name="q")
        with pytest.raises(ValidationError) as error:
            make_entrypoint(lab, queues=[queue])
        assert set(error.value.message_dict) == {"queues"}
        with pytest.raises(ValidationError) as error:
            make_entrypoint(lab, plugins=[make_hello_plugin(other)])
        assert set(error.value.message_dict) == {"plugins"}
        with pytest.raises(ValidationError) as error:
            make_entrypoint(
                lab,
                artifact_parameters=[
                    {"name": "a", "outputParams": [{"name": "v", "parameterType": builtin(other)}]}
                ],
            )
        assert set(error.value.message_dict) == {"artifactParameters"}
        assert not Entrypoint.objects.exists()

    def test_bad_parameters_are_refused_naming_the_item(self, lab):
        bad = [
            {"name": "n", "parameterType": "integer", "defaultValue": "3"},
            {"name": "m", "parameterType": "integer", "defaultValue": "three"},
            {"name": "n", "parameterType": "string"},
        ]
        with pytest.raises(ValidationError) as error:
            make_entrypoint(lab, parameters=bad)
        messages = error.value.message_dict["parameters"]
        assert any(m.startswith("parameters[1].defaultValue:") for m in messages)
        assert any(m.startswith("parameters[2].name:") for m in messages)
        assert not Entrypoint.objects.exists()


class TestVersionedWrites:
    def test_every_update_writes_one_snapshot_even_when_only_queues_change(self, lab, alice):
        entrypoint = make_entrypoint(lab)
        queue = queue_create(user=None, group=lab, name="q")
        fields = {
            "name": entrypoint.name,
            "task_graph": HELLO_GRAPH,
            "parameters": HELLO_PARAMETERS,
        }
        services.entrypoint_update(user=alice, entrypoint=entrypoint, queues=[queue], **fields)
        services.entrypoint_update(user=alice, entrypoint=entrypoint, **fields)
        records = snapshots(entrypoint)
        assert len(records) == 3 and records[-1].history_user == alice
        assert list(entrypoint.queues.all()) == []

    def test_update_clears_omitted_lists_and_keeps_plugins(self, lab):
        queue = queue_create(user=None, group=lab, name="q")
        entrypoint = make_entrypoint(lab, description="d", queues=[queue], artifact_graph="x: 1\n")
        pinned = entrypoint.plugin_snapshot_ids
        services.entrypoint_update(
            user=None, entrypoint=entrypoint, name="renamed", task_graph=HELLO_GRAPH
        )
        entrypoint.refresh_from_db()
        assert (entrypoint.name, entrypoint.description, entrypoint.artifact_graph) == (
            "renamed",
            None,
            "",
        )
        assert entrypoint.parameters == [] and list(entrypoint.queues.all()) == []
        assert entrypoint.plugin_snapshot_ids == pinned
        assert "E_REF_UNRESOLVABLE" in codes(entrypoint)  # $greeting is no longer declared

    def test_delete_is_soft_and_writes_one_snapshot(self, lab):
        entrypoint = make_entrypoint(lab)
        services.entrypoint_delete(user=None, entrypoint=entrypoint)
        entrypoint.refresh_from_db()
        assert entrypoint.deleted_on is not None
        assert len(snapshots(entrypoint)) == 2
        make_entrypoint(lab, entrypoint.name)  # the name is free again

    def test_restore_writes_a_new_snapshot_with_old_content_judged_again(self, lab):
        entrypoint = make_entrypoint(lab)
        first = snapshots(entrypoint)[0]
        services.entrypoint_update(
            user=None, entrypoint=entrypoint, name="broken", task_graph="x: ["
        )
        assert entrypoint.valid is False
        services.entrypoint_restore(user=None, entrypoint=entrypoint, snapshot_id=first.history_id)
        records = snapshots(entrypoint)
        assert len(records) == 3
        assert (records[-1].name, records[-1].task_graph, records[-1].valid) == (
            first.name,
            first.task_graph,
            True,
        )
        assert records[-1].plugin_snapshot_ids == first.plugin_snapshot_ids

    def test_restore_of_a_taken_name_is_a_conflict(self, lab):
        entrypoint = make_entrypoint(lab, "old")
        first = snapshots(entrypoint)[0]
        services.entrypoint_update(
            user=None, entrypoint=entrypoint, name="new", task_graph=HELLO_GRAPH
        )
        make_entrypoint(lab, "old")
        with pytest.raises(Conflict):
            services.entrypoint_restore(
                user=None, entrypoint=entrypoint, snapshot_id=first.history_id
            )
        assert len(snapshots(entrypoint)) == 2

    def test_restore_of_an_unknown_snapshot_is_refused(self, lab):
        entrypoint = make_entrypoint(lab)
        with pytest.raises(ValidationError):
            services.entrypoint_restore(user=None, entrypoint=entrypoint, snapshot_id=987654)


class TestPlugins:
    def test_attach_sync_and_detach_each_write_one_snapshot(self, lab):
        hello = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[])
        assert entrypoint.valid is False
        services.entrypoint_plugins_attach(user=None, entrypoint=entrypoint, plugins=[hello])
        assert entrypoint.valid is True
        first_pin = entrypoint.plugin_snapshot_ids
        make_file(hello, "more.py")  # a new plugin snapshot
        services.entrypoint_plugins_attach(user=None, entrypoint=entrypoint, plugins=[hello])
        assert entrypoint.plugin_snapshot_ids != first_pin
        assert entrypoint.plugin_snapshot_ids == [hello.history.latest("history_id").history_id]
        services.entrypoint_plugin_detach(user=None, entrypoint=entrypoint, plugin_id=hello.pk)
        assert entrypoint.plugin_snapshot_ids == [] and entrypoint.valid is False
        records = snapshots(entrypoint)
        assert len(records) == 4
        assert [r.plugin_snapshot_ids for r in records] == [
            [],
            first_pin,
            [records[2].plugin_snapshot_ids[0]],
            [],
        ]
        assert [r.valid for r in records] == [False, True, True, False]

    def test_detaching_a_plugin_that_is_not_attached_is_a_lookup_error(self, lab):
        entrypoint = make_entrypoint(lab)
        with pytest.raises(LookupError):
            services.entrypoint_plugin_detach(user=None, entrypoint=entrypoint, plugin_id=987654)
        assert len(snapshots(entrypoint)) == 1

    def test_sync_moves_every_plugin_to_its_latest_snapshot(self, lab):
        hello, artifacts = make_hello_plugin(lab), make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello], artifact_plugins=[artifacts])
        make_file(hello, "more.py")
        make_file(artifacts, "more.py")
        services.entrypoint_plugins_sync(user=None, entrypoint=entrypoint)
        assert entrypoint.plugin_snapshot_ids == [hello.history.latest("history_id").history_id]
        assert entrypoint.artifact_plugin_snapshot_ids == [
            artifacts.history.latest("history_id").history_id
        ]
        assert len(snapshots(entrypoint)) == 2

    def test_artifact_plugins_attach_and_detach(self, lab):
        artifacts = make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab)
        services.entrypoint_artifact_plugins_attach(
            user=None, entrypoint=entrypoint, artifact_plugins=[artifacts]
        )
        assert len(entrypoint.artifact_plugin_snapshot_ids) == 1
        services.entrypoint_artifact_plugin_detach(
            user=None, entrypoint=entrypoint, plugin_id=artifacts.pk
        )
        assert entrypoint.artifact_plugin_snapshot_ids == []
        assert len(snapshots(entrypoint)) == 3

    def test_a_snapshot_keeps_its_verdict_and_document_after_the_plugin_changes(self, lab):
        hello = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello])
        record = snapshots(entrypoint)[0]
        document = engine.snapshot_document(record)
        file = hello.files.get()
        plugin_services.plugin_file_update(
            user=None, plugin_file=file, filename="tasks.py", tasks={"functions": []}
        )
        services.entrypoint_plugins_sync(user=None, entrypoint=entrypoint)
        assert entrypoint.valid is False  # the task is gone from the latest plugin snapshot
        record = entrypoint.history.get(history_id=record.history_id)
        assert record.valid is True
        assert engine.snapshot_document(record) == document
        result = engine.verdict(
            task_graph=record.task_graph,
            artifact_graph=record.artifact_graph,
            context=engine.context_of(record),
        )
        assert result.valid is True

    def test_plugin_snapshot_ids_choose_pinned_or_latest_only(self, lab):
        hello, other = make_hello_plugin(lab), make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[hello])
        pinned = entrypoint.plugin_snapshot_ids[0]
        make_file(hello, "more.py")
        latest_other = other.history.latest("history_id").history_id
        fields = {
            "name": entrypoint.name,
            "task_graph": HELLO_GRAPH,
            "parameters": HELLO_PARAMETERS,
        }
        services.entrypoint_update(
            user=None, entrypoint=entrypoint, plugin_snapshot_ids=[pinned, latest_other], **fields
        )
        assert entrypoint.plugin_snapshot_ids == [pinned, latest_other]
        assert "E_AMBIGUOUS_TASK" in codes(entrypoint)
        older_other = other.history.order_by("history_id").first().history_id
        with pytest.raises(ValidationError) as error:
            services.entrypoint_update(
                user=None, entrypoint=entrypoint, plugin_snapshot_ids=[older_other], **fields
            )
        assert "pluginSnapshotIds" in error.value.message_dict


class TestQueuesAndTagsAreNotVersioned:
    def test_queue_and_tag_changes_write_no_snapshot(self, lab):
        entrypoint = make_entrypoint(lab)
        queue = queue_create(user=None, group=lab, name="q")
        root = make_user(superuser=True)
        related_add(user=root, resource=entrypoint, relation="queues", ids=[queue.pk])
        related_add(user=root, resource=entrypoint, relation="queues", ids=[queue.pk], replace=True)
        related_remove(resource=entrypoint, relation="queues", objects=[queue])
        tag = tag_create(user=None, group=lab, name="t")
        related_add(user=root, resource=entrypoint, relation="tags", ids=[tag.pk])
        assert len(snapshots(entrypoint)) == 1

    def test_queues_of_other_groups_are_refused(self, lab):
        entrypoint = make_entrypoint(lab)
        queue = queue_create(user=None, group=make_group("elsewhere"), name="q")
        with pytest.raises(ValidationError):
            related_add(
                user=make_user(superuser=True),
                resource=entrypoint,
                relation="queues",
                ids=[queue.pk],
            )
        assert not entrypoint.queues.exists()


class TestContextFromDatabase:
    def test_types_tasks_and_artifact_inputs(self, lab):
        images = make_type(lab, "images", structure={"list": "string"})
        plugin = make_plugin(lab, "vision")
        make_file(
            plugin,
            "sub/ops.py",
            tasks={"functions": [function_task("load", outputs=[("data", images)])]},
        )
        plugin.refresh_from_db()
        entrypoint = make_entrypoint(
            lab,
            plugins=[plugin],
            parameters=[],
            task_graph="d:\n  load: []\n",
            artifact_parameters=[
                {"name": "prev", "outputParams": [{"name": "v", "parameterType": images}]}
            ],
        )
        context = engine.context_of(entrypoint)
        assert context.tasks["load"].plugin_id == "vision.sub.ops.load"
        assert context.types == {"images": {"list": "string"}}
        assert [(a.name, list(a.outputs)) for a in context.artifact_inputs] == [
            ("prev", [("v", "images")])
        ]
        assert entrypoint.valid, entrypoint.issues
        plugin_services.parameter_type_update(
            user=None, param_type=make_type(lab, "unused"), name="unused2"
        )
        assert engine.context_of(entrypoint).types == {"images": {"list": "string"}}
