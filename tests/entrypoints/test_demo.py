"""The demo entrypoints: created once, valid, in the default group."""

import pytest

from entrypoints.demo import NAMES, load_entrypoints_demo
from entrypoints.models import Entrypoint
from jobs.demo import load_jobs_demo
from plugins_app.demo import load_plugins_demo

pytestmark = pytest.mark.django_db


def check_demo_entrypoints():
    entrypoints = {e.name: e for e in Entrypoint.objects.all()}
    assert (
        sorted(entrypoints)
        == sorted(NAMES)
        == [
            "digits_classifier",
            "hello_world",
            "model_training",
            "shout_saved_message",
        ]
    )
    for entrypoint in entrypoints.values():
        assert entrypoint.group.name == "public"
        assert entrypoint.valid, entrypoint.issues
        assert entrypoint.history.count() == 1
        assert [q.name for q in entrypoint.queues.all()] == ["default"]


def test_demo_entrypoints_are_valid_and_loading_is_idempotent():
    list(load_jobs_demo())
    list(load_plugins_demo())
    lines = list(load_entrypoints_demo())
    assert sum("Created entrypoint" in line for line in lines) == 4
    check_demo_entrypoints()
    assert list(load_entrypoints_demo()) == []
    check_demo_entrypoints()


def test_the_seeds_hello_world_saves_its_message_and_another_reads_it_back():
    list(load_jobs_demo())
    list(load_plugins_demo())
    list(load_entrypoints_demo())
    hello = Entrypoint.objects.get(name="hello_world")
    assert len(hello.artifact_plugin_snapshot_ids) == 1
    assert "StringArtifactTask" in hello.artifact_graph
    shout = Entrypoint.objects.get(name="shout_saved_message")
    (parameter,) = shout.artifact_parameters
    assert parameter["name"] == "artifact_name"
