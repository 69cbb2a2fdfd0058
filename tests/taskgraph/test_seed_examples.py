"""Every example of the seed reference validates as the seed describes (given matching task
declarations), in both the bare and the `graph:` / `artifact_outputs:` wrapped forms; its three
slips each give the issue that names the mistake."""

from __future__ import annotations

import textwrap

import pytest

from entrypoints.taskgraph import (
    ArtifactInputSpec,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    build_document,
    validate_document,
    validate_entrypoint,
)

from .helpers import codes, only, position, span


def wrapped(text: str, key: str) -> str:
    return f"{key}:\n" + textwrap.indent(text, "  ")


def task(*inputs: str, outputs: tuple = (), optional: tuple = ()) -> TaskSpec:
    return TaskSpec(
        f"seed_plugin.tasks.{inputs[0] if inputs else 'noop'}",
        [(name, "any", True) for name in inputs] + [(name, "any", False) for name in optional],
        [(name, "any") for name in outputs],
    )


TRAINING_TASKS = {
    "load_from_disk": task("location", outputs=("training", "testing")),
    "train": task("architecture", "dataset", outputs=("model",)),
    "predict": task("model", "dataset", outputs=("predictions",)),
}
TRAINING_PARAMETERS = [ParameterSpec("location", "string", "/data/mnist")]

MODEL_TRAINING = {
    "positional": """\
dataset:
  load_from_disk: [$location] # Referencing an entrypoint parameter
trained_model:
  train: [le_net, $dataset.training] # Using the output from the first step
predictions:
  predict: [$train, $dataset.testing]
""",
    "keyword": """\
dataset:
  load_from_disk:
    location: $location # Referencing an entrypoint parameter
trained_model:
  train:
    architecture: le_net
    dataset: $dataset.training # Using the output from the first step
predictions:
  predict:
    model: $train
    dataset: $dataset.testing
""",
    "mixed": """\
dataset:
  task: load_from_disk
  args: [$location] # Referencing an entrypoint parameter
trained_model:
  task: train
  args: [le_net]
  kwargs:
    dataset: $dataset.training # Using the output from the first step
predictions:
  task: predict
  kwargs:
    model: $train
    dataset: $dataset.testing
""",
}


@pytest.mark.parametrize("style", list(MODEL_TRAINING))
@pytest.mark.parametrize("wrap", [False, True])
def test_model_training_slip_train_names_no_step(style, wrap):
    text = MODEL_TRAINING[style]
    text = wrapped(text, "graph") if wrap else text
    context = StaticContext(tasks=TRAINING_TASKS, parameters=TRAINING_PARAMETERS)
    result = validate_entrypoint(text, None, context=context)
    issue = only(result, "E_REF_UNRESOLVABLE")
    assert codes(result) == ["E_REF_UNRESOLVABLE"]
    assert "did you mean `$trained_model`?" in issue.message
    assert issue.source == "taskGraph"
    assert position(issue) == span(text, "$train", "predictions:")
    assert issue.path[0] == ("graph" if wrap else "predictions")
    # with the slip fixed, the example is valid
    fixed = text.replace("$train,", "$trained_model,").replace(
        "model: $train\n", "model: $trained_model\n"
    )
    assert validate_entrypoint(fixed, None, context=context).valid


