"""The job's child process (forked by `jobs.executor.forkserver`): runs one pickled `JobSpec`,
sending its events as JSON lines on the event pipe.

It limits its own memory, routes everything plugin code logs or prints into the event pipe,
writes the plugins as packages under CODE_DIR (package = plugin name, files as modules), reads
the artifact inputs through their artifact tasks' `deserialize`, runs the document with
`run_document` (a step event for each step's start and end), checks each serialized artifact,
and ends with one `Outcome` event. Plugin faults become that outcome; nothing here imports Django.
"""

from __future__ import annotations

import faulthandler
import importlib
import logging
import os
import pickle
import resource
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from entrypoints import runtime
from entrypoints.taskgraph import ArtifactError, RunError, RunHooks, StepError, run_document

from . import capture
from .spec import ArtifactEvent, JobSpec, MetricEvent, Outcome, PluginSource, StepEvent

SHIM_DIR = Path(__file__).with_name("shim")
# "1" installs the dioptra stand-in even where the real package imports (the tests use it).
FORCE_SHIM_ENV = "JOBS_DIOPTRA_SHIM"
# How often the child checks that the fork server that started it (which stops when its worker
# does) is still there.
PARENT_CHECK_SECONDS = 1.0

OUT_OF_MEMORY = "The job ran out of memory (its limit is {mb} MB){where}."
SYSTEM_EXIT = "Plugin code called sys.exit({code}){where}; the job stopped there."
INTERRUPTED = "The job stopped on {error}{where}."
BAD_PLUGIN_NAME = "Plugin `{name}` cannot be installed: its name is not a Python package name."
TAKEN_PLUGIN_NAME = (
    "Plugin `{name}` cannot be installed: a Python module of that name is already in use by the "
    "job's process; rename the plugin."
)
CLASHING_PLUGINS = "Two different plugins are named `{name}`; a job can install only one of them."
BAD_FILENAME = "Plugin `{name}` has a file `{filename}` outside its own folder."
BAD_TARGET = "`{target}` (plugin `{plugin}`) does not name `module:attribute`."
MISSING_ATTRIBUTE = "Module `{module}` of plugin `{plugin}` has no `{attribute}`."
UNKNOWN_ARTIFACT_TASK = "Plugin `{plugin}` offers no artifact task `{task}`."
INPUT_FAILED = "Artifact input `{name}` could not be read by `{task}.deserialize`: {error}"
ARTIFACT_MISSING = (
    "Artifact output `{name}`: `{task}.serialize` returned {path}, which does not exist."
)
ARTIFACT_OUTSIDE = (
    "Artifact output `{name}`: `{task}.serialize` returned {path}, which is outside the job's "
    "working directory."
)


class JobError(Exception):
    """A fault with a message of its own; `cause` is the plugin error behind it, if any."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def where(step: str | None) -> str:
    return f" in step `{step}`" if step else ""


# ---- plugins -----------------------------------------------------------------------------


def install_plugins(sources: list[PluginSource], root: Path) -> None:
    """Write each plugin as the package `root/<name>`, every folder with an `__init__.py` so
    imports between a plugin's own files work."""
    installed: dict[str, dict[str, str]] = {}
    for source in sources:
        name = source.name
        if name in installed:
            if installed[name] != source.files:
                raise JobError(CLASHING_PLUGINS.format(name=name))
            continue
        if not name.isidentifier():
            raise JobError(BAD_PLUGIN_NAME.format(name=name))
        if name in sys.modules:
            raise JobError(TAKEN_PLUGIN_NAME.format(name=name))
        installed[name] = source.files
        package = root / name
        package.mkdir()
        for filename, contents in source.files.items():
            parts = PurePosixPath(filename).parts
            if not parts or PurePosixPath(filename).is_absolute() or ".." in parts:
                raise JobError(BAD_FILENAME.format(name=name, filename=filename))
            target = package.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(contents, encoding="utf-8")
        for folder in [package, *(p for p in package.rglob("*") if p.is_dir())]:
            (folder / "__init__.py").touch()


