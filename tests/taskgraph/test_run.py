"""run_document: order, references, outputs, artifacts, hooks and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.taskgraph import (
    ArtifactError,
    ArtifactTask,
    InvalidDocumentError,
    MissingParameterError,
    RunHooks,
    StepError,
    run_document,
)

DOCUMENT = """\
parameters:
  location: /data
  epochs: {type: integer}
artifact_inputs:
  weights: {state: any}
  splits: [{train: any}, {test: any}]
tasks:
  load:
    plugin: io.files.load
    inputs: [{location: string}]
    outputs: [{training: any}, {testing: any}]
  train:
    plugin: ml.fit.train
    inputs: [{data: any}, {epochs: integer}, {name: init, type: any, required: false}]
    outputs: {model: any}
  report:
    plugin: util.text.report
    inputs: [{values: any}]
    outputs: [{text: string}]
  ping:
    plugin: util.misc.ping
artifact_tasks:
  Saver:
    plugin: art.save.Saver
    inputs: [{fmt: string}]
graph:
  summary:
    report:
      - model: $model
        escaped: $$model
        text: cost $5
        deep: [[$location]]
        "$key": 1
        init: $weights
  model:
    task: train
    args: [$data.training]
    kwargs: {epochs: $epochs, init: $splits.test}
  data:
    load: [$location]
  later:
    ping: []
    dependencies: summary
artifact_outputs:
  saved_model:
    contents: $model
    task: {name: Saver, args: [pickle]}
  note:
    contents: $$literal
    task: {name: Saver, kwargs: {fmt: txt}}
