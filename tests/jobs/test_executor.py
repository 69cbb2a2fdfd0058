"""The executor runs plugins the way Dioptra writes them, in a child process: logs, steps,
metrics and artifacts come back as events (recorded here by a plain sink, no database)."""

from __future__ import annotations

import math
import os
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from entrypoints.context import build_context
from entrypoints.runtime import log_metric
from entrypoints.taskgraph import build_document
from jobs.executor import JobSpec, Limits, PluginSource, execute
from jobs.executor.child import FORCE_SHIM_ENV, SHIM_DIR
from jobs.executor.process import FORK_SERVER
from jobs.executor.sources import builtin_artifacts_source, plugin_source

from .executor_support import RecordingSink, plugin, run_job

# Dioptra's hello-world plugin, as its documentation writes it.
HELLO_WORLD_PY = """\
import structlog
from dioptra import pyplugs

LOGGER = structlog.get_logger()


@pyplugs.register()
def hello(name: str) -> str:
    message = f"Hello, {name}"
    LOGGER.info(message)
    return message


@pyplugs.register()
def greet(greeting: str, name: str) -> str:
    message = f"{greeting}, {name}"
    LOGGER.info(message)
    return message


@pyplugs.register
def shout(message: str) -> str:
    message = message.upper()
    LOGGER.info(message)
    return message
"""
# What the end of a run looks like from plugin code: serialized last, after every step.
PROBE_PY = """\
import sys
from pathlib import Path

import dioptra
from dioptra.sdk.api.artifact import ArtifactTaskInterface


class ProbeArtifactTask(ArtifactTaskInterface):
    @staticmethod
    def serialize(working_dir, name, contents, **kwargs):
        django = sorted(m for m in sys.modules if m.split(".")[0] == "django")
        path = Path(working_dir, name + ".txt")
        path.write_text(f"{contents}|{django}|{dioptra.__file__}")
        return path

    @staticmethod
    def deserialize(working_dir, path, **kwargs):
        return Path(working_dir, path).read_text()

    @staticmethod
    def validation():
        return None
"""
HELLO_DOCUMENT = """\
parameters:
  name: World
  greeting: Salutations
tasks:
  hello:
    plugin: hello_world.tasks.hello
    inputs: [{name: name, type: string}]
    outputs: {message: string}
  greet:
    plugin: hello_world.tasks.greet
    inputs: [{greeting: string}, {name: name, type: string}]
    outputs: {message: string}
  shout:
    plugin: hello_world.tasks.shout
    inputs: [{message: string}]
    outputs: {message: string}
graph:
  hello_step:
    hello: [$name]
  greet_step:
    greet: {greeting: $greeting, name: $name}
  shout_step:
    shout: [$greet_step]
artifact_outputs:
  shouted:
    contents: $shout_step
    task: {name: StringArtifactTask, args: {type: md}}
  probe:
    contents: $hello_step
    task: {name: ProbeArtifactTask}
"""


def hello_plugins():
    return [
        plugin(
            "hello_world",
            {"tasks.py": HELLO_WORLD_PY},
            hello="tasks:hello",
            greet="tasks:greet",
            shout="tasks:shout",
        )
    ]


def artifact_plugins():
    probe = PluginSource(
        "probe", {"probe.py": PROBE_PY}, {}, {"ProbeArtifactTask": "probe:ProbeArtifactTask"}
    )
    return [builtin_artifacts_source(), probe]


