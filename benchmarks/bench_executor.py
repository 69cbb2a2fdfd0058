"""Job execution overhead: the engine per step, and the child process a job runs in.

In process: `run_document` on 1,000 no-op steps (independent, and chained through references):
in all, validating alone, the run loop alone, and with the child's step events (two JSON lines
per step, written to /dev/null). Baseline in the same run: a plain loop calling the
same 1,000 functions. Then `execute` end to end: the first job (which starts the fork
server), a one-step job (the child's start-up, against a bare `python -c pass` and a bare
`fork`) and the 1,000-step job. Medians of repeated runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from entrypoints.taskgraph import RunHooks, run_document, validate_document
from jobs.executor import JobSpec, Limits, PluginSource, execute
from jobs.executor.capture import Channel
from jobs.executor.child import StepHooks

STEPS = 1000
PLUGIN = PluginSource(
    "quiet", {"tasks.py": "def noop(*args):\n    return 1\n"}, {"noop": "tasks:noop"}
)


def document(chained: bool) -> str:
    lines = ["tasks:", "  noop: {plugin: quiet.tasks.noop, inputs: [{name: x, type: any, "
             "required: false}], outputs: {out: any}}", "graph:"]  # fmt: skip
    for i in range(STEPS):
        argument = f"$s{i - 1}" if chained and i else ""
        lines += [f"  s{i}:", f"    noop: [{argument}]"]
    return "\n".join(lines) + "\n"


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


class NullSink:
    def logs(self, records):
        pass

    def step(self, event):
        pass

    def metric(self, metric):
        pass

    def artifact(self, artifact):
        pass


class Span(RunHooks):
    """When the first step started and the last one finished: the run loop without validating."""

    def __init__(self) -> None:
        self.first = self.last = 0.0

    def step_started(self, name: str) -> None:
        if not self.first:
            self.first = time.perf_counter()

    def step_finished(self, name: str, seconds: float) -> None:
        self.last = time.perf_counter()

    def run(self, text: str, tasks: dict, workdir: Path) -> float:
        self.first = 0.0
        run_document(text, tasks=tasks, workdir=workdir, hooks=self)
        return (self.last - self.first) * 1000


def in_process(workdir: Path) -> None:
    def noop(*args):
        return 1

    tasks = {"noop": noop}
    # The child's step events, written where the parent's reading costs nothing.
    channel = Channel(os.open(os.devnull, os.O_WRONLY))
    header = (
        f"{'1,000 no-op steps':<20} {'run_document':>12} {'validating':>10} {'run loop':>9} "
        f"{'+ events':>9} {'plain loop':>10} {'ratio':>6}"
    )
    print(header)
    print(f"{'':<20} {'ms/step':>12} {'ms':>10} {'ms/step':>9} {'ms/step':>9} {'ms':>10}")
    print("-" * len(header))
    for label, chained in (("independent", False), ("chained ($s{i-1})", True)):
        text = document(chained)
        assert validate_document(text).valid
        functions = [noop] * STEPS

        def baseline(chained=chained, functions=functions):
            value = None
            for function in functions:
                value = function(value) if chained else function()

        base = median_ms(baseline, 50)
        validate = median_ms(lambda t=text: validate_document(t), 20)
        total = median_ms(lambda t=text: run_document(t, tasks=tasks, workdir=workdir), 20)
        span = Span()
        loop = statistics.median(span.run(text, tasks, workdir) for _ in range(20))
        with_events = median_ms(
            lambda t=text: run_document(t, tasks=tasks, workdir=workdir, hooks=StepHooks(channel)),
            20,
        )
        print(
            f"{label:<20} {total / STEPS:>12.4f} {validate:>10.1f} {loop / STEPS:>9.4f} "
            f"{with_events / STEPS:>9.4f} {base:>10.3f} {loop / base:>6.0f}"
        )
    print(
        "run_document and + events include validating the document; the run loop is from the "
        "first step's start to the last one's end; ratio = run loop / plain loop"
    )


def spec(workdir: Path, text: str) -> JobSpec:
    return JobSpec(
        job_id=0,
        task_graph=text,
        artifact_graph=None,
        plugins=[PLUGIN],
        artifact_plugins=[],
        parameters={},
        artifact_inputs={},
        workdir=str(workdir),
        limits=Limits(seconds=120, memory_mb=1024),
    )


def fork_and_wait() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def child_process(workdir: Path) -> None:
    one_step = "tasks:\n  noop: {plugin: quiet.tasks.noop}\ngraph:\n  s0:\n    noop: []\n"
    root = str(Path(__file__).resolve().parents[1])

    def job(text: str) -> None:
        outcome = execute(spec(workdir, text), NullSink())
        assert outcome.status == "finished", outcome

    started = time.perf_counter()
    job(one_step)  # the worker's first job also starts its fork server
    first = (time.perf_counter() - started) * 1000
    bare = median_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], cwd=root), 10)
    fork = median_ms(fork_and_wait, 20)
    one = median_ms(lambda: job(one_step), 30)
    many = median_ms(lambda: job(document(True)), 5)
    print(f"baselines: python -c pass {bare:.1f} ms, a bare fork + exit + wait {fork:.1f} ms")
    print(f"execute, the first job (starts the fork server): {first:.0f} ms")
    print(f"execute, a 1-step job (fork, pipes, plugin install, teardown): {one:.1f} ms")
    print(
        f"execute, 1,000 chained no-op steps: {many:.0f} ms, "
        f"{(many - one) / STEPS:.3f} ms/step over the 1-step job"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        in_process(workdir)
        print()
        child_process(workdir)


if __name__ == "__main__":
    main()
