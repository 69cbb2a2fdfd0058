"""Writes for parameter types, plugins and plugin files.

Every change to a plugin or one of its files ends in exactly one ``plugin.save()`` after the
manifest (``plugins_app.manifest``: files, task signatures, the types they use) is rebuilt, so
each plugin history record is a complete, frozen plugin snapshot that entrypoints pin.

Callers hand in data already shaped by the API serializers (or the admin forms that reuse them);
these functions enforce the rules that need the database: unique names, types of the group,
type definitions that resolve, and nothing in use disappearing.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access.services import (
    RESTORED,
    owned_name_check,
    owned_save,
    owned_snapshot,
    owned_soft_delete,
)
from core.errors import Conflict
from entrypoints.taskgraph import BUILTIN_TYPE_NAMES
from plugins_app.manifest import PARAM_SIDES, TASK_KINDS, build_manifest, task_type_ids
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.selectors import group_parameter_types, missing_type_ids
from plugins_app.validators import (
    TYPE_CYCLE,
    structure_errors,
    structure_type_names,
    type_cycle,
    validate_filename,
    validate_plugin_name,
    validate_type_name,
)

FILENAME_TAKEN = "This plugin already has a file named {name!r}."
BUILTIN_READ_ONLY = "Builtin type {name!r} cannot be changed or deleted."
TYPE_IN_USE = "Type {name!r} is in use by {users}; change those first."
DEPENDENT_BROKEN = "Type {name!r} would become invalid: {error}"
UNKNOWN_TYPE_IDS = "Unknown parameter type id(s) for this plugin's group: {ids}."
FILE_FIELDS = ("filename", "contents", "description", "tasks")


# Parameter types -------------------------------------------------------------------------------


def ensure_builtin_types(group) -> None:
    """Create the builtin types in ``group`` if missing (they exist in every group)."""
    existing = set(
        PluginParameterType.objects.alive().filter(group=group).values_list("name", flat=True)
    )
    for name in BUILTIN_TYPE_NAMES:
        if name not in existing:
            param_type = PluginParameterType(
                group=group, name=name, is_builtin=True, description=f"Builtin type {name}."
            )
            owned_save(param_type, user=None, reason="Builtin type")


def _structure_users(param_type, types) -> list[str]:
    """Other types among ``types`` whose structures name ``param_type`` (they break if it is
    renamed or goes)."""
    return [
        f"type {other.name!r}"
        for other in types
        if other.pk != param_type.pk and param_type.name in structure_type_names(other.structure)
    ]


def _file_users(group, param_type) -> list[str]:
    """Live plugin files whose tasks use ``param_type`` (by id: a rename does not affect them)."""
    # Not the contents: they can be large and only the task declarations matter here.
    files = (
        PluginFile.objects.alive()
        .filter(group=group)
        .select_related("plugin")
        .only("filename", "tasks", "plugin__name")
    )
    return [
        f"file {f.plugin.name}/{f.filename}"
        for f in files
        if param_type.pk in task_type_ids(f.tasks)
    ]


def parameter_type_check(
    *, group, name: str, structure, current: PluginParameterType | None = None
) -> None:
    """Name rules, uniqueness, a structure that resolves in the group, and intact dependents."""
    validate_type_name(name)
    owned_name_check(
        model=PluginParameterType,
        group=group,
        name=name,
        exclude_pk=current.pk if current else None,
    )
    others = [
        t for t in group_parameter_types(group=group) if current is None or t.pk != current.pk
    ]
    renamed = current is not None and name != current.name
    if renamed and (users := _structure_users(current, others)):
        raise Conflict(TYPE_IN_USE.format(name=current.name, users=", ".join(users)))
    types = {t.name: t.structure for t in others} | {name: structure}
    if errors := structure_errors(structure, types=types):
        raise ValidationError({"structure": errors})
    if cycle := type_cycle(name, types):
        raise ValidationError({"structure": [TYPE_CYCLE.format(cycle=" > ".join(cycle))]})
    for other in others:
        if name in structure_type_names(other.structure):
            if errors := structure_errors(other.structure, types=types):
                raise ValidationError(
                    {"structure": [DEPENDENT_BROKEN.format(name=other.name, error=errors[0])]}
                )


@transaction.atomic
def parameter_type_create(
    *, user, group, name: str, description: str | None = None, structure=None
) -> PluginParameterType:
    """Define a type in ``group``; ``structure`` is ``None`` (a simple type) or one structure
    (``is_a``, ``list``, ``tuple``, ``mapping`` or ``union``) naming other types of the group."""
    parameter_type_check(group=group, name=name, structure=structure)
    param_type = PluginParameterType(
        group=group, creator=user, name=name, description=description, structure=structure
    )
    owned_save(param_type, user=user, reason="Created")
    return param_type


@transaction.atomic
def parameter_type_update(
    *,
    user,
    param_type: PluginParameterType,
    name: str,
    description: str | None = None,
    structure=None,
    reason: str = "Updated",
) -> PluginParameterType:
    """Replace a type's name, description and structure (builtin types are read-only: 403)."""
    if param_type.is_builtin:
        raise PermissionDenied(BUILTIN_READ_ONLY.format(name=param_type.name))
    parameter_type_check(group=param_type.group, name=name, structure=structure, current=param_type)
    param_type.name, param_type.description, param_type.structure = name, description, structure
    owned_save(param_type, user=user, reason=reason)
    return param_type


