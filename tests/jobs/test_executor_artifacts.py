"""The builtin artifact tasks: what one job serializes, another job's artifact input reads back
the same (each through the real child process)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from jobs.executor import ArtifactInput
from jobs.executor.child import FORCE_SHIM_ENV
from jobs.executor.sources import (
    BUILTIN_ARTIFACT_TASKS,
    BUILTIN_ARTIFACTS_DIR,
    BUILTIN_ARTIFACTS_PLUGIN,
)

from .executor_support import plugin, run_job

ROUNDTRIP = plugin(
    "roundtrip",
    {
        "tasks.py": """\
        from pathlib import Path


        def echo(value):
            return value


        def write_file(text):
            Path("notes.txt").write_text(text)
            return "notes.txt"


        def write_folder(files):
            for name, text in files.items():
                Path("folder", name).parent.mkdir(parents=True, exist_ok=True)
                Path("folder", name).write_text(text)
            return "folder"


        def contents_of(path):
            if path.is_file():
                return path.read_text()
            return {p.relative_to(path).as_posix(): p.read_text()
                    for p in sorted(path.rglob("*")) if p.is_file()}


        def equal(value, expected):
            if hasattr(value, "equals"):  # a DataFrame
                return value.equals(expected)
            if type(value).__module__ == "numpy":
                import numpy
                return numpy.array_equal(value, expected)
            if isinstance(value, dict) and isinstance(expected, dict):
                return value.keys() == expected.keys() and all(
                    equal(value[key], expected[key]) for key in value)
            if isinstance(value, list) and isinstance(expected, list):
                return len(value) == len(expected) and all(map(equal, value, expected))
            return value == expected


        def same(value, expected):
            if isinstance(value, Path):
                value = contents_of(value)
            if not equal(value, expected):
                raise AssertionError(f"read back {value!r}, expected {expected!r}")
            print(f"same {type(value).__name__}")
        """
    },
    echo="tasks:echo",
    write_file="tasks:write_file",
    write_folder="tasks:write_folder",
    same="tasks:same",
)
WRITE = """\
parameters:
  value: {type: any}
tasks:
  %(make)s: {plugin: roundtrip.tasks.%(make)s, inputs: [{value: any}], outputs: {out: any}}
graph:
  made:
    %(make)s: [$value]
artifact_outputs:
  stored:
    contents: $made
    task: {name: %(task)s, args: %(args)s}
"""
READ = """\
parameters:
  expected: {type: any}
artifact_inputs:
  stored: %(outputs)s
tasks:
  same: {plugin: roundtrip.tasks.same, inputs: [{value: any}, {expected: any}]}
graph:
  check:
    same: [%(value)s, $expected]
"""


def round_trip(
    tmp_path, task, value, *, make="echo", args=None, expected=None, outputs=None, read=None
):
    """Serialize `value` with `task` in one job, read it back in another; returns the stored
    file's path (copied away first, as the worker fetches an artifact from storage)."""
    written = run_job(
        tmp_path,
        WRITE % {"make": make, "task": task, "args": args or {}},
        [ROUNDTRIP],
        parameters={"value": value},
        name="writer",
    )
    assert written.outcome.status == "finished", written.outcome
    (artifact,) = written.sink.artifacts
    assert (artifact.name, artifact.task, artifact.is_dir) == ("stored", task, False)
    fetched = tmp_path / "fetched"
    fetched.mkdir(parents=True)
    stored = Path(shutil.copy(artifact.path, fetched))

    reader = run_job(
        tmp_path,
        READ % {"outputs": outputs or "{value: any}", "value": read or "$stored"},
        [ROUNDTRIP],
        parameters={"expected": value if expected is None else expected},
        artifact_inputs={"stored": ArtifactInput(str(stored), task, BUILTIN_ARTIFACTS_PLUGIN)},
        name="reader",
    )
    assert reader.outcome.status == "finished", reader.outcome
    assert reader.sink.messages("stdout")[0].startswith("same ")
    return Path(artifact.path)


@pytest.mark.parametrize("shim", [False, True], ids=["real-dioptra", "shim"])
def test_string_keeps_text_exactly_and_names_the_file_by_type(tmp_path, monkeypatch, shim):
    if shim:
        monkeypatch.setenv(FORCE_SHIM_ENV, "1")
    path = round_trip(tmp_path, "StringArtifactTask", "héllo\r\nwörld\n", args={"type": "md"})
    assert path.name == "stored.md"
    assert path.read_bytes() == "héllo\r\nwörld\n".encode()


def test_string_defaults_to_txt(tmp_path):
    assert round_trip(tmp_path, "StringArtifactTask", "plain").name == "stored.txt"


