"""The child's side of the event pipe, and everything plugin code writes turned into log records.

One `Channel` carries every event as a JSON line over a dedicated file descriptor (never stdout,
which plugins print to). Python `logging` (root handler), `structlog` (routed into `logging`),
`sys.stdout` (INFO) and `sys.stderr` (WARNING) all become `LogRecord`s sent through it in the
order they happen.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import threading
import time
from typing import Any

from .spec import LogRecord, event_to_dict

EXECUTOR_LOGGER = "executor"  # the executor's own records (failures, truncation)
STDOUT_LOGGER = "stdout"
STDERR_LOGGER = "stderr"
# Longer log messages are cut.
MAX_MESSAGE_CHARS = 256 * 1024
CUT = " [cut: the message was longer than {limit} characters]"


class Channel:
    """Writes events to the parent, whole lines at a time, from any thread."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, event: Any) -> None:
        line = (json.dumps(event_to_dict(event), default=str) + "\n").encode()
        with self.lock:
            view = memoryview(line)
            while view:
                view = view[os.write(self.fd, view) :]

    def log(self, severity: str, logger_name: str, message: str, created: float | None = None):
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS] + CUT.format(limit=MAX_MESSAGE_CHARS)
        self.send(
            LogRecord(severity, logger_name, message, time.time() if created is None else created)
        )


def severity_of(levelno: int) -> str:
    """The standard level name at or below `levelno` (custom levels round down)."""
    for threshold, name in (
        (logging.CRITICAL, "CRITICAL"),
        (logging.ERROR, "ERROR"),
        (logging.WARNING, "WARNING"),
        (logging.INFO, "INFO"),
    ):
        if levelno >= threshold:
            return name
    return "DEBUG"


class ChannelHandler(logging.Handler):
    def __init__(self, channel: Channel) -> None:
        super().__init__()
        self.channel = channel
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.channel.log(
                severity_of(record.levelno), record.name, self.format(record), record.created
            )
        except Exception:  # noqa: BLE001 - logging must never break the plugin
            self.handleError(record)


class LineWriter(io.TextIOBase):
    """A text stream that sends each complete line as one log record (an endless line once,
    cut, the rest of it dropped)."""

    def __init__(self, channel: Channel, severity: str, logger_name: str) -> None:
        self.channel = channel
        self.severity = severity
        self.logger_name = logger_name
        self.pending = ""
        self.cut = False  # the current line was already sent, cut: drop it up to its newline
        self.lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = []
        with self.lock:
            *complete, self.pending = (self.pending + text).split("\n")
            for line in complete:
                if self.cut:
                    self.cut = False
                else:
                    lines.append(line)
            if len(self.pending) > MAX_MESSAGE_CHARS:
                if not self.cut:
                    lines.append(self.pending)
                self.pending, self.cut = "", True
        for line in lines:
            self.channel.log(self.severity, self.logger_name, line)
        return len(text)

    def close_line(self) -> None:
        """Send a last line that never got its newline."""
        with self.lock:
            rest, self.pending = self.pending, ""
        if rest:
            self.channel.log(self.severity, self.logger_name, rest)


def _render_structlog(_logger: Any, _method: str, event_dict: dict[str, Any]) -> str:
    """`event key=value ...`, with an exception's traceback on the lines below."""
    event = str(event_dict.pop("event", ""))
    exception = event_dict.pop("exception", None)
    pairs = " ".join(f"{key}={value!r}" for key, value in event_dict.items())
    text = f"{event} {pairs}" if pairs else event
    return f"{text}\n{exception}" if exception else text


def _configure_structlog() -> None:
    try:
        import structlog
    except ImportError:  # plugins that do not log with structlog do not need it
        return
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            _render_structlog,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def install(channel: Channel) -> tuple[LineWriter, LineWriter]:
    """Route logging, structlog, stdout and stderr into `channel`; returns the two writers."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(ChannelHandler(channel))
    root.setLevel(logging.INFO)
    _configure_structlog()
    sys.stdout = LineWriter(channel, "INFO", STDOUT_LOGGER)
    sys.stderr = LineWriter(channel, "WARNING", STDERR_LOGGER)
    return sys.stdout, sys.stderr
