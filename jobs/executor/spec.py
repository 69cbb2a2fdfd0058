"""What the executor is given (`JobSpec`) and what it reports (events, `Outcome`).

Shared by both sides of the process boundary: the worker builds a `JobSpec` and implements an
`EventSink`; the child process reads the spec and sends the events. No Django here: the child
imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

SEVERITIES = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass
class PluginSource:
    """One pinned plugin snapshot, installed in the child as a Python package."""

    name: str  # the package name
    files: dict[str, str]  # "hello.py", "sub/x.py" -> contents
    tasks: dict[str, str] = field(default_factory=dict)  # graph task name -> "module.path:function"
    artifact_tasks: dict[str, str] = field(default_factory=dict)  # name -> "module.path:ClassName"


@dataclass
class ArtifactInput:
    """An artifact parameter's value: a local file or directory read by an artifact task."""

    path: str
    task: str  # the artifact task whose deserialize() reads it
    plugin: str  # the PluginSource (task or artifact plugin) holding that task


@dataclass
class Limits:
    seconds: float = 3600
    memory_mb: int = 2048
    log_bytes: int = 5_000_000  # beyond: one "log truncated" record, the rest dropped


@dataclass
class JobSpec:
    """Everything one run needs, frozen: the child reads nothing else.

    `document` is the full task-graph document to run (`entrypoints.engine.snapshot_document` of
    the snapshot, a mapping or YAML text); when it is None, `task_graph` must itself be a full
    document text (with its `tasks:` and `artifact_outputs:`). `task_graph` and
    `artifact_graph` are the snapshot's own texts otherwise, kept for the record.
    """

    job_id: int
    task_graph: str
    artifact_graph: str | None
    plugins: list[PluginSource]
    artifact_plugins: list[PluginSource]
    parameters: dict[str, Any]  # final converted values
    artifact_inputs: dict[str, ArtifactInput]
    workdir: str  # an empty folder for this job; artifacts are written inside
    limits: Limits = field(default_factory=Limits)
    document: Mapping[str, Any] | str | None = None

    def runnable_document(self) -> Mapping[str, Any] | str:
        return self.document if self.document is not None else self.task_graph


@dataclass
class LogRecord:
    severity: str  # one of SEVERITIES
    logger_name: str
    message: str
    created: float  # epoch seconds


@dataclass
class StepEvent:
    name: str
    state: Literal["started", "finished", "failed"]
    seconds: float | None = None
    error: str | None = None


@dataclass
class MetricEvent:
    name: str
    value: float
    step: int | None
    created: float


@dataclass
class ArtifactEvent:
    name: str  # the artifact output's name
    task: str  # the artifact task that serialized it
    path: str  # absolute, inside the job's workdir
    is_dir: bool


@dataclass
class Outcome:
    status: Literal["finished", "failed", "cancelled"]
    message: str | None = None
    traceback: str | None = None


class EventSink(Protocol):
    """Where a run's events go (the worker writes them to the database)."""

    def logs(self, records: list[LogRecord]) -> None: ...

    def step(self, event: StepEvent) -> None: ...

    def metric(self, metric: MetricEvent) -> None: ...

    def artifact(self, artifact: ArtifactEvent) -> None: ...


# The child's events travel as JSON objects whose "kind" names the dataclass.
EVENT_KINDS: dict[str, type] = {
    "log": LogRecord,
    "step": StepEvent,
    "metric": MetricEvent,
    "artifact": ArtifactEvent,
    "outcome": Outcome,
}
_KIND_OF = {cls: kind for kind, cls in EVENT_KINDS.items()}


def event_to_dict(event: Any) -> dict[str, Any]:
    # The fields are plain values: a shallow copy (asdict's deep one costs more than the write).
    return {"kind": _KIND_OF[type(event)], **vars(event)}


def event_from_dict(data: dict[str, Any]) -> Any:
    kind = data.pop("kind")
    return EVENT_KINDS[kind](**data)
