"""Demo plugins for ``manage.py load_demo`` (idempotent), in the default group ``public``.

- ``hello``: ``tasks.py`` with the seed's ``hello_world`` and its model-training example
  (``load_from_disk``, ``train``, ``predict``) as small pure-Python stand-ins. ``load_from_disk``
  declares the outputs ``training`` and ``testing`` (it returns the pair), so the seed's
  ``$dataset.training`` / ``$dataset.testing`` references resolve.
- ``artifacts``: ``text.py`` with two artifact task classes (``serialize(self, working_dir,
  name, contents, **kwargs)`` writes a file, ``deserialize(self, working_dir, path, **kwargs)``
  reads it back).

The task declarations match the code's signatures; the types ``dataset`` and ``model`` are
created in ``public`` when missing.
"""

from collections.abc import Iterator

from access.demo import demo_author
from access.services import default_group
from plugins_app import services
from plugins_app.models import Plugin, PluginParameterType

HELLO_TASKS_PY = '''\
"""Hello world, and a toy version of the seed's model-training example (no ML libraries)."""

import random


def hello_world(greeting: str, name: str) -> str:
    """Greet someone; the message is printed to the job log and returned."""
    message = f"{greeting}, {name}!"
    print(message)
    return message


def load_from_disk(location: str) -> tuple[list, list]:
    """A reproducible toy dataset of (x, y) points: 40 for training, 10 for testing."""
    rng = random.Random(location)
    xs = [rng.uniform(0.0, 10.0) for _ in range(50)]
    points = [(x, 3.0 * x + 1.0 + rng.gauss(0.0, 0.5)) for x in xs]
    return points[:40], points[40:]


def train(architecture: str, dataset) -> dict:
    """Fit y = slope * x + intercept by least squares (``architecture`` is only recorded)."""
    n = len(dataset)
    mean_x = sum(x for x, _ in dataset) / n
    mean_y = sum(y for _, y in dataset) / n
    spread = sum((x - mean_x) ** 2 for x, _ in dataset) or 1.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in dataset) / spread
    return {"architecture": architecture, "slope": slope, "intercept": mean_y - slope * mean_x}


def predict(model, dataset) -> list:
    """The model's prediction for each point's x."""
    return [model["slope"] * x + model["intercept"] for x, _ in dataset]
'''

ARTIFACTS_TEXT_PY = '''\
"""Artifact tasks: how a job's outputs are written to files, and read back as inputs."""

import json
from pathlib import Path


class TextArtifactTask:
    """Any value as a UTF-8 text file ``<name>.txt`` (its ``str()``); read back as a string."""

    def serialize(self, working_dir, name, contents, **kwargs):
        path = Path(working_dir) / f"{name}.txt"
        path.write_text(str(contents), encoding="utf-8")
        return path

    def deserialize(self, working_dir, path, **kwargs):
        return (Path(working_dir) / path).read_text(encoding="utf-8")


class JsonArtifactTask:
    """A JSON value (numbers, lists, mappings) as ``<name>.json``; read back as that value."""

    def serialize(self, working_dir, name, contents, indent=2, **kwargs):
        path = Path(working_dir) / f"{name}.json"
        path.write_text(json.dumps(contents, indent=indent), encoding="utf-8")
        return path

    def deserialize(self, working_dir, path, **kwargs):
        return json.loads((Path(working_dir) / path).read_text(encoding="utf-8"))
'''


def _type(group, name: str, description: str = "") -> PluginParameterType:
    """The live type ``name`` of ``group`` (builtins included), created when missing."""
    found = PluginParameterType.objects.alive().filter(group=group, name=name).first()
    return found or services.parameter_type_create(
        user=demo_author(), group=group, name=name, description=description
    )


def _inputs(*params) -> list[dict]:
    """``(name, type)`` or ``(name, type, required)`` tuples as declared input parameters."""
    return [
        {"name": name, "parameterType": t.pk, "required": rest[0] if rest else True}
        for name, t, *rest in params
    ]


def _outputs(*params) -> list[dict]:
    return [{"name": name, "parameterType": t.pk} for name, t in params]


def _demo_plugins(group) -> list[dict]:
    string, integer, anything = (_type(group, n) for n in ("string", "integer", "any"))
    dataset = _type(group, "dataset", "Demo type: a dataset of (x, y) points.")
    model = _type(group, "model", "Demo type: a trained model.")
    hello_functions = [
        {
            "name": "hello_world",
            "inputParams": _inputs(("greeting", string), ("name", string)),
            "outputParams": _outputs(("message", string)),
        },
        {
            "name": "load_from_disk",
            "inputParams": _inputs(("location", string)),
            "outputParams": _outputs(("training", dataset), ("testing", dataset)),
        },
        {
            "name": "train",
            "inputParams": _inputs(("architecture", string), ("dataset", dataset)),
            "outputParams": _outputs(("model", model)),
        },
        {
            "name": "predict",
            "inputParams": _inputs(("model", model), ("dataset", dataset)),
            "outputParams": _outputs(("predictions", anything)),
        },
    ]
    artifact_tasks = [
        {"name": "TextArtifactTask", "inputParams": [], "outputParams": _outputs(("text", string))},
        {
            "name": "JsonArtifactTask",
            "inputParams": _inputs(("indent", integer, False)),
            "outputParams": _outputs(("value", anything)),
        },
    ]
    return [
        {
            "name": "hello",
            "description": "Hello world and a toy model-training pipeline.",
            "file": {
                "filename": "tasks.py",
                "contents": HELLO_TASKS_PY,
                "description": "The seed's example tasks.",
                "tasks": {"functions": hello_functions},
            },
        },
        {
            "name": "artifacts",
            "description": "Artifact tasks that save outputs as text or JSON.",
            "file": {
                "filename": "text.py",
                "contents": ARTIFACTS_TEXT_PY,
                "description": "Text and JSON artifact tasks.",
                "tasks": {"artifacts": artifact_tasks},
            },
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
        services.plugin_file_create(user=demo_author(), plugin=plugin, **demo["file"])
        yield f"Created plugin {plugin.name!r} with {demo['file']['filename']} in {group.name!r}."
