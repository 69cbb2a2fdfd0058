"""One pass over a document: every section checked, every independent problem reported once.

The result (`state.Analysis`) is also what the graph model and the runner draw from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .checks_artifacts import check_artifact_outputs
from .checks_graph import (
    check_cycles,
    check_dependencies,
    check_name_collisions,
    check_step_arguments,
    check_step_tasks,
    make_scope,
)
from .declarations import parse_artifact_inputs, parse_parameters, parse_tasks
from .report import Report
from .state import Analysis, Options
from .structure import check_top_level, parse_artifact_outputs, parse_graph
from .type_registry import build_registry


def analyze(document: Any, report: Report, options: Options) -> Analysis:
    analysis = Analysis(report, options)
    required = ("graph",) if options.entrypoint else ("tasks", "graph")
    if not check_top_level(report, document, required=required):
        return analysis
    analysis.document_ok = True
    if "types" in document and document["types"] is None:
        report.add(
            "E_WRONG_TYPE",
            "`types` is null; it maps type names to definitions (write `types: {}` or remove it).",
            ("types",),
        )
    analysis.registry = build_registry(report, document.get("types"))
    analysis.params, analysis.params_ok = parse_parameters(report, document, analysis.registry)
    analysis.artifact_inputs, analysis.artifact_inputs_ok = parse_artifact_inputs(
        report, document, analysis.registry
    )
    analysis.tasks, analysis.tasks_ok = parse_tasks(
        report, document, analysis.registry, "tasks", required=not options.entrypoint
    )
    analysis.artifact_tasks, artifact_tasks_ok = parse_tasks(
        report, document, analysis.registry, "artifact_tasks", required=False
    )
    analysis.artifact_tasks_declared = "artifact_tasks" in document and artifact_tasks_ok
    if not artifact_tasks_ok:
        # An unreadable `artifact_tasks` section: artifact task names cannot be judged.
        analysis.options = replace(options, artifact_task_names=None, ambiguous_artifact_tasks={})
    if "graph" in document and not options.graph_unavailable:
        analysis.steps, analysis.graph_ok = parse_graph(
            report, document["graph"], options.limits.max_steps
        )
    analysis.step_names = {step.name for step in analysis.steps if isinstance(step.name, str)}
    if "artifact_outputs" in document and not options.artifact_outputs_unavailable:
        analysis.artifact_outputs, _ = parse_artifact_outputs(report, document["artifact_outputs"])

    check_name_collisions(analysis)
    check_step_tasks(analysis)
    scope = make_scope(analysis)
    check_step_arguments(analysis, scope)
    check_dependencies(analysis)
    check_cycles(analysis)
    check_artifact_outputs(analysis, scope)
    return analysis
