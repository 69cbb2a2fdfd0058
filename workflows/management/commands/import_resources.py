"""``manage.py import_resources PATH_OR_URL --group NAME``: Dioptra's resource import."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from entrypoints.taskgraph.issues import format_line
from workflows.cli import group_named, read_source
from workflows.resource_import import DEFAULT_CONFIG, STRATEGIES, ImportFailed, resources_import

KIND_NAMES = {
    "plugin_param_types": "parameter type",
    "plugins": "plugin",
    "entrypoints": "entrypoint",
}


class Command(BaseCommand):
    help = (
        "Import the plugins, parameter types and entrypoints a dioptra.toml describes, from a "
        "folder, a .tar.gz or a git URL (#ref for a branch, tag or commit). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="PATH_OR_URL")
        parser.add_argument("--group", required=True, help="the group that will own them")
        parser.add_argument("--config", default=DEFAULT_CONFIG, help="the TOML file's path")
        parser.add_argument("--on-conflict", choices=STRATEGIES, default="fail")
        parser.add_argument("--user", help="the user recorded as their author")

    def handle(self, *args, **options):
        group = group_named(options["group"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user named {options['user']!r}.", returncode=2)
        source = read_source(options["source"])
        try:
            result = resources_import(
                user=user,
                group=group,
                source=source,
                config_path=options["config"],
                on_conflict=options["on_conflict"],
            )
        except ImportFailed as failed:
            for p in failed.problems:
                self.stderr.write(
                    format_line(p.file, p.line, p.column, p.severity, p.code, p.message)
                )
            raise CommandError(str(failed).split(". ")[0] + ".") from failed
        for outcome in result.outcomes:
            self.stdout.write(
                f"{outcome.action:<9} {KIND_NAMES[outcome.kind]} {outcome.name!r} (id {outcome.id})"
            )
        self.stdout.write(f"Imported into {group.name!r} from {source.digest}.")
