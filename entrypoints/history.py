"""What changed between two snapshots of an entrypoint, in a line a person reads.

``change_summary(older, newer)`` reads only the snapshots' fields (historical records, or
anything with the same attributes), so a history list, the admin and the editor's history panel
all say the same. Which plugin a pinned snapshot id belongs to is not in those fields: callers
pass ``plugins`` (snapshot id -> a ``Plugin.history`` record, e.g.
``entrypoints.selectors.plugin_snapshots``), else snapshots are named by their ids.
"""

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from core.snapshots import NO_CHANGES, is_deletion, restore_note
from entrypoints.taskgraph import artifact_graph_outputs, task_graph_steps


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@lru_cache(maxsize=512)
def _entries(text: str, kind: str) -> tuple[tuple[str, str], ...] | None:
    """``(name, canonical value)`` of a text's steps or artifact outputs (None: unreadable).

    Cached: a history page reads each snapshot's texts twice (as the older and the newer)."""
    read = task_graph_steps if kind == "steps" else artifact_graph_outputs
    found = read(text or "")
    if found is None:
        return None
    return tuple((str(name), _canonical(value)) for name, value in found.items())


def _noun(noun: str, names: list[str]) -> str:
    return f"{noun}{'' if len(names) == 1 else 's'} {', '.join(names)}"


def _named(verb: str, noun: str, names: list[str]) -> str:
    return f"{verb} {_noun(noun, names)}"


def _compare(noun: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Added, removed and changed entries, by name (in the newer order, removed in the older)."""
    parts = []
    for verb, names in (
        ("added", [n for n in new if n not in old]),
        ("removed", [n for n in old if n not in new]),
        ("changed", [n for n in new if n in old and old[n] != new[n]]),
    ):
        if names:
            parts.append(_named(verb, noun, names))
    return parts


def _texts(noun: str, what: str, kind: str, old_text: str, new_text: str) -> list[str]:
    if (old_text or "") == (new_text or ""):
        return []
    old, new = _entries(old_text or "", kind), _entries(new_text or "", kind)
    if old is None or new is None:
        return [f"edited the {what} (it does not parse)" if new is None else f"edited the {what}"]
    return _compare(noun, dict(old), dict(new)) or [f"edited the {what} (layout or comments)"]


def _by_name(items: list[dict]) -> dict[str, str]:
    return {item["name"]: _canonical(item) for item in items or []}


def _pins(
    snapshot_ids: list[int], plugins: Mapping[int, Any]
) -> tuple[dict[Any, int], dict[Any, str]]:
    """Plugin -> pinned snapshot id, and plugin -> its name (a snapshot id whose plugin is not
    known stands for a plugin of its own)."""
    pins, names = {}, {}
    for sid in snapshot_ids or []:
        record = plugins.get(sid)
        key = record.id if record is not None else ("snapshot", sid)
        pins[key] = sid
        names[key] = record.name if record is not None else f"snapshot {sid}"
    return pins, names


def _plugins(noun: str, old_ids, new_ids, plugins: Mapping[int, Any]) -> list[str]:
    old, old_names = _pins(old_ids, plugins)
    new, new_names = _pins(new_ids, plugins)
    names = old_names | new_names
    parts = []
    for verb, keys in (
        ("added", [k for k in new if k not in old]),
        ("removed", [k for k in old if k not in new]),
        ("synced", [k for k in new if k in old and old[k] != new[k]]),
    ):
        if keys:
            parts.append(_named(verb, noun, [names[k] for k in keys]))
    return parts


def _count(noun: str, items) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _created(snapshot, plugins: Mapping[int, Any]) -> str:
    steps = _entries(snapshot.task_graph or "", "steps")
    parts = [
        "created with a task graph that does not parse"
        if steps is None
        else f"created with {_count('step', steps)}",
        _count("parameter", snapshot.parameters or []),
    ]
    _, names = _pins(snapshot.plugin_snapshot_ids, plugins)
    if names:
        parts.append(_noun("plugin", list(names.values())))
    return ", ".join(parts)


def change_summary(older, newer, *, plugins: Mapping[int, Any] | None = None) -> str:
    """One line saying what ``newer`` changed in ``older`` (``None``: ``newer`` is the first
    snapshot), e.g. "changed step train; added parameter epochs; synced plugin hello"."""
    plugins = plugins or {}
    if is_deletion(older, newer):
        return "deleted"
    if older is None:
        return _created(newer, plugins)
    parts = [note] if (note := restore_note(newer)) else []
    if older.name != newer.name:
        parts.append(f"renamed {older.name} to {newer.name}")
    if (older.description or "") != (newer.description or ""):
        parts.append("changed the description")
    parts += _texts("step", "task graph", "steps", older.task_graph, newer.task_graph)
    parts += _texts(
        "artifact output", "artifact graph", "outputs", older.artifact_graph, newer.artifact_graph
    )
    parts += _compare("parameter", _by_name(older.parameters), _by_name(newer.parameters))
    parts += _compare(
        "artifact parameter",
        _by_name(older.artifact_parameters),
        _by_name(newer.artifact_parameters),
    )
    parts += _plugins("plugin", older.plugin_snapshot_ids, newer.plugin_snapshot_ids, plugins)
    parts += _plugins(
        "artifact plugin",
        older.artifact_plugin_snapshot_ids,
        newer.artifact_plugin_snapshot_ids,
        plugins,
    )
    if older.valid != newer.valid:
        parts.append("now valid" if newer.valid else "now invalid")
    return "; ".join(parts) or NO_CHANGES