def parameter_type_restore(*, user, param_type: PluginParameterType, snapshot_id: int):
    """Make a type what one of its snapshots was (a new snapshot; the usual checks apply)."""
    record = owned_snapshot(param_type, snapshot_id)
    return parameter_type_update(
        user=user,
        param_type=param_type,
        name=record.name,
        description=record.description,
        structure=record.structure,
        reason=RESTORED.format(snapshot=snapshot_id),
    )


def parameter_type_check_delete(param_type: PluginParameterType) -> None:
    """Builtin types are read-only (403); types in use cannot go (409)."""
    if param_type.is_builtin:
        raise PermissionDenied(BUILTIN_READ_ONLY.format(name=param_type.name))
    group = param_type.group
    users = _structure_users(param_type, group_parameter_types(group=group)) + _file_users(
        group, param_type
    )
    if users:
        raise Conflict(TYPE_IN_USE.format(name=param_type.name, users=", ".join(users)))


@transaction.atomic
def parameter_type_delete(*, user, param_type: PluginParameterType) -> None:
    """Soft-delete a type nothing uses any more (builtin types are read-only: 403)."""
    parameter_type_check_delete(param_type)
    owned_soft_delete(param_type, user=user, reason="Deleted")


# Plugins -----------------------------------------------------------------------------------------


def plugin_name_check(*, group, name: str, exclude_pk=None) -> None:
    """An identifier not used by another live plugin of the group (400 / 409)."""
    validate_plugin_name(name)
    owned_name_check(model=Plugin, group=group, name=name, exclude_pk=exclude_pk)


def _save_plugin(plugin: Plugin, user, reason: str) -> None:
    """The one save per change: rebuild the manifest, then write the plugin snapshot."""
    plugin.manifest = build_manifest(plugin)
    owned_save(plugin, user=user, reason=reason)


@transaction.atomic
def plugin_create(*, user, group, name: str, description: str | None = None) -> Plugin:
    """Create an empty plugin (its first snapshot)."""
    plugin_name_check(group=group, name=name)
    plugin = Plugin(group=group, creator=user, name=name, description=description)
    plugin.manifest = {"files": [], "types": {}}
    owned_save(plugin, user=user, reason="Created")
    return plugin


@transaction.atomic
def plugin_update(*, user, plugin: Plugin, name: str, description: str | None = None) -> Plugin:
    """Rename or re-describe a plugin: one new plugin snapshot."""
    plugin_name_check(group=plugin.group, name=name, exclude_pk=plugin.pk)
    plugin.name, plugin.description = name, description
    _save_plugin(plugin, user, "Updated")
    return plugin


@transaction.atomic
def plugin_delete(*, user, plugin: Plugin) -> None:
    """Soft-delete a plugin and its files (one last plugin snapshot, which keeps the files)."""
    now = timezone.now()
    for plugin_file in PluginFile.objects.alive().filter(plugin=plugin):
        owned_soft_delete(plugin_file, user=user, reason="Plugin deleted", when=now)
    owned_soft_delete(plugin, user=user, reason="Deleted", when=now)


