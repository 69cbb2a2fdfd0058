"""Every fault of plugin code ends as an Outcome with a message that says what happened; the
running step ends failed and the executor itself never raises."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from jobs.executor import ArtifactInput, Limits, PluginSource
from jobs.executor.sources import builtin_artifacts_source

from .executor_support import FAULT_DOCUMENT, faulty, plugin, run_job
from .test_executor import process_gone

FAILED_AT_COMPUTE = [("compute", "started"), ("compute", "failed")]


def run_fault(tmp_path, body, **kwargs):
    return run_job(tmp_path, FAULT_DOCUMENT, faulty(body), **kwargs)


def test_a_plugin_that_raises_fails_the_job_with_its_traceback(tmp_path):
    run = run_fault(tmp_path, 'raise ValueError("the data is not there")')

    assert run.outcome.status == "failed"
    assert run.outcome.message == "Step `compute` failed: ValueError: the data is not there"
    traceback = run.outcome.traceback
    assert traceback.startswith("Traceback (most recent call last):")
    assert 'File "faulty/tasks.py", line 9, in work' in traceback
    assert 'raise ValueError("the data is not there")' in traceback
    assert "taskgraph" not in traceback  # only the plugin's frames
    assert run.sink.states() == FAILED_AT_COMPUTE
    assert run.sink.steps[-1].error == "ValueError: the data is not there"
    (record,) = run.sink.records
    assert (record.severity, record.logger_name) == ("ERROR", "executor")
    assert record.message == f"{run.outcome.message}\n{traceback}"


def test_a_plugin_that_hangs_is_killed_at_the_time_limit(tmp_path):
    run = run_fault(tmp_path, "time.sleep(600)", limits=Limits(seconds=1))

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "The job exceeded its time limit of 1 s and was stopped in step `compute`."
    )
    assert run.sink.states() == FAILED_AT_COMPUTE
    assert run.sink.steps[-1].error == run.outcome.message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("os._exit(3)", "The job's process exited with code 3 in step `compute` without reporting"),
        ("os._exit(0)", "The job's process exited with code 0 in step `compute` without reporting"),
        ("sys.exit(0)", "Plugin code called sys.exit(0) in step `compute`; the job stopped there."),
        ("sys.exit('bye')", "Plugin code called sys.exit(bye) in step `compute`; the job stopped"),
        ("raise KeyboardInterrupt", "The job stopped on KeyboardInterrupt in step `compute`."),
    ],
    ids=["os-exit-3", "os-exit-0", "sys-exit-0", "sys-exit-text", "keyboard-interrupt"],
)
def test_a_plugin_that_exits_the_process_fails_the_job(tmp_path, body, message):
    run = run_fault(tmp_path, body)

    assert run.outcome.status == "failed"
    assert run.outcome.message.startswith(message)
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_plugin_that_allocates_past_the_memory_limit_fails_saying_memory(tmp_path):
    run = run_fault(
        tmp_path,
        "hoard = [bytearray(16 * 1024 * 1024) for _ in range(1000)]",
        limits=Limits(memory_mb=400),
    )

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "The job ran out of memory (its limit is 400 MB) in step `compute`."
    )
    assert "MemoryError" in run.outcome.traceback
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_process_killed_from_outside_mentions_memory(tmp_path):
    """What the kernel's out-of-memory killer does: SIGKILL, no chance to say anything."""
    run = run_fault(tmp_path, "os.kill(os.getpid(), signal.SIGKILL)", limits=Limits(memory_mb=900))

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "The job's process was killed by SIGKILL in step `compute`; the system may have run out "
        "of memory (the job's memory limit is 900 MB)."
    )
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_crash_with_a_signal_leaves_the_plugins_stack_in_the_log(tmp_path):
    run = run_fault(tmp_path, "import ctypes\nctypes.string_at(0)")

    assert run.outcome.status == "failed"
    assert run.outcome.message == "The job's process was killed by SIGSEGV in step `compute`."
    assert "Segmentation fault" in run.outcome.traceback
    assert 'faulty/tasks.py", line 10 in work' in run.outcome.traceback
    stderr = "\n".join(run.sink.messages("stderr"))
    assert 'faulty/tasks.py", line 10 in work' in stderr
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_task_returning_the_wrong_number_of_outputs_fails_the_job(tmp_path):
    run = run_fault(tmp_path, "return 1, 2, 3")

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "Step `compute` failed: ValueError: the task declares 2 output(s) (first, second) but "
        "returned 3 value(s)"
    )
    assert run.outcome.traceback is None  # no plugin code failed
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_plugin_printing_a_megabyte_is_truncated_and_the_job_finishes(tmp_path):
    run = run_fault(
        tmp_path,
        """
        for i in range(20_000):
            print(f"line {i:05} " + "x" * 40)
        print("y" * 1_000_000)
        return 1, 2
        """,
        limits=Limits(log_bytes=100_000),
    )

    assert run.outcome.status == "finished", run.outcome
    assert run.sink.states()[-1] == ("after", "finished")
    records = run.sink.records
    truncated = [r for r in records if r.message.startswith("Log truncated")]
    assert [r.message for r in truncated] == [
        "Log truncated: the job wrote more than 100000 bytes of log; the rest was dropped."
    ]
    assert records[-1] is truncated[0]
    assert sum(len(r.message.encode()) for r in records[:-1]) == 100_000
    assert records[0].message == "line 00000 " + "x" * 40
    # Batched: a few calls, not one per line.
    assert len(run.sink.batches) <= len(records) / 100


