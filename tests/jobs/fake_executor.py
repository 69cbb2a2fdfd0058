"""A stand-in for ``jobs.executor`` (the contract's types and ``execute``) for the worker's tests
until the real executor lands: it runs no plugin code, it plays a script of events.

``install(monkeypatch, script)`` puts it in ``sys.modules`` as ``jobs.executor`` and
``jobs.executor.sources``; ``script(spec, sink, cancelled)`` plays the run and returns its
``Outcome`` (``hello_script`` by default: a log record, each step started and finished, one
text artifact per artifact output).
"""

import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class PluginSource:
    name: str
    files: dict[str, str]
    tasks: dict[str, str] = field(default_factory=dict)
    artifact_tasks: dict[str, str] = field(default_factory=dict)


@dataclass
class ArtifactInput:
    path: str
    task: str
    plugin: str


@dataclass
class Limits:
    seconds: float = 3600
    memory_mb: int = 2048
    log_bytes: int = 5_000_000


@dataclass
class JobSpec:
    job_id: int
    task_graph: str
    artifact_graph: str | None
    plugins: list[PluginSource]
    artifact_plugins: list[PluginSource]
    parameters: dict[str, Any]
    artifact_inputs: dict[str, ArtifactInput]
    workdir: str
    limits: Limits = field(default_factory=Limits)
    document: Any = None


@dataclass
class LogRecord:
    severity: str
    logger_name: str
    message: str
    created: float


@dataclass
class StepEvent:
    name: str
    state: str
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
    name: str
    task: str
    path: str
    is_dir: bool


@dataclass
class Outcome:
    status: str
    message: str | None = None
    traceback: str | None = None


def plugin_source(name, manifest) -> PluginSource:
    return PluginSource(name=name, files={f["filename"]: f["contents"] for f in manifest["files"]})


def hello_script(spec, sink, cancelled) -> Outcome:
    sink.logs([LogRecord("INFO", "hello.tasks", f"Hello, {spec.parameters['name']}!", time.time())])
    for name in spec.document["graph"]:
        sink.step(StepEvent(name, "started"))
        sink.step(StepEvent(name, "finished", seconds=0.01))
    sink.metric(MetricEvent("accuracy", 0.75, 1, time.time()))
    for name, output in (spec.document.get("artifact_outputs") or {}).items():
        path = Path(spec.workdir, f"{name}.txt")
        path.write_text(f"Hello, {spec.parameters['name']}!")
        sink.artifact(ArtifactEvent(name, output["task"]["name"], str(path), False))
    return Outcome("finished")


def install(monkeypatch, script=hello_script) -> list:
    """Install the stand-in; the specs it is given are appended to the returned list."""
    specs = []

    def execute(spec, sink, *, cancelled=lambda: False):
        specs.append(spec)
        return script(spec, sink, cancelled)

    executor = types.ModuleType("jobs.executor")
    for item in (JobSpec, PluginSource, ArtifactInput, Limits, Outcome):
        setattr(executor, item.__name__, item)
    executor.execute = execute
    sources = types.ModuleType("jobs.executor.sources")
    sources.plugin_source = plugin_source
    executor.sources = sources
    monkeypatch.setitem(sys.modules, "jobs.executor", executor)
    monkeypatch.setitem(sys.modules, "jobs.executor.sources", sources)
    return specs
