"""Import plugins, parameter types and entrypoints described by a ``dioptra.toml``.

Contract. ``resources_import`` first plans the whole import from the source and writes nothing
while it does: every file is read, every name, path and type resolved, every entrypoint's graphs
judged by the engine against the plugins being imported. Any error refuses the import, with all
the problems found, each naming its file and, where there is one, the line and column (the
engine's issues included, moved from the section's text to the file). Only then does it write,
in one transaction and through each resource's own services (the API's rules), so a rule that
only the database can check still undoes the whole import.

A name already used in the group is a conflict, resolved by the rule asked for: ``fail``
refuses the import, ``update`` writes new snapshots of those resources (their ids stay; one that
would not change is left alone), ``overwrite`` deletes them and creates new ones. A plugin
updated or created holds exactly the ``*.py`` files of its folder afterwards.

``resources_check`` runs the same planning for ``lint_entrypoints``: it writes nothing, ignores
conflicts, and also resolves plugins and types the files do not define among the group's own.
"""

from __future__ import annotations

import posixpath
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, transaction

from access.services import validate_name
from core.errors import Conflict, TooLarge
from entrypoints import engine
from entrypoints import selectors as entrypoint_selectors
from entrypoints import services as entrypoint_services
from entrypoints.context import build_context
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import BUILTIN_TYPE_NAMES, StaticContext
from entrypoints.validators import artifact_parameter_errors, parameter_errors
from plugins_app import services as plugin_services
from plugins_app.manifest import PARAM_SIDES, TASK_KINDS
from plugins_app.models import Plugin, PluginParameterType
from plugins_app.validators import (
    BAD_PARAM_NAME,
    BAD_TASK_NAME,
    MAX_SOURCE_CHARS,
    is_identifier,
    structure_errors,
    structure_type_names,
    type_cycle,
    validate_filename,
    validate_plugin_name,
    validate_type_name,
)
from workflows import problems as codes
from workflows.config import TomlLocator, dotted, load_config
from workflows.entrypoint_files import Section, split_sections
from workflows.problems import Problem, errors
from workflows.sources import Source, SourceError, safe_path

STRATEGIES = ("fail", "update", "overwrite")
DEFAULT_CONFIG = "dioptra.toml"

CONFIG_MISSING = "There is no {path!r} in the import."
PATH_OUTSIDE = "{path!r} leads outside the import's folder."
NOT_A_FOLDER = "{path!r} is not a folder of the import."
NOT_A_FILE = "{path!r} is not a file of the import."
NOT_READ = "{path!r} cannot be imported: it is {why}."
NOT_UTF8 = "{path!r} is not UTF-8 text."
HOLDS_NUL = "{what} holds a NUL character: what an import reads is text."
SOURCE_TOO_LARGE = "{path!r} holds more than {limit} characters."
TEXT_TOO_LARGE = "The {section}: section is {size} bytes long; the limit is {limit} bytes."
DUPLICATE = "{kind} {name!r} is defined twice in this file."
UNKNOWN_TYPE = (
    "Unknown parameter type {name!r}: not in plugin_param_types, not a builtin type{tail}."
)
UNKNOWN_PLUGIN = "Plugin {name!r} is not among this file's plugins{tail}."
UNKNOWN_FILE = "Task {task!r} is declared in {file!r}, which plugin {plugin!r} does not have."
NAME_TOO_LONG = "Names are at most {limit} characters long."
NAME_TAKEN = "{kind} {name!r} already exists in group {group!r} (the conflict rule is 'fail')."
WRITE_REFUSED = "{kind} {name!r} could not be written: {reason}"
NOT_LISTED = "No dioptra.toml lists this file: checked with every plugin of group {group!r}."
NOTHING_IMPORTED = "Nothing was imported: {count} problem{s}. {first}"

KINDS = {
    "plugin_param_types": "Parameter type",
    "plugins": "Plugin",
    "entrypoints": "Entrypoint",
}
# A file's own types are newer than any the group's plugins froze (``type_definitions``).
_FRESH = 2**62
MAX_NAME = 255  # the name columns' length


class ImportFailed(Exception):
    """The import changed nothing; ``problems`` say why (``status``: 400, or 409 for conflicts)."""

    def __init__(self, problems: list[Problem], status: int = 400) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.status = status
        first = errors(self.problems)[0] if errors(self.problems) else self.problems[0]
        where = ":".join(str(p) for p in (first.file, first.line, first.column) if p is not None)
        super().__init__(
            NOTHING_IMPORTED.format(
                count=len(self.problems),
                s="s" * (len(self.problems) != 1),
                first=f"{where}: {first.message}",
            )
        )

    def to_dict(self) -> dict:
        return {"detail": str(self), "issues": [p.to_dict() for p in self.problems]}


