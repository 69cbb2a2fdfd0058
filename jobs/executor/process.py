"""The worker's side: run a `JobSpec` in a child process and turn whatever happens into events
and one `Outcome`.

The child is forked by the fork server (`jobs.executor.forkserver`) into a process group of its
own, so killing the group also ends whatever plugin code started. It gets the pickled spec
(pickled, not JSON: documents and values may hold dates and bytes, as YAML timestamps and
`!!binary` do) and three pipes that the parent reads until the child is gone: the event pipe
(JSON lines) and its stdout and stderr file descriptors (output that bypasses Python's
`sys.stdout`: C extensions, subprocesses, a crash's traceback). Between reads the parent
enforces the time limit, asks `cancelled()` about every 0.2 s, and hands log records to the sink
in batches, capped at `log_bytes`.
"""

from __future__ import annotations

import collections
import json
import os
import pickle
import selectors
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .capture import EXECUTOR_LOGGER, MAX_MESSAGE_CHARS, STDERR_LOGGER, STDOUT_LOGGER
from .forkserver import Client
from .spec import (
    ArtifactEvent,
    EventSink,
    JobSpec,
    LogRecord,
    MetricEvent,
    Outcome,
    StepEvent,
    event_from_dict,
)

ROOT = Path(__file__).resolve().parents[2]
FORK_SERVER = Client()  # one per worker process, started on its first job
POLL_SECONDS = 0.2
FLUSH_SECONDS = 0.5
FLUSH_RECORDS = 200
# Once the child is gone, how long output of processes it left behind may still be read.
DRAIN_SECONDS = 2.0
READ_BYTES = 64 * 1024
STDERR_TAIL_LINES = 40
# What of the worker's environment plugin code sees: not its secrets (database URL, keys).
ENV_NAMES = frozenset(
    "PATH HOME USER LOGNAME LANG LANGUAGE TZ TMPDIR TEMP TMP VIRTUAL_ENV "
    "http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY".split()
)
ENV_PREFIXES = ("LC_", "PYTHON", "JOBS_", "CUDA_", "OMP_", "MKL_", "OPENBLAS_")

TIMED_OUT = "The job exceeded its time limit of {limit} and was stopped{where}."
CANCELLED = "The job was cancelled{where}."
EXITED = "The job's process exited with code {code}{where} without reporting a result."
KILLED = "The job's process was killed by {signal}{where}."
KILLED_OUTSIDE = (
    "The job's process was killed by SIGKILL{where}; the system may have run out of memory (the "
    "job's memory limit is {mb} MB)."
)
NOT_STARTED = "The job's process could not be started: {error}"
LOST = "The job's process was lost{where}: the fork server that started it stopped."
LOG_TRUNCATED = "Log truncated: the job wrote more than {limit} bytes of log; the rest was dropped."


def execute(
    spec: JobSpec, sink: EventSink, *, cancelled: Callable[[], bool] = lambda: False
) -> Outcome:
    """Run `spec` in a child process; events go to `sink` as they happen.

    Never raises for anything plugin code does (raises, hangs, exits, crashes, floods the log,
    runs out of memory): that is the returned Outcome. Errors of the sink itself propagate, after
    the child is killed.
    """
    with tempfile.TemporaryDirectory(prefix=f"job-{spec.job_id}-code-") as code_dir:
        return _ChildRun(spec, sink, cancelled).run(code_dir)


def duration(seconds: float) -> str:
    """`90 s`, `5 min`, `24 h`: how a time limit reads in a message."""
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"


