"""Runs a job's entrypoint in a child process: `execute(spec, sink, cancelled=...) -> Outcome`.

The worker builds a `JobSpec` (pinned plugin files, the document, converted values, local
artifact inputs, limits) and an `EventSink`; `execute` streams the run's log records, step,
metric and artifact events into the sink and returns how it ended. Plugin code runs only in the
child (`jobs.executor.child`), which never imports Django.
"""

from .process import execute
from .spec import (
    ArtifactEvent,
    ArtifactInput,
    EventSink,
    JobSpec,
    Limits,
    LogRecord,
    MetricEvent,
    Outcome,
    PluginSource,
    StepEvent,
)

__all__ = [
    "ArtifactEvent",
    "ArtifactInput",
    "EventSink",
    "JobSpec",
    "Limits",
    "LogRecord",
    "MetricEvent",
    "Outcome",
    "PluginSource",
    "StepEvent",
    "execute",
]
