"""A fork server: one clean interpreter per worker process that has already imported what a job's
child needs, and forks a fresh child for each job (a few milliseconds instead of an
interpreter's start-up, which would cap a worker at a few jobs per second).

The server (`main()`, in an interpreter of its own) is started by the worker with a filtered
environment and never imports Django or runs plugin code itself. For each job the
worker makes a socket pair and hands one end to the server over the control socket; the server
forks, tells the worker the child's pid on that socket, and later its wait status. The child
reads its request (job environment, code folder, the pickled spec, and the write ends of the
event, stdout and stderr pipes) from the same socket and becomes the job's process, in a
process group of its own.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

SERVER_COMMAND = "from jobs.executor.forkserver import main; main()"
HEADER = struct.Struct("!I")  # the length of the JSON request header that follows
PARENT_CHECK_SECONDS = 1.0


# ---- the worker's side -------------------------------------------------------------------


@dataclass
class Started:
    pid: int
    conn: socket.socket  # "<pid>\n" then "exit <wait status>\n" arrive here


class Client:
    """Starts the server on first use (again if it died) and asks it for job processes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        # A forked worker (RQ's work horse) starts a server of its own, not one it did not start.
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self.lock = threading.Lock()
        if self.control is not None:
            self.control.close()
        self.process = self.control = None

    def _start_server(self, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", SERVER_COMMAND, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        self.control = ours

    def start(
        self, *, env: dict[str, str], request: dict, payload: bytes, fds: list[int]
    ) -> Started:
        """A forked job process; `request` (JSON), `payload` and `fds` are handed to it."""
        conn, theirs = socket.socketpair()
        try:
            with self.lock:
                for attempt in (1, 2):
                    if self.process is None or self.process.poll() is not None:
                        self._start_server(env)
                    try:
                        socket.send_fds(self.control, [b"J"], [theirs.fileno()])
                        break
                    except OSError:
                        self.process.kill()
                        self.process.wait()
                        self.process = None
                        if attempt == 2:
                            raise
        finally:
            theirs.close()
        header = json.dumps({**request, "payload_bytes": len(payload)}).encode()
        socket.send_fds(conn, [HEADER.pack(len(header))], fds)
        try:
            conn.sendall(header + payload)
        except OSError:  # the job process died at once; its wait status will say why
            pass
        line = _read_line(conn)
        if not line:
            conn.close()
            raise OSError("the fork server did not start the job's process")
        return Started(int(line), conn)


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            return b""
        data += chunk
    return data.strip()


# ---- the server --------------------------------------------------------------------------


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the worker went away while sending the job")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _become_job(conn: socket.socket) -> None:
    """In the forked process: take the request, set up fds and environment, run the job."""
    from . import child

    # Only the length prefix comes with the fds, so no later bytes are read with them.
    prefix, fds, _, _ = socket.recv_fds(conn, HEADER.size, 3)
    prefix += _read_exactly(conn, HEADER.size - len(prefix))
    (size,) = HEADER.unpack(prefix)
    request = json.loads(_read_exactly(conn, size))
    payload = _read_exactly(conn, request["payload_bytes"])
    conn.close()
    event_fd, stdout_fd, stderr_fd = fds
    os.dup2(stdout_fd, 1)
    os.dup2(stderr_fd, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for fd in (stdout_fd, stderr_fd, devnull):
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    child.main(event_fd, payload, Path(request["code_dir"]))


def serve(control: socket.socket) -> None:
    """Fork a job process per request until the worker goes away."""
    parent = os.getppid()
    jobs: dict[int, socket.socket] = {}
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake the selector
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when to stop
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    while os.getppid() == parent:
        for key, _ in selector.select(PARENT_CHECK_SECONDS):
            if key.fileobj is wake_read:
                os.read(wake_read, 4096)
                continue
            message, fds, _, _ = socket.recv_fds(control, 1, 1)
            if not message:
                return  # the worker closed its end
            conn = socket.socket(fileno=fds[0])
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                os.setpgid(0, 0)
                for fd in (
                    control.fileno(),
                    wake_read,
                    wake_write,
                    *(c.fileno() for c in jobs.values()),
                ):
                    os.close(fd)
                try:
                    _become_job(conn)  # ends the process itself
                except BaseException:
                    traceback.print_exc()  # into the job's log once its stderr is set up
                finally:
                    os._exit(1)  # never back into the server's loop
            try:
                os.setpgid(pid, pid)  # as the child does: set before anyone may kill the group
            except OSError:
                pass
            _tell(conn, f"{pid}\n")
            jobs[pid] = conn
        _reap(jobs)


def _tell(conn: socket.socket, text: str) -> None:
    try:
        conn.sendall(text.encode())
    except OSError:  # the worker stopped waiting for this job
        pass


def _reap(jobs: dict[int, socket.socket]) -> None:
    while jobs:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = jobs.pop(pid, None)
        if conn is not None:
            _tell(conn, f"exit {status}\n")
            conn.close()


def preload() -> None:
    """Import, once, what every job's process needs (and real dioptra, where it imports)."""
    from . import child  # noqa: F401

    for name in ("structlog", "dioptra.pyplugs", "dioptra.sdk.api.artifact"):
        try:
            __import__(name)
        except ImportError:
            pass


def main() -> None:
    preload()
    serve(socket.socket(fileno=int(sys.argv[1])))
