"""Export a group's entrypoints, with the plugins and parameter types they use, in Dioptra's
import format: ``dioptra.toml``, ``plugins/<name>/<file>`` and ``entrypoints/<name>.yaml``.

What is written is what the entrypoints run: each plugin as the newest snapshot the exported
entrypoints pin (a plugin no exported entrypoint pins, in a whole-group export, as it is now),
each type as those snapshots froze it. Entrypoint files hold ``artifacts:`` then ``graph:``, each
text indented under its key as written (comments kept), so importing the export gives the same
texts back. Queues, tags and file descriptions are not part of the format.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Sequence

from entrypoints import selectors as entrypoint_selectors
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import BUILTIN_TYPE_NAMES
from plugins_app.manifest import PARAM_SIDES
from plugins_app.models import Plugin, PluginParameterType
from plugins_app.validators import structure_type_names
from workflows import toml_writer
from workflows.resource_import import DEFAULT_CONFIG

HEADER = "# Exported from group {group!r}: import with manage.py import_resources or Dioptra.\n"


def slug(name: str) -> str:
    """A file name for a resource name (``Hello World`` -> ``hello-world``)."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-").lower() or "entrypoint"


def _unique_slug(name: str, taken: set[str]) -> str:
    base = candidate = slug(name)
    n = 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _indented(text: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in text.splitlines(True))


def entrypoint_file(entrypoint) -> str:
    """The YAML file of one entrypoint: its artifact output graph, then its task graph."""
    parts = []
    for key, text in (("artifacts", entrypoint.artifact_graph), ("graph", entrypoint.task_graph)):
        if text.strip():
            if parts and not parts[-1].endswith("\n"):
                parts[-1] += "\n"
            parts.append(f"{key}:\n{_indented(text)}")
    return "".join(parts)


class _Types:
    """Type ids -> names and definitions, from frozen manifests and the group's live types."""

    def __init__(self, group) -> None:
        self.live = {t.name: t for t in PluginParameterType.objects.alive().filter(group=group)}
        self.frozen: dict[str, dict] = {}  # name -> the newest frozen definition
        self.names: dict[str, str] = {}  # str(id) -> name

    def add_table(self, table: dict) -> None:
        for type_id, entry in table.items():
            self.names[type_id] = entry["name"]
            current = self.frozen.get(entry["name"])
            if current is None or (entry.get("snapshotId") or 0) > (current.get("snapshotId") or 0):
                self.frozen[entry["name"]] = entry

    def name(self, type_id) -> str:
        return self.names[str(type_id)]

    def used(self, names: set[str]) -> list[dict]:
        """The non-builtin types among ``names``, with the types their structures name."""
        pending, done = sorted(names), {}
        while pending:
            name = pending.pop()
            if name in done or name in BUILTIN_TYPE_NAMES:
                continue
            entry = self.frozen.get(name) or (
                {"name": name, "structure": self.live[name].structure}
                if name in self.live
                else None
            )
            if entry is None:
                continue
            done[name] = entry
            pending += sorted(structure_type_names(entry["structure"]))
        return [
            {
                "name": name,
                "description": self.live[name].description if name in self.live else None,
                "structure": done[name]["structure"],
            }
            for name in sorted(done)
        ]