GENERIC = [
    (
        "positional",
        "taskGraphStep1:\n  task1: [arg1, arg2]\ntaskGraphStep2:\n  task2: [arg3, arg4]\n",
        {"task1": task("p1", "p2"), "task2": task("p3", "p4")},
        [],
    ),
    (
        "keyword",
        "taskGraphStep1:\n  task1:\n    keyword1: arg1\n    keyword2: arg2\n"
        "taskGraphStep2:\n  task2:\n    keyword3: arg3\n    keyword4: arg4\n",
        {"task1": task("keyword1", "keyword2"), "task2": task("keyword3", "keyword4")},
        [],
    ),
    (
        "mixed",
        "taskGraphStep1:\n  task: task1\n  args: [posarg1, posarg2]\n  kwargs:\n    keyword1: "
        "arg1\n    keyword2: arg2\n"
        "taskGraphStep2:\n  task: task2\n  args: [posarg3, posarg4]\n  kwargs:\n    keyword3: "
        "arg3\n    keyword4: arg4\n",
        {
            "task1": task("a", "b", "keyword1", "keyword2"),
            "task2": task("c", "d", "keyword3", "keyword4"),
        },
        [],
    ),
    (
        "no inputs",
        "taskGraphStep1:\n  task: task1 # Assuming task1 has no inputs\n",
        {"task1": task()},
        [],
    ),
    (
        "lists of arguments",
        "taskGraphStep1:\n  task1:\n    keyword1:\n    - arg1\n    - arg11\n    - arg111\n    "
        "keyword2: arg2\n"
        "taskGraphStep2:\n  task2:\n    keyword3: arg3\n    keyword4: arg4\n",
        {"task1": task("keyword1", "keyword2"), "task2": task("keyword3", "keyword4")},
        [],
    ),
    (
        "mapping arguments",
        "taskGraphStep1:\n  task1:\n    keyword1:\n    - k1: arg1\n    - k2: arg11\n    - k3: "
        "arg111\n"
        "    keyword2: [arg2, arg22]\ntaskGraphStep2:\n  task2:\n  - keyword3: arg3\n  - "
        "keyword4: arg4\n",
        # the slip: `task2: [{keyword3: ...}, {keyword4: ...}]` is a positional call with two
        # mappings
        {"task1": task("keyword1", "keyword2"), "task2": task("first", "second")},
        [],
    ),
    (
        "referencing task outputs",
        "taskGraphStep1:\n  task1: [arg1, arg2]\ntaskGraphStep2:\n  task2: [$taskGraphStep1, "
        "arg4]\n",
        {"task1": task("a", "b", outputs=("output",)), "task2": task("c", "d")},
        [],
    ),
    (
        "multiple outputs",
        "taskGraphStep1:\n  task1: [arg1, arg2]\n"
        "taskGraphStep2:\n  task2: [$taskGraphStep1.output1, $taskGraphStep1.output2]\n",
        {"task1": task("a", "b", outputs=("output1", "output2")), "task2": task("c", "d")},
        [],
    ),
    (
        "entrypoint parameters",
        "taskGraphStep1:\n  task1: [arg1, arg2]\ntaskGraphStep2:\n  task2: [$myparam, "
        "$taskGraphStep1.output2]\n",
        {"task1": task("a", "b", outputs=("output1", "output2")), "task2": task("c", "d")},
        [ParameterSpec("myparam", "string", "x")],
    ),
    (
        "dependencies",
        "taskGraphStep1:\n  task1: [arg1, arg2]\ntaskGraphStep2:\n  task2: [$param1, $param2]\n  "
        "dependencies: [taskGraphStep1]\n",
        {"task1": task("a", "b"), "task2": task("c", "d")},
        [ParameterSpec("param1", "integer", "1"), ParameterSpec("param2", "float", None)],
    ),
    (
        "hello world (REST example)",
        "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n",
        {
            "hello_world": TaskSpec(
                "hello_plugin.tasks.hello_world",
                [("greeting", "string", True), ("name", "string", True)],
                [("message", "string")],
            )
        },
        [ParameterSpec("greeting", "string", "Hello"), ParameterSpec("name", "string", "World")],
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "tasks", "parameters"), GENERIC, ids=[g[0] for g in GENERIC]
)
@pytest.mark.parametrize("wrap", [False, True])
def test_generic_task_graph_examples_are_valid(name, text, tasks, parameters, wrap):
    text = wrapped(text, "graph") if wrap else text
    context = StaticContext(tasks=tasks, parameters=parameters)
    result = validate_entrypoint(text, None, context=context)
    assert result.valid and result.issues == [], result.issues
    assert validate_document(build_document(text, None, context=context)).valid


ARTIFACT_CONTEXT = StaticContext(
    tasks=TRAINING_TASKS,
    parameters=TRAINING_PARAMETERS,
    artifact_tasks={
        "DataframeArtifactTask": TaskSpec("seed_artifacts.frames.DataframeArtifactTask", None),
        "ModelArtifactTask": TaskSpec("seed_artifacts.models.ModelArtifactTask", None),
    },
)
FIXED_TRAINING = MODEL_TRAINING["positional"].replace("$train,", "$trained_model,")

ARTIFACT_EXAMPLES = {
    "positional": """\
saved_predictions:
  contents: $predictions # Referencing a step name in the Task Graph
  task:
    name: DataframeArtifactTask # The name of the Artifact Handler
    args: [ csv, false ] # Positional args to be passed to the serialize method
saved_model:
  contents: $trained_model
  task:
    name: ModelArtifactTask
""",
    "keyword": """\
saved_predictions:
  contents: $predictions # Referencing a step name in the Task Graph
  task:
    name: DataframeArtifactTask # The name of the Artifact Handler
    kwargs:
      format: csv # A keyword arg to be passed to the serialize method
      save_index: false # A keyword arg to be passed to the serialize method
saved_model:
  contents: $trained_model
  task:
    name: ModelArtifactTask
""",
    "mixed": """\
saved_predictions:
  contents: $predictions # Referencing a step name in the Task Graph
  task:
    name: DataframeArtifactTask # The name of the Artifact Handler
    args: [csv] # A positional arg
    kwargs:
      save_index: false # A keyword arg
saved_model:
  contents: $trained_model
  task:
    name: ModelArtifactTask
""",
}