@pytest.mark.parametrize("shim", [False, True], ids=["real-dioptra", "shim"])
def test_dioptra_hello_world_runs_with_real_dioptra_and_with_the_shim(tmp_path, monkeypatch, shim):
    if shim:
        monkeypatch.setenv(FORCE_SHIM_ENV, "1")
    run = run_job(
        tmp_path,
        HELLO_DOCUMENT,
        hello_plugins(),
        parameters={"name": "Ann"},
        artifact_plugins=artifact_plugins(),
    )

    assert run.outcome.status == "finished", run.outcome
    assert run.sink.states() == [
        ("hello_step", "started"),
        ("hello_step", "finished"),
        ("greet_step", "started"),
        ("greet_step", "finished"),
        ("shout_step", "started"),
        ("shout_step", "finished"),
    ]
    assert all(e.seconds is not None and e.seconds >= 0 for e in run.sink.steps[1::2])
    # structlog records land in the log like logging ones, named after the plugin module.
    assert run.sink.messages("hello_world.tasks") == [
        "Hello, Ann",
        "Salutations, Ann",
        "SALUTATIONS, ANN",
    ]
    assert {r.severity for r in run.sink.records} == {"INFO"}
    shouted, probe = run.sink.artifacts
    assert (shouted.name, shouted.task, shouted.is_dir) == ("shouted", "StringArtifactTask", False)
    assert Path(shouted.path) == run.workdir / "shouted.md"
    assert Path(shouted.path).read_text() == "SALUTATIONS, ANN"
    contents, django, dioptra_file = Path(probe.path).read_text().split("|")
    assert contents == "Hello, Ann"
    assert django == "[]"  # the child never imports Django
    assert Path(dioptra_file).is_relative_to(SHIM_DIR) == shim


def test_a_snapshot_document_built_from_plugin_manifests_runs(tmp_path):
    """The worker's path: pinned manifests -> PluginSources and the snapshot's full document."""
    string_type = {"1": {"id": 1, "name": "string", "structure": None, "snapshotId": 1}}
    param = {"parameterType": 1}
    hello = SimpleNamespace(
        name="hello_world",
        manifest={
            "files": [
                {
                    "filename": "tasks.py",
                    "contents": HELLO_WORLD_PY,
                    "tasks": {
                        "functions": [
                            {
                                "name": "greet",
                                "inputParams": [
                                    {"name": "greeting", **param},
                                    {"name": "name", **param},
                                ],
                                "outputParams": [{"name": "message", **param}],
                            },
                            {
                                "name": "shout",
                                "inputParams": [{"name": "message", **param}],
                                "outputParams": [{"name": "message", **param}],
                            },
                        ],
                        "artifacts": [],
                    },
                }
            ],
            "types": string_type,
        },
    )
    context = build_context(
        plugins=[hello],
        artifact_plugins=[],
        parameters=[{"name": "greeting", "parameterType": "string", "defaultValue": "Hello"}],
        artifact_parameters=[],
        artifact_types={},
    )
    task_graph = "message:\n  greet: [$greeting, World]\nloud:\n  shout: [$message]\n"
    workdir = tmp_path / "work"
    workdir.mkdir()
    spec = JobSpec(
        job_id=7,
        task_graph=task_graph,
        artifact_graph=None,
        plugins=[plugin_source("hello_world", hello.manifest)],
        artifact_plugins=[],
        parameters={},
        artifact_inputs={},
        workdir=str(workdir),
        document=build_document(task_graph, None, context=context),
    )
    sink = RecordingSink()

    outcome = execute(spec, sink)

    assert outcome.status == "finished", outcome
    assert sink.messages("hello_world.tasks") == ["Hello, World", "HELLO, WORLD"]


def test_logging_structlog_stdout_and_stderr_arrive_in_order_with_severities(tmp_path):
    chatty = plugin(
        "chatty",
        {
            "tasks.py": """\
            import logging, sys
            import structlog

            log = logging.getLogger("chatty.custom")

            def talk():
                log.debug("hidden: the default level is INFO")
                log.info("one %s", "logging")
                print("two", "print")
                structlog.get_logger().warning("three", detail=3)
                sys.stderr.write("four stderr\\n")
                log.error("five")
                try:
                    1 / 0
                except ZeroDivisionError:
                    structlog.get_logger().exception("six")
                print("seven, no newline", end="")
            """
        },
        talk="tasks:talk",
    )
    document = "tasks:\n  talk: {plugin: chatty.tasks.talk}\ngraph:\n  chat:\n    talk: []\n"

    run = run_job(tmp_path, document, [chatty])

    assert run.outcome.status == "finished", run.outcome
    seen = [(r.severity, r.logger_name, r.message.splitlines()[0]) for r in run.sink.records]
    assert seen == [
        ("INFO", "chatty.custom", "one logging"),
        ("INFO", "stdout", "two print"),
        ("WARNING", "chatty.tasks", "three detail=3"),
        ("WARNING", "stderr", "four stderr"),
        ("ERROR", "chatty.custom", "five"),
        ("ERROR", "chatty.tasks", "six"),
        ("INFO", "stdout", "seven, no newline"),
    ]
    assert "ZeroDivisionError" in run.sink.records[5].message
    created = [r.created for r in run.sink.records]
    assert created == sorted(created)