@transaction.atomic
def plugin_restore(*, user, plugin: Plugin, snapshot_id: int) -> Plugin:
    """Make a plugin what one of its snapshots froze: name, description and files.

    Files the snapshot lacks are deleted, its files come back as they were (deleted ones
    revived), unchanged files keep their snapshot; one new plugin snapshot in all.
    """
    record = owned_snapshot(plugin, snapshot_id)
    reason = RESTORED.format(snapshot=snapshot_id)
    plugin_name_check(group=plugin.group, name=record.name, exclude_pk=plugin.pk)
    frozen = {entry["id"]: entry for entry in record.manifest.get("files", [])}
    now = timezone.now()
    for plugin_file in PluginFile.objects.alive().filter(plugin=plugin).exclude(pk__in=frozen):
        owned_soft_delete(plugin_file, user=user, reason=reason, when=now)
    for plugin_file in PluginFile.objects.filter(plugin=plugin, pk__in=frozen):
        fields = {name: frozen[plugin_file.pk][name] for name in FILE_FIELDS}
        if plugin_file.deleted_on is None and all(
            getattr(plugin_file, name) == value for name, value in fields.items()
        ):
            continue
        fields["tasks"] = plugin_file_check(
            plugin=plugin,
            filename=fields["filename"],
            tasks=fields["tasks"],
            exclude_pk=plugin_file.pk,
        )
        for name, value in fields.items():
            setattr(plugin_file, name, value)
        plugin_file.deleted_on = None
        owned_save(
            plugin_file,
            user=user,
            reason=reason,
            conflict=FILENAME_TAKEN.format(name=plugin_file.filename),
        )
    plugin.name, plugin.description = record.name, record.description
    _save_plugin(plugin, user, reason)
    return plugin


@transaction.atomic
def plugin_write_files(
    *,
    user,
    group,
    name: str,
    description: str | None,
    files: Sequence[dict],
    plugin: Plugin | None = None,
    reason: str = "Imported",
) -> tuple[Plugin, bool]:
    """Create a plugin holding exactly ``files`` (``[{filename, contents, tasks}]``), or make
    ``plugin`` hold exactly them: files are matched by filename (keeping their descriptions),
    the others deleted. One plugin snapshot in all, and none when nothing changes.

    Returns the plugin and whether anything was written.
    """
    if plugin is None:
        plugin_name_check(group=group, name=name)
        plugin = Plugin(group=group, creator=user, name=name, description=description)
        # The plugin needs an id before its files; its one snapshot is written with them below.
        plugin.skip_history_when_saving = True
        owned_save(plugin, user=user)
        del plugin.skip_history_when_saving
        changed = True
    else:
        plugin_name_check(group=plugin.group, name=name, exclude_pk=plugin.pk)
        changed = (plugin.name, plugin.description) != (name, description)
        plugin.name, plugin.description = name, description
    current = {f.filename: f for f in PluginFile.objects.alive().filter(plugin=plugin)}
    wanted = {entry["filename"] for entry in files}
    now = timezone.now()
    for filename, plugin_file in current.items():
        if filename not in wanted:
            owned_soft_delete(plugin_file, user=user, reason=reason, when=now)
            changed = True
    for entry in files:
        plugin_file = current.get(entry["filename"])
        tasks = plugin_file_check(
            plugin=plugin,
            filename=entry["filename"],
            tasks=entry["tasks"],
            exclude_pk=plugin_file.pk if plugin_file else None,
        )
        if plugin_file is None:
            plugin_file = PluginFile(
                plugin=plugin, group=plugin.group, creator=user, filename=entry["filename"]
            )
        elif (plugin_file.contents, plugin_file.tasks) == (entry["contents"], tasks):
            continue
        plugin_file.contents, plugin_file.tasks = entry["contents"], tasks
        owned_save(
            plugin_file,
            user=user,
            reason=reason,
            conflict=FILENAME_TAKEN.format(name=entry["filename"]),
        )
        changed = True
    if changed:
        _save_plugin(plugin, user, reason)
    return plugin, changed


# Plugin files ------------------------------------------------------------------------------------