@pytest.mark.parametrize("style", list(ARTIFACT_EXAMPLES))
@pytest.mark.parametrize("wrap", [None, "artifact_outputs", "artifacts"])
def test_artifact_graph_examples_are_valid(style, wrap):
    text = ARTIFACT_EXAMPLES[style]
    text = wrapped(text, wrap) if wrap else text
    result = validate_entrypoint(FIXED_TRAINING, text, context=ARTIFACT_CONTEXT)
    assert result.valid and result.issues == [], result.issues


GENERIC_ARTIFACTS = [
    (
        "generalized",
        "artifactStep1:\n  contents: $taskGraphStep1.output # assumes name of output\n  task:\n  "
        "  name: artifactHandler1\n"
        "artifactStep2:\n  contents: $taskGraphStep2 # If function task only has one output\n  "
        "task:\n    name: artifactHandler2\n",
    ),
    (
        "positional",
        "artifactStep1:\n  contents: $taskGraphStep1.output\n  task:\n    name: "
        "artifactHandler1\n    args: [arg1, arg2]\n",
    ),
    (
        "keyword",
        "artifactStep1:\n  contents: $taskGraphStep1.output\n  task:\n    name: "
        "artifactHandler1\n    args:\n      keyword1: arg1\n      keyword2: arg2\n",
    ),
    (
        "mixed",
        "artifactStep1:\n  contents: $taskGraphStep1.output\n  task:\n    name: "
        "artifactHandler1\n    args: [arg1]\n    kwargs:\n      keyword2: arg2\n",
    ),
]

GENERIC_CONTEXT = StaticContext(
    tasks={"task1": task("a", outputs=("output",)), "task2": task("b", outputs=("result",))},
    artifact_tasks={
        "artifactHandler1": TaskSpec("handlers.one.artifactHandler1", None),
        "artifactHandler2": TaskSpec("handlers.two.artifactHandler2", None),
    },
)
GENERIC_GRAPH = "taskGraphStep1:\n  task1: [arg1]\ntaskGraphStep2:\n  task2: [arg2]\n"


@pytest.mark.parametrize(("name", "text"), GENERIC_ARTIFACTS, ids=[g[0] for g in GENERIC_ARTIFACTS])
@pytest.mark.parametrize("wrap", [False, True])
def test_generic_artifact_graph_examples_are_valid(name, text, wrap):
    text = wrapped(text, "artifact_outputs") if wrap else text
    result = validate_entrypoint(GENERIC_GRAPH, text, context=GENERIC_CONTEXT)
    assert result.valid and result.issues == [], result.issues


@pytest.mark.parametrize("wrap", [False, True])
def test_artifact_parameters_example_and_its_contents_slip(wrap):
    text = (
        "saveDataFrame:\n  contents: createDataFrame$output\n  task:\n    name: dataFrameHandler\n"
        "    kwargs:\n      format: $dataFrameFileFormat\n"
    )
    text = wrapped(text, "artifact_outputs") if wrap else text
    context = StaticContext(
        tasks={"create_frame": task("rows", outputs=("output",))},
        artifact_tasks={"dataFrameHandler": TaskSpec("handlers.frames.dataFrameHandler", None)},
        parameters=[ParameterSpec("dataFrameFileFormat", "string", "csv")],
        artifact_inputs=[ArtifactInputSpec("previous_frame", [("value", "string")])],
    )
    graph = "createDataFrame:\n  create_frame: [$previous_frame]\n"
    result = validate_entrypoint(graph, text, context=context)
    issue = only(result, "W_CONTENTS_NOT_REFERENCE")
    assert result.valid and codes(result) == ["W_CONTENTS_NOT_REFERENCE"]
    assert issue.source == "artifactGraph"
    assert "did you mean `$createDataFrame.output`?" in issue.message
    assert position(issue) == span(text, "createDataFrame$output")


def test_mapping_arguments_slip_is_a_positional_call_with_two_mappings():
    text = "taskGraphStep2:\n  task2:\n  - keyword3: arg3\n  - keyword4: arg4\n"
    context = StaticContext(tasks={"task2": task("keyword3", "keyword4")})
    result = validate_entrypoint(text, None, context=context)
    assert result.valid  # two positional arguments, each a one-key mapping
    narrow = StaticContext(tasks={"task2": task("keyword3")})
    issue = only(validate_entrypoint(text, None, context=narrow), "E_TOO_MANY_POSITIONAL_ARGS")
    assert position(issue) == span(text, "keyword4: arg4")