# The plan -----------------------------------------------------------------------------------------


@dataclass
class PlannedType:
    name: str
    description: str | None
    structure: Any
    where: tuple


@dataclass
class PlannedPlugin:
    name: str
    description: str | None
    files: list[dict]  # {filename, contents, tasks}; task parameter types by name
    where: tuple


@dataclass
class PlannedEntrypoint:
    name: str
    description: str | None
    path: str
    task_graph: str
    artifact_graph: str
    parameters: list[dict]
    artifact_parameters: list[dict]  # output parameter types by name
    plugins: list[str]
    artifact_plugins: list[str]
    where: tuple


@dataclass
class Plan:
    config_file: str = DEFAULT_CONFIG
    digest: str = ""
    types: list[PlannedType] = field(default_factory=list)
    plugins: list[PlannedPlugin] = field(default_factory=list)
    entrypoints: list[PlannedEntrypoint] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Planner:
    """Reads a source into a ``Plan``, collecting every problem on the way.

    ``lenient``: names the file does not define may be the group's own plugins (lint).
    """

    def __init__(self, *, source: Source, group, config_path: str, lenient: bool = False):
        self.source = source
        self.group = group
        self.lenient = lenient
        self.plan = Plan(config_file=config_path, digest=source.digest)
        self.group_types = {
            t.name: t for t in PluginParameterType.objects.alive().filter(group=group)
        }
        self.locator = TomlLocator("")
        self.current_entrypoint: str | None = None  # the file of the entrypoint being planned
        # Plugins with problems of their own: judging the entrypoints using them would only
        # repeat those problems.
        self.broken_plugins: set[str] = set()

    # Helpers -------------------------------------------------------------------------------------

    def problem(self, code: str, message: str, file: str, line=None, column=None, **extra):
        about = self.current_entrypoint
        self.plan.problems.append(Problem(code, message, file, line, column, about=about, **extra))

    def config_problem(self, code: str, message: str, where: tuple) -> None:
        self.problem(code, message, self.plan.config_file, *self.locator.locate(where))

    def resolve(self, path: str, where: tuple) -> str | None:
        """A config path, relative to the config's folder, as a path of the import (``..`` may
        climb, but not out of the import)."""
        try:
            safe_path(path, parent=True)
        except SourceError as error:
            self.config_problem(codes.BAD_PATH, str(error), where)
            return None
        joined = self.resolve_quietly(path)
        if joined == ".." or joined.startswith("../"):
            self.config_problem(codes.BAD_PATH, PATH_OUTSIDE.format(path=path), where)
            return None
        return "" if joined == "." else joined

    def resolve_quietly(self, path: str) -> str:
        """``path`` joined to the config's folder, unchecked."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.plan.config_file), path))

    def text(self, path: str, where: tuple) -> str | None:
        """The UTF-8 text of a file of the import (a problem, and ``None``, otherwise)."""
        if path in self.source.skipped:
            why = self.source.skipped[path]
            self.config_problem(codes.UNREADABLE, NOT_READ.format(path=path, why=why), where)
            return None
        if path not in self.source.files:
            self.config_problem(codes.NOT_FOUND, NOT_A_FILE.format(path=path), where)
            return None
        try:
            text = self.source.files[path].decode("utf-8")
        except UnicodeDecodeError:
            self.problem(codes.UNREADABLE, NOT_UTF8.format(path=path), path, 1, 1)
            return None
        if "\x00" in text:  # no database keeps it alike (PostgreSQL refuses it, SQLite stores it)
            before = text[: text.index("\x00")]
            line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
            self.problem(codes.UNREADABLE, HOLDS_NUL.format(what=repr(path)), path, line, column)
            return None
        return text

    def duplicates(self, items: list[dict], key: str, kind: str, where: tuple) -> set[str]:
        seen, repeated = set(), set()
        for index, item in enumerate(items):
            name = item.get(key)
            if name in seen:
                repeated.add(name)
                message = DUPLICATE.format(kind=kind, name=name)
                self.config_problem(codes.DUPLICATE, message, (*where, index, key))
            seen.add(name)
        return repeated

    def good_name(self, name: str, check, where: tuple) -> bool:
        """``name`` passes ``check`` (a validator raising ``ValidationError``) and fits."""
        try:
            check(name)
            if len(name) > MAX_NAME:
                raise ValidationError(NAME_TOO_LONG.format(limit=MAX_NAME))
        except ValidationError as error:
            self.config_problem(codes.BAD_NAME, f"{name!r}: {_message(error)}", where)
            return False
        return True

    def known_type(self, name: str, where: tuple) -> bool:
        if name in self.type_names:
            return True
        tail = " and not a type of the group" if name not in self.group_types else ""
        self.config_problem(codes.UNKNOWN_TYPE, UNKNOWN_TYPE.format(name=name, tail=tail), where)
        return False

    # The steps -----------------------------------------------------------------------------------

    def run(self) -> Plan:
        config = self.read_config()
        if config is None:
            return self.plan
        self.plan_types(config.get("plugin_param_types", []))
        self.plan_plugins(config.get("plugins", []))
        self.plan_entrypoints(config.get("entrypoints", []))
        return self.plan

    def read_config(self) -> dict | None:
        try:
            path = safe_path(self.plan.config_file) or ""
        except SourceError as error:
            self.problem(codes.BAD_PATH, str(error), self.plan.config_file)
            return None
        if path not in self.source.files and self.plan.config_file == DEFAULT_CONFIG:
            self.source = self.source.without_wrapper()  # an archive of one folder
        self.plan.config_file = path
        if not self.source.is_file(path):
            self.problem(codes.NOT_FOUND, CONFIG_MISSING.format(path=path), path)
            return None
        text = self.text(path, ())
        if text is None:
            return None
        config, found = load_config(text, path)
        self.plan.problems += found
        self.locator = TomlLocator(text)
        for where in _nul_values(config):  # written as "\u0000" in the TOML
            self.config_problem(
                codes.UNREADABLE, HOLDS_NUL.format(what=f"`{dotted(where)}`"), where
            )
        return config

    def plan_types(self, entries: list[dict]) -> None:
        where = ("plugin_param_types",)
        self.duplicates(entries, "name", "Parameter type", where)
        file_types = {}
        for index, entry in enumerate(entries):
            if not self.good_name(entry["name"], validate_type_name, (*where, index, "name")):
                continue
            file_types[entry["name"]] = entry.get("structure")
            self.plan.types.append(
                PlannedType(
                    entry["name"], entry.get("description"), entry.get("structure"), (*where, index)
                )
            )
        structures = {name: t.structure for name, t in self.group_types.items()} | file_types
        for planned in self.plan.types:
            for message in structure_errors(planned.structure, types=structures):
                self.config_problem(codes.BAD_TYPE, message, (*planned.where, "structure"))
            if cycle := type_cycle(planned.name, structures):
                message = f"Types may not refer to themselves: {' > '.join(cycle)}."
                self.config_problem(codes.BAD_TYPE, message, (*planned.where, "structure"))
        self.structures = structures
        # Dioptra resolves the file's types and the builtins; the group's own types are welcome.
        self.type_names = set(BUILTIN_TYPE_NAMES) | set(file_types) | set(self.group_types)

    def plan_plugins(self, entries: list[dict]) -> None:
        where = ("plugins",)
        names = [posixpath.basename(posixpath.normpath(e["path"])) for e in entries]
        self.duplicates([{"path": n} for n in names], "path", "Plugin", where)
        for index, (entry, name) in enumerate(zip(entries, names, strict=True)):
            here = (*where, index)
            before = len(errors(self.plan.problems))
            self.plan_plugin(entry, name, here)
            if len(errors(self.plan.problems)) > before:
                self.broken_plugins.add(name)

    def plan_plugin(self, entry: dict, name: str, here: tuple) -> None:
        if not self.good_name(name, validate_plugin_name, (*here, "path")):
            return
        folder = self.resolve(entry["path"], (*here, "path"))
        if folder is None:
            return
        if not self.source.is_folder(folder):
            message = NOT_A_FOLDER.format(path=entry["path"])
            self.config_problem(codes.NOT_FOUND, message, (*here, "path"))
            return
        files = self.plugin_files(folder, here)
        self.attach_tasks(name, entry.get("tasks", {}), files, here)
        self.plan.plugins.append(
            PlannedPlugin(name, entry.get("description"), list(files.values()), here)
        )

    def plugin_files(self, folder: str, here: tuple) -> dict[str, dict]:
        files = {}
        cut = len(folder) + 1 if folder else 0
        for path in self.source.under(folder):
            filename = path[cut:]
            if not filename.endswith(".py") or any(p.startswith(".") for p in filename.split("/")):
                continue
            try:
                validate_filename(filename)
            except ValidationError as error:
                self.problem(codes.BAD_NAME, f"{filename!r}: {_message(error)}", path, 1, 1)
                continue
            contents = self.text(path, (*here, "path"))
            if contents is None:
                continue
            if len(contents) > MAX_SOURCE_CHARS:
                message = SOURCE_TOO_LARGE.format(path=path, limit=MAX_SOURCE_CHARS)
                self.problem(codes.TOO_LARGE, message, path, 1, 1)
                continue
            files[filename] = {
                "filename": filename,
                "contents": contents,
                "tasks": {kind: [] for kind in TASK_KINDS},
            }
        return files

    def attach_tasks(self, plugin: str, tasks: dict, files: dict[str, dict], here: tuple) -> None:
        for kind in TASK_KINDS:
            declared = tasks.get(kind, [])
            where = (*here, "tasks", kind)
            self.duplicates(declared, "name", f"Task of plugin {plugin!r}", where)
            for index, task in enumerate(declared):
                at = (*where, index)
                if not is_identifier(task["name"]):
                    self.config_problem(codes.BAD_NAME, BAD_TASK_NAME, (*at, "name"))
                sides = {
                    "inputParams": self.task_params(
                        task.get("input_params", []), (*at, "input_params"), True
                    ),
                    "outputParams": self.task_params(
                        task["output_params"], (*at, "output_params"), False
                    ),
                }
                target = files.get(task["filename"])
                if target is None:
                    message = UNKNOWN_FILE.format(
                        task=task["name"], file=task["filename"], plugin=plugin
                    )
                    self.config_problem(codes.UNKNOWN_FILE, message, (*at, "filename"))
                    continue
                target["tasks"][kind].append({"name": task["name"], **sides})

    def task_params(self, params: list[dict], where: tuple, inputs: bool) -> list[dict]:
        self.duplicates(params, "name", "Parameter", where)
        planned = []
        for index, param in enumerate(params):
            if not is_identifier(param["name"]):
                self.config_problem(codes.BAD_NAME, BAD_PARAM_NAME, (*where, index, "name"))
            self.known_type(param["type"], (*where, index, "type"))
            entry = {"name": param["name"], "parameterType": param["type"]}
            if inputs:
                entry["required"] = bool(param.get("required", False))
            planned.append(entry)
        return planned

    def plan_entrypoints(self, entries: list[dict]) -> None:
        where = ("entrypoints",)
        self.duplicates(entries, "name", "Entrypoint", where)
        for index, entry in enumerate(entries):
            self.current_entrypoint = self.resolve_quietly(entry["path"])
            self.plan_entrypoint(entry, (*where, index))
        self.current_entrypoint = None

    def plan_entrypoint(self, entry: dict, here: tuple) -> None:
        before = len(errors(self.plan.problems))
        self.good_name(entry["name"], validate_name, (*here, "name"))
        parameters = self.parameters(entry.get("params", []), here)
        artifact_parameters = self.artifact_parameters(entry.get("artifact_params", []), here)
        plugins = self.plugin_names(entry.get("plugins", []), (*here, "plugins"))
        artifact_plugins = self.plugin_names(
            entry.get("artifact_plugins", []), (*here, "artifact_plugins")
        )
        path = self.resolve(entry["path"], (*here, "path"))
        text = None if path is None else self.text(path, (*here, "path"))
        sections = None if text is None else self.sections(path, text)
        if sections is None:
            return
        limit = settings.TASKGRAPH_LIMITS["max_bytes"]
        for key, section in sections.items():
            if (size := len(section.text.encode())) > limit:
                message = TEXT_TOO_LARGE.format(section=key, size=size, limit=limit)
                self.problem(codes.TOO_LARGE, message, path, section.key_line, section.key_column)
        planned = PlannedEntrypoint(
            name=entry["name"],
            description=entry.get("description"),
            path=path,
            task_graph=sections["graph"].text if "graph" in sections else "",
            artifact_graph=sections["artifacts"].text if "artifacts" in sections else "",
            parameters=parameters,
            artifact_parameters=artifact_parameters,
            plugins=plugins,
            artifact_plugins=artifact_plugins,
            where=here,
        )
        uses_broken = self.broken_plugins & {*plugins, *artifact_plugins}
        if len(errors(self.plan.problems)) == before and not uses_broken:
            self.judge(planned, sections)
        self.plan.entrypoints.append(planned)

    def sections(self, path: str, text: str) -> dict[str, Section] | None:
        try:
            sections, found = split_sections(text)
        except yaml.YAMLError:
            # Not YAML at all: the engine words it, with its position in the whole file.
            result = engine.verdict(task_graph=text, artifact_graph=None, context=StaticContext())
            for issue in result.issues:
                if issue.code.startswith("E_YAML"):
                    self.engine_problem(issue, path, Section(text, 1, 0, 1, 1))
            return None
        for found_problem in found:
            self.problem(
                codes.BAD_ENTRYPOINT_FILE,
                found_problem.message,
                path,
                found_problem.line,
                found_problem.column,
            )
        return None if found else sections

    def parameters(self, params: list[dict], here: tuple) -> list[dict]:
        stored = [
            {
                "name": p["name"],
                "parameterType": p["type"],
                "defaultValue": _default_text(p.get("default_value")),
            }
            for p in params
        ]
        for index, fields in parameter_errors(stored).items():
            for api_field, messages in fields.items():
                key = {"parameterType": "type", "defaultValue": "default_value"}.get(
                    api_field, "name"
                )
                for message in messages:
                    text = f"params[{index}].{key}: {message}"
                    self.config_problem(codes.BAD_PARAMETER, text, (*here, "params", index, key))
        return stored

    def artifact_parameters(self, params: list[dict], here: tuple) -> list[dict]:
        where = (*here, "artifact_params")
        stored = [
            {
                "name": p["name"],
                "outputParams": [
                    {"name": o["name"], "parameterType": o["type"]} for o in p["output_params"]
                ],
            }
            for p in params
        ]
        for index, fields in artifact_parameter_errors(stored).items():
            for message in _flat_messages(fields):
                self.config_problem(codes.DUPLICATE, message, (*where, index))
        for index, param in enumerate(params):
            for n, output in enumerate(param["output_params"]):
                self.known_type(output["type"], (*where, index, "output_params", n, "type"))
        return stored

    def plugin_names(self, names: list[str], where: tuple) -> list[str]:
        planned = {p.name for p in self.plan.plugins}
        group = set()
        if self.lenient:
            group = set(
                Plugin.objects.alive().filter(group=self.group).values_list("name", flat=True)
            )
        for index, name in enumerate(names):
            if name not in planned and name not in group:
                tail = "" if self.lenient else " (an import names only plugins it brings)"
                if self.lenient:
                    tail = f" nor a plugin of group {self.group.name!r}"
                message = UNKNOWN_PLUGIN.format(name=name, tail=tail)
                self.config_problem(codes.UNKNOWN_PLUGIN, message, (*where, index))
        return list(dict.fromkeys(names))

    # The engine's verdict ------------------------------------------------------------------------

    def types_table(self) -> dict[str, dict]:
        """Every type a planned manifest may name, keyed by name (the plan has no ids yet)."""
        table = {name: {"name": name, "structure": None} for name in BUILTIN_TYPE_NAMES}
        for name in self.type_names - set(BUILTIN_TYPE_NAMES):
            table[name] = {
                "name": name,
                "structure": self.structures.get(name),
                "snapshotId": _FRESH,
            }
        return table

    def pinned(self, names: list[str]) -> list:
        """What the engine needs of each named plugin: the planned one, or (lint) the group's."""
        planned = {p.name: p for p in self.plan.plugins}
        table = self.types_table()
        found = []
        group_plugins = {}
        if self.lenient:
            group_plugins = {
                p.name: p for p in Plugin.objects.alive().filter(group=self.group, name__in=names)
            }
        for name in names:
            if name in planned:
                manifest = {"files": planned[name].files, "types": table}
                found.append(SimpleNamespace(name=name, manifest=manifest))
            elif name in group_plugins:
                found.append(group_plugins[name])
        return found

    def judge(self, planned: PlannedEntrypoint, sections: dict[str, Section]) -> None:
        table = self.types_table()
        context = build_context(
            plugins=self.pinned(planned.plugins),
            artifact_plugins=self.pinned(planned.artifact_plugins),
            parameters=planned.parameters,
            artifact_parameters=planned.artifact_parameters,
            artifact_types=table,
        )
        result = engine.verdict(
            task_graph=planned.task_graph,
            artifact_graph=planned.artifact_graph,
            context=context,
        )
        empty = Section("", 1, 0, 1, 1)
        for issue in result.issues:
            if issue.source == "context":
                self.context_problem(issue, planned.where)
            else:
                key = "artifacts" if issue.source == "artifactGraph" else "graph"
                self.engine_problem(issue, planned.path, sections.get(key, empty))

    def engine_problem(self, issue, file: str, section: Section) -> None:
        line, column = section.position(issue.line, issue.column)
        end_line, end_column = (None, None)
        if issue.end_line is not None and section.exact:
            end_line, end_column = section.position(issue.end_line, issue.end_column)
        data = issue.to_dict()
        self.problem(
            issue.code,
            issue.message,
            file,
            line,
            column,
            severity=issue.severity,
            end_line=end_line,
            end_column=end_column,
            engine={k: data[k] for k in ("category", "type", "source", "path")},
        )

    def context_problem(self, issue, here: tuple) -> None:
        keys = {"parameters": "params", "artifactParameters": "artifact_params"}
        path = list(issue.path)
        if path and path[0] in keys:
            path[0] = keys[path[0]]
        fields = {
            "defaultValue": "default_value",
            "parameterType": "type",
            "outputParams": "output_params",
        }
        where = (*here, *(fields.get(p, p) if isinstance(p, str) else p for p in path))
        data = issue.to_dict()
        self.problem(
            issue.code,
            issue.message,
            self.plan.config_file,
            *self.locator.locate(where),
            severity=issue.severity,
            engine={k: data[k] for k in ("category", "type", "source", "path")},
        )

    def lone_entrypoint(self, path: str) -> None:
        """Lint of an entrypoint file no dioptra.toml lists: every plugin of the group, no
        parameters (references to parameters then show as unresolvable)."""
        self.current_entrypoint = path
        self.structures = {name: t.structure for name, t in self.group_types.items()}
        self.type_names = set(BUILTIN_TYPE_NAMES) | set(self.group_types)
        text = self.text(path, ())
        sections = None if text is None else self.sections(path, text)
        if sections is None:
            return
        self.problem(
            codes.NOT_LISTED,
            NOT_LISTED.format(group=self.group.name),
            path,
            1,
            1,
            severity="warning",
        )
        names = list(Plugin.objects.alive().filter(group=self.group).values_list("name", flat=True))
        planned = PlannedEntrypoint(
            name=path,
            description=None,
            path=path,
            task_graph=sections.get("graph", Section("", 1, 0, 1, 1)).text,
            artifact_graph=sections.get("artifacts", Section("", 1, 0, 1, 1)).text,
            parameters=[],
            artifact_parameters=[],
            plugins=names,
            artifact_plugins=names,
            where=(),
        )
        self.judge(planned, sections)


