"""What the job pages show that is more than a field: durations in words, the snapshot's graph
with each step coloured by its state, the rows of the parameters a job ran with, and the keys
that tell the page's poll which parts changed.

The graph is the editor's (``entrypoints.graph_layout`` and ``graph_svg``), drawn from the
snapshot the job ran, with a last line in each step's box saying how it went.
"""

import json
import zlib
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from entrypoints import engine
from entrypoints.graph_layout import ARTIFACT_OUTPUT, STEP, GraphLayout, graph_layout
from entrypoints.taskgraph import graph_model
from jobs.models import Artifact, Job, JobMetric, JobStep, StepState

PENDING = "pending"
STEP_NOTES = {
    StepState.STARTED: "running…",
    StepState.FINISHED: "✓ {seconds}",
    StepState.FAILED: "✗ failed after {seconds}",
}
STEP_TITLES = {
    StepState.STARTED: "running",
    StepState.FINISHED: "finished in {seconds}",
    StepState.FAILED: "failed after {seconds}",
}
NOT_STARTED, NOT_RUN = "pending", "not run"
STORED, NOT_STORED = "stored", "not stored"
TITLE_ERROR_CHARS = 400


def format_seconds(seconds: float | None) -> str:
    """``0.04`` -> "40 ms", ``3.2`` -> "3.2 s", ``125`` -> "2 min 5 s", ``7300`` -> "2 h 1 min"."""
    if seconds is None:
        return "–"
    if seconds < 0.001:
        return "<1 ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def job_seconds(job: Job) -> float | None:
    """How long the job has run: until it finished, or until now while it runs."""
    if job.started_on is None:
        return None
    end = job.finished_on or (None if job.ended else timezone.now())
    return (end - job.started_on).total_seconds() if end else None


# The graph ---------------------------------------------------------------------------------------


def _step_state(row: JobStep | None, *, ended: bool) -> tuple[str, str, str]:
    """A step's state, the note in its box and the words of its title."""
    if row is None:
        words = NOT_RUN if ended else NOT_STARTED
        return PENDING, words, words
    seconds = format_seconds(row.seconds)
    return (
        row.state,
        STEP_NOTES[row.state].format(seconds=seconds),
        STEP_TITLES[row.state].format(seconds=seconds),
    )


def job_graph(job: Job, *, steps: list[JobStep], artifact_names: set[str]) -> GraphLayout:
    """The graph of the snapshot ``job`` ran, each step marked ``pending``, ``started``,
    ``finished`` or ``failed`` (its ``JobStep``) and labelled with its duration; an artifact
    output is ``finished`` once stored."""
    record = job.entrypoint_snapshot
    result = engine.verdict(
        task_graph=record.task_graph,
        artifact_graph=record.artifact_graph,
        context=engine.context_of(record),
    )
    model = graph_model(result)
    rows = {row.name: row for row in steps}
    states = {step.name: _step_state(rows.get(step.name), ended=job.ended) for step in model.steps}
    notes = {(STEP, name): note for name, (_, note, _) in states.items()}
    for output in model.artifact_outputs:
        stored = output.name in artifact_names
        notes[(ARTIFACT_OUTPUT, output.name)] = (
            STORED if stored else NOT_STORED if job.ended else PENDING
        )
    layout = graph_layout(model, notes=notes)
    for node in layout.nodes:
        # The run is what this page is about: a snapshot's warnings belong to the editor.
        node.errors = node.warnings = 0
        if node.kind == STEP:
            row = rows.get(node.name)
            node.state, _, words = states[node.name]
            node.title = f"Step {node.name}: {words}"
            if row and row.error:
                node.title += "\n" + row.error[-TITLE_ERROR_CHARS:]
            node.label = f"{node.label}; {words}"
        elif node.kind == ARTIFACT_OUTPUT:
            stored = node.name in artifact_names
            node.state = StepState.FINISHED if stored else PENDING
            node.title = f"Artifact output {node.name}: {STORED if stored else NOT_STORED}"
    return layout


# What changed since the page last looked ------------------------------------------------------


@dataclass
class LiveKeys:
    """Short fingerprints of the parts of the job page that change while it runs."""

    status: str
    graph: str
    metrics: str
    artifacts: str

    def changed(self, seen) -> set[str]:
        """The parts whose fingerprint differs from ``seen`` (a mapping of part to key)."""
        return {part for part, key in vars(self).items() if seen.get(part) != key}


def _fingerprint(value) -> str:
    return format(zlib.crc32(repr(value).encode()), "x")


def live_keys(job: Job, *, steps: list[JobStep], artifacts: list[Artifact]) -> LiveKeys:
    metrics = JobMetric.objects.filter(job=job).aggregate(n=Count("pk"), last=Max("pk"))
    return LiveKeys(
        status=_fingerprint((job.status, job.attempt, job.message)),
        graph=_fingerprint(
            (job.ended, [(s.name, s.state, s.seconds) for s in steps], [a.name for a in artifacts])
        ),
        metrics=f"{metrics['n']}-{metrics['last'] or 0}",
        artifacts=_fingerprint([a.pk for a in artifacts]),
    )


# Parameters ---------------------------------------------------------------------------------------


@dataclass
class ParameterRow:
    name: str
    kind: str
    value: str  # the converted value as the run got it, as JSON
    given: bool  # sent with the job (else the default)


def parameter_rows(job: Job) -> list[ParameterRow]:
    """The snapshot's parameters with the values this job ran with."""
    rows = []
    for parameter in job.entrypoint_snapshot.parameters:
        name = parameter["name"]
        value = job.parameters.get(name)
        rows.append(
            ParameterRow(
                name=name,
                kind=parameter.get("parameterType", ""),
                value=value if isinstance(value, str) else json.dumps(value),
                given=name in job.values,
            )
        )
    return rows