def _clean_tasks(*, group, tasks) -> dict:
    """The declaration with both kinds and both sides present; its types must be of ``group``."""
    tasks = {
        kind: [
            {"name": task["name"], **{side: list(task.get(side, [])) for side in PARAM_SIDES}}
            for task in (tasks or {}).get(kind, [])
        ]
        for kind in TASK_KINDS
    }
    if missing := missing_type_ids(group=group, ids=task_type_ids(tasks)):
        raise ValidationError(
            {"tasks": [UNKNOWN_TYPE_IDS.format(ids=", ".join(map(str, missing)))]}
        )
    return tasks


def plugin_file_check(*, plugin, filename: str, tasks, exclude_pk=None) -> dict:
    """A module path free in the plugin (400 / 409) and tasks of the plugin's types (400).

    Returns the tasks declaration as stored.
    """
    validate_filename(filename)
    taken = PluginFile.objects.alive().filter(plugin=plugin, filename=filename)
    if taken.exclude(pk=exclude_pk).exists():
        raise Conflict(FILENAME_TAKEN.format(name=filename))
    return _clean_tasks(group=plugin.group, tasks=tasks)


def _write_file(plugin_file: PluginFile, user, reason: str, plugin_reason: str, **fields) -> None:
    """Check and save a file's new fields, then write the one plugin snapshot."""
    plugin = plugin_file.plugin
    fields["tasks"] = plugin_file_check(
        plugin=plugin, filename=fields["filename"], tasks=fields["tasks"], exclude_pk=plugin_file.pk
    )
    for name, value in fields.items():
        setattr(plugin_file, name, value)
    owned_save(
        plugin_file,
        user=user,
        reason=reason,
        conflict=FILENAME_TAKEN.format(name=plugin_file.filename),
    )
    _save_plugin(plugin, user, plugin_reason)


@transaction.atomic
def plugin_file_create(
    *,
    user,
    plugin: Plugin,
    filename: str,
    contents: str = "",
    description: str | None = None,
    tasks=None,
) -> PluginFile:
    """Add a file to a plugin: the file's first snapshot and one new plugin snapshot."""
    plugin_file = PluginFile(plugin=plugin, group=plugin.group, creator=user)
    _write_file(
        plugin_file,
        user,
        "Created",
        f"File {filename!r} added",
        filename=filename,
        contents=contents,
        description=description,
        tasks=tasks,
    )
    return plugin_file


@transaction.atomic
def plugin_file_update(
    *,
    user,
    plugin_file: PluginFile,
    filename: str,
    contents: str = "",
    description: str | None = None,
    tasks=None,
) -> PluginFile:
    """Replace a file's fields: a new file snapshot and one new plugin snapshot."""
    _write_file(
        plugin_file,
        user,
        "Updated",
        f"File {filename!r} changed",
        filename=filename,
        contents=contents,
        description=description,
        tasks=tasks,
    )
    return plugin_file


@transaction.atomic
def plugin_file_restore(*, user, plugin_file: PluginFile, snapshot_id: int) -> PluginFile:
    """Make a live file what one of its snapshots was (new file and plugin snapshots)."""
    record = owned_snapshot(plugin_file, snapshot_id)
    reason = RESTORED.format(snapshot=snapshot_id)
    _write_file(
        plugin_file,
        user,
        reason,
        f"File {record.filename!r}: {reason.lower()}",
        **{name: getattr(record, name) for name in FILE_FIELDS},
    )
    return plugin_file


@transaction.atomic
def plugin_files_delete(*, user, plugin: Plugin, files=None) -> list[int]:
    """Soft-delete some (default: all) files of a plugin, in one plugin snapshot; returns ids."""
    now = timezone.now()
    files = list(PluginFile.objects.alive().filter(plugin=plugin) if files is None else files)
    for plugin_file in files:
        owned_soft_delete(plugin_file, user=user, reason="Deleted", when=now)
    if files:
        names = ", ".join(repr(f.filename) for f in files)
        _save_plugin(plugin, user, f"File{'s' if len(files) > 1 else ''} {names} deleted")
    return [f.pk for f in files]


def plugin_file_delete(*, user, plugin_file: PluginFile) -> None:
    """Soft-delete one file (one new plugin snapshot)."""
    plugin_files_delete(user=user, plugin=plugin_file.plugin, files=[plugin_file])
