"""Test data for imports: the example folder as files or a .tar.gz, hostile archives, git repos."""

import io
import subprocess
import tarfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dioptra-resources"


def example_files() -> dict[str, bytes]:
    return {
        path.relative_to(EXAMPLE).as_posix(): path.read_bytes()
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file()
    }


def tar_gz(files: dict[str, bytes], *, prefix: str = "", members=()) -> bytes:
    """A .tar.gz of ``files`` (under ``prefix``), plus raw ``TarInfo`` ``members`` as given."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for member, data in members:
            archive.addfile(member, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def member(name: str, kind=tarfile.REGTYPE, *, size: int = 0, linkname: str = ""):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, size, linkname
    return info


def _git(folder: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(folder),
        "PATH": "/usr/bin:/bin",
    }
    run = subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    )
    return run.stdout.strip()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def git_repo(folder: Path, files: dict[str, bytes], *, branch: str = "main") -> str:
    """A git repository in ``folder`` with ``files`` committed on ``branch``; its commit id."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder, files)
    _git(folder, "init", "-q", "-b", branch)
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "resources")
    return _git(folder, "rev-parse", "HEAD")


def git_commit(folder: Path, files: dict[str, bytes], *, branch: str | None = None) -> str:
    """Commit ``files`` (on a new ``branch`` if given); the new commit's id."""
    if branch:
        _git(folder, "checkout", "-q", "-b", branch)
    _write(folder, files)
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "change")
    return _git(folder, "rev-parse", "HEAD")


def git_tag(folder: Path, tag: str) -> None:
    _git(folder, "tag", tag)


def git_link(folder: Path, name: str, target: str) -> None:
    """Commit a symbolic link ``name`` -> ``target``."""
    (folder / name).symlink_to(target)
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "link")
