"""graph_model: steps, edges, sources and sinks, order and layers — also for broken documents."""

from __future__ import annotations

from entrypoints.taskgraph import (
    GraphEdge,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    graph_model,
    validate_document,
    validate_entrypoint,
)

from .helpers import document

GRAPH = """
late:
  ping: []
dataset:
  load: [$location]
trained_model:
  train: [le_net, $dataset.training]
predictions:
  predict: [$trained_model, $dataset.testing]
  dependencies: [late]
"""

ARTIFACTS = "artifact_outputs:\n  saved:\n    contents: $predictions\n    task: {name: Saver}\n"


def test_steps_edges_sources_and_sinks():
    text = document(GRAPH, extra=ARTIFACTS)
    model = graph_model(validate_document(text))
    assert [step.name for step in model.steps] == [
        "late",
        "dataset",
        "trained_model",
        "predictions",
    ]
    predictions = model.step("predictions")
    assert predictions.task == "predict" and predictions.outputs == ["predictions"]
    assert predictions.line == text.split("\n").index("  predictions:") + 1
    assert model.step("dataset").outputs == ["training", "testing"]
    assert (
        GraphEdge("location", "dataset", "reference", "$location", "parameter", "step")
        in model.edges
    )
    assert (
        GraphEdge("dataset", "trained_model", "reference", "$dataset.training", "step", "step")
        in model.edges
    )
    assert GraphEdge("late", "predictions", "dependency", None, "step", "step") in model.edges
    assert (
        GraphEdge("predictions", "saved", "reference", "$predictions", "step", "artifact_output")
        in model.edges
    )
    assert model.parameters == ["location", "epochs", "lr"]
    assert [output.name for output in model.artifact_outputs] == ["saved"]


def test_topological_order_breaks_ties_by_document_order_and_layers():
    model = graph_model(document(GRAPH))
    assert model.order == ["late", "dataset", "trained_model", "predictions"]
    assert model.layers == [["late", "dataset"], ["trained_model"], ["predictions"]]
    assert [step.layer for step in model.steps] == [0, 0, 1, 2]


def test_order_puts_dependencies_first_even_when_written_later():
    model = graph_model(
        document("b:\n  predict: [$a, $d.testing]\na:\n  train: [x, $d.training]\nd:\n  load: [x]")
    )
    assert model.order == ["d", "a", "b"]


def test_works_on_broken_documents():
    text = document(
        GRAPH + "broken:\n  lod: [$nothing]\n"
        "cycle1:\n  ping: []\n  dependencies: [cycle2]\n"
        "cycle2:\n  ping: []\n  dependencies: [cycle1]"
    )
    result = validate_document(text)
    assert not result.valid
    model = graph_model(result)
    broken = model.step("broken")
    assert broken.task == "lod" and broken.outputs == []
    assert [issue.code for issue in broken.issues] == ["E_UNKNOWN_TASK", "E_REF_UNRESOLVABLE"]
    assert set(model.order) == {step.name for step in model.steps}
    assert model.order.index("cycle1") < model.order.index("cycle2")


def test_unparsable_text_gives_an_empty_model():
    model = graph_model("graph: [")
    assert model.steps == [] and model.edges == [] and model.order == []


def test_accepts_a_mapping():
    model = graph_model({"tasks": {"t": {"plugin": "a.b"}}, "graph": {"s": {"t": []}}})
    assert [step.name for step in model.steps] == ["s"] and model.steps[0].line is None


def test_entrypoint_model_lines_refer_to_the_task_graph_text():
    text = "graph:\n  first:\n    hello: [$name]\n  second:\n    hello: [$first]\n"
    context = StaticContext(
        tasks={"hello": TaskSpec("p.t.hello", [("n", "string", True)], [("m", "string")])},
        parameters=[ParameterSpec("name", "string", "x")],
    )
    model = graph_model(validate_entrypoint(text, None, context=context))
    assert [(step.name, step.line) for step in model.steps] == [("first", 2), ("second", 4)]
    assert model.order == ["first", "second"]


def test_to_dict_is_json_ready():
    import json

    data = graph_model(document(GRAPH, extra=ARTIFACTS)).to_dict()
    json.dumps(data)
    assert data["edges"][0].keys() >= {"from", "to", "kind", "reference"}