class Resolver(Mapping):
    """Name -> the function or class a plugin's `module.path:attribute` names, imported only
    when first asked for: an import error then fails the step that needs it, named."""

    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, str]] = {}
        self.found: dict[str, Any] = {}

    def add(self, plugin: str, entries: Mapping[str, str]) -> None:
        for name, target in entries.items():
            self.targets.setdefault(name, (plugin, target))

    def __getitem__(self, name: str) -> Any:
        if name not in self.found:
            plugin, target = self.targets[name]
            self.found[name] = load_target(plugin, target)
        return self.found[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


def load_target(plugin: str, target: str) -> Any:
    module_path, colon, attribute = target.partition(":")
    if not colon or not attribute:
        raise LookupError(BAD_TARGET.format(target=target, plugin=plugin))
    module_name = f"{plugin}.{module_path}" if module_path else plugin
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise LookupError(
            MISSING_ATTRIBUTE.format(
                module=module_path or "__init__", plugin=plugin, attribute=attribute
            )
        ) from None


def provide_dioptra(sources: list[PluginSource]) -> None:
    """Put the dioptra stand-in first on sys.path when plugins import dioptra and the real
    package does not import (or when forced)."""
    if not any("dioptra" in text for source in sources for text in source.files.values()):
        return
    if os.environ.get(FORCE_SHIM_ENV) != "1":
        try:
            importlib.import_module("dioptra.pyplugs")
            importlib.import_module("dioptra.sdk.api.artifact")
            return
        except ImportError:
            pass
    for name in [m for m in sys.modules if m == "dioptra" or m.startswith("dioptra.")]:
        del sys.modules[name]
    sys.path.insert(0, str(SHIM_DIR))


# ---- running -----------------------------------------------------------------------------


class StepHooks(RunHooks):
    """Sends a step event for each start and end; remembers the step that is running."""

    def __init__(self, channel: capture.Channel) -> None:
        self.channel = channel
        self.current: str | None = None
        self.started = 0.0

    def step_started(self, name: str) -> None:
        self.current, self.started = name, time.perf_counter()
        self.channel.send(StepEvent(name, "started"))

    def step_finished(self, name: str, seconds: float) -> None:
        self.current = None
        self.channel.send(StepEvent(name, "finished", seconds))

    def step_failed(self, name: str, exc: BaseException) -> None:
        self.interrupted(describe(exc))

    def interrupted(self, error: str) -> None:
        """The running step (if any) ends failed with `error`."""
        if self.current is not None:
            seconds = time.perf_counter() - self.started
            self.channel.send(StepEvent(self.current, "failed", seconds, error))
            self.current = None


def plugin_traceback(error: BaseException, code_dir: Path) -> str | None:
    """The traceback from the first frame in plugin code down (for a plugin file's syntax
    error, its line); None when no plugin code is involved."""
    root = f"{code_dir}{os.sep}"
    tb = error.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(root):
        tb = tb.tb_next
    if tb is not None:
        lines = traceback.format_exception(type(error), error, tb)
    elif isinstance(error, SyntaxError) and str(error.filename).startswith(root):
        lines = traceback.format_exception_only(error)
    else:
        return None
    # Plugin files by the names their users know: `hello/tasks.py`, not a temporary path.
    return "".join(lines).replace(root, "")


class Job:
    def __init__(self, spec: JobSpec, channel: capture.Channel, code_dir: Path) -> None:
        self.spec = spec
        self.channel = channel
        self.code_dir = code_dir
        self.hooks = StepHooks(channel)
        self.tasks = Resolver()
        self.artifact_tasks = Resolver()
        self.by_plugin: dict[str, PluginSource] = {}

    def run(self) -> Outcome:
        """Run the job; every fault becomes a failed Outcome (logged with its traceback)."""
        try:
            self.prepare()
            inputs = self.load_inputs()
            result = run_document(
                self.spec.runnable_document(),
                tasks=self.tasks,
                artifact_tasks=self.artifact_tasks,
                parameters=self.spec.parameters,
                artifact_inputs=inputs,
                workdir=Path(self.spec.workdir),
                hooks=self.hooks,
            )
            # As in Dioptra, a job registers its artifacts only when all of them are good.
            for event in [self.checked_artifact(*artifact) for artifact in result.artifacts]:
                self.channel.send(event)
        except (StepError, ArtifactError) as error:
            step = error.step if isinstance(error, StepError) else None
            return self.failed(error.cause, str(error), step)
        except JobError as error:
            return self.failed(error.cause, str(error), None)
        except RunError as error:
            return self.failed(None, str(error), None)
        except SystemExit as error:
            step = self.hooks.current
            message = SYSTEM_EXIT.format(code=error.code, where=where(step))
            self.hooks.interrupted(message)
            return self.failed(error, message, step)
        except BaseException as error:  # noqa: BLE001 - KeyboardInterrupt, executor bugs
            step = self.hooks.current
            message = INTERRUPTED.format(error=describe(error), where=where(step))
            self.hooks.interrupted(message)
            return self.failed(error, message, step, full_traceback=True)
        return Outcome("finished")

    def failed(
        self,
        cause: BaseException | None,
        message: str,
        step: str | None,
        *,
        full_traceback: bool = False,
    ) -> Outcome:
        if isinstance(cause, MemoryError):
            message = OUT_OF_MEMORY.format(mb=self.spec.limits.memory_mb, where=where(step))
        shown = None
        if cause is not None:
            shown = plugin_traceback(cause, self.code_dir)
            if shown is None and full_traceback:
                shown = "".join(traceback.format_exception(cause))
        self.channel.log(
            "ERROR", capture.EXECUTOR_LOGGER, f"{message}\n{shown}" if shown else message
        )
        return Outcome("failed", message, shown)

    def prepare(self) -> None:
        sources = [*self.spec.plugins, *self.spec.artifact_plugins]
        provide_dioptra(sources)
        install_plugins(sources, self.code_dir)
        sys.path.insert(0, str(self.code_dir))
        for source in sources:
            self.by_plugin.setdefault(source.name, source)
        for source in self.spec.plugins:
            self.tasks.add(source.name, source.tasks)
        for source in self.spec.artifact_plugins:
            self.artifact_tasks.add(source.name, source.artifact_tasks)

    def load_inputs(self) -> dict[str, Any]:
        """Each artifact input's value, as its task's `deserialize` reads it (Dioptra's call:
        `working_dir` the folder holding it; `path` here its absolute Path, which works both
        as `Path(working_dir, path)` and on its own)."""
        values = {}
        for name, item in self.spec.artifact_inputs.items():
            try:
                source = self.by_plugin.get(item.plugin)
                target = source.artifact_tasks.get(item.task) if source else None
                if target is None:
                    raise LookupError(
                        UNKNOWN_ARTIFACT_TASK.format(plugin=item.plugin, task=item.task)
                    )
                task = load_target(item.plugin, target)
                path = Path(item.path).absolute()
                values[name] = task.deserialize(working_dir=path.parent, path=path)
            except Exception as error:
                message = INPUT_FAILED.format(name=name, task=item.task, error=describe(error))
                raise JobError(message, error) from error
        return values

    def checked_artifact(self, name: str, task: str, path: Path) -> ArtifactEvent:
        workdir = Path(self.spec.workdir).resolve()
        path = (workdir / path).resolve()
        if not path.exists():
            raise JobError(ARTIFACT_MISSING.format(name=name, task=task, path=path))
        if not path.is_relative_to(workdir):
            raise JobError(ARTIFACT_OUTSIDE.format(name=name, task=task, path=path))
        return ArtifactEvent(name, task, str(path), path.is_dir())


# ---- process set-up ----------------------------------------------------------------------


def limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def watch_parent() -> None:
    """Exit when the process that started this one is gone (the worker killed, its machine
    lost): a job must not run on unwatched."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(event_fd: int, payload: bytes, code_dir: Path) -> None:
    """Run the pickled JobSpec `payload` in this (forked, clean) process, then exit."""
    os.set_inheritable(event_fd, False)  # plugin subprocesses must not write events
    spec: JobSpec = pickle.loads(payload)
    limit_memory(spec.limits.memory_mb)
    os.chdir(spec.workdir)
    faulthandler.enable(file=sys.__stderr__)  # a crash still leaves its traceback in the log
    channel = capture.Channel(event_fd)
    writers = capture.install(channel)
    logging.captureWarnings(True)
    runtime.set_metric_sink(
        lambda name, value, step: channel.send(MetricEvent(name, value, step, time.time()))
    )
    watch_parent()
    outcome = Job(spec, channel, code_dir).run()
    for writer in writers:
        writer.close_line()
    channel.send(outcome)
    # Not a normal exit: plugin threads and atexit hooks must not keep the job alive.
    os._exit(0)