"""


def make_tasks(calls: list):
    def load(location):
        calls.append(("load", location))
        return ["train-set", "test-set"]

    def train(data, epochs, init=None):
        calls.append(("train", data, epochs, init))
        return {"weights": [1, 2]}

    def report(values):
        calls.append(("report", values))
        return ("done",)

    def ping():
        calls.append(("ping",))

    return {"load": load, "train": train, "report": report, "ping": ping}


class Saver:
    calls: list = []

    @staticmethod
    def serialize(workdir: Path, name: str, contents, **kwargs) -> Path:
        Saver.calls.append((workdir, name, contents, kwargs))
        path = workdir / f"{name}.out"
        path.write_text(repr(contents))
        return path


def run(tmp_path, calls, **overrides):
    options = {
        "tasks": make_tasks(calls),
        "artifact_tasks": {"Saver": Saver},
        "parameters": {"epochs": 3},
        "artifact_inputs": {"weights": "W", "splits": {"train": "T1", "test": "T2"}},
        "workdir": tmp_path,
    }
    options.update(overrides)
    return run_document(DOCUMENT, **options)


def test_runs_steps_in_topological_order_and_resolves_references(tmp_path):
    calls: list = []
    Saver.calls = []
    result = run(tmp_path, calls)
    assert [call[0] for call in calls] == ["load", "train", "report", "ping"]
    assert calls[0] == ("load", "/data")
    assert calls[1] == ("train", "train-set", 3, "T2")
    assert calls[2] == (
        "report",
        {
            "model": {"weights": [1, 2]},
            "escaped": "$model",
            "text": "cost $5",
            "deep": [["/data"]],
            "$key": 1,
            "init": "W",
        },
    )
    assert result.outputs == {
        "summary": "done",
        "model": {"weights": [1, 2]},
        "data": {"training": "train-set", "testing": "test-set"},
        "later": None,
    }


def test_artifacts_are_serialized_in_document_order(tmp_path):
    calls: list = []
    Saver.calls = []
    result = run(tmp_path, calls)
    assert Saver.calls == [
        (tmp_path, "saved_model", {"weights": [1, 2]}, {"fmt": "pickle"}),
        (tmp_path, "note", "$literal", {"fmt": "txt"}),
    ]
    assert result.artifacts == [
        ("saved_model", "Saver", tmp_path / "saved_model.out"),
        ("note", "Saver", tmp_path / "note.out"),
    ]
    assert isinstance(Saver, ArtifactTask)


def test_parameters_fall_back_to_defaults_and_supplied_values_win(tmp_path):
    calls: list = []
    run(tmp_path, calls, parameters={"epochs": 1, "location": "/elsewhere"})
    assert calls[0] == ("load", "/elsewhere")


def test_missing_parameter_raises_before_any_step(tmp_path):
    calls: list = []
    with pytest.raises(MissingParameterError, match="epochs") as raised:
        run(tmp_path, calls, parameters={})
    assert raised.value.names == ["epochs"]
    assert calls == []


def test_missing_artifact_input_raises_before_any_step(tmp_path):
    calls: list = []
    with pytest.raises(MissingParameterError, match="splits"):
        run(tmp_path, calls, artifact_inputs={"weights": 1})
    assert calls == []


def test_hooks_see_every_step(tmp_path):
    events: list = []
    hooks = RunHooks(
        step_started=lambda name: events.append(("started", name)),
        step_finished=lambda name, seconds: events.append(("finished", name, seconds >= 0)),
        artifact_written=lambda name, path: events.append(("written", name, path.name)),
    )
    run(tmp_path, [], hooks=hooks)
    assert events[:2] == [("started", "data"), ("finished", "data", True)]
    assert ("written", "note", "note.out") in events
    assert len([e for e in events if e[0] == "started"]) == 4


def test_hooks_may_be_a_subclass(tmp_path):
    class Recorder(RunHooks):
        def __init__(self):
            super().__init__()
            self.failed = []

        def step_failed(self, name, exc):
            self.failed.append((name, type(exc).__name__))

    recorder = Recorder()
    tasks = make_tasks([])
    tasks["train"] = lambda data, epochs, init=None: 1 / 0
    with pytest.raises(StepError):
        run(tmp_path, [], tasks=tasks, hooks=recorder)
    assert recorder.failed == [("model", "ZeroDivisionError")]


def test_step_error_names_the_step_and_keeps_the_cause(tmp_path):
    tasks = make_tasks([])
    tasks["train"] = lambda data, epochs, init=None: 1 / 0
    with pytest.raises(StepError, match="Step `model`") as raised:
        run(tmp_path, [], tasks=tasks)
    assert raised.value.step == "model"
    assert isinstance(raised.value.cause, ZeroDivisionError)
    assert raised.value.__cause__ is raised.value.cause


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (["only-one"], "returned 1 value"),
        (42, "must return an iterable"),
        (["a", "b", "c"], "returned 3 value"),
    ],
)
def test_list_outputs_are_unpacked_and_a_count_mismatch_is_an_error(tmp_path, returned, message):
    tasks = make_tasks([])
    tasks["load"] = lambda location: returned
    with pytest.raises(StepError, match=message) as raised:
        run(tmp_path, [], tasks=tasks)
    assert raised.value.step == "data"


def test_a_list_of_one_output_is_unpacked_too(tmp_path):
    tasks = make_tasks([])
    tasks["report"] = lambda values: "not-a-sequence-of-one"
    with pytest.raises(StepError, match="returned 21 value"):
        run(tmp_path, [], tasks=tasks)


def test_missing_task_function_is_a_step_error(tmp_path):
    tasks = make_tasks([])
    del tasks["ping"]
    with pytest.raises(StepError, match="ping"):
        run(tmp_path, [], tasks=tasks)


def test_artifact_error_names_the_output(tmp_path):
    class Broken:
        def serialize(self, workdir, name, contents, **kwargs):
            raise OSError("disk full")

    with pytest.raises(ArtifactError, match="saved_model") as raised:
        run(tmp_path, [], artifact_tasks={"Saver": Broken()})
    assert raised.value.name == "saved_model"
    assert isinstance(raised.value.cause, OSError)


def test_positional_artifact_arguments_are_passed_positionally_without_declared_inputs(tmp_path):
    seen = []

    class Plain:
        @staticmethod
        def serialize(workdir, name, contents, *args, **kwargs):
            seen.append((args, kwargs))
            return workdir / name

    text = (
        "tasks: {t: {plugin: a.b, outputs: {o: any}}}\ngraph: {s: {t: []}}\n"
        "artifact_outputs: {x: {contents: $s, task: {name: Plain, args: [csv, false]}}}\n"
    )
    result = run_document(
        text, tasks={"t": lambda: 5}, artifact_tasks={"Plain": Plain}, workdir=tmp_path
    )
    assert seen == [(("csv", False), {})]
    assert result.artifacts == [("x", "Plain", tmp_path / "x")]


def test_invalid_document_is_refused(tmp_path):
    with pytest.raises(InvalidDocumentError, match="E_MISSING_KEY"):
        run_document("graph: {s: {t: []}}\n", tasks={}, workdir=tmp_path)
    with pytest.raises(ValueError):
        run_document({"tasks": {}, "graph": {}}, tasks={}, workdir=tmp_path)


def test_artifact_inputs_with_several_outputs_may_be_given_in_order(tmp_path):
    calls: list = []
    run(tmp_path, calls, artifact_inputs={"weights": "W", "splits": ("T1", "T2")})
    assert calls[1] == ("train", "train-set", 3, "T2")


def test_runs_the_document_built_for_an_entrypoint(tmp_path):
    from entrypoints.taskgraph import (
        ParameterSpec,
        StaticContext,
        TaskSpec,
        build_document,
        validate_entrypoint,
    )

    context = StaticContext(
        tasks={
            "hello": TaskSpec(
                "hello_plugin.tasks.hello",
                [("greeting", "string", True), ("name", "string", True)],
                [("message", "string")],
            ),
            "shout": TaskSpec("hello_plugin.tasks.shout", None, [("loud", "string")]),
        },
        artifact_tasks={"TextArtifact": TaskSpec("art.text.TextArtifact", None)},
        parameters=[
            ParameterSpec("greeting", "string", "Hello"),
            ParameterSpec("times", "integer", "2"),
        ],
    )
    graph = (
        "message:\n  hello: {greeting: $greeting, name: World}\n"
        "loud:\n  shout: [$message, $times]\n"
    )
    artifacts = "saved:\n  contents: $loud\n  task: {name: TextArtifact, args: [txt]}\n"
    assert validate_entrypoint(graph, artifacts, context=context).valid
    written = []

    class TextArtifact:
        @staticmethod
        def serialize(workdir, name, contents, *args, **kwargs):
            written.append((name, contents, args))
            return workdir / f"{name}.txt"

    result = run_document(
        build_document(graph, artifacts, context=context),
        tasks={
            "hello": lambda greeting, name: f"{greeting}, {name}!",
            "shout": lambda m, n: m.upper() * n,
        },
        artifact_tasks={"TextArtifact": TextArtifact},
        workdir=tmp_path,
    )
    assert result.outputs == {"message": "Hello, World!", "loud": "HELLO, WORLD!HELLO, WORLD!"}
    assert written == [("saved", "HELLO, WORLD!HELLO, WORLD!", ("txt",))]
