"""Checks over the steps of the graph, in Dioptra's style: small `_check_*`-like functions that
each add their issues to the analysis' report."""

from __future__ import annotations

from .binding import check_call
from .cycles import find_cycles
from .names import Suggester, did_you_mean, show
from .references import Scope, Use
from .state import Analysis


def check_name_collisions(analysis: Analysis) -> None:
    """A name shared by a parameter and a step, or by an artifact input and either, is an error."""
    report = analysis.report
    for step in analysis.steps:
        name = step.name
        if not isinstance(name, str):
            continue
        if name in analysis.params:
            analysis.colliding.add(name)
            report.add(
                "E_PARAM_STEP_NAME_COLLISION",
                f"`{name}` is both a parameter and a step, so `${name}` is ambiguous; rename the "
                "step or the parameter.",
                step.path,
                at_key=True,
            )
        if name in analysis.artifact_inputs:
            analysis.colliding.add(name)
            report.add(
                "E_NAME_COLLISION",
                f"`{name}` is both an artifact input and a step, so `${name}` is ambiguous; rename "
                "the step or the artifact input.",
                step.path,
                at_key=True,
            )
    for name in analysis.artifact_inputs:
        if name in analysis.params and name not in analysis.step_names:
            analysis.colliding.add(name)
            report.add(
                "E_NAME_COLLISION",
                f"`{name}` is both an artifact input and a parameter, so `${name}` is ambiguous; "
                "rename one of them.",
                ("artifact_inputs", name),
                at_key=True,
            )


def check_step_tasks(analysis: Analysis) -> None:
    """Every step names an available task (not one offered by two plugins)."""
    for step in analysis.steps:
        analysis.lookup_task(step, f"Step `{show(step.name)}`", function=True)


def make_scope(analysis: Analysis) -> Scope:
    producers = {step.name: step.task_info for step in analysis.steps if isinstance(step.name, str)}
    complete = analysis.graph_ok and analysis.params_ok and analysis.artifact_inputs_ok
    return Scope(
        analysis.report,
        producers,
        analysis.params,
        analysis.artifact_inputs,
        analysis.colliding,
        complete,
    )


def check_step_arguments(analysis: Analysis, scope: Scope) -> None:
    """References in the arguments resolve; arguments bind to the inputs and fit their types."""
    for step in analysis.steps:
        uses: list[Use] = []
        task = step.task_info
        inputs = task.inputs if task is not None else None
        check_call(analysis.report, scope, step, f"Step `{show(step.name)}`", uses, inputs)
        analysis.uses[id(step)] = uses


def check_dependencies(analysis: Analysis) -> None:
    """`dependencies` hold bare names of steps."""
    if not analysis.graph_ok:
        return
    steps = Suggester(analysis.step_names)
    for step in analysis.steps:
        for name, path in step.dependencies:
            if name in analysis.step_names:
                continue
            if name.startswith("$") and name[1:].partition(".")[0] in analysis.step_names:
                advice = f"dependencies hold bare step names: write `{name[1:].partition('.')[0]}`."
            else:
                advice = did_you_mean(name, steps, "name a step of this graph.")
            analysis.report.add(
                "E_UNKNOWN_DEPENDENCY",
                f"Step `{show(step.name)}` depends on `{show(name)}`, which is not a step; "
                f"{advice}",
                path,
            )


def check_cycles(analysis: Analysis) -> None:
    """The steps must not form a cycle (reported as `a > b > a`)."""
    names = [step.name for step in analysis.steps if isinstance(step.name, str)]
    for cycle, path in find_cycles(names, analysis.step_edges()):
        analysis.report.add(
            "E_STEP_CYCLE",
            "The steps form a cycle: " + " > ".join(cycle) + "; remove one of these references or "
            "dependencies.",
            path,
        )
