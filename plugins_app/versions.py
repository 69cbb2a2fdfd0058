"""What changed between two snapshots of a plugin: its name and description, its files (added,
removed, renamed, changed, with line diffs of their code) and its task declarations (added,
removed, changed inputs and outputs). Read from the frozen manifests; no queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.diffs import has_changes, line_diff

SUMMARY_PARTS = 5
KINDS = {"functions": "task", "artifacts": "artifact task"}


@dataclass(frozen=True)
class FileChange:
    kind: str  # added | removed | renamed | changed
    filename: str
    old_filename: str | None = None
    rows: tuple = ()  # line diff of the contents


@dataclass(frozen=True)
class TaskChange:
    kind: str  # added | removed | changed
    name: str
    what: str  # "task" | "artifact task"
    old: str | None = None  # its signature as text
    new: str | None = None


@dataclass
class PluginDiff:
    created: bool = False
    fields: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.files or self.tasks)

    def summary(self) -> str:
        if self.created:
            files = len(self.files)
            return f"created with {files} file{'s' if files != 1 else ''}"
        parts = []
        for name, _, new in self.fields:
            parts.append(f"renamed to {new}" if name == "name" else "changed the description")
        for kind in ("added", "removed", "renamed", "changed"):
            names = [
                f"{c.old_filename} → {c.filename}" if kind == "renamed" else c.filename
                for c in self.files
                if c.kind == kind
            ]
            if names:
                parts.append(f"{kind} file{'s' if len(names) > 1 else ''} {', '.join(names)}")
        for kind in ("added", "removed", "changed"):
            for what in KINDS.values():
                names = [c.name for c in self.tasks if c.kind == kind and c.what == what]
                if names:
                    plural = f"{what}s" if len(names) > 1 else what
                    parts.append(f"{kind} {plural} {', '.join(names)}")
        if not parts:
            return "no change to the content"
        if len(parts) > SUMMARY_PARTS:
            parts = [*parts[: SUMMARY_PARTS - 1], f"{len(parts) - SUMMARY_PARTS + 1} more changes"]
        return "; ".join(parts)


def _signature(task: dict, types: dict) -> str:
    def side(params) -> str:
        shown = []
        for param in params or []:
            kind = types.get(str(param.get("parameterType")), {}).get("name", "?")
            star = "*" if param.get("required") else ""
            shown.append(f"{param.get('name')}{star}: {kind}")
        return ", ".join(shown)

    outputs = side(task.get("outputParams"))
    return f"({side(task.get('inputParams'))})" + (f" → {outputs}" if outputs else "")


def task_signatures(manifest: dict | None) -> dict[tuple[str, str], str]:
    """(``"task"`` or ``"artifact task"``, name) -> its signature as text, for a manifest."""
    manifest = manifest or {}
    types = manifest.get("types") or {}
    return {
        (KINDS[kind], str(task.get("name"))): _signature(task, types)
        for file in manifest.get("files") or []
        for kind in KINDS
        for task in (file.get("tasks") or {}).get(kind, [])
    }


def compare(old, new) -> PluginDiff:
    """``old`` to ``new``: two plugin snapshots (anything with ``name``, ``description`` and
    ``manifest``); ``old`` ``None`` for the first."""
    diff = PluginDiff(created=old is None)
    old_manifest = (old.manifest if old is not None else None) or {}
    new_manifest = new.manifest or {}
    if old is not None:
        for name in ("name", "description"):
            if (getattr(old, name) or "") != (getattr(new, name) or ""):
                diff.fields.append((name, getattr(old, name), getattr(new, name)))
    before = {f["id"]: f for f in old_manifest.get("files") or []}
    after = {f["id"]: f for f in new_manifest.get("files") or []}
    for pk, file in after.items():
        previous = before.get(pk)
        rows = tuple(line_diff(previous["contents"] if previous else "", file.get("contents", "")))
        if previous is None:
            diff.files.append(FileChange("added", file["filename"], rows=rows))
        elif previous["filename"] != file["filename"]:
            diff.files.append(FileChange("renamed", file["filename"], previous["filename"], rows))
        elif has_changes(rows):
            diff.files.append(FileChange("changed", file["filename"], rows=rows))
    diff.files += [
        FileChange("removed", f["filename"], rows=tuple(line_diff(f.get("contents", ""), "")))
        for pk, f in before.items()
        if pk not in after
    ]
    old_tasks, new_tasks = task_signatures(old_manifest), task_signatures(new_manifest)
    for (what, name), signature in new_tasks.items():
        if (what, name) not in old_tasks:
            diff.tasks.append(TaskChange("added", name, what, new=signature))
        elif old_tasks[(what, name)] != signature:
            diff.tasks.append(TaskChange("changed", name, what, old_tasks[(what, name)], signature))
    diff.tasks += [
        TaskChange("removed", name, what, old=signature)
        for (what, name), signature in old_tasks.items()
        if (what, name) not in new_tasks
    ]
    return diff
