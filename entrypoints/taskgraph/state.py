"""What one pass over a document learns: the options it runs with and the `Analysis` the checks
fill in.

The checks (`checks_graph`, `checks_artifacts`) read and write this state; `analysis.analyze`
runs them in order. The graph model and the runner draw from the finished `Analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .declarations import ParamInfo, Producer, TaskInfo
from .limits import DEFAULT_LIMITS, Limits
from .names import Suggester, did_you_mean, show
from .references import Use
from .report import Report
from .structure import ArtifactOutput, Invocation, Step
from .type_registry import TypeRegistry


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
        self.uses: dict[int, list[Use]] = {}
        self._task_names: dict[bool, Suggester] = {}

    def step_edges(self) -> dict[str, list[tuple[str, tuple]]]:
        """Step -> the steps it uses (references, then dependencies), with the path of each
        mention. What cycles are found in, and what the steps run and are drawn in order of."""
        edges: dict[str, list[tuple[str, tuple]]] = {}
        for step in self.steps:
            if not isinstance(step.name, str):
                continue
            targets = [
                (use.name, use.path) for use in self.uses.get(id(step), ()) if use.kind == "step"
            ]
            targets += [(name, path) for name, path in step.dependencies if name in self.step_names]
            edges[step.name] = targets
        return edges

    def step_dependencies(self) -> dict[str, list[str]]:
        """Step -> the names of the steps it uses (see `step_edges`)."""
        return {name: [target for target, _ in edges] for name, edges in self.step_edges().items()}

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
