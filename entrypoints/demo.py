"""Demo entrypoints for `make run` (idempotent), in the default group ``public``; each runs.

- ``hello_world``: the seed's client example; its artifact output keeps the message as a
  ``StringArtifactTask`` file.
- ``shout_saved_message``: reads such a message back through its artifact parameter (the
  seed's ``artifact_name``) and shouts it, so a job of it needs a hello_world job's artifact.
- ``model_training``: the seed's graph. It references ``$train``, a step that does not exist;
  the demo uses ``$trained_model`` so that it validates and runs.
- ``digits_classifier``: scikit-learn on the digits dataset, metrics per epoch, and a NumPy
  artifact (the confusion matrix).

They use the plugins demo's plugins and the jobs demo's queue ``default`` and plugin
``builtin_artifacts``: ``core.demo`` loads those first.
"""

from collections.abc import Iterator

from access.demo import demo_author
from access.services import default_group
from entrypoints import services
from entrypoints.models import Entrypoint
from jobs.models import Queue
from plugins_app.models import Plugin, PluginParameterType

HELLO_GRAPH = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
SAVE_MESSAGE = "saved_message:\n  contents: $message\n  task:\n    name: StringArtifactTask\n"
SHOUT_GRAPH = "loud:\n  shout:\n    message: $artifact_name\n"
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
DIGITS_GRAPH = """data:
  load_digits:
    test_size: $test_size
    seed: $seed
model:
  train_classifier:
    x_train: $data.x_train
    y_train: $data.y_train
    x_test: $data.x_test
    y_test: $data.y_test
    epochs: $epochs
    learning_rate: $learning_rate
scores:
  evaluate:
    model: $model
    x_test: $data.x_test
    y_test: $data.y_test
"""
SAVE_CONFUSION_MATRIX = """confusion_matrix:
  contents: $scores
  task:
    name: NumpyArrayArtifactTask
"""


def _parameter(name: str, default: str, kind: str) -> dict:
    return {"name": name, "defaultValue": default, "parameterType": kind}


# Each demo entrypoint's fields; plugins, artifact plugins and artifact types by name.
ENTRYPOINTS = [
    {
        "name": "hello_world",
        "description": "An entrypoint to run hello world task",
        "task_graph": HELLO_GRAPH,
        "artifact_graph": SAVE_MESSAGE,
        "parameters": [
            _parameter("greeting", "Hello", "string"),
            _parameter("name", "World", "string"),
        ],
        "plugins": ["hello"],
        "artifact_plugins": ["builtin_artifacts"],
    },
    {
        "name": "shout_saved_message",
        "description": "Shout the message a hello_world job saved (pick its artifact).",
        "task_graph": SHOUT_GRAPH,
        "artifact_parameters": [
            {
                "name": "artifact_name",
                "outputParams": [{"name": "value", "parameterType": "string"}],
            }
        ],
        "plugins": ["hello"],
        "artifact_plugins": ["builtin_artifacts"],
    },
    {
        "name": "model_training",
        "description": "Load a dataset, train a model on it and predict (the seed's example).",
        "task_graph": TRAINING_GRAPH,
        "parameters": [_parameter("location", "/data/mnist", "string")],
        "plugins": ["hello"],
    },
    {
        "name": "digits_classifier",
        "description": "Classify handwritten digits with scikit-learn; plots training metrics "
        "and saves the confusion matrix as a NumPy artifact.",
        "task_graph": DIGITS_GRAPH,
        "artifact_graph": SAVE_CONFUSION_MATRIX,
        "parameters": [
            _parameter("test_size", "0.25", "float"),
            _parameter("seed", "0", "integer"),
            _parameter("epochs", "15", "integer"),
            _parameter("learning_rate", "0.05", "float"),
        ],
        "plugins": ["digits"],
        "artifact_plugins": ["builtin_artifacts"],
    },
]
NAMES = [demo["name"] for demo in ENTRYPOINTS]


def load_entrypoints_demo() -> Iterator[str]:
    """Create the demo entrypoints missing from ``public``; say what was made."""
    group = default_group()
    plugins = {p.name: p for p in Plugin.objects.alive().filter(group=group)}
    types = {t.name: t.pk for t in PluginParameterType.objects.alive().filter(group=group)}
    queues = Queue.objects.alive().filter(group=group, name="default")
    for demo in ENTRYPOINTS:
        if Entrypoint.objects.alive().filter(group=group, name=demo["name"]).exists():
            continue
        fields = {
            **demo,
            "plugins": [plugins[name] for name in demo["plugins"]],
            "artifact_plugins": [plugins[name] for name in demo.get("artifact_plugins", ())],
            "artifact_parameters": [
                {
                    **p,
                    "outputParams": [
                        {**o, "parameterType": types[o["parameterType"]]} for o in p["outputParams"]
                    ],
                }
                for p in demo.get("artifact_parameters", ())
            ],
        }
        entrypoint = services.entrypoint_create(
            user=demo_author(), group=group, queues=queues, **fields
        )
        verdict = "valid" if entrypoint.valid else f"invalid: {entrypoint.issues}"
        yield f"Created entrypoint {entrypoint.name!r} in {group.name!r} ({verdict})."
