"""Where imported resources come from, read safely into memory: an archive, uploaded files, a git
repository or a local folder.

Nothing is ever written to disk under a name the source chose, so no name can reach outside the
import: every path is checked (relative, no ``..``, no ``\\`` or ``:``, no control characters)
and kept as a key of ``Source.files``. Archives may hold only regular files and folders (a link,
device or other special member refuses the archive, as do two members of one name). Caps from
``settings.RESOURCE_IMPORT_LIMITS`` bound the number of entries, the bytes read in all (a
compression bomb stops there) and the bytes kept; a file over the per-file cap, or past the kept
total, is listed in ``Source.skipped`` and becomes an error only if the import uses it. In git
repositories links are common, so they are listed there too instead of refusing the repository.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

UNSAFE_PATH = (
    "{name!r} is not a safe relative path: it is absolute or holds '..', a backslash, ':' or a "
    "control character."
)
ARCHIVE_LINK = "The archive holds a link or special file ({name!r}); links are not imported."
ARCHIVE_DUPLICATE = "The archive holds {name!r} twice."
FILES_DUPLICATE = "Two uploaded files are named {name!r}."
NOT_AN_ARCHIVE = "The upload is not a .tar.gz archive: {error}"
TOO_MANY_ENTRIES = "The source holds more than {limit} entries."
TOO_MANY_BYTES = "The source holds more than {limit} bytes of files."
EMPTY_SOURCE = "The source holds no files."
GIT_URL_REFUSED = "This git URL is not accepted here: {url!r} ({reason})."
GIT_FAILED = "git could not {what}: {error}"
GIT_MISSING = "git is not installed on the server."

SKIPPED_LINK = "a symbolic link (links are not imported)"
SKIPPED_SPECIAL = "not a regular file"
SKIPPED_LARGE = "larger than {limit} bytes"
SKIPPED_FULL = "past the {limit} bytes an import may keep"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHUNK = 64 * 1024
_GIT_TIMEOUT = 120


class SourceError(Exception):
    """The source cannot be read at all (nothing is imported)."""


@dataclass
class Source:
    """The files of an import, by relative POSIX path. ``digest`` identifies the source (the
    sha256 of the uploaded bytes, or the git commit)."""

    files: dict[str, bytes] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> why it was not kept
    folders: set[str] = field(default_factory=set)
    digest: str = ""

    def is_file(self, path: str) -> bool:
        return path in self.files or path in self.skipped

    def is_folder(self, path: str) -> bool:
        return path == "" or path in self.folders

    def under(self, folder: str) -> list[str]:
        """Every file path under ``folder`` (recursively), sorted; skipped ones included."""
        prefix = f"{folder}/" if folder else ""
        return sorted(p for p in (*self.files, *self.skipped) if p.startswith(prefix))

    def without_wrapper(self) -> Source:
        """The source seen from inside its one top folder, if all of it sits in one."""
        tops = {p.split("/", 1)[0] for p in (*self.files, *self.skipped)}
        if len(tops) != 1 or (top := tops.pop()) in self.files or top in self.skipped:
            return self
        cut = len(top) + 1
        return Source(
            files={p[cut:]: data for p, data in self.files.items()},
            skipped={p[cut:]: why for p, why in self.skipped.items()},
            folders={p[cut:] for p in self.folders if p.startswith(f"{top}/")},
            digest=self.digest,
        )


def limits() -> dict:
    return settings.RESOURCE_IMPORT_LIMITS


def safe_path(name: str, *, parent: bool = False) -> str | None:
    """``name`` as a normalized relative path (``None`` for the root itself), or ``SourceError``.

    ``parent``: ``..`` parts are allowed (the caller checks that the result stays inside).
    """
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or ":" in name
        or _CONTROL.search(name)
        or (not parent and ".." in name.split("/"))
    ):
        raise SourceError(UNSAFE_PATH.format(name=name))
    normal = posixpath.normpath(name)
    return None if normal == "." else normal


class _Collector:
    """Adds files to a ``Source`` under the caps, hashing what it reads."""

    def __init__(self) -> None:
        self.source = Source()
        self.caps = limits()
        self.entries = 0
        self.read = 0
        self.kept = 0
        self.hash = hashlib.sha256()

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.caps["max_entries"]:
            raise SourceError(TOO_MANY_ENTRIES.format(limit=self.caps["max_entries"]))

    def folder(self, path: str | None) -> None:
        while path:
            self.source.folders.add(path)
            path = posixpath.dirname(path)

    def add(self, path: str, stream: IO[bytes], size: int | None, *, hashed: bool = True) -> None:
        """Read one file (``size`` as announced, if known); keep it if the caps allow."""
        self.folder(posixpath.dirname(path))
        per_file = self.caps["max_file_bytes"]
        keep = (size is None or size <= per_file) and self.kept < self.caps["max_kept_bytes"]
        chunks, length = [], 0
        while chunk := stream.read(_CHUNK):
            length += len(chunk)
            self.read += len(chunk)
            if self.read > self.caps["max_read_bytes"]:
                raise SourceError(TOO_MANY_BYTES.format(limit=self.caps["max_read_bytes"]))
            if hashed:
                self.hash.update(chunk)
            if keep and length <= per_file:
                chunks.append(chunk)
            else:
                keep, chunks = False, []
        if keep and self.kept + length <= self.caps["max_kept_bytes"]:
            self.kept += length
            self.source.files[path] = b"".join(chunks)
        elif length > per_file:
            self.source.skipped[path] = SKIPPED_LARGE.format(limit=per_file)
        else:
            self.source.skipped[path] = SKIPPED_FULL.format(limit=self.caps["max_kept_bytes"])

    def done(self, digest: str | None = None) -> Source:
        if not self.source.files and not self.source.skipped:
            raise SourceError(EMPTY_SOURCE)
        self.source.digest = digest or self.hash.hexdigest()
        return self.source


def from_archive(stream: IO[bytes]) -> Source:
    """A tar archive (gzip, bzip2, xz or none): regular files and folders only."""
    collector = _Collector()
    hashing = _HashingReader(stream, collector)
    try:
        with tarfile.open(fileobj=hashing, mode="r|*") as archive:
            for member in archive:
                collector.entry()
                path = safe_path(member.name)
                if path is None:
                    continue
                if member.isdir():
                    collector.folder(path)
                    continue
                if not member.isreg() or member.sparse is not None:
                    raise SourceError(ARCHIVE_LINK.format(name=member.name))
                if collector.source.is_file(path):
                    raise SourceError(ARCHIVE_DUPLICATE.format(name=member.name))
                data = archive.extractfile(member)
                collector.add(path, data, member.size, hashed=False)
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise SourceError(NOT_AN_ARCHIVE.format(error=error)) from error
    hashing.drain()
    return collector.done()


class _HashingReader:
    """Hashes the raw (compressed) upload as tarfile reads it, and counts it against the caps."""

    def __init__(self, stream: IO[bytes], collector: _Collector) -> None:
        self.stream = stream
        self.collector = collector

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.collector.hash.update(data)
        return data

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass


def from_files(files: Iterable[tuple[str, IO[bytes]]]) -> Source:
    """Uploaded files, each named by its path in the folder; hashed in path order (as Dioptra)."""
    collector = _Collector()
    named = {}
    for name, stream in files:
        collector.entry()
        path = safe_path(name)
        if path is None:
            continue
        if path in named:
            raise SourceError(FILES_DUPLICATE.format(name=name))
        named[path] = stream
    for path in sorted(named):
        collector.add(path, named[path], getattr(named[path], "size", None))
    return collector.done()


def from_folder(root: Path) -> Source:
    """A folder on this machine (the command line's sources); links are listed, not followed."""
    collector = _Collector()
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d.lower() != ".git")
        for name in sorted([*names, *(d for d in dirs if (here / d).is_symlink())]):
            collector.entry()
            full = here / name
            path = full.relative_to(root).as_posix()
            if full.is_symlink() or not full.is_file():
                collector.source.skipped[path] = (
                    SKIPPED_LINK if full.is_symlink() else SKIPPED_SPECIAL
                )
                continue
            with full.open("rb") as stream:
                collector.add(path, stream, full.stat().st_size)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for d in dirs:
            collector.folder((here / d).relative_to(root).as_posix())
    return collector.done()


