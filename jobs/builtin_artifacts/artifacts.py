"""The artifact tasks Dioptra users know, as one plugin file: String, Bytes, File, Directory,
NumpyArray, NumpyArrays, Pickle and Dataframe.

Each class has `serialize(working_dir, name, contents, **kwargs) -> Path` (writes inside
`working_dir`, named after the artifact output), `deserialize(working_dir, path) -> value` (reads
`Path(working_dir, path)` back) and `validation()` (the JSON Schema properties of serialize's
extra arguments). The keyword arguments and file names are Dioptra's: `type` for String and
Bytes, `tarball_write_mode` for Directory, `format` for Dataframe. numpy and pandas are imported
only by the tasks that need them, so the rest work without them.
"""

from __future__ import annotations

import importlib
import logging
import pickle
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dioptra.sdk.api.artifact import ArtifactTaskInterface

LOGGER = logging.getLogger(__name__)

TARBALL_SUFFIXES = {"w": ".tar", "w:": ".tar", "w:gz": ".tar.gz", "w:bz2": ".tar.bz2",
                    "x:bz2": ".tar.bz2", "w:xz": ".tar.xz"}  # fmt: skip
DATAFRAME_FORMATS = {
    # format: (file suffix, DataFrame writer, pandas reader, reader arguments)
    "csv": (".csv", "to_csv", "read_csv", {"index_col": 0}),
    "csv.bz2": (".csv.bz2", "to_csv", "read_csv", {"index_col": 0}),
    "csv.gz": (".csv.gz", "to_csv", "read_csv", {"index_col": 0}),
    "csv.xz": (".csv.xz", "to_csv", "read_csv", {"index_col": 0}),
    "feather": (".feather", "to_feather", "read_feather", {}),
    "json": (".json", "to_json", "read_json", {}),
    "pickle": (".pkl", "to_pickle", "read_pickle", {}),
    "parquet": (".parquet", "to_parquet", "read_parquet", {}),
}


class ArtifactTaskError(Exception):
    """The contents or arguments do not suit the artifact task."""


def _output_path(working_dir: Path, name: str, suffix: str) -> Path:
    return Path(working_dir, f"{name}{suffix}")


