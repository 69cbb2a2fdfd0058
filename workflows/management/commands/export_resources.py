"""``manage.py export_resources --group NAME [ENTRYPOINT ...] OUT``: Dioptra's import format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entrypoints.models import Entrypoint
from workflows.cli import group_named, is_archive
from workflows.resource_export import as_tar_gz, resources_export

NOT_EMPTY = "{out} exists and is not an empty folder."
NO_ENTRYPOINT = "Group {group!r} has no entrypoint named {name!r}."


class Command(BaseCommand):
    help = (
        "Write entrypoints (default: all of the group's, with every plugin and type) with the "
        "plugins and types they use, as a dioptra.toml folder or a .tar.gz of one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True)
        parser.add_argument("names", nargs="*", metavar="ENTRYPOINT", help="entrypoint names")
        parser.add_argument("out", metavar="OUT", help="a new folder, or a file ending .tar.gz")

    def handle(self, *args, **options):
        group = group_named(options["group"])
        entrypoints = None
        if options["names"]:
            found = {e.name: e for e in Entrypoint.objects.alive().filter(group=group)}
            missing = [name for name in options["names"] if name not in found]
            if missing:
                raise CommandError(
                    NO_ENTRYPOINT.format(group=group.name, name=missing[0]), returncode=2
                )
            entrypoints = [found[name] for name in options["names"]]
        files = resources_export(group=group, entrypoints=entrypoints)
        out = Path(options["out"])
        if is_archive(out.name):
            out.write_bytes(as_tar_gz(files, folder=out.name.split(".")[0]))
        else:
            if out.exists() and (not out.is_dir() or any(out.iterdir())):
                raise CommandError(NOT_EMPTY.format(out=out), returncode=2)
            for path, data in files.items():
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                (out / path).write_bytes(data)
        self.stdout.write(f"Wrote {len(files)} files to {out}.")
