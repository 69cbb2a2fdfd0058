"""Downloading an artifact: a file as it is, a directory (stored as one ``.tar.gz``) as a
``tar_gz`` or ``zip`` archive, or one file or folder inside it (``path``), as Dioptra's
``/artifacts/{id}/contents`` serves them.

Archives are built from the stored one without touching the disk of the server (only a spooled
temporary file): member names come from our own archive and are never extracted.
"""

import mimetypes
import posixpath
import shutil
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.http import Http404

TAR_GZ, ZIP = "tar_gz", "zip"
ARCHIVES = {TAR_GZ: ("application/gzip", ".tar.gz"), ZIP: ("application/zip", ".zip")}
SPOOL_BYTES = 16 * 1024 * 1024

NOT_FOR_FILES = "{field} applies to directory artifacts only; this artifact is one file."
BAD_PATH = "{path!r} is not a path inside the artifact: give a relative path without '..'."
NO_SUCH_PATH = "This artifact has no file or folder {path!r}."


@dataclass
class Download:
    file: IO[bytes]
    filename: str
    content_type: str


def _clean_path(path: str) -> str:
    normalized = posixpath.normpath(path.strip().lstrip("/")) if path.strip() else ""
    if not normalized or normalized == "." or normalized.startswith("..") or "\\" in path:
        raise ValidationError({"path": [BAD_PATH.format(path=path)]})
    return normalized


def _archive(tar: tarfile.TarFile, members, *, prefix: str, base: str, file_type: str) -> IO:
    """``members`` (under ``prefix`` in ``tar``) re-rooted at ``base``, in a new archive."""
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def renamed(member) -> str:
        return base + member.name[len(prefix) :]

    if file_type == ZIP:
        with zipfile.ZipFile(spooled, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                if member.isdir():
                    archive.writestr(renamed(member) + "/", b"")
                elif member.isfile():
                    with (
                        tar.extractfile(member) as source,
                        archive.open(renamed(member), "w") as out,
                    ):
                        shutil.copyfileobj(source, out)
    else:
        with tarfile.open(fileobj=spooled, mode="w:gz") as archive:
            for member in members:
                if not (member.isdir() or member.isfile()):
                    continue
                copy = tarfile.TarInfo(renamed(member))
                copy.size, copy.mode, copy.mtime = member.size, member.mode, member.mtime
                copy.type = member.type
                archive.addfile(copy, tar.extractfile(member) if member.isfile() else None)
    spooled.seek(0)
    return spooled


def artifact_download(artifact, *, path: str | None = None, file_type: str | None = None):
    """What ``/contents`` answers for ``artifact`` (400 naming ``path`` or ``fileType`` when
    they do not apply, 404 for a path the artifact does not hold)."""
    if not artifact.is_dir:
        for field, given in (("path", path), ("fileType", file_type)):
            if given is not None:
                raise ValidationError({field: [NOT_FOR_FILES.format(field=field)]})
        name = posixpath.basename(artifact.file.name)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Download(artifact.file.open("rb"), name, content_type)
    file_type = file_type or TAR_GZ
    content_type, suffix = ARCHIVES[file_type]
    wanted = _clean_path(path) if path is not None else None
    stored = artifact.file.open("rb")
    if wanted is None and file_type == TAR_GZ:  # the stored archive is that answer
        return Download(stored, posixpath.basename(artifact.file.name), content_type)
    with stored, tarfile.open(fileobj=stored, mode="r:gz") as tar:
        members = tar.getmembers()
        root = members[0].name.split("/", 1)[0] if members else "contents"
        prefix = root if wanted is None else f"{root}/{wanted}"
        chosen = [m for m in members if m.name == prefix or m.name.startswith(prefix + "/")]
        if not chosen:
            raise Http404(NO_SUCH_PATH.format(path=path))
        base = posixpath.basename(prefix)
        if len(chosen) == 1 and chosen[0].isfile():
            spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            with tar.extractfile(chosen[0]) as source:
                shutil.copyfileobj(source, spooled)
            spooled.seek(0)
            file_content = mimetypes.guess_type(base)[0] or "application/octet-stream"
            return Download(spooled, base, file_content)
        archive = _archive(tar, chosen, prefix=prefix, base=base, file_type=file_type)
        return Download(archive, base + suffix, content_type)