def _nul_values(value, where: tuple = ()) -> list[tuple]:
    """Where the config's keys and strings hold a NUL character."""
    if isinstance(value, str):
        return [where] if "\x00" in value else []
    if isinstance(value, dict):
        items = value.items()
        found = [(*where, key) for key in value if "\x00" in key]
    elif isinstance(value, list):
        items, found = enumerate(value), []
    else:
        return []
    for key, item in items:
        found += _nul_values(item, (*where, key))
    return found


def _message(error: ValidationError) -> str:
    return " ".join(
        _flat_messages(error.message_dict if hasattr(error, "error_dict") else error.messages)
    )


def _flat_messages(errors_: Any) -> list[str]:
    if isinstance(errors_, dict):
        return [m for value in errors_.values() for m in _flat_messages(value)]
    if isinstance(errors_, list):
        return [m for value in errors_ for m in _flat_messages(value)]
    return [str(errors_)]


def _default_text(value) -> str | None:
    """A TOML default as an entrypoint stores it: its text (``true``/``false`` for booleans)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Conflicts and writes ----------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # plugin_param_types | plugins | entrypoints
    name: str
    id: int
    action: str  # created | updated | replaced | unchanged


@dataclass
class ImportResult:
    digest: str
    outcomes: list[Outcome]

    def to_dict(self) -> dict:
        """Dioptra's answer (``message``, ``hash``, ``resources``: names and ids per kind), and
        ``report``: what happened to each resource."""
        resources = {kind: {} for kind in KINDS}
        for outcome in self.outcomes:
            resources[outcome.kind][outcome.name] = outcome.id
        return {
            "message": "successfully imported",
            "hash": self.digest,
            "resources": resources,
            "report": [asdict(outcome) for outcome in self.outcomes],
        }


def _existing(group) -> dict[str, dict[str, Any]]:
    return {
        "plugin_param_types": {
            t.name: t
            for t in PluginParameterType.objects.alive().filter(group=group, is_builtin=False)
        },
        "plugins": {p.name: p for p in Plugin.objects.alive().filter(group=group)},
        "entrypoints": {e.name: e for e in Entrypoint.objects.alive().filter(group=group)},
    }


def _planned(plan: Plan) -> dict[str, list]:
    return {
        "plugin_param_types": plan.types,
        "plugins": plan.plugins,
        "entrypoints": plan.entrypoints,
    }


def _conflicts(plan: Plan, group, locator: TomlLocator) -> list[Problem]:
    existing = _existing(group)
    found = []
    for kind, planned in _planned(plan).items():
        for item in planned:
            if item.name in existing[kind]:
                message = NAME_TAKEN.format(kind=KINDS[kind], name=item.name, group=group.name)
                where = (*item.where, "path" if kind == "plugins" else "name")
                found.append(
                    Problem(codes.NAME_TAKEN, message, plan.config_file, *locator.locate(where))
                )
    return found


def _in_order(types: list[PlannedType]) -> list[PlannedType]:
    """Types that others' structures name come first (cycles were refused when planning)."""
    by_name = {t.name: t for t in types}
    ordered: list[PlannedType] = []
    done: set[str] = set()

    def visit(planned: PlannedType) -> None:
        if planned.name in done:
            return
        done.add(planned.name)
        for name in sorted(structure_type_names(planned.structure)):
            if name in by_name:
                visit(by_name[name])
        ordered.append(planned)

    for planned in types:
        visit(planned)
    return ordered


