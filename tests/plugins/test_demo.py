"""The demo plugins: created once in ``public``, declarations matching real, working code."""

import pytest

from entrypoints.demo import load_entrypoints_demo
from entrypoints.models import Entrypoint
from plugins_app.demo import load_plugins_demo
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.signatures import analyse_tasks

pytestmark = pytest.mark.django_db


def demo_module(filename: str) -> dict:
    """Run a demo file's code (our own, trusted) and return its namespace."""
    namespace: dict = {}
    exec(PluginFile.objects.get(filename=filename).contents, namespace)
    return namespace


def test_loading_is_idempotent():
    lines = list(load_plugins_demo())
    assert len(lines) == 2 and "'hello'" in lines[0] and "'artifacts'" in lines[1]
    plugins = Plugin.objects.filter(group__name="public")
    assert sorted(p.name for p in plugins) == ["artifacts", "hello"]
    assert all(p.history.count() == 2 for p in plugins)  # created, then its file added
    types = PluginParameterType.objects.count()
    assert list(load_plugins_demo()) == []
    assert (
        all(p.history.count() == 2 for p in plugins)
        and PluginParameterType.objects.count() == types
    )


def test_declared_inputs_match_the_code():
    list(load_plugins_demo())
    hello = PluginFile.objects.get(filename="tasks.py")
    analysed = {t["name"]: t for t in analyse_tasks(hello.contents)}
    declared = {t["name"]: t for t in hello.tasks["functions"]}
    assert set(declared) == set(analysed) == {"hello_world", "load_from_disk", "train", "predict"}
    for name, task in declared.items():
        assert [(p["name"], p["required"]) for p in task["inputParams"]] == [
            (p["name"], p["required"]) for p in analysed[name]["inputs"]
        ]


def test_the_demo_code_runs():
    list(load_plugins_demo())
    tasks = demo_module("tasks.py")
    assert tasks["hello_world"]("Hello", "World") == "Hello, World!"
    training, testing = tasks["load_from_disk"]("/data/points")
    assert (len(training), len(testing)) == (40, 10)
    model = tasks["train"]("le_net", training)
    assert abs(model["slope"] - 3.0) < 0.2 and model["architecture"] == "le_net"
    predictions = tasks["predict"](model, testing)
    assert all(abs(p - y) < 2.0 for p, (_, y) in zip(predictions, testing, strict=True))


def test_the_artifact_tasks_round_trip(tmp_path):
    list(load_plugins_demo())
    artifacts = demo_module("text.py")
    text, as_json = artifacts["TextArtifactTask"](), artifacts["JsonArtifactTask"]()
    path = text.serialize(tmp_path, "greeting", "Hello, World!\n")
    assert text.deserialize(tmp_path, path.name) == "Hello, World!\n"
    path = as_json.serialize(tmp_path, "model", {"slope": 3.0}, indent=None)
    assert as_json.deserialize(tmp_path, path.name) == {"slope": 3.0}
    declared = PluginFile.objects.get(filename="text.py").tasks["artifacts"]
    assert [t["name"] for t in declared] == ["TextArtifactTask", "JsonArtifactTask"]


def test_the_entrypoints_demo_accepts_these_plugins():
    list(load_plugins_demo())
    list(load_entrypoints_demo())
    assert Entrypoint.objects.get(name="hello_world").valid
