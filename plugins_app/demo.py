"""Demo plugins for ``manage.py load_demo`` (idempotent), in the default group ``public``.

Their code is the files under ``demo_plugins/<plugin>/``, real modules a job runs:

- ``hello``: ``tasks.py`` with the seed's ``hello_world`` and ``shout``, and its model-training
  example (``load_from_disk``, ``train``, ``predict``) as small pure-Python stand-ins.
  ``load_from_disk`` declares the outputs ``training`` and ``testing`` (it returns the pair), so
  the seed's ``$dataset.training`` / ``$dataset.testing`` references resolve.
- ``artifacts``: ``text.py`` with two artifact tasks in Dioptra's style (text and JSON files).
- ``digits``: ``tasks.py``, a scikit-learn classifier of the digits dataset that records
  metrics per epoch (``pyplugs`` and ``structlog`` as Dioptra's plugins use them).

The task declarations match the code's signatures; the types they use are created in
``public`` when missing.
"""

from collections.abc import Iterator
from pathlib import Path

from access.demo import demo_author
from access.services import default_group
from plugins_app import services
from plugins_app.models import Plugin, PluginParameterType

DEMO_PLUGINS_DIR = Path(__file__).resolve().parent / "demo_plugins"


def demo_code(plugin: str, filename: str) -> str:
    """The shipped code of a demo plugin's file."""
    return (DEMO_PLUGINS_DIR / plugin / filename).read_text(encoding="utf-8")


def _type(group, name: str, description: str = "") -> PluginParameterType:
    """The live type ``name`` of ``group`` (builtins included), created when missing."""
    found = PluginParameterType.objects.alive().filter(group=group, name=name).first()
    return found or services.parameter_type_create(
        user=demo_author(), group=group, name=name, description=description
    )


def _task(name: str, inputs=(), outputs=()) -> dict:
    """A declared task: ``inputs`` are ``(name, type)`` or ``(name, type, required)``,
    ``outputs`` ``(name, type)``."""
    return {
        "name": name,
        "inputParams": [
            {"name": n, "parameterType": t.pk, "required": rest[0] if rest else True}
            for n, t, *rest in inputs
        ],
        "outputParams": [{"name": n, "parameterType": t.pk} for n, t in outputs],
    }


def _demo_plugins(group) -> list[dict]:
    string, integer, number, anything = (
        _type(group, n) for n in ("string", "integer", "number", "any")
    )
    dataset = _type(group, "dataset", "Demo type: a dataset of (x, y) points.")
    model = _type(group, "model", "Demo type: a trained model.")
    array = _type(group, "ndarray", "Demo type: a NumPy array.")
    classifier = _type(group, "classifier", "Demo type: a fitted scikit-learn classifier.")
    hello_functions = [
        _task("hello_world", [("greeting", string), ("name", string)], [("message", string)]),
        _task("shout", [("message", string)], [("loud", string)]),
        _task(
            "load_from_disk", [("location", string)], [("training", dataset), ("testing", dataset)]
        ),
        _task("train", [("architecture", string), ("dataset", dataset)], [("model", model)]),
        _task("predict", [("model", model), ("dataset", dataset)], [("predictions", anything)]),
    ]
    artifact_tasks = [
        _task("TextArtifactTask", outputs=[("text", string)]),
        _task("JsonArtifactTask", [("indent", integer, False)], [("value", anything)]),
    ]
    x_train, x_test, y_train, y_test = (
        (n, array) for n in ("x_train", "x_test", "y_train", "y_test")
    )
    digits_functions = [
        _task(
            "load_digits",
            [("test_size", number), ("seed", integer)],
            [x_train, x_test, y_train, y_test],
        ),
        _task(
            "train_classifier",
            [x_train, y_train, x_test, y_test, ("epochs", integer), ("learning_rate", number)],
            [("model", classifier)],
        ),
        _task(
            "evaluate",
            [("model", classifier), ("x_test", array), ("y_test", array)],
            [("confusion_matrix", array)],
        ),
    ]
    return [
        {
            "name": "hello",
            "description": "Hello world and a toy model-training pipeline.",
            "file": ("tasks.py", "The seed's example tasks.", {"functions": hello_functions}),
        },
        {
            "name": "artifacts",
            "description": "Artifact tasks that save outputs as text or JSON.",
            "file": ("text.py", "Text and JSON artifact tasks.", {"artifacts": artifact_tasks}),
        },
        {
            "name": "digits",
            "description": "A scikit-learn classifier of handwritten digits, with metrics.",
            "file": (
                "tasks.py",
                "Load, train (per-epoch metrics), evaluate.",
                {"functions": digits_functions},
            ),
        },
    ]


def load_plugins_demo() -> Iterator[str]:
    """Create the demo plugins missing from ``public``; yield one line per plugin created.

    Running it again changes nothing (an existing plugin of the same name is left as it is).
    """
    group = default_group()
    for demo in _demo_plugins(group):
        if Plugin.objects.alive().filter(group=group, name=demo["name"]).exists():
            continue
        plugin = services.plugin_create(
            user=demo_author(), group=group, name=demo["name"], description=demo["description"]
        )
        filename, description, tasks = demo["file"]
        services.plugin_file_create(
            user=demo_author(),
            plugin=plugin,
            filename=filename,
            contents=demo_code(demo["name"], filename),
            description=description,
            tasks=tasks,
        )
        yield f"Created plugin {plugin.name!r} with {filename} in {group.name!r}."