class _Writer:
    """Writes a checked plan through the services; every refusal names its resource."""

    def __init__(self, plan: Plan, *, user, group, strategy: str, locator: TomlLocator) -> None:
        self.plan, self.user, self.group, self.strategy = plan, user, group, strategy
        self.locator = locator
        self.existing = _existing(group)
        self.outcomes: list[Outcome] = []
        self.plugins: dict[str, Plugin] = {}
        self.replaced: set[tuple[str, str]] = set()
        self.type_ids = {
            t.name: t.pk for t in PluginParameterType.objects.alive().filter(group=group)
        }

    def refused(self, kind: str, item, error: Exception) -> ImportFailed:
        reason = _message(error) if isinstance(error, ValidationError) else str(error)
        message = WRITE_REFUSED.format(kind=KINDS[kind], name=item.name, reason=reason)
        where = self.locator.locate(item.where)
        status = 409 if isinstance(error, Conflict) else 400
        return ImportFailed(
            [Problem(codes.WRITE_REFUSED, message, self.plan.config_file, *where)], status
        )

    def write(self) -> ImportResult:
        if self.strategy == "overwrite":
            self.delete_overwritten()
        for kind, items, write in (
            ("plugin_param_types", _in_order(self.plan.types), self.write_type),
            ("plugins", self.plan.plugins, self.write_plugin),
            ("entrypoints", self.plan.entrypoints, self.write_entrypoint),
        ):
            for item in items:
                current = self.existing[kind].get(item.name)
                try:
                    obj, action = write(item, current)
                except (ValidationError, Conflict, TooLarge, PermissionDenied, DataError) as error:
                    raise self.refused(kind, item, error) from error
                if (kind, item.name) in self.replaced:
                    action = "replaced"
                self.outcomes.append(Outcome(kind, item.name, obj.pk, action))
        return ImportResult(self.plan.digest, self.outcomes)

    def delete_overwritten(self) -> None:
        deletes = (
            ("entrypoints", entrypoint_services.entrypoint_delete, "entrypoint"),
            ("plugins", plugin_services.plugin_delete, "plugin"),
            ("plugin_param_types", plugin_services.parameter_type_delete, "param_type"),
        )
        planned = _planned(self.plan)
        for kind, delete, argument in deletes:
            for item in planned[kind]:
                if (current := self.existing[kind].get(item.name)) is not None:
                    try:
                        delete(user=self.user, **{argument: current})
                    except (ValidationError, Conflict, PermissionDenied) as error:
                        raise self.refused(kind, item, error) from error
                    self.replaced.add((kind, item.name))
        self.type_ids = {
            t.name: t.pk for t in PluginParameterType.objects.alive().filter(group=self.group)
        }
        self.existing = {kind: {} for kind in KINDS}

    def write_type(self, planned: PlannedType, current):
        fields = {
            "name": planned.name,
            "description": planned.description,
            "structure": planned.structure,
        }
        if current is None:
            created = plugin_services.parameter_type_create(
                user=self.user, group=self.group, **fields
            )
            self.type_ids[planned.name] = created.pk
            return created, "created"
        if (current.name, current.description, current.structure) == tuple(fields.values()):
            return current, "unchanged"
        return plugin_services.parameter_type_update(
            user=self.user, param_type=current, reason="Imported", **fields
        ), "updated"

    def with_ids(self, tasks: dict) -> dict:
        return {
            kind: [
                {
                    **task,
                    **{
                        side: [
                            {**p, "parameterType": self.type_ids[p["parameterType"]]}
                            for p in task[side]
                        ]
                        for side in PARAM_SIDES
                    },
                }
                for task in tasks[kind]
            ]
            for kind in TASK_KINDS
        }

    def write_plugin(self, planned: PlannedPlugin, current):
        files = [{**f, "tasks": self.with_ids(f["tasks"])} for f in planned.files]
        plugin, changed = plugin_services.plugin_write_files(
            user=self.user,
            group=self.group,
            name=planned.name,
            description=planned.description,
            files=files,
            plugin=current,
        )
        self.plugins[planned.name] = plugin
        return plugin, "created" if current is None else ("updated" if changed else "unchanged")

    def write_entrypoint(self, planned: PlannedEntrypoint, current):
        plugins = self.plugins
        artifact_parameters = [
            {
                "name": a["name"],
                "outputParams": [
                    {"name": o["name"], "parameterType": self.type_ids[o["parameterType"]]}
                    for o in a["outputParams"]
                ],
            }
            for a in planned.artifact_parameters
        ]
        fields = {
            "name": planned.name,
            "task_graph": planned.task_graph,
            "description": planned.description,
            "artifact_graph": planned.artifact_graph,
            "parameters": planned.parameters,
            "artifact_parameters": artifact_parameters,
        }
        if current is None:
            return entrypoint_services.entrypoint_create(
                user=self.user,
                group=self.group,
                plugins=[plugins[name] for name in planned.plugins],
                artifact_plugins=[plugins[name] for name in planned.artifact_plugins],
                **fields,
            ), "created"
        named = {*planned.plugins, *planned.artifact_plugins}
        latest = entrypoint_selectors.latest_plugin_snapshot_ids(plugins[n].pk for n in named)
        pins = {
            "plugin_snapshot_ids": [latest[plugins[n].pk] for n in planned.plugins],
            "artifact_plugin_snapshot_ids": [
                latest[plugins[n].pk] for n in planned.artifact_plugins
            ],
        }
        stored = {
            "name": current.name,
            "task_graph": current.task_graph,
            "description": current.description,
            "artifact_graph": current.artifact_graph,
            "parameters": current.parameters,
            "artifact_parameters": current.artifact_parameters,
            "plugin_snapshot_ids": current.plugin_snapshot_ids,
            "artifact_plugin_snapshot_ids": current.artifact_plugin_snapshot_ids,
        }
        wanted = {
            **fields,
            "parameters": entrypoint_services.stored_parameters(planned.parameters),
            **pins,
        }
        if stored == wanted:
            return current, "unchanged"
        return entrypoint_services.entrypoint_update(
            user=self.user, entrypoint=current, queues=list(current.queues.all()), **fields, **pins
        ), "updated"