def test_output_written_below_python_reaches_the_log(tmp_path):
    """A subprocess or C code writes to the file descriptors, not to sys.stdout."""
    noisy = plugin(
        "noisy",
        {
            "tasks.py": """\
            import os, subprocess

            def shell():
                os.write(1, b"straight to fd 1\\n")
                subprocess.run(["sh", "-c", "echo from a subprocess; echo oops >&2"], check=True)
            """
        },
        shell="tasks:shell",
    )
    document = "tasks:\n  shell: {plugin: noisy.tasks.shell}\ngraph:\n  s:\n    shell: []\n"

    run = run_job(tmp_path, document, [noisy])

    assert run.outcome.status == "finished", run.outcome
    lines = {(r.severity, r.logger_name, r.message) for r in run.sink.records}
    assert lines == {
        ("INFO", "stdout", "straight to fd 1"),
        ("INFO", "stdout", "from a subprocess"),
        ("WARNING", "stderr", "oops"),
    }


def test_a_plugin_imports_its_own_files_and_reads_the_job_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://worker:secret@db/app")
    package = plugin(
        "pkg",
        {
            "helpers.py": "def twice(x):\n    return 2 * x\n",
            "sub/deep.py": """\
            import os
            from ..helpers import twice
            from pkg.helpers import twice as same

            def work(x):
                return [twice(x), same(x), os.environ.get("DATABASE_URL"), os.environ["__JOB_ID"],
                        os.getcwd()]
            """,
        },
        work="sub.deep:work",
    )
    document = """\
    tasks:
      work: {plugin: pkg.sub.deep.work, inputs: [{x: integer}], outputs: {out: any}}
    graph:
      w:
        work: [21]
    artifact_outputs:
      out:
        contents: $w
        task: {name: PickleArtifactTask}
    """

    run = run_job(tmp_path, document, [package])

    assert run.outcome.status == "finished", run.outcome
    values = pickle.loads(Path(run.sink.artifacts[0].path).read_bytes())
    # The worker's secrets stay out of plugin code; Dioptra's job id variable is there.
    assert values == [42, 42, None, "1", str(run.workdir)]


def test_metrics_from_log_metric(tmp_path):
    trainer = plugin(
        "trainer",
        {
            "train.py": """\
            from entrypoints.runtime import log_metric

            def fit(epochs):
                for epoch in range(epochs):
                    log_metric("loss", 1 / (epoch + 1), step=epoch)
                log_metric("accuracy", 0.75)
                log_metric("diverged", float("nan"))
                try:
                    log_metric("bad name!", 1.0)
                except ValueError as error:
                    print(error)
            """
        },
        fit="train:fit",
    )
    document = """\
    tasks:
      fit: {plugin: trainer.train.fit, inputs: [{epochs: integer}]}
    graph:
      training:
        fit: [3]
    """

    run = run_job(tmp_path, document, [trainer])

    assert run.outcome.status == "finished", run.outcome
    metrics = [(m.name, m.value, m.step) for m in run.sink.metrics]
    assert metrics[:4] == [
        ("loss", 1.0, 0),
        ("loss", 0.5, 1),
        ("loss", 1 / 3, 2),
        ("accuracy", 0.75, None),
    ]
    assert metrics[4][0] == "diverged" and math.isnan(metrics[4][1])
    assert all(m.created > 0 for m in run.sink.metrics)
    assert run.sink.messages("stdout") == [
        "'bad name!' is not a metric name: start with a letter or underscore, then letters, "
        "digits or underscores ('_' alone is not a name)."
    ]


def test_log_metric_outside_a_job_checks_its_arguments_and_records_nothing(caplog):
    caplog.set_level("DEBUG", logger="entrypoints.runtime")
    log_metric("accuracy", 0.5, step=2)
    assert caplog.messages == ["metric accuracy = 0.5 (step 2)"]
    with pytest.raises(ValueError, match="not a metric name"):
        log_metric("_", 1.0)
    with pytest.raises(TypeError, match="must be a number, not str"):
        log_metric("accuracy", "high")
    with pytest.raises(ValueError, match="whole number of at least 0"):
        log_metric("accuracy", 1.0, step=-1)