# Git --------------------------------------------------------------------------------------------

_SCHEMES = ("https://", "http://", "git://")
_LOCAL_SCHEMES = ("file://",)


def split_git_url(url: str) -> tuple[str, str | None]:
    """``url#ref`` -> (url, ref); the ref names a branch, tag or commit."""
    base, _, ref = url.partition("#")
    return base, ref or None


def _check_git_url(url: str) -> None:
    local_allowed = settings.RESOURCE_IMPORT_GIT_LOCAL
    if not url or url.startswith("-") or _CONTROL.search(url) or "::" in url:
        raise SourceError(GIT_URL_REFUSED.format(url=url, reason="not a repository URL"))
    if url.startswith(_SCHEMES):
        return
    if url.startswith(_LOCAL_SCHEMES) or url.startswith(("/", "./", "../")):
        if local_allowed:
            return
        reason = "local repositories are turned off (RESOURCE_IMPORT_GIT_LOCAL)"
        raise SourceError(GIT_URL_REFUSED.format(url=url, reason=reason))
    raise SourceError(GIT_URL_REFUSED.format(url=url, reason="use https://, http:// or git://"))


def _git(
    args: list[str], *, cwd: Path, env: dict, what: str, stdin: bytes | None = None, why: str = "?"
) -> bytes:
    try:
        run = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            input=stdin,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as error:
        raise SourceError(GIT_MISSING) from error
    except subprocess.TimeoutExpired as error:
        raise SourceError(GIT_FAILED.format(what=what, error="it took too long")) from error
    if run.returncode != 0:
        message = run.stderr.decode(errors="replace").strip().splitlines()
        raise SourceError(GIT_FAILED.format(what=what, error=message[-1] if message else why))
    return run.stdout