# Entry points -------------------------------------------------------------------------------------


def resources_import(
    *, user, group, source: Source, config_path: str = DEFAULT_CONFIG, on_conflict: str = "fail"
) -> ImportResult:
    """Import everything ``config_path`` describes into ``group``, all or nothing
    (``ImportFailed`` lists every problem otherwise). ``user`` needs the write role; the caller
    checks it."""
    if on_conflict not in STRATEGIES:
        raise ValueError(on_conflict)
    planner = Planner(source=source, group=group, config_path=config_path)
    plan = planner.run()
    if errors(plan.problems):
        raise ImportFailed(plan.problems)
    if on_conflict == "fail" and (conflicts := _conflicts(plan, group, planner.locator)):
        raise ImportFailed(conflicts, status=409)
    with transaction.atomic():
        return _Writer(
            plan, user=user, group=group, strategy=on_conflict, locator=planner.locator
        ).write()


def resources_check(*, group, source: Source, config_path: str = DEFAULT_CONFIG) -> list[Problem]:
    """Every problem an import of ``source`` would meet, plus warnings; writes nothing. Plugins
    and types the files do not define may be the group's own."""
    return sorted(
        Planner(source=source, group=group, config_path=config_path, lenient=True).run().problems,
        key=Problem.sort_key,
    )


def entrypoint_file_check(*, group, source: Source, path: str) -> list[Problem]:
    """The problems of one entrypoint file that no configuration lists (see ``lone_entrypoint``)."""
    planner = Planner(source=source, group=group, config_path=DEFAULT_CONFIG, lenient=True)
    planner.lone_entrypoint(path)
    return sorted(planner.plan.problems, key=Problem.sort_key)