def test_one_enormous_line_is_cut_in_the_child(tmp_path):
    run = run_fault(tmp_path, 'print("z" * 1_000_000)\nreturn 1, 2')

    assert run.outcome.status == "finished", run.outcome
    (record,) = run.sink.records
    assert record.message == "z" * 262_144 + (
        " [cut: the message was longer than 262144 characters]"
    )


ARTIFACT_DOCUMENT = """\
tasks:
  make: {plugin: maker.tasks.make, outputs: {value: any}}
graph:
  made:
    make: []
artifact_outputs:
  first:
    contents: $made
    task: {name: StringArtifactTask}
  second:
    contents: $made
    task: {name: %s}
"""
MAKER = plugin("maker", {"tasks.py": "def make():\n    return 12\n"}, make="tasks:make")


def test_an_artifact_task_that_fails_fails_the_job(tmp_path):
    run = run_job(tmp_path, ARTIFACT_DOCUMENT % "PickleArtifactTask", [MAKER])

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "Artifact output `first` failed: ArtifactTaskError: StringArtifactTask stores text, not "
        "int."
    )
    assert "artifacts.py" in run.outcome.traceback
    assert run.sink.artifacts == []  # as in Dioptra: a failed job registers no artifacts
    assert run.sink.states() == [("made", "started"), ("made", "finished")]


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ("Path('/etc/hostname')", "which is outside the job's working directory."),
        ("Path(working_dir, 'nothing.txt')", "which does not exist."),
    ],
)
def test_an_artifact_task_must_return_an_existing_path_in_the_working_directory(
    tmp_path, returned, message
):
    bad = PluginSource(
        "bad_artifacts",
        {
            "bad.py": textwrap.dedent(f"""\
                from pathlib import Path

                class Liar:
                    @staticmethod
                    def serialize(working_dir, name, contents, **kwargs):
                        return {returned}
                """)
        },
        artifact_tasks={"Liar": "bad:Liar"},
    )
    texts = plugin("maker", {"tasks.py": "def make():\n    return 'text'\n"}, make="tasks:make")

    run = run_job(
        tmp_path,
        ARTIFACT_DOCUMENT % "Liar",
        [texts],
        artifact_plugins=[builtin_artifacts_source(), bad],
    )

    assert run.outcome.status == "failed"
    assert run.outcome.message.startswith("Artifact output `second`: `Liar.serialize` returned ")
    assert run.outcome.message.endswith(message)
    assert run.sink.artifacts == []  # not even the good first one