def from_git(url: str) -> Source:
    """A git repository's tree at a branch, tag or commit (``url#ref``; default: HEAD).

    Cloned bare into a temporary folder (no working tree: nothing the repository names is
    written), then read object by object. The digest is the commit id.
    """
    base, ref = split_git_url(url)
    _check_git_url(base)
    protocols = "https:http:git" + (":file" if settings.RESOURCE_IMPORT_GIT_LOCAL else "")
    with tempfile.TemporaryDirectory(prefix="import-git-") as tmp:
        work = Path(tmp)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_ALLOW_PROTOCOL": protocols,
        }
        shallow = ["--depth", "1"] if ref is None and base.startswith(_SCHEMES) else []
        _git(
            ["clone", "--bare", "--quiet", *shallow, "--", base, "repo.git"],
            cwd=work,
            env=env,
            what=f"clone {base}",
        )
        repo = work / "repo.git"
        commit = (
            _git(
                ["rev-parse", "--verify", "--quiet", f"{ref or 'HEAD'}^{{commit}}"],
                cwd=repo,
                env=env,
                what=f"find {ref or 'HEAD'} in {base}",
                why="there is no such branch, tag or commit",
            )
            .decode()
            .strip()
        )
        listing = _git(["ls-tree", "-r", "-l", "-z", commit], cwd=repo, env=env, what="list files")
        collector = _Collector()
        blobs: list[tuple[str, str, int]] = []
        for entry in filter(None, listing.split(b"\0")):
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, oid, size = meta.decode().split()
            collector.entry()
            path = safe_path(raw_path.decode("utf-8", errors="surrogateescape"))
            if path is None or kind != "blob":
                continue  # submodules are not part of the tree's files
            if mode == "120000":
                collector.folder(posixpath.dirname(path))
                collector.source.skipped[path] = SKIPPED_LINK
                continue
            blobs.append((path, oid, int(size)))
        caps = collector.caps
        wanted, budget = [], caps["max_kept_bytes"]
        for path, oid, size in sorted(blobs):
            collector.folder(posixpath.dirname(path))
            if size > caps["max_file_bytes"]:
                collector.source.skipped[path] = SKIPPED_LARGE.format(limit=caps["max_file_bytes"])
            elif size > budget:
                collector.source.skipped[path] = SKIPPED_FULL.format(limit=caps["max_kept_bytes"])
            else:
                budget -= size
                wanted.append((path, oid, size))
        contents = _git(
            ["cat-file", "--batch"],
            cwd=repo,
            env=env,
            what="read files",
            stdin="".join(f"{oid}\n" for _, oid, _ in wanted).encode(),
        )
        offset = 0
        for path, _, size in wanted:
            header_end = contents.index(b"\n", offset)
            start = header_end + 1
            collector.add(path, io.BytesIO(contents[start : start + size]), size)
            offset = start + size + 1
        return collector.done(digest=commit)
