"""``manage.py lint_entrypoints PATH... --group NAME``: check import-format files in CI.

PATH is a folder holding a ``dioptra.toml`` (everything it describes is checked, as an import
would), that TOML file itself, or one entrypoint file (checked with the ``dioptra.toml`` of the
nearest folder above that lists it; with every plugin of the group when none does). Plugins and
types the files do not define are looked up in the group. Nothing is written.

Output: ``FILE:LINE:COL: severity CODE: message`` (``--format text``), the engine CLI's JSON
(``--format json``), or GitHub Actions annotations (``--format github``). Exit status 1 when
there is an error, 0 otherwise (warnings allowed), 2 for usage errors.
"""

import json
import posixpath
import sys
import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entrypoints.taskgraph.issues import format_line
from workflows.cli import group_named, read_source
from workflows.problems import ERROR, WARNING, Problem
from workflows.resource_import import DEFAULT_CONFIG, entrypoint_file_check, resources_check
from workflows.sources import Source

NOT_FOUND = "{path} does not exist."


def _github(value: str, *, property_: bool = False) -> str:
    """GitHub's workflow-command escaping (properties also escape ``:`` and ``,``)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_ else value


def _listing_config(file: Path, config_name: str) -> Path | None:
    """The nearest ``config_name`` above ``file`` whose entrypoints list it."""
    for folder in file.resolve().parents:
        config = folder / config_name
        if not config.is_file():
            continue
        try:
            entries = tomllib.loads(config.read_text()).get("entrypoints", [])
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return config  # a broken config is reported by checking it
        target = file.resolve().relative_to(folder).as_posix()
        if any(
            posixpath.normpath(e.get("path", "")) == target for e in entries if isinstance(e, dict)
        ):
            return config
    return None


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--group", required=True, help="the group whose plugins and types apply"
        )
        parser.add_argument("--config", default=DEFAULT_CONFIG, help="the TOML file's name")
        parser.add_argument("--format", choices=("text", "json", "github"), default="text")

    def handle(self, *args, **options):
        group = group_named(options["group"])
        found: list[tuple[str, Problem]] = []  # (the path to show, the problem)
        for given in options["paths"]:
            found += self.check_path(Path(given), group, options["config"])
        self.report(found, options["format"], options["paths"])
        if any(problem.severity == ERROR for _, problem in found):
            sys.exit(1)

    def check_path(self, path: Path, group, config_name: str) -> list[tuple[str, Problem]]:
        if not path.exists():
            raise CommandError(NOT_FOUND.format(path=path), returncode=2)
        if path.is_dir():
            folder, config, only = path, config_name, None
        elif path.suffix == ".toml":
            folder, config, only = path.parent, path.name, None
        else:
            listing = _listing_config(path, config_name)
            folder = listing.parent if listing else path.parent
            only = path.resolve().relative_to(folder.resolve()).as_posix()
            config = listing.name if listing else None
        if config is None:
            source = Source(files={only: path.read_bytes()})
            problems = entrypoint_file_check(group=group, source=source, path=only)
        else:
            source = read_source(str(folder))
            problems = resources_check(group=group, source=source, config_path=config)
            if only is not None:
                problems = [p for p in problems if only in (p.file, p.about)]
        shown = str(folder) if str(folder) != "." else ""
        return [(posixpath.join(shown, p.file) if shown else p.file, p) for p in problems]

    def report(self, found, output: str, paths: list[str]) -> None:
        if output == "json":
            files: dict[str, list] = {}
            for shown, problem in found:
                files.setdefault(shown, []).append(problem.to_dict() | {"file": shown})
            body = {
                "valid": not any(p.severity == ERROR for _, p in found),
                "files": [
                    {
                        "file": file,
                        "valid": all(i["severity"] != ERROR for i in issues),
                        "issues": issues,
                    }
                    for file, issues in files.items()
                ],
            }
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
            return
        for shown, p in found:
            if output == "github":
                level = "error" if p.severity == ERROR else "warning"
                where = [f"file={_github(shown, property_=True)}"]
                for key, value in (
                    ("line", p.line),
                    ("col", p.column),
                    ("endLine", p.end_line),
                    ("endColumn", p.end_column),
                ):
                    if value is not None:
                        where.append(f"{key}={value}")
                where.append(f"title={_github(p.code, property_=True)}")
                self.stdout.write(f"::{level} {','.join(where)}::{_github(p.message)}")
            else:
                self.stdout.write(
                    format_line(shown, p.line, p.column, p.severity, p.code, p.message)
                )
        if output == "text":
            errors = sum(p.severity == ERROR for _, p in found)
            warnings = sum(p.severity == WARNING for _, p in found)
            verdict = "invalid" if errors else "valid"
            self.stdout.write(
                f"{', '.join(paths)}: {verdict} ({errors} error{'s' * (errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)})"
            )