def test_a_thousand_no_op_steps(tmp_path):
    steps = "".join(f"  s{i}:\n    noop: []\n" for i in range(1000))
    document = "tasks:\n  noop: {plugin: quiet.tasks.noop}\ngraph:\n" + steps
    quiet = plugin("quiet", {"tasks.py": "def noop():\n    pass\n"}, noop="tasks:noop")

    run = run_job(tmp_path, document, [quiet])

    assert run.outcome.status == "finished", run.outcome
    assert len(run.sink.steps) == 2000
    assert [e.name for e in run.sink.steps if e.state == "finished"] == [
        f"s{i}" for i in range(1000)
    ]


def test_cancel_during_a_run_stops_the_step_and_everything_it_started(tmp_path):
    sleeper = plugin(
        "sleeper",
        {
            "tasks.py": """\
            import subprocess, time
            from pathlib import Path

            def nap():
                child = subprocess.Popen(["sleep", "300"])
                Path("started").write_text(str(child.pid))
                time.sleep(300)
            """
        },
        nap="tasks:nap",
    )
    document = "tasks:\n  nap: {plugin: sleeper.tasks.nap}\ngraph:\n  napping:\n    nap: []\n"
    marker = tmp_path / "job" / "started"
    asked = []

    def cancelled():
        asked.append(time.monotonic())
        return marker.exists()

    run = run_job(tmp_path, document, [sleeper], cancelled=cancelled)

    assert run.outcome.status == "cancelled"
    assert run.outcome.message == "The job was cancelled in step `napping`."
    assert run.sink.states() == [("napping", "started"), ("napping", "failed")]
    assert run.sink.steps[-1].error == run.outcome.message
    assert run.sink.records[-1].message == run.outcome.message
    assert process_gone(int(marker.read_text()))


