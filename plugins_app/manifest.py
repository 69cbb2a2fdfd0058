"""A plugin's manifest: everything an entrypoint needs from a plugin, frozen at each plugin save.

``{"files": [{id, filename, snapshotId, contents, description, tasks}],
"types": {"<id>": {id, name, structure, snapshotId}}}``: the live files with their task
declarations (``PluginFile.tasks``, parameter types by id) and frozen copies of every type those
tasks use, with the types their structures name. A plugin snapshot therefore validates the same
however its files and types change later.
"""

from core.versioning import latest_history_ids
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.validators import structure_type_names

TASK_KINDS = ("functions", "artifacts")
PARAM_SIDES = ("inputParams", "outputParams")


def task_type_ids(tasks) -> set[int]:
    """Every parameter type id a tasks declaration uses."""
    return {
        param["parameterType"]
        for kind in TASK_KINDS
        for task in (tasks or {}).get(kind, [])
        for side in PARAM_SIDES
        for param in task.get(side, [])
    }


def frozen_types(group, type_ids: set[int]) -> dict[str, dict]:
    """Frozen copies (name, structure, snapshot id) of the types with these ids and of every
    type their structures name, transitively: what a snapshot needs to validate as it was."""
    group_types = {t.name: t for t in PluginParameterType.objects.alive().filter(group=group)}
    by_id = {t.pk: t for t in group_types.values()}
    pending = [by_id[pk] for pk in type_ids if pk in by_id]
    closure: dict[int, PluginParameterType] = {}
    while pending:
        param_type = pending.pop()
        if param_type.pk in closure:
            continue
        closure[param_type.pk] = param_type
        pending += [
            group_types[n] for n in structure_type_names(param_type.structure) if n in group_types
        ]
    snapshot_ids = latest_history_ids(PluginParameterType, closure)
    return {
        str(pk): {
            "id": pk,
            "name": t.name,
            "structure": t.structure,
            "snapshotId": snapshot_ids.get(pk),
        }
        for pk, t in sorted(closure.items())
    }


def build_manifest(plugin: Plugin) -> dict:
    """The manifest of ``plugin`` as its live files and the group's types are now."""
    files = list(PluginFile.objects.alive().filter(plugin=plugin).order_by("filename"))
    file_snapshots = latest_history_ids(PluginFile, [f.pk for f in files])
    type_ids = set().union(*(task_type_ids(f.tasks) for f in files))
    return {
        "files": [
            {
                "id": f.pk,
                "filename": f.filename,
                "snapshotId": file_snapshots.get(f.pk),
                "contents": f.contents,
                "description": f.description,
                "tasks": f.tasks,
            }
            for f in files
        ],
        "types": frozen_types(plugin.group, type_ids),
    }
