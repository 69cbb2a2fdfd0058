"""What the import, export and lint commands share: finding the group and reading a source."""

from pathlib import Path

from django.core.management.base import CommandError

from access.models import Group
from workflows import sources

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")
NO_GROUP = "There is no group named {name!r}."


def group_named(name: str) -> Group:
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist:
        raise CommandError(NO_GROUP.format(name=name), returncode=2) from None


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def read_source(location: str) -> sources.Source:
    """A folder, an archive file, or else a git URL (``#ref`` allowed)."""
    path = Path(location)
    try:
        if path.is_dir():
            return sources.from_folder(path)
        if path.is_file() and is_archive(location):
            with path.open("rb") as stream:
                return sources.from_archive(stream)
        return sources.from_git(location)
    except sources.SourceError as error:
        raise CommandError(str(error), returncode=2) from error