def _require(module: str, task: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ArtifactTaskError(
            f"{task} needs the `{module}` package, which is not installed where jobs run."
        ) from None


def _expect(contents: Any, kinds: type | tuple[type, ...], task: str, what: str) -> None:
    if not isinstance(contents, kinds):
        raise ArtifactTaskError(f"{task} stores {what}, not {type(contents).__name__}.")


def _suffix(type: str | None) -> str:
    return f".{type}" if type else ""


class StringArtifactTask(ArtifactTaskInterface):
    """Text in a file `<name>.<type>` (`type` defaults to `txt`), written as UTF-8."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: str, type: str = "txt", **kwargs) -> Path:
        _expect(contents, str, "StringArtifactTask", "text")
        path = _output_path(working_dir, name, _suffix(type))
        path.write_text(contents, encoding="utf-8", newline="")
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> str:
        with Path(working_dir, path).open(encoding="utf-8", newline="") as file:  # keeps "\r\n"
            return file.read()

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return {"type": {"type": "string"}}


class BytesArtifactTask(ArtifactTaskInterface):
    """Bytes in a file `<name>` or `<name>.<type>`."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: bytes, type: str = "", **kwargs) -> Path:
        _expect(contents, (bytes, bytearray, memoryview), "BytesArtifactTask", "bytes")
        path = _output_path(working_dir, name, _suffix(type))
        path.write_bytes(contents)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> bytes:
        return Path(working_dir, path).read_bytes()

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return {"type": {"type": "string"}}


class FileArtifactTask(ArtifactTaskInterface):
    """A file a step already wrote: `contents` is its path (relative to the working folder)."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: str | Path, **kwargs) -> Path:
        path = Path(working_dir, contents)
        if not path.is_file():
            raise ArtifactTaskError(f"FileArtifactTask: {contents} is missing or not a file.")
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Path:
        return Path(working_dir, path)

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return None


class DirectoryArtifactTask(ArtifactTaskInterface):
    """A folder a step wrote (`contents` is its path), stored as a tarball `<name>.tar.gz`
    (`tarball_write_mode` picks the compression); read back as the extracted folder's path."""

    @staticmethod
    def serialize(
        working_dir: Path,
        name: str,
        contents: str | Path,
        tarball_write_mode: str = "w:gz",
        **kwargs,
    ) -> Path:
        source = Path(working_dir, contents)
        if not source.is_dir():
            raise ArtifactTaskError(
                f"DirectoryArtifactTask: {contents} is missing or not a folder."
            )
        if tarball_write_mode not in TARBALL_SUFFIXES:
            raise ArtifactTaskError(
                f"DirectoryArtifactTask: unknown tarball_write_mode {tarball_write_mode!r}."
            )
        path = _output_path(working_dir, name, TARBALL_SUFFIXES[tarball_write_mode])
        with tarfile.open(path, tarball_write_mode) as tarball:
            tarball.add(source, arcname=source.name)
        LOGGER.info("Folder %s archived as %s", source.name, path.name)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Path:
        archive = Path(working_dir, path)
        if archive.is_dir():  # already extracted
            return archive
        with tarfile.open(archive, mode="r:*") as tarball:
            names = tarball.getnames()
            if not names:
                raise ArtifactTaskError(f"DirectoryArtifactTask: {archive.name} is empty.")
            tarball.extractall(path=working_dir, filter="data")
        return Path(working_dir, names[0].split("/")[0])

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return {"tarball_write_mode": {"enum": list(TARBALL_SUFFIXES)}}


class NumpyArrayArtifactTask(ArtifactTaskInterface):
    """One NumPy array in `<name>.npy` (no pickled objects)."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        np = _require("numpy", "NumpyArrayArtifactTask")
        path = _output_path(working_dir, name, ".npy")
        np.save(path, np.asarray(contents), allow_pickle=False)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        np = _require("numpy", "NumpyArrayArtifactTask")
        return np.load(Path(working_dir, path), allow_pickle=False)

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return None


class NumpyArraysArtifactTask(ArtifactTaskInterface):
    """Several NumPy arrays in `<name>.npz`: a mapping name -> array comes back as a dict, a
    list comes back as a list (for an artifact input with several outputs, in order).
    `compressed: true` compresses the file."""

    @staticmethod
    def serialize(
        working_dir: Path, name: str, contents: Any, compressed: bool = False, **kwargs
    ) -> Path:
        np = _require("numpy", "NumpyArraysArtifactTask")
        if isinstance(contents, Mapping):
            arrays = {str(key): np.asarray(value) for key, value in contents.items()}
        elif isinstance(contents, Sequence) and not isinstance(contents, (str, bytes)):
            arrays = {f"arr_{i}": np.asarray(value) for i, value in enumerate(contents)}
        else:
            raise ArtifactTaskError(
                "NumpyArraysArtifactTask stores a list or a mapping of arrays, not "
                f"{type(contents).__name__}."
            )
        path = _output_path(working_dir, name, ".npz")
        (np.savez_compressed if compressed else np.savez)(path, **arrays)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> dict[str, Any] | list[Any]:
        np = _require("numpy", "NumpyArraysArtifactTask")
        with np.load(Path(working_dir, path), allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        if list(arrays) == [f"arr_{i}" for i in range(len(arrays))]:
            return list(arrays.values())
        return arrays

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return {"compressed": {"type": "boolean"}}


class PickleArtifactTask(ArtifactTaskInterface):
    """Any picklable value in `<name>.pkl`. Only read back pickles your own jobs wrote."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        path = _output_path(working_dir, name, ".pkl")
        with path.open("wb") as file:
            pickle.dump(contents, file)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        with Path(working_dir, path).open("rb") as file:
            return pickle.load(file)

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return None


class DataframeArtifactTask(ArtifactTaskInterface):
    """A pandas DataFrame in `<name>.<suffix>`; `format` is one of DATAFRAME_FORMATS (default
    `json`; `feather` and `parquet` need pyarrow). Other keyword arguments go to the writer."""

    @staticmethod
    def serialize(
        working_dir: Path, name: str, contents: Any, format: str = "json", **kwargs
    ) -> Path:
        _require("pandas", "DataframeArtifactTask")
        if format not in DATAFRAME_FORMATS:
            raise ArtifactTaskError(
                f"DataframeArtifactTask: format {format!r} is not one of "
                f"{', '.join(DATAFRAME_FORMATS)}."
            )
        suffix, writer, _, _ = DATAFRAME_FORMATS[format]
        if not hasattr(contents, writer):
            raise ArtifactTaskError(
                f"DataframeArtifactTask stores a DataFrame, not {type(contents).__name__}."
            )
        path = _output_path(working_dir, name, suffix)
        getattr(contents, writer)(path, **kwargs)
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        pd = _require("pandas", "DataframeArtifactTask")
        file = Path(working_dir, path)
        for suffix, _, reader, arguments in DATAFRAME_FORMATS.values():
            if file.name.endswith(suffix):
                return getattr(pd, reader)(file, **arguments)
        raise ArtifactTaskError(f"DataframeArtifactTask cannot read {file.name}.")

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return {"format": {"enum": list(DATAFRAME_FORMATS)}}
