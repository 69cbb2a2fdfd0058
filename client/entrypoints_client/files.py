"""Files to upload (``File``, Dioptra's ``DioptraFile``) and what downloads may ask for."""

from __future__ import annotations

import enum
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO


class FileTypes(enum.Enum):
    """Archive formats of a directory download (``fileType``), with their file suffixes."""

    suffix: str

    def __new__(cls, value: str, suffix: str):
        member = object.__new__(cls)
        member._value_ = value
        member.suffix = suffix
        return member

    TAR_GZ = ("tar_gz", ".tar.gz")
    ZIP = ("zip", ".zip")


@dataclass
class File:
    """One file of an upload: ``filename`` is its path relative to the uploaded folder
    (``plugins/hello/tasks.py``), in POSIX form, without ``..`` or ``.`` parts."""

    filename: str
    stream: IO[bytes]
    content_type: str | None = None

    def __post_init__(self) -> None:
        name = self.filename
        parts = PurePosixPath(name).parts
        if (
            not name
            or "\\" in name
            or name.startswith("/")
            or posixpath.normpath(name) != name
            or ".." in parts
            or any(re.fullmatch(r"\.+", part) for part in parts)
        ):
            raise ValueError(f"Invalid upload filename (a normalized relative path): {name!r}")


# Dioptra's name for it: scripts written for Dioptra's client keep working.
DioptraFile = File


def select_files_in_directory(
    dir_path: str | Path,
    recursive: bool = False,
    include_pattern: str | re.Pattern | None = None,
    follow_symlinks: bool = False,
) -> list[File]:
    """The files of a folder, named by their paths relative to it (Dioptra's helper).

    ``include_pattern`` filters file names (not folders); links are skipped unless
    ``follow_symlinks``, and never followed out of the folder.
    """
    root = Path(dir_path)
    if not root.is_dir():
        raise NotADirectoryError(f"Not a directory: {root}")
    root = root.resolve()
    pattern = re.compile(include_pattern) if include_pattern is not None else None
    selected: list[File] = []

    def visit(directory: Path, relative: PurePosixPath, seen: frozenset[Path]) -> None:
        if directory in seen:
            raise ValueError(f"Directory link cycle at {relative}")
        for entry in sorted(directory.iterdir()):
            if entry.is_symlink() and not follow_symlinks:
                continue
            target = entry.resolve()
            if not target.is_relative_to(root):
                raise ValueError(f"{relative / entry.name} leads out of {root}")
            if target.is_dir():
                if recursive:
                    visit(target, relative / entry.name, seen | {directory})
            elif target.is_file() and (pattern is None or pattern.match(entry.name)):
                selected.append(File(str(relative / entry.name), target.open("rb")))

    visit(root, PurePosixPath(), frozenset())
    return selected


def select_one_or_more_files(
    file_paths: list[str | Path], renames: dict[str | Path, str] | None = None
) -> list[File]:
    """Files by path, each uploaded under its own name or the one ``renames`` gives it."""
    renamed = {Path(path): name for path, name in (renames or {}).items()}
    selected: list[File] = []
    names: set[str] = set()
    for path in map(Path, file_paths):
        name = renamed.get(path, path.name)
        if name in names:
            raise ValueError(f"Two files would be uploaded as {name!r}; rename one.")
        names.add(name)
        selected.append(File(name, path.open("rb")))
    return selected
