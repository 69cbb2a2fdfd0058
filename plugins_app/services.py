"""Writes for parameter types, plugins and plugin files.

Every change to a plugin or one of its files ends in exactly one ``plugin.save()`` after the
manifest (files, task signatures, the types they use) is rebuilt, so each plugin history record
is a complete, frozen plugin snapshot that entrypoints pin.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict
from plugins_app.models import BUILTIN_TYPE_NAMES, Plugin, PluginFile, PluginParameterType
from plugins_app.validators import (
    structure_type_names,
    validate_filename,
    validate_plugin_name,
    validate_structure_shape,
    validate_type_name,
)

NAME_TAKEN = "A {kind} named {name!r} already exists in this group."
FILENAME_TAKEN = "This plugin already has a file named {name!r}."
BUILTIN_READ_ONLY = "Builtin type {name!r} cannot be changed or deleted."
UNKNOWN_TYPE_IDS = "Unknown parameter type id(s) for this group: {ids}."
UNKNOWN_TYPE_NAMES = "The structure refers to types that do not exist in this group: {names}."
DUPLICATE_PARAM = "Task {task!r} declares {param!r} twice."
TASK_KINDS = ("functions", "artifacts")


def _save(instance, user) -> None:
    instance._history_user = user
    instance.save()


def _live(queryset):
    return queryset.filter(deleted_on__isnull=True)


# Parameter types -------------------------------------------------------------------------------


def ensure_builtin_types(group) -> None:
    """Create the builtin types in ``group`` if missing (they exist in every group)."""
    existing = set(_live(PluginParameterType.objects.filter(group=group)).values_list("name", flat=True))
    for name in BUILTIN_TYPE_NAMES:
        if name not in existing:
            param_type = PluginParameterType(group=group, name=name, is_builtin=True,
                                             description=f"Builtin type {name}.")
            _save(param_type, None)


def _check_type_fields(*, group, name: str, structure, exclude_pk=None) -> None:
    validate_type_name(name)
    validate_structure_shape(structure)
    taken = _live(PluginParameterType.objects.filter(group=group, name=name)).exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(NAME_TAKEN.format(kind="parameter type", name=name))
    referenced = structure_type_names(structure) - {name}
    known = set(_live(PluginParameterType.objects.filter(group=group, name__in=referenced))
                .values_list("name", flat=True))
    if missing := sorted(referenced - known):
        raise ValidationError({"structure": [UNKNOWN_TYPE_NAMES.format(names=", ".join(missing))]})


@transaction.atomic
def parameter_type_create(*, user, group, name: str, description: str = "", structure=None):
    _check_type_fields(group=group, name=name, structure=structure)
    param_type = PluginParameterType(group=group, creator=user, name=name,
                                     description=description, structure=structure)
    _save(param_type, user)
    return param_type


@transaction.atomic
def parameter_type_update(*, user, param_type, name: str, description: str = "", structure=None):
    if param_type.is_builtin:
        raise PermissionDenied(BUILTIN_READ_ONLY.format(name=param_type.name))
    _check_type_fields(group=param_type.group, name=name, structure=structure, exclude_pk=param_type.pk)
    param_type.name, param_type.description, param_type.structure = name, description, structure
    _save(param_type, user)
    return param_type


@transaction.atomic
def parameter_type_delete(*, user, param_type) -> None:
    if param_type.is_builtin:
        raise PermissionDenied(BUILTIN_READ_ONLY.format(name=param_type.name))
    param_type.deleted_on = timezone.now()
    _save(param_type, user)


# Plugins -----------------------------------------------------------------------------------------


def _check_plugin_name(*, group, name: str, exclude_pk=None) -> None:
    validate_plugin_name(name)
    if _live(Plugin.objects.filter(group=group, name=name)).exclude(pk=exclude_pk).exists():
        raise Conflict(NAME_TAKEN.format(kind="plugin", name=name))


@transaction.atomic
def plugin_create(*, user, group, name: str, description: str = "") -> Plugin:
    _check_plugin_name(group=group, name=name)
    plugin = Plugin(group=group, creator=user, name=name, description=description)
    plugin.manifest = {"files": [], "types": {}}
    _save(plugin, user)
    return plugin


@transaction.atomic
def plugin_update(*, user, plugin: Plugin, name: str, description: str = "") -> Plugin:
    _check_plugin_name(group=plugin.group, name=name, exclude_pk=plugin.pk)
    plugin.name, plugin.description = name, description
    plugin.manifest = build_manifest(plugin)
    _save(plugin, user)
    return plugin


@transaction.atomic
def plugin_delete(*, user, plugin: Plugin) -> None:
    plugin.deleted_on = timezone.now()
    _save(plugin, user)


# Plugin files ------------------------------------------------------------------------------------


def _clean_tasks(*, group, tasks) -> dict:
    """Normalise a tasks declaration and check that its type ids belong to ``group``."""
    tasks = {kind: list((tasks or {}).get(kind) or []) for kind in TASK_KINDS}
    type_ids = set()
    for kind in TASK_KINDS:
        for task in tasks[kind]:
            for side in ("inputParams", "outputParams"):
                names = [param["name"] for param in task.get(side, [])]
                if dupes := sorted({n for n in names if names.count(n) > 1}):
                    raise ValidationError({"tasks": [DUPLICATE_PARAM.format(task=task["name"], param=dupes[0])]})
                type_ids.update(param["parameterType"] for param in task.get(side, []))
    found = set(_live(PluginParameterType.objects.filter(group=group, pk__in=type_ids)).values_list("pk", flat=True))
    if missing := sorted(type_ids - found):
        raise ValidationError({"tasks": [UNKNOWN_TYPE_IDS.format(ids=", ".join(map(str, missing)))]})
    return tasks


def _check_filename(*, plugin, filename: str, exclude_pk=None) -> None:
    validate_filename(filename)
    if _live(plugin.files.filter(filename=filename)).exclude(pk=exclude_pk).exists():
        raise Conflict(FILENAME_TAKEN.format(name=filename))


def _touch_plugin(plugin: Plugin, user) -> None:
    plugin.manifest = build_manifest(plugin)
    _save(plugin, user)


@transaction.atomic
def plugin_file_create(*, user, plugin: Plugin, filename: str, contents: str = "",
                       description: str = "", tasks=None) -> PluginFile:
    _check_filename(plugin=plugin, filename=filename)
    plugin_file = PluginFile(plugin=plugin, filename=filename, contents=contents, description=description,
                             tasks=_clean_tasks(group=plugin.group, tasks=tasks))
    _save(plugin_file, user)
    _touch_plugin(plugin, user)
    return plugin_file


@transaction.atomic
def plugin_file_update(*, user, plugin_file: PluginFile, filename: str, contents: str = "",
                       description: str = "", tasks=None) -> PluginFile:
    plugin = plugin_file.plugin
    _check_filename(plugin=plugin, filename=filename, exclude_pk=plugin_file.pk)
    plugin_file.filename, plugin_file.contents, plugin_file.description = filename, contents, description
    plugin_file.tasks = _clean_tasks(group=plugin.group, tasks=tasks)
    _save(plugin_file, user)
    _touch_plugin(plugin, user)
    return plugin_file


@transaction.atomic
def plugin_file_delete(*, user, plugin_file: PluginFile) -> None:
    plugin_file.deleted_on = timezone.now()
    _save(plugin_file, user)
    _touch_plugin(plugin_file.plugin, user)


# The manifest ------------------------------------------------------------------------------------


def _type_closure(group, type_ids: set[int]) -> dict[str, dict]:
    """The types with these ids plus every type their structures name, transitively."""
    group_types = {t.name: t for t in _live(PluginParameterType.objects.filter(group=group))}
    by_id = {t.pk: t for t in group_types.values()}
    pending = [by_id[pk] for pk in type_ids if pk in by_id]
    closure: dict[int, PluginParameterType] = {}
    while pending:
        param_type = pending.pop()
        if param_type.pk in closure:
            continue
        closure[param_type.pk] = param_type
        pending += [group_types[n] for n in structure_type_names(param_type.structure) if n in group_types]
    snapshot_ids = _latest_history_ids(PluginParameterType, closure)
    return {
        str(pk): {"id": pk, "name": t.name, "structure": t.structure, "snapshotId": snapshot_ids.get(pk)}
        for pk, t in sorted(closure.items())
    }


def _latest_history_ids(model, pks) -> dict[int, int]:
    from django.db.models import Max

    rows = model.history.filter(id__in=list(pks)).values("id").annotate(latest=Max("history_id"))
    return {row["id"]: row["latest"] for row in rows}


def build_manifest(plugin: Plugin) -> dict:
    """Everything an entrypoint needs from this plugin, frozen: files, tasks, types used."""
    files = list(_live(plugin.files.all()).order_by("filename"))
    file_snapshots = _latest_history_ids(PluginFile, [f.pk for f in files])
    type_ids = {
        param["parameterType"]
        for f in files for kind in TASK_KINDS for task in f.tasks.get(kind, [])
        for side in ("inputParams", "outputParams") for param in task.get(side, [])
    }
    return {
        "files": [
            {"id": f.pk, "filename": f.filename, "snapshotId": file_snapshots.get(f.pk),
             "contents": f.contents, "description": f.description, "tasks": f.tasks}
            for f in files
        ],
        "types": _type_closure(plugin.group, type_ids),
    }
