"""The graph model for the editor's graph view and the job page.

Built from a validation result (or a document, validated first); available even when the document
has errors, for whatever parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .cycles import layers as layered
from .cycles import topological_order
from .document import DocumentAnalysis, validate_document
from .issues import Issue, ValidationResult


@dataclass(frozen=True)
class GraphStep:
    name: str
    task: str | None
    line: int | None
    outputs: list[str]
    issues: list[Issue]
    style: str = ""
    layer: int = 0


@dataclass(frozen=True)
class GraphEdge:
    """`source` -> `target`: `target` uses `source` (kind `reference` or `dependency`)."""

    source: str
    target: str
    kind: str
    reference: str | None = None
    source_kind: str = "step"
    target_kind: str = "step"


@dataclass(frozen=True)
class GraphArtifactOutput:
    name: str
    task: str | None
    line: int | None
    issues: list[Issue]


@dataclass
class GraphModel:
    steps: list[GraphStep] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    artifact_inputs: list[str] = field(default_factory=list)
    artifact_outputs: list[GraphArtifactOutput] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    layers: list[list[str]] = field(default_factory=list)

    def step(self, name: str) -> GraphStep | None:
        return next((step for step in self.steps if step.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        def issues(items: list[Issue]) -> list[dict]:
            return [issue.to_dict() for issue in items]

        return {
            "steps": [{**asdict(step), "issues": issues(step.issues)} for step in self.steps],
            "edges": [
                {
                    "from": e.source,
                    "to": e.target,
                    "kind": e.kind,
                    "reference": e.reference,
                    "fromKind": e.source_kind,
                    "toKind": e.target_kind,
                }
                for e in self.edges
            ],
            "parameters": list(self.parameters),
            "artifactInputs": list(self.artifact_inputs),
            "artifactOutputs": [
                {**asdict(o), "issues": issues(o.issues)} for o in self.artifact_outputs
            ],
            "order": list(self.order),
            "layers": [list(layer) for layer in self.layers],
        }


def graph_model(result_or_document: ValidationResult | str | Mapping) -> GraphModel:
    """The DAG of a validated document: steps, edges, sources, sinks, order and layers."""
    if isinstance(result_or_document, ValidationResult):
        result = result_or_document
    else:
        result = validate_document(result_or_document)
    found = result.analysis
    if not isinstance(found, DocumentAnalysis):
        return GraphModel()
    analysis, locator = found.analysis, found.locator

    # Issues by (source, path prefix), for the prefix lengths that steps and outputs have.
    by_prefix: dict[tuple, list[Issue]] = {}
    indexed_depths: set[int] = set()

    def located(path: tuple) -> tuple[int | None, list[Issue]]:
        source, public, span = locator.locate(path, True)
        depth = len(public)
        if depth not in indexed_depths:
            indexed_depths.add(depth)
            for issue in result.issues:
                if len(issue.path) >= depth:
                    key = (depth, issue.source, *issue.path[:depth])
                    by_prefix.setdefault(key, []).append(issue)
        return (span[0] if span else None), by_prefix.get((depth, source, *public), [])

    steps = [step for step in analysis.steps if isinstance(step.name, str)]
    depends_on = analysis.step_dependencies()
    edges: list[GraphEdge] = []
    for step in steps:
        for use in analysis.uses.get(id(step), []):
            edges.append(GraphEdge(use.name, step.name, "reference", use.text, use.kind, "step"))
        for name, _ in step.dependencies:
            if name in analysis.step_names:
                edges.append(GraphEdge(name, step.name, "dependency", None, "step", "step"))
    order = topological_order([step.name for step in steps], depends_on)
    layers = layered(order, depends_on)
    layer_of = {name: i for i, layer in enumerate(layers) for name in layer}

    model = GraphModel(order=order, layers=layers)
    for step in steps:
        line, issues = located(step.path)
        task = step.task_info
        outputs = [str(name) for name in task.output_names()] if task is not None else []
        model.steps.append(
            GraphStep(
                step.name, step.task, line, outputs, issues, step.style, layer_of.get(step.name, 0)
            )
        )
    model.parameters = [name for name in analysis.params]
    model.artifact_inputs = [name for name in analysis.artifact_inputs]
    for output in analysis.artifact_outputs:
        if not isinstance(output.name, str):
            continue
        line, issues = located(output.path)
        model.artifact_outputs.append(GraphArtifactOutput(output.name, output.task, line, issues))
        for use in analysis.uses.get(id(output), []):
            edges.append(
                GraphEdge(use.name, output.name, "reference", use.text, use.kind, "artifact_output")
            )
    model.edges = edges
    return model
