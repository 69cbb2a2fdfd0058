"""A recording sink and spec builders for the executor tests (plain Python, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from textwrap import dedent

from jobs.executor import (
    ArtifactEvent,
    ArtifactInput,
    JobSpec,
    Limits,
    LogRecord,
    MetricEvent,
    Outcome,
    PluginSource,
    StepEvent,
    execute,
)
from jobs.executor.sources import builtin_artifacts_source


@dataclass
class RecordingSink:
    batches: list[list[LogRecord]] = field(default_factory=list)
    steps: list[StepEvent] = field(default_factory=list)
    metrics: list[MetricEvent] = field(default_factory=list)
    artifacts: list[ArtifactEvent] = field(default_factory=list)

    def logs(self, records: list[LogRecord]) -> None:
        self.batches.append(list(records))

    def step(self, event: StepEvent) -> None:
        self.steps.append(event)

    def metric(self, metric: MetricEvent) -> None:
        self.metrics.append(metric)

    def artifact(self, artifact: ArtifactEvent) -> None:
        self.artifacts.append(artifact)

    @property
    def records(self) -> list[LogRecord]:
        return [record for batch in self.batches for record in batch]

    def messages(self, logger_name: str | None = None) -> list[str]:
        return [r.message for r in self.records if logger_name in (None, r.logger_name)]

    def states(self) -> list[tuple[str, str]]:
        return [(event.name, event.state) for event in self.steps]


def plugin(name: str, files: dict[str, str], **declared: str) -> PluginSource:
    """A task plugin; `declared` maps task names to `module:function`."""
    return PluginSource(
        name=name,
        files={filename: dedent(text) for filename, text in files.items()},
        tasks=declared,
    )


@dataclass
class Run:
    outcome: Outcome
    sink: RecordingSink
    workdir: Path


def run_job(
    tmp_path: Path,
    document: str,
    plugins: list[PluginSource],
    *,
    parameters: dict | None = None,
    artifact_inputs: dict[str, ArtifactInput] | None = None,
    artifact_plugins: list[PluginSource] | None = None,
    limits: Limits | None = None,
    cancelled=lambda: False,
    name: str = "job",
) -> Run:
    """Run `document` (a full document text) through the real child process."""
    workdir = tmp_path / name
    workdir.mkdir(parents=True)
    spec = JobSpec(
        job_id=1,
        task_graph=dedent(document),
        artifact_graph=None,
        plugins=plugins,
        artifact_plugins=[builtin_artifacts_source()]
        if artifact_plugins is None
        else artifact_plugins,
        parameters=parameters or {},
        artifact_inputs=artifact_inputs or {},
        workdir=str(workdir),
        limits=limits or Limits(seconds=60, memory_mb=1024),
    )
    sink = RecordingSink()
    outcome = execute(spec, sink, cancelled=cancelled)
    return Run(outcome, sink, workdir)


# Step `compute` runs task `work` of plugin `faulty` (its body given by each test), then step
# `after` runs `noop`; `work` declares two outputs.
FAULT_DOCUMENT = """\
tasks:
  work:
    plugin: faulty.tasks.work
    outputs: [{first: any}, {second: any}]
  noop:
    plugin: faulty.tasks.noop
graph:
  compute:
    work: []
  after:
    noop: []
    dependencies: [compute]
"""


def faulty(body: str) -> list[PluginSource]:
    """The plugin `faulty`: `work()` runs `body`, `noop()` does nothing."""
    text = "import os, signal, sys, time\n\n\ndef noop():\n    pass\n\n\ndef work():\n" + "".join(
        f"    {line}\n" for line in dedent(body).strip().splitlines()
    )
    return [
        PluginSource("faulty", {"tasks.py": text}, {"work": "tasks:work", "noop": "tasks:noop"})
    ]