def process_gone(pid: int) -> bool:
    """True once `pid` has exited (a zombie nobody reaped yet counts as gone)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in "ZX":
            return True
        time.sleep(0.1)
    return False


def test_scikit_learn_digits_classifier(tmp_path):
    pytest.importorskip("sklearn")
    digits = plugin(
        "digits",
        {
            "tasks.py": """\
            import structlog
            from dioptra import pyplugs
            from entrypoints.runtime import log_metric

            LOGGER = structlog.get_logger()


            @pyplugs.register
            def load_data(test_size: float, seed: int):
                from sklearn.datasets import load_digits
                from sklearn.model_selection import train_test_split

                x, y = load_digits(return_X_y=True)
                LOGGER.info("digits loaded", samples=len(x))
                return train_test_split(x, y, test_size=test_size, random_state=seed)


            @pyplugs.register
            def train(x_train, y_train, gamma: float):
                from sklearn.svm import SVC

                return SVC(gamma=gamma).fit(x_train, y_train)


            @pyplugs.register
            def evaluate(model, x_test, y_test) -> float:
                accuracy = float(model.score(x_test, y_test))
                log_metric("accuracy", accuracy)
                LOGGER.info("evaluated", accuracy=accuracy)
                return accuracy
            """
        },
        load_data="tasks:load_data",
        train="tasks:train",
        evaluate="tasks:evaluate",
    )
    document = """\
    parameters:
      test_size: 0.25
      seed: 0
      gamma: 0.001
    tasks:
      load_data:
        plugin: digits.tasks.load_data
        inputs: [{test_size: number}, {seed: integer}]
        outputs: [{x_train: any}, {x_test: any}, {y_train: any}, {y_test: any}]
      train:
        plugin: digits.tasks.train
        inputs: [{x_train: any}, {y_train: any}, {gamma: number}]
        outputs: {model: any}
      evaluate:
        plugin: digits.tasks.evaluate
        inputs: [{model: any}, {x_test: any}, {y_test: any}]
        outputs: {accuracy: number}
    graph:
      data:
        load_data: [$test_size, $seed]
      model:
        train: [$data.x_train, $data.y_train, $gamma]
      score:
        evaluate: [$model, $data.x_test, $data.y_test]
    artifact_outputs:
      classifier:
        contents: $model
        task: {name: PickleArtifactTask}
    """

    run = run_job(tmp_path, document, [digits])

    assert run.outcome.status == "finished", run.outcome
    (accuracy,) = run.sink.metrics
    assert accuracy.name == "accuracy" and accuracy.value > 0.9
    assert run.sink.artifacts[0].name == "classifier"


def test_a_small_memory_limit_still_runs_a_small_job(tmp_path):
    quick = plugin("quick", {"tasks.py": "def noop():\n    pass\n"}, noop="tasks:noop")
    document = "tasks:\n  noop: {plugin: quick.tasks.noop}\ngraph:\n  n:\n    noop: []\n"

    run = run_job(tmp_path, document, [quick], limits=Limits(seconds=30, memory_mb=256))

    assert run.outcome.status == "finished", run.outcome


def test_jobs_run_side_by_side_from_several_threads(tmp_path):
    counter = plugin(
        "counter",
        {"tasks.py": "def count(n):\n    for i in range(n):\n        print(n, i)\n"},
        count="tasks:count",
    )
    document = """\
    parameters:
      n: {type: integer}
    tasks:
      count: {plugin: counter.tasks.count, inputs: [{n: integer}]}
    graph:
      counting:
        count: [$n]
    """
    with ThreadPoolExecutor(4) as pool:
        runs = list(
            pool.map(
                lambda n: run_job(tmp_path, document, [counter], parameters={"n": n}, name=f"{n}"),
                [50, 60, 70, 80],
            )
        )

    for n, run in zip([50, 60, 70, 80], runs, strict=True):
        assert run.outcome.status == "finished", run.outcome
        assert run.sink.messages("stdout") == [f"{n} {i}" for i in range(n)]


def test_a_fork_server_that_died_is_started_again(tmp_path):
    quick = plugin("quick", {"tasks.py": "def noop():\n    pass\n"}, noop="tasks:noop")
    document = "tasks:\n  noop: {plugin: quick.tasks.noop}\ngraph:\n  n:\n    noop: []\n"
    assert run_job(tmp_path, document, [quick], name="first").outcome.status == "finished"
    FORK_SERVER.process.kill()
    FORK_SERVER.process.wait()

    assert run_job(tmp_path, document, [quick], name="second").outcome.status == "finished"


def test_a_job_whose_fork_server_dies_mid_run_fails_and_its_process_ends(tmp_path):
    sleeper = plugin(
        "sleeper",
        {
            "tasks.py": """\
            import os, time
            from pathlib import Path

            def nap():
                Path("pid").write_text(str(os.getpid()))
                time.sleep(300)
            """
        },
        nap="tasks:nap",
    )
    document = "tasks:\n  nap: {plugin: sleeper.tasks.nap}\ngraph:\n  napping:\n    nap: []\n"
    pid_file = tmp_path / "job" / "pid"

    def kill_the_server_once_started():
        if pid_file.exists() and FORK_SERVER.process.poll() is None:
            FORK_SERVER.process.kill()
        return False

    run = run_job(tmp_path, document, [sleeper], cancelled=kill_the_server_once_started)

    assert run.outcome.status == "failed"
    assert run.outcome.message == (
        "The job's process was lost in step `napping`: the fork server that started it stopped."
    )
    assert run.sink.states() == [("napping", "started"), ("napping", "failed")]
    assert process_gone(int(pid_file.read_text()))


def test_a_forked_worker_runs_jobs_through_a_fork_server_of_its_own(tmp_path):
    """RQ runs each job in a fork of its worker (the work horse)."""
    quick = plugin("quick", {"tasks.py": "def noop():\n    pass\n"}, noop="tasks:noop")
    document = "tasks:\n  noop: {plugin: quick.tasks.noop}\ngraph:\n  n:\n    noop: []\n"
    assert run_job(tmp_path, document, [quick], name="parent").outcome.status == "finished"
    server = FORK_SERVER.process.pid

    pid = os.fork()
    if pid == 0:  # the work horse: whatever happens, it must not go on running pytest
        try:
            status = run_job(tmp_path, document, [quick], name="horse").outcome.status
            os._exit(0 if status == "finished" and FORK_SERVER.process.pid != server else 1)
        finally:
            os._exit(2)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert run_job(tmp_path, document, [quick], name="again").outcome.status == "finished"
    assert FORK_SERVER.process.pid == server