def child_environment(job_id: int | None = None) -> dict[str, str]:
    """The fork server's environment, and with `job_id` a job's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in ENV_NAMES or name.startswith(ENV_PREFIXES)
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if job_id is not None:
        env["__JOB_ID"] = str(job_id)  # as Dioptra's worker sets it for plugins
    return env


class _ChildRun:
    def __init__(self, spec: JobSpec, sink: EventSink, cancelled: Callable[[], bool]) -> None:
        self.spec = spec
        self.sink = sink
        self.cancelled = cancelled
        self.pending: list[LogRecord] = []
        self.last_flush = time.monotonic()
        self.logged_bytes = 0
        self.truncated = False
        self.running: tuple[str, float] | None = None  # step name, when it started
        self.reported: Outcome | None = None
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self.buffers: dict[int, bytes] = {}
        self.pid = 0
        self.status: int | None = None  # the child's wait status, from the fork server
        self.status_text = b""
        self.server_gone = False  # its socket closed before it sent the status

    # ---- the run -------------------------------------------------------------------------

    def run(self, code_dir: str) -> Outcome:
        pipes = [os.pipe() for _ in range(3)]  # events, stdout, stderr
        try:
            started = FORK_SERVER.start(
                env=child_environment(),
                request={"env": child_environment(self.spec.job_id), "code_dir": code_dir},
                payload=pickle.dumps(self.spec),
                fds=[write for _, write in pipes],
            )
        except OSError as error:
            for read, _ in pipes:
                os.close(read)
            return Outcome("failed", NOT_STARTED.format(error=error))
        finally:
            for _, write in pipes:
                os.close(write)
        self.pid = started.pid
        try:
            stopped = self.watch(started.conn, [read for read, _ in pipes])
        finally:
            self.kill()
            started.conn.close()
            for read, _ in pipes:
                os.close(read)
        outcome = self.reported or self.abnormal_end(stopped)
        self.flush()
        return outcome

    def watch(self, conn: socket.socket, fds: list[int]) -> str | None:
        """Read until the child is gone; returns why it was stopped ("timeout", "cancelled")."""
        event_fd, stdout_fd, stderr_fd = fds
        streams = {
            event_fd: None,
            stdout_fd: ("INFO", STDOUT_LOGGER),
            stderr_fd: ("WARNING", STDERR_LOGGER),
        }
        selector = selectors.DefaultSelector()
        for fd, stream in streams.items():
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, stream)
        selector.register(conn, selectors.EVENT_READ)
        deadline = time.monotonic() + self.spec.limits.seconds
        next_check = time.monotonic()
        stopped = None
        try:
            while True:
                for key, _ in selector.select(POLL_SECONDS):
                    if key.fileobj is conn:
                        self.read_status(selector, conn)
                    else:
                        self.read(selector, key.fd, key.data, event_fd)
                now = time.monotonic()
                if now - self.last_flush >= FLUSH_SECONDS:
                    self.flush()
                if self.status is not None or self.server_gone:
                    # What the child left running may still hold the pipes: stop it, read the rest.
                    self.kill()
                    self.drain(selector, event_fd)
                    break
                if now < next_check:
                    continue
                next_check = now + POLL_SECONDS
                if stopped is None and now >= deadline:
                    stopped = "timeout"
                    self.kill()
                elif stopped is None and self.cancelled():
                    stopped = "cancelled"
                    self.kill()
        finally:
            selector.close()
        return stopped

    def read_status(self, selector: selectors.BaseSelector, conn: socket.socket) -> None:
        """The fork server's "exit <wait status>" line (or its end: it is gone)."""
        chunk = conn.recv(64)
        self.status_text += chunk
        if not chunk:
            selector.unregister(conn)
            self.server_gone = True
        elif self.status_text.endswith(b"\n"):
            selector.unregister(conn)
            self.status = int(self.status_text.split()[1])

    def drain(self, selector: selectors.BaseSelector, event_fd: int) -> None:
        until = time.monotonic() + DRAIN_SECONDS
        while selector.get_map() and time.monotonic() < until:
            for key, _ in selector.select(POLL_SECONDS):
                self.read(selector, key.fd, key.data, event_fd)

    def kill(self) -> None:
        """SIGKILL the child's process group: the child and whatever it started."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    # ---- reading -------------------------------------------------------------------------

    def read(self, selector, fd: int, stream: tuple[str, str] | None, read_fd: int) -> None:
        try:
            chunk = os.read(fd, READ_BYTES)
        except BlockingIOError:
            return
        buffered = self.buffers.get(fd, b"") + chunk
        *lines, rest = buffered.split(b"\n")
        # At the end of the file a last line without its newline still counts; a stdout or
        # stderr line that never ends is passed on in pieces.
        if not chunk:
            selector.unregister(fd)
        if rest and (not chunk or (fd != read_fd and len(rest) > MAX_MESSAGE_CHARS)):
            lines.append(rest)
            rest = b""
        self.buffers[fd] = rest
        for line in lines:
            if fd == read_fd:
                self.event(line)
            else:
                self.output(line.decode("utf-8", "replace"), *stream)

    def output(self, text: str, severity: str, logger_name: str) -> None:
        """A line the child wrote straight to its stdout or stderr file descriptor."""
        if logger_name == STDERR_LOGGER:
            self.stderr_tail.append(text)
        self.log(LogRecord(severity, logger_name, text, time.time()))

    def event(self, line: bytes) -> None:
        try:
            event = event_from_dict(json.loads(line))
        except (ValueError, KeyError, TypeError):
            self.output(line.decode("utf-8", "replace"), "WARNING", STDERR_LOGGER)
            return
        if isinstance(event, LogRecord):
            self.log(event)
        elif isinstance(event, StepEvent):
            self.running = (event.name, time.monotonic()) if event.state == "started" else None
            self.sink.step(event)
        elif isinstance(event, MetricEvent):
            self.sink.metric(event)
        elif isinstance(event, ArtifactEvent):
            self.sink.artifact(event)
        elif isinstance(event, Outcome):
            self.reported = event

    # ---- logs ----------------------------------------------------------------------------

    def log(self, record: LogRecord, *, always: bool = False) -> None:
        if self.truncated and not always:
            return
        size = len(record.message.encode())
        limit = self.spec.limits.log_bytes
        if not always and self.logged_bytes + size > limit:
            room = limit - self.logged_bytes
            if room > 0:
                record.message = record.message.encode()[:room].decode("utf-8", "ignore")
                self.pending.append(record)
            self.truncated = True
            record = LogRecord(
                "WARNING", EXECUTOR_LOGGER, LOG_TRUNCATED.format(limit=limit), time.time()
            )
        else:
            self.logged_bytes += size
        self.pending.append(record)
        if len(self.pending) >= FLUSH_RECORDS:
            self.flush()

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if self.pending:
            records, self.pending = self.pending, []
            self.sink.logs(records)

    # ---- endings -------------------------------------------------------------------------

    def abnormal_end(self, stopped: str | None) -> Outcome:
        """The outcome when the child did not report one; the running step ends failed."""
        returncode = None if self.status is None else os.waitstatus_to_exitcode(self.status)
        step = self.running[0] if self.running else None
        at = f" in step `{step}`" if step else ""
        status, details = "failed", None
        if stopped == "timeout":
            message = TIMED_OUT.format(limit=duration(self.spec.limits.seconds), where=at)
        elif stopped == "cancelled":
            status, message = "cancelled", CANCELLED.format(where=at)
        else:
            details = "\n".join(self.stderr_tail) or None
            if returncode is None:
                message = LOST.format(where=at)
            elif returncode == -signal.SIGKILL:
                message = KILLED_OUTSIDE.format(where=at, mb=self.spec.limits.memory_mb)
            elif returncode < 0:
                message = KILLED.format(signal=signal.Signals(-returncode).name, where=at)
            else:
                message = EXITED.format(code=returncode, where=at)
        if self.running:
            name, started = self.running
            self.sink.step(StepEvent(name, "failed", time.monotonic() - started, message))
            self.running = None
        self.log(LogRecord("ERROR", EXECUTOR_LOGGER, message, time.time()), always=True)
        return Outcome(status, message, details)