def test_an_artifact_input_that_cannot_be_read_fails_before_any_step(tmp_path):
    document = """\
    artifact_inputs:
      stored: {value: any}
    tasks:
      use: {plugin: user.tasks.use, inputs: [{v: any}]}
    graph:
      using:
        use: [$stored]
    """
    user = plugin("user", {"tasks.py": "def use(v):\n    pass\n"}, use="tasks:use")
    (tmp_path / "broken.pkl").write_bytes(b"not a pickle")

    run = run_job(
        tmp_path,
        document,
        [user],
        artifact_inputs={
            "stored": ArtifactInput(
                str(tmp_path / "broken.pkl"), "PickleArtifactTask", "builtin_artifacts"
            )
        },
    )

    assert run.outcome.status == "failed"
    assert run.outcome.message.startswith(
        "Artifact input `stored` could not be read by `PickleArtifactTask.deserialize`: "
        "UnpicklingError:"
    )
    assert "artifacts.py" in run.outcome.traceback
    assert run.sink.steps == []


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        (
            {"tasks.py": "def work(:\n"},
            "tasks:work",
            "Step `compute` failed: SyntaxError: invalid syntax (tasks.py, line 1)",
        ),
        (
            {"tasks.py": "import not_installed_anywhere\n"},
            "tasks:work",
            "Step `compute` failed: ModuleNotFoundError: No module named 'not_installed_anywhere'",
        ),
        (
            {"tasks.py": "def other():\n    pass\n"},
            "tasks:work",
            "Step `compute` failed: LookupError: Module `tasks` of plugin `faulty` has no `work`.",
        ),
        (
            {"tasks.py": ""},
            "work",
            "Step `compute` failed: LookupError: `work` (plugin `faulty`) does not name "
            "`module:attribute`.",
        ),
    ],
    ids=["syntax-error", "import-error", "no-such-function", "bad-target"],
)
def test_a_plugin_that_does_not_load_fails_the_step_that_needs_it(tmp_path, files, target, message):
    broken = [PluginSource("faulty", files, {"work": target, "noop": "tasks:noop"})]

    run = run_job(tmp_path, FAULT_DOCUMENT, broken)

    assert run.outcome.status == "failed"
    assert run.outcome.message == message
    assert run.sink.states() == FAILED_AT_COMPUTE


def test_a_syntax_error_shows_the_line(tmp_path):
    broken = [PluginSource("faulty", {"tasks.py": "def work(:\n"}, {"work": "tasks:work"})]

    run = run_job(tmp_path, FAULT_DOCUMENT, broken)

    assert "def work(:" in run.outcome.traceback


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        (
            [PluginSource("json", {"x.py": ""})],
            "Plugin `json` cannot be installed: a Python module of that name is already in use",
        ),
        ([PluginSource("my-plugin", {"x.py": ""})], "Plugin `my-plugin` cannot be installed"),
        (
            [PluginSource("p", {"a.py": "x = 1"}), PluginSource("p", {"a.py": "x = 2"})],
            "Two different plugins are named `p`",
        ),
        ([PluginSource("p", {"../escape.py": ""})], "Plugin `p` has a file `../escape.py` outside"),
    ],
    ids=["stdlib-name", "not-an-identifier", "two-named-alike", "file-outside"],
)
def test_plugins_that_cannot_be_installed_fail_the_job_with_a_message(tmp_path, plugins, message):
    run = run_job(tmp_path, FAULT_DOCUMENT, plugins)

    assert run.outcome.status == "failed"
    assert run.outcome.message.startswith(message)
    assert run.sink.steps == []
    assert not (tmp_path / "escape.py").exists()


def test_a_missing_parameter_fails_before_any_step(tmp_path):
    document = "parameters:\n  size: {type: integer}\n" + FAULT_DOCUMENT

    run = run_job(tmp_path, document, faulty("return 1, 2"))

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "No value and no default for `size`; supply it when starting the job."
    )
    assert run.sink.steps == []


WORKER = """\
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.jobs.executor_support import run_job, faulty, FAULT_DOCUMENT
run_job(Path({tmp!r}), FAULT_DOCUMENT, faulty(
    "from pathlib import Path\\nPath('pid').write_text(str(os.getpid()))\\ntime.sleep(600)"
))
"""


def test_a_child_whose_worker_is_killed_stops_on_its_own(tmp_path):
    root = str(Path(__file__).resolve().parents[2])
    worker = subprocess.Popen([sys.executable, "-c", WORKER.format(root=root, tmp=str(tmp_path))])
    pid_file = tmp_path / "job" / "pid"
    try:
        while not (pid_file.exists() and pid_file.read_text()):
            assert worker.poll() is None, "the worker ended before its job started"
            time.sleep(0.1)
        child = int(pid_file.read_text())
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

    assert process_gone(child)