def resources_export(*, group, entrypoints: Sequence[Entrypoint] | None = None) -> dict[str, bytes]:
    """The files of an export of ``entrypoints`` (default: every entrypoint of ``group``, and
    every plugin and type of it), by path."""
    whole_group = entrypoints is None
    if whole_group:
        entrypoints = list(Entrypoint.objects.alive().filter(group=group).order_by("name"))
    entrypoint_selectors.with_attachments(entrypoints)
    pinned: dict[int, object] = {}  # plugin id -> its newest pinned snapshot
    for entrypoint in entrypoints:
        for attached in [*entrypoint.attached_plugins, *entrypoint.attached_artifact_plugins]:
            current = pinned.get(attached.id)
            if current is None or attached.snapshot_id > current.snapshot_id:
                pinned[attached.id] = attached
    plugins = {p.name: (p.name, p.manifest, None) for p in pinned.values()}
    if whole_group:
        for plugin in Plugin.objects.alive().filter(group=group).exclude(pk__in=pinned):
            plugins[plugin.name] = (plugin.name, plugin.manifest, plugin.description)
    live_descriptions = dict(
        Plugin.objects.alive().filter(group=group, pk__in=pinned).values_list("name", "description")
    )

    types = _Types(group)
    for _, manifest, _ in plugins.values():
        types.add_table(manifest.get("types", {}))
    for entrypoint in entrypoints:
        types.add_table(entrypoint.artifact_types)

    files: dict[str, bytes] = {}
    used_types: set[str] = set(types.live) - set(BUILTIN_TYPE_NAMES) if whole_group else set()
    plugin_tables = []
    for name in sorted(plugins):
        _, manifest, description = plugins[name]
        tasks = {"functions": [], "artifacts": []}
        for plugin_file in manifest.get("files", []):
            files[f"plugins/{name}/{plugin_file['filename']}"] = plugin_file["contents"].encode()
            for kind, declared in (plugin_file.get("tasks") or {}).items():
                for task in declared:
                    entry = _task(plugin_file["filename"], task, kind, types)
                    used_types |= {
                        p["type"]
                        for side in ("input_params", "output_params")
                        for p in entry.get(side, [])
                    }
                    tasks[kind].append(entry)
        description = live_descriptions.get(name, description)
        text = toml_writer.table("plugins", {"path": f"plugins/{name}", "description": description})
        for kind in ("functions", "artifacts"):
            for entry in tasks[kind]:
                text += "\n" + toml_writer.table(f"plugins.tasks.{kind}", entry, indent="  ")
        plugin_tables.append(text)

    entrypoint_tables, slugs = [], set()
    for entrypoint in entrypoints:
        path = f"entrypoints/{_unique_slug(entrypoint.name, slugs)}.yaml"
        files[path] = entrypoint_file(entrypoint).encode()
        artifact_params = [
            {
                "name": a["name"],
                "output_params": [
                    {"name": o["name"], "type": types.name(o["parameterType"])}
                    for o in a.get("outputParams") or []
                ],
            }
            for a in entrypoint.artifact_parameters
        ]
        used_types |= {o["type"] for a in artifact_params for o in a["output_params"]}
        fields = {
            "path": path,
            "name": entrypoint.name,
            "description": entrypoint.description,
            "params": [
                {"name": p["name"], "type": p["parameterType"]}
                | (
                    {"default_value": p["defaultValue"]}
                    if p.get("defaultValue") is not None
                    else {}
                )
                for p in entrypoint.parameters
            ],
            "artifact_params": artifact_params,
            "plugins": [p.name for p in entrypoint.attached_plugins],
            "artifact_plugins": [p.name for p in entrypoint.attached_artifact_plugins],
        }
        entrypoint_tables.append(toml_writer.table("entrypoints", fields))

    type_tables = [toml_writer.table("plugin_param_types", t) for t in types.used(used_types)]
    config = (
        HEADER.format(group=group.name)
        + "\n"
        + "\n".join([*type_tables, *plugin_tables, *entrypoint_tables])
    )
    files[DEFAULT_CONFIG] = config.encode()
    return dict(sorted(files.items()))


def _task(filename: str, task: dict, kind: str, types: _Types) -> dict:
    """One task declaration as the format writes it (parameter types by name)."""
    entry = {"filename": filename, "name": task["name"]}
    sides = PARAM_SIDES if kind == "functions" else PARAM_SIDES[1:]  # artifact tasks: outputs
    for side, key in zip(PARAM_SIDES, ("input_params", "output_params"), strict=True):
        if side not in sides:
            continue
        entry[key] = [
            {"name": p["name"], "type": types.name(p["parameterType"])}
            | ({"required": bool(p.get("required", False))} if side == "inputParams" else {})
            for p in task.get(side) or []
        ]
    return entry


def as_tar_gz(files: dict[str, bytes], *, folder: str = "") -> bytes:
    """The files as a .tar.gz archive (under ``folder``), what ``resourceImport`` reads back."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for path, data in files.items():
            info = tarfile.TarInfo(f"{folder}/{path}" if folder else path)
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()
