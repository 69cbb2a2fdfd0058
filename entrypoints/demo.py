"""Demo entrypoints for `make run` (idempotent): the seed's hello world and model training.

Both live in the default group ``public`` and use plugins of that group: ``hello`` (made by the
plugins demo when it ran first, else here) and ``training``. The seed's model-training graph
references ``$train``, a step that does not exist; the demo uses ``$trained_model`` so that it
validates and runs.
"""

from collections.abc import Iterator

from access.services import default_group
from entrypoints import services
from entrypoints.models import Entrypoint
from plugins_app import services as plugin_services
from plugins_app.models import Plugin, PluginParameterType

HELLO_GRAPH = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
HELLO_CODE = '''"""Greetings."""


def hello_world(greeting: str, name: str) -> str:
    message = f"{greeting}, {name}!"
    print(message)
    return message
'''

TRAINING_GRAPH = """dataset:
  load_from_disk:
    location: $location # Referencing an entrypoint parameter
trained_model:
  train:
    architecture: le_net
    dataset: $dataset.training # Using the output from the first step
predictions:
  predict:
    model: $trained_model
    dataset: $dataset.testing
"""
TRAINING_CODE = '''"""Toy stand-ins for loading data, training a model and predicting."""


def load_from_disk(location: str):
    numbers = [float(len(location) + i) for i in range(10)]
    return numbers[:8], numbers[8:]


def train(architecture: str, dataset):
    return {"architecture": architecture, "mean": sum(dataset) / len(dataset)}


def predict(model, dataset):
    return [model["mean"] for _ in dataset]
'''


def _type(group, name: str) -> PluginParameterType:
    found = PluginParameterType.objects.alive().filter(group=group, name=name).first()
    return found or plugin_services.parameter_type_create(
        user=None, group=group, name=name, description=f"Demo type {name}."
    )


def _params(*pairs) -> list[dict]:
    return [{"name": name, "parameterType": t.pk, "required": True} for name, t in pairs]


def _outputs(*pairs) -> list[dict]:
    return [{"name": name, "parameterType": t.pk} for name, t in pairs]


def _plugin(
    group, name: str, description: str, code: str, functions: list[dict]
) -> tuple[Plugin, bool]:
    plugin = Plugin.objects.alive().filter(group=group, name=name).first()
    if plugin is not None:
        return plugin, False
    plugin = plugin_services.plugin_create(
        user=None, group=group, name=name, description=description
    )
    plugin_services.plugin_file_create(
        user=None, plugin=plugin, filename="tasks.py", contents=code, tasks={"functions": functions}
    )
    plugin.refresh_from_db()
    return plugin, True


def load_entrypoints_demo() -> Iterator[str]:
    """Create the demo plugins and entrypoints that are missing; say what happened."""
    group = default_group()
    string = _type(group, "string")
    hello, made = _plugin(
        group,
        "hello",
        "Says hello.",
        HELLO_CODE,
        [
            {
                "name": "hello_world",
                "inputParams": _params(("greeting", string), ("name", string)),
                "outputParams": _outputs(("message", string)),
            }
        ],
    )
    if made:
        yield "Created plugin 'hello'."
    dataset, model = _type(group, "dataset"), _type(group, "model")
    training, made = _plugin(
        group,
        "training",
        "Toy model training tasks (the seed's model-training example).",
        TRAINING_CODE,
        [
            {
                "name": "load_from_disk",
                "inputParams": _params(("location", string)),
                "outputParams": _outputs(("training", dataset), ("testing", dataset)),
            },
            {
                "name": "train",
                "inputParams": _params(("architecture", string), ("dataset", dataset)),
                "outputParams": _outputs(("model", model)),
            },
            {
                "name": "predict",
                "inputParams": _params(("model", model), ("dataset", dataset)),
                "outputParams": _outputs(("predictions", _type(group, "any"))),
            },
        ],
    )
    if made:
        yield "Created plugin 'training'."
    demos = [
        {
            "name": "hello_world",
            "description": "An entrypoint to run hello world task",
            "task_graph": HELLO_GRAPH,
            "plugins": [hello],
            "parameters": [
                {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
                {"name": "name", "defaultValue": "World", "parameterType": "string"},
            ],
        },
        {
            "name": "model_training",
            "description": "Load a dataset, train a model, predict.",
            "task_graph": TRAINING_GRAPH,
            "plugins": [training],
            "parameters": [
                {"name": "location", "defaultValue": "/data/mnist", "parameterType": "string"}
            ],
        },
    ]
    for demo in demos:
        if Entrypoint.objects.alive().filter(group=group, name=demo["name"]).exists():
            continue
        entrypoint = services.entrypoint_create(user=None, group=group, **demo)
        verdict = "valid" if entrypoint.valid else f"invalid: {entrypoint.issues}"
        yield f"Created entrypoint {entrypoint.name!r} in group {group.name!r} ({verdict})."
