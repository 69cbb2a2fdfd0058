"""One pass over a document: every section checked, every independent problem reported once.

The result (`Analysis`) is also what the graph model draws from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .artifacts import check_artifact_outputs
from .checks_graph import (
    check_cycles,
    check_dependencies,
    check_name_collisions,
    check_step_arguments,
    check_step_tasks,
    make_scope,
)
from .declarations import (
    ParamInfo,
    Producer,
    TaskInfo,
    parse_artifact_inputs,
    parse_parameters,
    parse_tasks,
)
from .limits import DEFAULT_LIMITS, Limits
from .names import Suggester, did_you_mean, show
from .report import Report
from .structure import (
    ArtifactOutput,
    Invocation,
    Step,
    check_top_level,
    parse_artifact_outputs,
    parse_graph,
)
from .type_registry import TypeRegistry, build_registry


@dataclass
class Options:
    limits: Limits = DEFAULT_LIMITS
    # Artifact tasks allowed in addition to those declared in `artifact_tasks` (no signature).
    artifact_task_names: frozenset | None = None
    # Validating an entrypoint: tasks come from the attached plugins, so an empty `tasks` means
    # "no plugin offers it" (unknown tasks), not an empty section.
    entrypoint: bool = False
    # Task name -> plugin ids, for names offered by several attached plugins.
    ambiguous_tasks: dict[str, list[str]] = field(default_factory=dict)
    ambiguous_artifact_tasks: dict[str, list[str]] = field(default_factory=dict)
    # The task-graph / artifact-graph text did not load: its section is not judged.
    graph_unavailable: bool = False
    artifact_outputs_unavailable: bool = False


class Analysis:
    def __init__(self, report: Report, options: Options) -> None:
        self.report = report
        self.options = options
        self.document_ok = False
        self.registry = TypeRegistry()
        self.params: dict[str, ParamInfo] = {}
        self.params_ok = True
        self.artifact_inputs: dict[str, Producer] = {}
        self.artifact_inputs_ok = True
        self.tasks: dict[str, TaskInfo] = {}
        self.tasks_ok = False
        self.artifact_tasks: dict[str, TaskInfo] = {}
        self.artifact_tasks_declared = False
        self.steps: list[Step] = []
        self.step_names: set[str] = set()
        self.graph_ok = False
        self.artifact_outputs: list[ArtifactOutput] = []
        self.colliding: set[str] = set()
        # id(step or artifact output) -> the steps/parameters/artifact inputs it mentions
        self.uses: dict[int, list] = {}
        self._task_names: dict[bool, Suggester] = {}

    def lookup_task(self, call: Invocation, where: str, *, function: bool) -> None:
        """Find the declaration of the task `call` names, reporting unknown/ambiguous names."""
        name = call.task
        if name is None:
            return
        options = self.options
        if function:
            tasks, ambiguous, checked = self.tasks, options.ambiguous_tasks, self.tasks_ok
        else:
            tasks, ambiguous = self.artifact_tasks, options.ambiguous_artifact_tasks
            extra = options.artifact_task_names
            if name not in tasks and extra is not None and name in extra:
                return
            checked = self.artifact_tasks_declared or extra is not None or bool(ambiguous)
        if name in ambiguous:
            plugins = ", ".join(f"`{p}`" for p in ambiguous[name])
            self.report.add(
                "E_AMBIGUOUS_TASK",
                f"{where}: the task `{name}` is offered by several attached plugins ({plugins}); "
                "detach all but one of them, or rename the task in one plugin.",
                call.task_path,
                at_key=call.task_at_key,
            )
            return
        if name in tasks:
            call.task_info = tasks[name]
            return
        if not checked:
            return
        if function not in self._task_names:
            self._task_names[function] = Suggester(
                [*tasks, *ambiguous, *(options.artifact_task_names or ())]
            )
        known = self._task_names[function]
        if function:
            otherwise = (
                "attach the plugin that provides it."
                if options.entrypoint
                else "declare it under `tasks`."
            )
            code, kind = "E_UNKNOWN_TASK", "task"
        else:
            otherwise = (
                "attach the artifact plugin that provides it."
                if options.entrypoint
                else "declare it under `artifact_tasks`."
            )
            code, kind = "E_UNKNOWN_ARTIFACT_TASK", "artifact task"
        self.report.add(
            code,
            f"{where} calls the {kind} `{show(name)}`, which is not available; "
            + did_you_mean(name, known, otherwise),
            call.task_path,
            at_key=call.task_at_key,
        )


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
