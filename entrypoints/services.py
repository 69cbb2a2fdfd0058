"""Writes for entrypoints.

Every versioned write (create, update, delete, restore, attaching, syncing or detaching plugins)
ends in exactly one ``owned_save``, which writes exactly one snapshot (a history record) holding
the texts, parameter lists, pinned plugin snapshot ids, frozen artifact types and the engine's
verdict on exactly that content. Queues and tags change through ``core.related`` and write no
snapshot (as in Dioptra).

Callers hand in data shaped by the API serializers (or the admin form); these functions enforce
what needs the database or must hold for every caller: size caps (413), unique names (409),
parameter lists that make sense and objects of the entrypoint's own group (400 naming the field).
Permissions are the caller's business (the API's viewsets, the admin's group-scoped querysets),
except for what a request names by id: plugin snapshots must be readable by the caller.

``entrypoint_validate`` runs the same checks and shaping on a proposed entrypoint and answers the
engine's verdict without writing anything.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from access.services import owned_name_check, owned_save, owned_soft_delete
from core.errors import WRONG_GROUP, TooLarge
from entrypoints import engine, plugin_usage, selectors
from entrypoints.context import build_context
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import StaticContext
from entrypoints.validators import artifact_parameter_errors, flat, parameter_errors
from plugins_app.manifest import frozen_types
from plugins_app.models import Plugin
from plugins_app.selectors import missing_type_ids

TEXT_TOO_LARGE = "{field} is {size} bytes long; the limit is {limit} bytes."
NOT_ATTACHED = "Plugin {pk} is not attached to this entrypoint."
NO_SUCH_SNAPSHOT = "Entrypoint {entrypoint} has no snapshot {snapshot}."
SNAPSHOT_NOT_ALLOWED = (
    "Plugin snapshot {pk} is neither the snapshot attached now nor the latest snapshot of a "
    "plugin of this group."
)
SNAPSHOT_NOT_VISIBLE = (
    "Plugin snapshot with id={pk} does not exist, is not visible to you or is of another group."
)
TWO_SNAPSHOTS = "Two snapshots of plugin {pk} are listed; keep one."
UNKNOWN_TYPE = "Parameter type with id={pk} does not exist in this entrypoint's group."

PLUGINS = "plugins"
ARTIFACT_PLUGINS = "artifactPlugins"
_SNAPSHOT_FIELDS = {
    PLUGINS: "plugin_snapshot_ids",
    ARTIFACT_PLUGINS: "artifact_plugin_snapshot_ids",
}


# Checks -------------------------------------------------------------------------------------------


def check_text_sizes(**texts: str | None) -> None:
    """Refuse texts over the task-graph size cap (UTF-8 bytes), naming the field (413)."""
    limit = settings.TASKGRAPH_LIMITS["max_bytes"]
    for field, text in texts.items():
        if text and (size := len(text.encode())) > limit:
            raise TooLarge(TEXT_TOO_LARGE.format(field=field, size=size, limit=limit), field=field)


def check_parameters(*, parameters: Sequence[dict], artifact_parameters: Sequence[dict]) -> None:
    """Unique names, known parameter types, defaults that convert (400 naming the item)."""
    errors = {}
    if found := parameter_errors(parameters):
        errors["parameters"] = flat("parameters", found)
    if found := artifact_parameter_errors(artifact_parameters):
        errors["artifactParameters"] = flat("artifactParameters", found)
    if errors:
        raise ValidationError(errors)


def check_same_group(group, **objects: Iterable) -> None:
    """Every object is of ``group`` (400 naming the field)."""
    errors = {
        field: [
            WRONG_GROUP.format(kind="Object", pk=obj.pk)
            for obj in items
            if obj.group_id != group.pk
        ]
        for field, items in objects.items()
    }
    if errors := {field: messages for field, messages in errors.items() if messages}:
        raise ValidationError(errors)


def check_fields(
    *,
    group,
    name: str,
    task_graph: str,
    artifact_graph: str,
    description,
    parameters,
    artifact_parameters,
    exclude_pk=None,
    **related,
) -> None:
    """Everything a create or update must satisfy before it writes (shared with the admin)."""
    check_text_sizes(taskGraph=task_graph, artifactGraph=artifact_graph, description=description)
    owned_name_check(model=Entrypoint, group=group, name=name, exclude_pk=exclude_pk)
    check_parameters(parameters=parameters, artifact_parameters=artifact_parameters)
    check_same_group(group, **related)


# Shaping what is stored ---------------------------------------------------------------------------


def _pk_of(obj) -> int:
    return obj.pk if hasattr(obj, "pk") else obj


def _unique(objects: Iterable) -> list:
    return list({_pk_of(obj): obj for obj in objects}.values())


def _latest_snapshot_ids(plugins: Sequence) -> list[int]:
    latest = selectors.latest_plugin_snapshot_ids(_pk_of(p) for p in plugins)
    return [latest[_pk_of(p)] for p in plugins]


def stored_parameters(parameters: Sequence[dict]) -> list[dict]:
    """Entrypoint parameters as a snapshot stores them."""
    return [
        {
            "name": p["name"],
            "parameterType": p["parameterType"],
            "defaultValue": p.get("defaultValue"),
        }
        for p in parameters
    ]


def stored_artifact_parameters(
    *, group, artifact_parameters: Sequence[dict], field: str = "artifactParameters"
) -> tuple[list[dict], dict]:
    """Artifact parameters as stored (type ids) and the frozen definitions of their types.

    Every type must be a live type of ``group`` (400 naming ``field`` otherwise).
    """
    stored = [
        {
            "name": a["name"],
            "outputParams": [
                {"name": o["name"], "parameterType": _pk_of(o["parameterType"])}
                for o in a.get("outputParams") or []
            ],
        }
        for a in artifact_parameters
    ]
    type_ids = {o["parameterType"] for a in stored for o in a["outputParams"]}
    if not type_ids:
        return stored, {}
    if missing := missing_type_ids(group=group, ids=type_ids):
        raise ValidationError({field: [UNKNOWN_TYPE.format(pk=pk) for pk in missing]})
    return stored, frozen_types(group, type_ids)


def _chosen_snapshots(
    snapshot_ids: Sequence[int],
    *,
    plugins,
    field: str,
    refusal: str,
    latest_only: bool = False,
    current: Iterable[int] = (),
) -> list:
    """The plugin snapshot records ``snapshot_ids`` name, in order and each once, at most one per
    plugin. Each is in ``current`` or a snapshot of a plugin among ``plugins`` (a queryset), its
    latest one if ``latest_only``; 400 naming ``field`` otherwise (``refusal`` for the ids)."""
    records = selectors.plugin_snapshots(snapshot_ids)
    candidates = set(
        plugins.filter(pk__in={r.id for r in records.values()}).values_list("pk", flat=True)
    )
    latest = selectors.latest_plugin_snapshot_ids(candidates) if latest_only else {}
    current = set(current)
    errors, chosen = [], {}
    for sid in dict.fromkeys(snapshot_ids):
        record = records.get(sid)
        allowed = record is not None and (
            sid in current
            or (record.id in candidates and (not latest_only or latest.get(record.id) == sid))
        )
        if not allowed:
            errors.append(refusal.format(pk=sid))
        elif record.id in chosen:
            errors.append(TWO_SNAPSHOTS.format(pk=record.id))
        else:
            chosen[record.id] = record
    if errors:
        raise ValidationError({field: errors})
    return list(chosen.values())


def _lock(entrypoint: Entrypoint) -> None:
    """Read ``entrypoint`` again under a row lock (``SELECT ... FOR UPDATE``), held until the
    caller's transaction ends.

    Writes of one entrypoint (PUT, attaching, detaching, syncing, restoring, deleting) thus take
    turns, and each builds on what the previous one wrote rather than on what its caller read
    before: two concurrent attaches both stay attached, a PUT keeps a plugin attached meanwhile.
    ``DoesNotExist`` when the entrypoint was deleted meanwhile.
    """
    entrypoint.refresh_from_db(from_queryset=Entrypoint.objects.select_for_update())
    if entrypoint.deleted_on is not None:
        raise Entrypoint.DoesNotExist(f"Entrypoint {entrypoint.pk} was deleted.")


def _save(entrypoint: Entrypoint, *, user, reason: str) -> Entrypoint:
    """Judge the content with the engine, then write it: exactly one snapshot."""
    result = engine.verdict(
        task_graph=entrypoint.task_graph,
        artifact_graph=entrypoint.artifact_graph,
        context=engine.context_of(entrypoint),
    )
    entrypoint.valid = result.valid
    entrypoint.issues = [issue.to_dict() for issue in result.issues]
    owned_save(entrypoint, user=user, reason=reason)
    return entrypoint


# Create, update, delete, restore ------------------------------------------------------------------


def _set_content(
    entrypoint: Entrypoint,
    *,
    name: str,
    description: str | None,
    task_graph: str,
    artifact_graph: str,
    parameters: Sequence[dict],
    artifact_parameters: Sequence[dict],
) -> None:
    """Put checked request content on the instance in its stored form (artifact parameter
    types frozen with it)."""
    stored_artifacts, artifact_types = stored_artifact_parameters(
        group=entrypoint.group, artifact_parameters=artifact_parameters
    )
    entrypoint.name, entrypoint.description = name, description
    entrypoint.task_graph, entrypoint.artifact_graph = task_graph, artifact_graph
    entrypoint.parameters = stored_parameters(parameters)
    entrypoint.artifact_parameters, entrypoint.artifact_types = stored_artifacts, artifact_types


@transaction.atomic
def entrypoint_create(
    *,
    user,
    group,
    name: str,
    task_graph: str,
    description: str | None = None,
    artifact_graph: str | None = "",
    parameters: Sequence[dict] = (),
    artifact_parameters: Sequence[dict] = (),
    queues: Iterable = (),
    plugins: Iterable = (),
    artifact_plugins: Iterable = (),
) -> Entrypoint:
    """Create an entrypoint with its plugins pinned to their latest snapshots."""
    artifact_graph = artifact_graph or ""
    queues, plugins, artifact_plugins = _unique(queues), _unique(plugins), _unique(artifact_plugins)
    check_fields(
        group=group,
        name=name,
        task_graph=task_graph,
        artifact_graph=artifact_graph,
        description=description,
        parameters=parameters,
        artifact_parameters=artifact_parameters,
        queues=queues,
        plugins=plugins,
        artifactPlugins=artifact_plugins,
    )
    entrypoint = Entrypoint(
        group=group,
        creator=user,
        plugin_snapshot_ids=_latest_snapshot_ids(plugins),
        artifact_plugin_snapshot_ids=_latest_snapshot_ids(artifact_plugins),
    )
    _set_content(
        entrypoint,
        name=name,
        description=description,
        task_graph=task_graph,
        artifact_graph=artifact_graph,
        parameters=parameters,
        artifact_parameters=artifact_parameters,
    )
    _save(entrypoint, user=user, reason="Created")
    entrypoint.queues.set(queues)
    return entrypoint


@transaction.atomic
def entrypoint_update(
    *,
    user,
    entrypoint: Entrypoint,
    name: str,
    task_graph: str,
    description: str | None = None,
    artifact_graph: str | None = "",
    parameters: Sequence[dict] = (),
    artifact_parameters: Sequence[dict] = (),
    queues: Iterable = (),
    plugin_snapshot_ids: Sequence[int] | None = None,
    artifact_plugin_snapshot_ids: Sequence[int] | None = None,
) -> Entrypoint:
    """Replace the entrypoint's fields (PUT: omitted lists are cleared, as in Dioptra).

    Plugins stay as attached unless ``plugin_snapshot_ids`` / ``artifact_plugin_snapshot_ids``
    are given (Dioptra 1.2's client sends them): each must be a snapshot attached now or the
    latest snapshot of a plugin of the group; plugins not listed are detached.
    """
    _lock(entrypoint)
    artifact_graph = artifact_graph or ""
    queues = _unique(queues)
    check_fields(
        group=entrypoint.group,
        name=name,
        task_graph=task_graph,
        artifact_graph=artifact_graph,
        description=description,
        parameters=parameters,
        artifact_parameters=artifact_parameters,
        exclude_pk=entrypoint.pk,
        queues=queues,
    )
    for kind, snapshot_ids, field in (
        (PLUGINS, plugin_snapshot_ids, "pluginSnapshotIds"),
        (ARTIFACT_PLUGINS, artifact_plugin_snapshot_ids, "artifactPluginSnapshotIds"),
    ):
        if snapshot_ids is not None:
            attribute = _SNAPSHOT_FIELDS[kind]
            chosen = _chosen_snapshots(
                snapshot_ids,
                plugins=Plugin.objects.alive().filter(group=entrypoint.group),
                field=field,
                refusal=SNAPSHOT_NOT_ALLOWED,
                latest_only=True,
                current=getattr(entrypoint, attribute),
            )
            setattr(entrypoint, attribute, [record.history_id for record in chosen])
    _set_content(
        entrypoint,
        name=name,
        description=description,
        task_graph=task_graph,
        artifact_graph=artifact_graph,
        parameters=parameters,
        artifact_parameters=artifact_parameters,
    )
    _save(entrypoint, user=user, reason="Updated")
    entrypoint.queues.set(queues)
    return entrypoint


@transaction.atomic
def entrypoint_delete(*, user, entrypoint: Entrypoint) -> None:
    """Soft-delete: the entrypoint leaves lists and reads; its snapshots stay."""
    _lock(entrypoint)
    owned_soft_delete(entrypoint, user=user, reason="Deleted")


@transaction.atomic
def entrypoint_restore(
    *, user, entrypoint: Entrypoint, snapshot_id: int, sync_plugins: bool = False
) -> Entrypoint:
    """Write a new snapshot with the content of an old one, judged again (``sync_plugins``: with
    its plugins moved to their latest snapshots, as ``entrypoint_plugins_sync`` would)."""
    _lock(entrypoint)
    record = entrypoint.history.filter(history_id=snapshot_id).first()
    if record is None:
        raise ValidationError(
            NO_SUCH_SNAPSHOT.format(entrypoint=entrypoint.pk, snapshot=snapshot_id)
        )
    check_text_sizes(
        taskGraph=record.task_graph,
        artifactGraph=record.artifact_graph,
        description=record.description,
    )
    owned_name_check(
        model=Entrypoint, group=entrypoint.group, name=record.name, exclude_pk=entrypoint.pk
    )
    for field in (
        "name",
        "description",
        "task_graph",
        "artifact_graph",
        "parameters",
        "artifact_parameters",
        "artifact_types",
        "plugin_snapshot_ids",
        "artifact_plugin_snapshot_ids",
    ):
        setattr(entrypoint, field, getattr(record, field))
    reason = f"Restored snapshot {snapshot_id}"
    if sync_plugins:
        entrypoint.plugin_snapshot_ids, entrypoint.artifact_plugin_snapshot_ids = (
            selectors.synced_pins(entrypoint)
        )
        reason += " with today's plugins"
    return _save(entrypoint, user=user, reason=reason)


# Plugins ------------------------------------------------------------------------------------------


def _attach(*, user, entrypoint: Entrypoint, kind: str, plugins: Iterable) -> Entrypoint:
    _lock(entrypoint)
    plugins = _unique(plugins)
    check_same_group(entrypoint.group, **{kind: plugins})
    field = _SNAPSHOT_FIELDS[kind]
    pinned = {
        record.id: sid
        for sid, record in selectors.plugin_snapshots(getattr(entrypoint, field)).items()
    }
    order = list(getattr(entrypoint, field))
    for plugin, latest in zip(plugins, _latest_snapshot_ids(plugins), strict=True):
        if (old := pinned.get(_pk_of(plugin))) is not None:
            order[order.index(old)] = latest
        else:
            order.append(latest)
    setattr(entrypoint, field, order)
    return _save(entrypoint, user=user, reason=f"Attached {kind}")


def _detach(*, user, entrypoint: Entrypoint, kind: str, plugin_id: int) -> Entrypoint:
    _lock(entrypoint)
    field = _SNAPSHOT_FIELDS[kind]
    records = selectors.plugin_snapshots(getattr(entrypoint, field))
    remaining = [
        sid
        for sid in getattr(entrypoint, field)
        if sid not in records or records[sid].id != plugin_id
    ]
    if len(remaining) == len(getattr(entrypoint, field)):
        raise LookupError(NOT_ATTACHED.format(pk=plugin_id))
    setattr(entrypoint, field, remaining)
    return _save(entrypoint, user=user, reason=f"Detached from {kind}")


@transaction.atomic
def entrypoint_plugins_attach(*, user, entrypoint: Entrypoint, plugins: Iterable) -> Entrypoint:
    """Pin the latest snapshot of each plugin (an attached plugin moves to its latest)."""
    return _attach(user=user, entrypoint=entrypoint, kind=PLUGINS, plugins=plugins)


@transaction.atomic
def entrypoint_plugin_detach(*, user, entrypoint: Entrypoint, plugin_id: int) -> Entrypoint:
    """Unpin a plugin (``LookupError`` when it is not attached)."""
    return _detach(user=user, entrypoint=entrypoint, kind=PLUGINS, plugin_id=plugin_id)


@transaction.atomic
def entrypoint_artifact_plugins_attach(
    *, user, entrypoint: Entrypoint, artifact_plugins: Iterable
) -> Entrypoint:
    """As ``entrypoint_plugins_attach``, for the plugins whose artifact tasks are offered."""
    return _attach(
        user=user, entrypoint=entrypoint, kind=ARTIFACT_PLUGINS, plugins=artifact_plugins
    )


@transaction.atomic
def entrypoint_artifact_plugin_detach(
    *, user, entrypoint: Entrypoint, plugin_id: int
) -> Entrypoint:
    """As ``entrypoint_plugin_detach``, for an artifact plugin."""
    return _detach(user=user, entrypoint=entrypoint, kind=ARTIFACT_PLUGINS, plugin_id=plugin_id)


@transaction.atomic
def entrypoint_plugins_sync(*, user, entrypoint: Entrypoint) -> Entrypoint:
    """Move every attached plugin and artifact plugin that still exists to its latest snapshot."""
    _lock(entrypoint)
    entrypoint.plugin_snapshot_ids, entrypoint.artifact_plugin_snapshot_ids = selectors.synced_pins(
        entrypoint
    )
    return _save(entrypoint, user=user, reason="Synced plugins")


@transaction.atomic
def entrypoint_plugin_sync_if_valid(*, user, entrypoint: Entrypoint, plugin: Plugin):
    """Move the entrypoint's pins of ``plugin`` (as a plugin and as an artifact plugin) to its
    latest snapshot, only if the entrypoint's verdict with it has no errors: then one new
    snapshot is written and returned. ``None`` when it would break or pins no older snapshot:
    nothing is written."""
    _lock(entrypoint)
    snapshots = set(plugin.history.values_list("history_id", flat=True))
    latest = max(snapshots, default=None)
    pinned = {sid for field in _SNAPSHOT_FIELDS.values() for sid in getattr(entrypoint, field)}
    if latest is None or not (pinned & snapshots) - {latest}:
        return None
    moved = plugin_usage.with_latest(entrypoint, plugin_snapshots_of=snapshots, latest=latest)
    if any(i.severity == "error" for i in plugin_usage.verdict_with(moved).issues):
        return None
    for field in _SNAPSHOT_FIELDS.values():
        setattr(entrypoint, field, getattr(moved, field))
    return _save(entrypoint, user=user, reason=f"Synced plugin {plugin.name}")


# Validating a proposal ---------------------------------------------------------------------------


def entrypoint_context(
    *,
    user,
    group,
    plugin_snapshot_ids: Sequence[int],
    artifact_plugin_snapshot_ids: Sequence[int],
    parameters: Sequence[dict],
    artifact_parameters: Sequence[dict],
    artifact_field: str = "artifactParameters",
) -> StaticContext:
    """The engine context of a proposed entrypoint. The plugin snapshots must be of plugins of
    ``group`` that ``user`` can read (``artifact_field`` names the request field of
    ``artifact_parameters`` in errors)."""
    readable = Plugin.objects.for_user(user, "read").filter(group=group)
    plugins, artifact_plugins = (
        _chosen_snapshots(ids, plugins=readable, field=field, refusal=SNAPSHOT_NOT_VISIBLE)
        for ids, field in (
            (plugin_snapshot_ids, "pluginSnapshots"),
            (artifact_plugin_snapshot_ids, "artifactPluginSnapshots"),
        )
    )
    stored_artifacts, artifact_types = stored_artifact_parameters(
        group=group, artifact_parameters=artifact_parameters, field=artifact_field
    )
    return build_context(
        plugins=plugins,
        artifact_plugins=artifact_plugins,
        parameters=stored_parameters(parameters),
        artifact_parameters=stored_artifacts,
        artifact_types=artifact_types,
    )


def entrypoint_validate(*, task_graph: str, artifact_graph: str | None, **proposal):
    """The verdict on a proposed entrypoint, stored nowhere (``proposal``: the arguments of
    ``entrypoint_context``)."""
    context = entrypoint_context(**proposal)
    return engine.verdict(task_graph=task_graph, artifact_graph=artifact_graph, context=context)