@pytest.mark.parametrize(("args", "name"), [({"type": "bin"}, "stored.bin"), ({}, "stored")])
def test_bytes(tmp_path, args, name):
    path = round_trip(tmp_path, "BytesArtifactTask", b"\x00\xffdata\n", args=args)
    assert path.name == name


def test_file_stores_a_file_a_step_wrote(tmp_path):
    path = round_trip(tmp_path, "FileArtifactTask", "some notes", make="write_file")
    assert path.name == "notes.txt"


@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        ({}, ".tar.gz"),
        ({"tarball_write_mode": "w:bz2"}, ".tar.bz2"),
        ({"tarball_write_mode": "w"}, ".tar"),
    ],
)
def test_directory_is_archived_and_extracted(tmp_path, args, suffix):
    files = {"a.txt": "A", "sub/b.txt": "B"}
    path = round_trip(tmp_path, "DirectoryArtifactTask", files, make="write_folder", args=args)
    assert path.name == "stored" + suffix


def test_pickle(tmp_path):
    value = {"tuple": (1, 2), "set": {3}, "nested": [None, 1.5]}
    assert round_trip(tmp_path, "PickleArtifactTask", value).name == "stored.pkl"


def test_numpy_array(tmp_path):
    np = pytest.importorskip("numpy")
    value = np.arange(12, dtype="float32").reshape(3, 4)
    assert round_trip(tmp_path, "NumpyArrayArtifactTask", value).name == "stored.npy"


def test_numpy_arrays_as_a_mapping_and_as_several_outputs(tmp_path):
    np = pytest.importorskip("numpy")
    arrays = {"x": np.arange(3), "y": np.ones((2, 2))}
    path = round_trip(tmp_path / "map", "NumpyArraysArtifactTask", arrays)
    assert path.name == "stored.npz"
    # A list comes back as a list: an artifact input with two outputs, in order.
    pair = [np.arange(3), np.zeros(2)]
    round_trip(
        tmp_path / "list",
        "NumpyArraysArtifactTask",
        pair,
        args={"compressed": True},
        outputs="[{x: any}, {y: any}]",
        read="$stored.y",
        expected=pair[1],
    )


@pytest.mark.parametrize(
    ("format", "name"),
    [
        ("json", "stored.json"),
        ("csv", "stored.csv"),
        ("csv.gz", "stored.csv.gz"),
        ("pickle", "stored.pkl"),
    ],
)
def test_dataframe_in_each_format(tmp_path, format, name):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    path = round_trip(tmp_path, "DataframeArtifactTask", frame, args={"format": format})
    assert path.name == name


def test_numpy_and_pandas_tasks_say_what_is_missing_when_not_installed(tmp_path):
    if importlib.util.find_spec("numpy") is not None:
        pytest.skip("numpy is installed")
    written = run_job(
        tmp_path,
        WRITE % {"make": "echo", "task": "NumpyArrayArtifactTask", "args": {}},
        [ROUNDTRIP],
        parameters={"value": [1, 2]},
    )
    assert written.outcome.message == (
        "Artifact output `stored` failed: ArtifactTaskError: NumpyArrayArtifactTask needs the "
        "`numpy` package, which is not installed where jobs run."
    )


def builtin_module():
    spec = importlib.util.spec_from_file_location(
        "builtin_artifacts_under_test", BUILTIN_ARTIFACTS_DIR / "artifacts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_builtin_task_implements_dioptras_interface_with_its_validation():
    from dioptra.sdk.api.artifact import ArtifactTaskInterface

    module = builtin_module()
    validations = {}
    for name in BUILTIN_ARTIFACT_TASKS:
        task = getattr(module, name)
        assert issubclass(task, ArtifactTaskInterface)
        assert callable(task.serialize) and callable(task.deserialize)
        validations[name] = task.validation()
    assert validations == {
        "StringArtifactTask": {"type": {"type": "string"}},
        "BytesArtifactTask": {"type": {"type": "string"}},
        "FileArtifactTask": None,
        "DirectoryArtifactTask": {
            "tarball_write_mode": {"enum": ["w", "w:", "w:gz", "w:bz2", "x:bz2", "w:xz"]}
        },
        "NumpyArrayArtifactTask": None,
        "NumpyArraysArtifactTask": {"compressed": {"type": "boolean"}},
        "PickleArtifactTask": None,
        "DataframeArtifactTask": {
            "format": {
                "enum": [
                    "csv",
                    "csv.bz2",
                    "csv.gz",
                    "csv.xz",
                    "feather",
                    "json",
                    "pickle",
                    "parquet",
                ]
            }
        },
    }
