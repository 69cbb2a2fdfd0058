"""Demo entrypoints for `make run` (idempotent): the seed's hello world and model training.

Both live in the default group ``public``, may run on its queue ``default`` when the demo made
one, and use its plugin ``hello`` (the plugins demo makes it
first; when it is missing, a minimal one with the same tasks is made here). The seed's
model-training graph references ``$train``, a step that does not exist; the demo uses
``$trained_model`` so that it validates and runs.
"""

from collections.abc import Iterator

from access.demo import demo_author
from access.services import default_group
from entrypoints import services
from entrypoints.models import Entrypoint
from jobs.models import Queue
from plugins_app import services as plugin_services
from plugins_app.models import Plugin, PluginParameterType

HELLO_GRAPH = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
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
HELLO_CODE = '''"""Hello world, and toy stand-ins for the seed's model-training tasks."""


def hello_world(greeting: str, name: str) -> str:
    return f"{greeting}, {name}!"


def load_from_disk(location: str):
    numbers = [float(len(location) + i) for i in range(10)]
    return numbers[:8], numbers[8:]


def train(architecture: str, dataset):
    return {"architecture": architecture, "mean": sum(dataset) / len(dataset)}


def predict(model, dataset):
    return [model["mean"] for _ in dataset]
'''
ENTRYPOINTS = [
    {
        "name": "hello_world",
        "description": "An entrypoint to run hello world task",
        "task_graph": HELLO_GRAPH,
        "parameters": [
            {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
            {"name": "name", "defaultValue": "World", "parameterType": "string"},
        ],
    },
    {
        "name": "model_training",
        "description": "Load a dataset, train a model on it and predict (the seed's example).",
        "task_graph": TRAINING_GRAPH,
        "parameters": [
            {"name": "location", "defaultValue": "/data/mnist", "parameterType": "string"}
        ],
    },
]


def _type(group, name: str) -> PluginParameterType:
    found = PluginParameterType.objects.alive().filter(group=group, name=name).first()
    return found or plugin_services.parameter_type_create(
        user=demo_author(), group=group, name=name, description=f"Demo type {name}."
    )


def _task(name: str, inputs: list, outputs: list) -> dict:
    return {
        "name": name,
        "inputParams": [{"name": n, "parameterType": t.pk, "required": True} for n, t in inputs],
        "outputParams": [{"name": n, "parameterType": t.pk} for n, t in outputs],
    }


def _hello_plugin(group) -> Plugin:
    """A minimal ``hello`` plugin: the seed's tasks, declared as the code defines them."""
    string, anything = _type(group, "string"), _type(group, "any")
    dataset, model = _type(group, "dataset"), _type(group, "model")
    functions = [
        _task("hello_world", [("greeting", string), ("name", string)], [("message", string)]),
        _task(
            "load_from_disk", [("location", string)], [("training", dataset), ("testing", dataset)]
        ),
        _task("train", [("architecture", string), ("dataset", dataset)], [("model", model)]),
        _task("predict", [("model", model), ("dataset", dataset)], [("predictions", anything)]),
    ]
    plugin = plugin_services.plugin_create(
        user=demo_author(), group=group, name="hello", description="Hello world and model training."
    )
    plugin_services.plugin_file_create(
        user=demo_author(),
        plugin=plugin,
        filename="tasks.py",
        contents=HELLO_CODE,
        tasks={"functions": functions},
    )
    return plugin


def load_entrypoints_demo() -> Iterator[str]:
    """Create the demo entrypoints missing from ``public``; say what was made."""
    group = default_group()
    hello = Plugin.objects.alive().filter(group=group, name="hello").first()
    for demo in ENTRYPOINTS:
        if Entrypoint.objects.alive().filter(group=group, name=demo["name"]).exists():
            continue
        if hello is None:
            hello = _hello_plugin(group)
            yield f"Created plugin 'hello' in {group.name!r}."
        queues = Queue.objects.alive().filter(group=group, name="default")  # from the jobs demo
        entrypoint = services.entrypoint_create(
            user=demo_author(), group=group, plugins=[hello], queues=queues, **demo
        )
        verdict = "valid" if entrypoint.valid else f"invalid: {entrypoint.issues}"
        yield f"Created entrypoint {entrypoint.name!r} in {group.name!r} ({verdict})."
