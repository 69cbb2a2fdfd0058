"""The demo plugins: created once in ``public``, declarations matching real, working code."""

import pytest

from plugins_app.demo import demo_code, load_plugins_demo
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.signatures import analyse_tasks

pytestmark = pytest.mark.django_db
DEMO_FILES = [("hello", "tasks.py"), ("artifacts", "text.py"), ("digits", "tasks.py")]
FUNCTION_FILES = [("hello", "tasks.py"), ("digits", "tasks.py")]


def demo_module(plugin: str, filename: str) -> dict:
    """Run a demo file's stored code (our own, trusted) and return its namespace."""
    namespace: dict = {}
    exec(PluginFile.objects.get(plugin__name=plugin, filename=filename).contents, namespace)
    return namespace


def test_loading_is_idempotent():
    lines = list(load_plugins_demo())
    assert [line.split("'")[1] for line in lines] == ["hello", "artifacts", "digits"]
    plugins = Plugin.objects.filter(group__name="public")
    assert sorted(p.name for p in plugins) == ["artifacts", "digits", "hello"]
    assert all(p.history.count() == 2 for p in plugins)  # created, then its file added
    types = PluginParameterType.objects.count()
    assert list(load_plugins_demo()) == []
    assert (
        all(p.history.count() == 2 for p in plugins)
        and PluginParameterType.objects.count() == types
    )


@pytest.mark.parametrize(("plugin", "filename"), DEMO_FILES)
def test_the_stored_code_is_the_shipped_file(plugin, filename):
    list(load_plugins_demo())
    stored = PluginFile.objects.get(plugin__name=plugin, filename=filename)
    assert stored.contents == demo_code(plugin, filename)


@pytest.mark.parametrize(("plugin", "filename"), FUNCTION_FILES)
def test_declared_functions_match_the_code(plugin, filename):
    list(load_plugins_demo())
    stored = PluginFile.objects.get(plugin__name=plugin, filename=filename)
    analysed = {t["name"]: t for t in analyse_tasks(stored.contents)}
    declared = {t["name"]: t for t in stored.tasks["functions"]}
    assert set(declared) == set(analysed)
    for name, task in declared.items():
        assert [(p["name"], p["required"]) for p in task["inputParams"]] == [
            (p["name"], p["required"]) for p in analysed[name]["inputs"]
        ]


def test_the_hello_code_runs():
    list(load_plugins_demo())
    tasks = demo_module("hello", "tasks.py")
    assert tasks["hello_world"]("Hello", "World") == "Hello, World!"
    assert tasks["shout"]("Hello, World!") == "HELLO, WORLD!"
    training, testing = tasks["load_from_disk"]("/data/points")
    assert (len(training), len(testing)) == (40, 10)
    model = tasks["train"]("le_net", training)
    assert abs(model["slope"] - 3.0) < 0.2 and model["architecture"] == "le_net"
    predictions = tasks["predict"](model, testing)
    assert all(abs(p - y) < 2.0 for p, (_, y) in zip(predictions, testing, strict=True))


def test_the_artifact_tasks_round_trip_as_dioptra_calls_them(tmp_path):
    list(load_plugins_demo())
    artifacts = demo_module("artifacts", "text.py")
    text, as_json = artifacts["TextArtifactTask"], artifacts["JsonArtifactTask"]
    path = text.serialize(tmp_path, "greeting", "Hello, World!\n")
    assert text.deserialize(tmp_path, path.name) == "Hello, World!\n"
    path = as_json.serialize(tmp_path, "model", {"slope": 3.0}, indent=None)
    assert as_json.deserialize(tmp_path, path.name) == {"slope": 3.0}
    assert as_json.validation() == {"indent": {"type": ["integer", "null"]}}
