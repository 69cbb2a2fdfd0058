"""Reads of parameter types, plugins, plugin files and their snapshots.

Everything a user sees comes through ``for_user``; lists fetch their relations up front so the
number of queries does not grow with the page size, and ``with_parameter_types`` loads the types a
page of files names, so that serializers never query.
"""

from collections.abc import Sequence

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from core.versioning import with_snapshot
from plugins_app.manifest import task_type_ids
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from tags.models import Tag


def _tags() -> Prefetch:
    return Prefetch("tags", Tag.objects.alive().select_related("group"))


def parameter_type_list(*, user) -> QuerySet:
    """Parameter types ``user`` may read, with snapshot ids, groups, creators and tags."""
    types = PluginParameterType.objects.for_user(user, "read").select_related("group", "creator")
    return with_snapshot(types).prefetch_related(_tags())


def plugin_list(*, user) -> QuerySet:
    """Plugins ``user`` may read, with their live files (``live_files``) and tags."""
    files = PluginFile.objects.alive().select_related("group").order_by("filename")
    plugins = Plugin.objects.for_user(user, "read").select_related("group", "creator")
    return with_snapshot(plugins).prefetch_related(
        _tags(), Prefetch("files", files, to_attr="live_files")
    )


def plugin_get(*, user, pk) -> Plugin:
    """One plugin ``user`` may read (404 otherwise), without its relations."""
    return get_object_or_404(Plugin.objects.for_user(user, "read").select_related("group"), pk=pk)


def plugin_file_list(*, user, plugin: Plugin) -> QuerySet:
    """The live files of ``plugin`` that ``user`` may read, with snapshot ids and tags."""
    files = PluginFile.objects.for_user(user, "read").filter(plugin=plugin)
    files = files.select_related("group", "creator", "plugin__group")
    return with_snapshot(files).prefetch_related(_tags())


def group_parameter_types(*, group) -> list[PluginParameterType]:
    """The live parameter types of ``group`` (not scoped by user: for the services' checks)."""
    return list(PluginParameterType.objects.alive().filter(group=group))


def missing_type_ids(*, group, ids) -> list[int]:
    """The ids among ``ids`` that are not live parameter types of ``group``, sorted."""
    found = PluginParameterType.objects.alive().filter(group=group, pk__in=ids)
    return sorted(set(ids) - set(found.values_list("pk", flat=True)))


def parameter_types_by_id(ids) -> dict[int, PluginParameterType]:
    """Types by id, deleted ones included (refs in task declarations and history stay readable)."""
    if not ids:
        return {}
    return PluginParameterType.objects.select_related("group").in_bulk(list(ids))


def with_parameter_types(files: Sequence) -> Sequence:
    """Set ``parameter_types`` (type id -> type, deleted ones included) on plugin files or file
    snapshots: the types their tasks name, for all of them in one query."""
    used = [task_type_ids(f.tasks) for f in files]
    types = parameter_types_by_id(set().union(*used))
    for plugin_file, ids in zip(files, used, strict=True):
        plugin_file.parameter_types = {pk: types[pk] for pk in ids if pk in types}
    return files


def plugin_search(*, user, search: str = "", group=None) -> QuerySet:
    """The plugin list page's plugins: a term in the name or description, a group; with the
    task declarations of their live files (``live_files``, contents left out) and the name of
    whoever wrote their latest snapshot (``last_editor``). Manifests are left out: they hold
    every file's contents."""
    files = (
        PluginFile.objects.alive().only("id", "plugin_id", "filename", "tasks").order_by("filename")
    )
    plugins = Plugin.objects.for_user(user, "read").select_related("group").defer("manifest")
    if search:
        plugins = plugins.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if group is not None:
        plugins = plugins.filter(group=group)
    latest = Plugin.history.filter(id=OuterRef("pk")).order_by("-history_id")
    return (
        with_snapshot(plugins)
        .annotate(last_editor=Subquery(latest.values("history_user__username")[:1]))
        .prefetch_related(Prefetch("files", files, to_attr="live_files"))
        .order_by("name", "pk")
    )


def plugin_page_get(*, user, pk) -> Plugin:
    """One plugin ``user`` may read with what its page shows: snapshot, creator, the live files
    (``live_files``, contents left out) with the types their tasks name (``DoesNotExist``
    otherwise)."""
    files = PluginFile.objects.alive().defer("contents").order_by("filename")
    plugin = (
        with_snapshot(
            Plugin.objects.for_user(user, "read")
            .select_related("group", "creator")
            .defer("manifest")
        )
        .prefetch_related(Prefetch("files", with_snapshot(files), to_attr="live_files"))
        .get(pk=pk)
    )
    with_parameter_types(plugin.live_files)
    return plugin


def plugin_file_get(*, user, plugin: Plugin, pk) -> PluginFile:
    """One live file of ``plugin`` that ``user`` may read, with its snapshot id
    (``DoesNotExist`` otherwise)."""
    files = with_snapshot(PluginFile.objects.for_user(user, "read").filter(plugin=plugin))
    return files.select_related("group").get(pk=pk)
