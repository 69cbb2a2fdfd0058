"""Checks of the artifact output graph: `contents`, the artifact task and its arguments."""

from __future__ import annotations

import difflib

from .binding import check_call
from .names import show
from .references import Scope, Use, is_reference
from .state import Analysis
from .structure import ArtifactOutput


def check_artifact_outputs(analysis: Analysis, scope: Scope) -> None:
    for output in analysis.artifact_outputs:
        where = f"Artifact output `{show(output.name)}`"
        uses: list[Use] = []
        contents = output.contents
        if is_reference(contents):
            scope.resolve(contents, output.contents_path, where, uses)
        elif isinstance(contents, str):
            _check_literal_contents(analysis, output, where)
        analysis.lookup_task(output, where, function=False)
        task = output.task_info
        # Artifact tasks that declare no inputs (Dioptra's do not) take unchecked arguments.
        inputs = (task.inputs or None) if task is not None else None
        check_call(analysis.report, scope, output, where, uses, inputs)
        analysis.uses[id(output)] = uses


def _check_literal_contents(analysis: Analysis, output: ArtifactOutput, where: str) -> None:
    """A literal `contents` that equals or resembles a step (or a mistyped reference) is most
    likely a missing `$`: warn, with the reference it probably meant."""
    contents = output.contents
    if contents.startswith("$$") or not contents.strip():
        return
    steps = analysis.step_names
    suggestion = None
    if contents in steps:
        suggestion = f"${contents}"
    elif "$" in contents:
        before, _, after = contents.partition("$")
        suggestion = f"${before}.{after}" if before else f"${after}"
    else:
        step, dot, out = contents.partition(".")
        if dot and step in steps:
            suggestion = f"${contents}"
        else:
            close = difflib.get_close_matches(
                contents, [s for s in steps if isinstance(s, str)], n=1, cutoff=0.8
            )
            if close:
                suggestion = f"${close[0]}"
    if suggestion is None:
        return
    analysis.report.add(
        "W_CONTENTS_NOT_REFERENCE",
        f"{where}: `contents: {show(contents)}` is the literal text, not a step's output "
        f"(references start with `$`); did you mean `{suggestion}`?",
        output.contents_path,
    )
