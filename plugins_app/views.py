"""The plugin pages: the list, creating a plugin, a plugin's page (its files, tasks and the
entrypoints that use it) and the file editor (Python in the code editor, the tasks as rows).

Reads go through ``plugins_app.selectors`` (other groups' plugins answer 404), writes through
``plugins_app.services`` with the API's serializers checking the bodies, so the page and the API
accept and refuse the same things. The signature analysis is the API's
(``plugins_app.signatures``); its suggestions fill the task rows, which stay editable.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.models import Group
from access.selectors import can
from core.errors import Conflict, StaleWrite, TooLarge
from core.forms import ListFilterForm, TextField, form_text
from core.pages import (
    READ_ONLY,
    error_messages,
    is_fragment,
    page_of,
    refusal_status,
    require,
    stale_report,
    visible,
    writable_groups,
)
from core.versioning import check_snapshot
from entrypoints import plugin_usage
from entrypoints.models import Entrypoint
from entrypoints.services import entrypoint_plugin_sync_if_valid
from plugins_app import selectors, services
from plugins_app.api.serializers import PluginFileWriteSerializer, PluginUpdateSerializer
from plugins_app.manifest import TASK_KINDS
from plugins_app.models import Plugin, PluginFile
from plugins_app.signatures import SourceError, analyse_tasks
from plugins_app.task_rows import (
    ParamRow,
    TaskRow,
    new_types_used,
    put_errors_on_rows,
    rows_from_analysis,
    rows_from_post,
    rows_from_tasks,
    tasks_body,
)
from plugins_app.validators import MAX_SOURCE_CHARS, SOURCE_TOO_LARGE

LIST = "plugins/list.html"
NEW_PLUGIN = "plugins/new.html"
DETAIL = "plugins/detail.html"
FILE = "plugins/file.html"
USERS_PER_PAGE = 20

CREATED = "Created plugin {name!r}. Add a Python file: its functions become the plugin's tasks."
UPDATED = "Saved plugin {name!r} (snapshot {snapshot})."
DELETED = "Deleted plugin {name!r}. Entrypoints that pinned it keep the snapshot they pinned."
FILE_SAVED = "Saved {filename} (plugin snapshot {snapshot})."
FILE_SAVED_USERS = (
    " {count} entrypoint{s} pin{verb} an older snapshot: see “Used by” on the plugin's page."
)
FILE_DELETED = "Deleted {filename} (plugin snapshot {snapshot})."
FOUND_TASKS = (
    "Found {count} task{s} in the code; they replace the function task rows. Check the types, "
    "then save."
)
FOUND_NONE = "Found no task in the code: a task is a public top-level function."
NEW_TYPES = "Saving also creates the types {names} in {group}."
SYNCED = "Synced {count} entrypoint{s} to snapshot {snapshot} of {plugin} (one new snapshot each)."
NOT_SYNCED = "Left {count} that would break: {names}."
NOTHING_TO_SYNC = "No entrypoint pins an older snapshot of {plugin}."
STALE_PLUGIN = (
    "Someone changed this plugin's name or description after you opened it: it is now "
    "{name!r}. Save again to keep yours."
)


# The list and creating ----------------------------------------------------------------------------


@login_required
@require_GET
def plugin_list(request):
    filters = ListFilterForm(request.GET, user=request.user)
    cleaned = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    found = selectors.plugin_search(
        user=request.user, search=cleaned.get("q") or "", group=cleaned.get("group")
    )
    page = page_of(request, found)
    for plugin in page.object_list:
        plugin.task_count = sum(_task_count(f) for f in plugin.live_files)
    context = {
        "filters": filters,
        "page": page,
        "can_create": Group.objects.for_user(request.user, "write").exists(),
    }
    return render(request, f"{LIST}#results" if is_fragment(request) else LIST, context)


class PluginForm(forms.Form):
    name = forms.CharField(max_length=255, strip=False)
    description = TextField(widget=forms.Textarea(attrs={"rows": 3}))
    etag = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def body(self) -> dict:
        """The API's body for these fields (an empty description is none given)."""
        return {
            "name": self.cleaned_data["name"],
            "description": self.cleaned_data["description"] or None,
        }


def _api_checked(body: dict, serializer_class) -> dict:
    """``body`` through the API's serializer: its refusals as a ``ValidationError``."""
    checked = serializer_class(data=body)
    if not checked.is_valid():
        raise ValidationError(
            {key: [str(e) for e in errors] for key, errors in checked.errors.items()}
        )
    return dict(checked.validated_data)


@login_required
@require_http_methods(["GET", "POST"])
def plugin_new(request):
    groups = writable_groups(request.user)
    if request.method == "GET":
        wanted = request.GET.get("group", "")
        chosen = groups.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        context = {"groups": groups, "form": PluginForm(), "chosen": chosen or groups.first()}
        return render(request, NEW_PLUGIN, context)
    form = PluginForm(request.POST)
    wanted = request.POST.get("group", "")
    group = (
        Group.objects.for_user(request.user, "read").filter(pk=int(wanted)).first()
        if wanted.isdigit()
        else None
    )
    errors, http_status = [], 400
    if group is None:
        errors = ["Choose a group you may write in."]
    elif form.is_valid():
        require(user=request.user, group=group)
        try:
            body = _api_checked(form.body(), PluginUpdateSerializer)
            plugin = services.plugin_create(user=request.user, group=group, **body)
        except (ValidationError, Conflict) as error:
            errors, http_status = error_messages(error), refusal_status(error)
        else:
            messages.success(request, CREATED.format(name=plugin.name))
            return redirect(reverse("plugins:detail", args=[plugin.pk]))
    context = {"groups": groups, "form": form, "chosen": group, "errors": errors}
    return render(request, NEW_PLUGIN, context, status=http_status)


# A plugin's page ---------------------------------------------------------------------------------


def _plugin(request, pk) -> Plugin:
    return visible(Plugin.objects.for_user(request.user, "read").select_related("group"), pk)


def _task_count(plugin_file) -> int:
    return sum(len((plugin_file.tasks or {}).get(kind, [])) for kind in TASK_KINDS)


def _task_table(files) -> list[dict]:
    """Every task of the plugin's files, for the tasks table (types by name)."""
    return [
        {
            "kind": kind,
            "name": task["name"],
            "file": f,
            "inputs": [
                {**p, "type": _type_name(f, p["parameterType"])}
                for p in task.get("inputParams", [])
            ],
            "outputs": [
                {**p, "type": _type_name(f, p["parameterType"])}
                for p in task.get("outputParams", [])
            ],
        }
        for f in files
        for kind in TASK_KINDS
        for task in (f.tasks or {}).get(kind, [])
    ]


def _type_name(plugin_file, type_id) -> str:
    found = plugin_file.parameter_types.get(type_id)
    return found.name if found else f"type {type_id}"


def _detail(request, pk, *, form=None, errors=(), http_status=200):
    try:
        plugin = selectors.plugin_page_get(user=request.user, pk=pk)
    except Plugin.DoesNotExist:
        raise Http404 from None
    usage = plugin_usage.usage_of(user=request.user, plugin=plugin)
    users = page_of(request, usage.outdated, per_page=USERS_PER_PAGE)
    users.object_list = plugin_usage.judged(list(users.object_list), usage=usage)
    writable = can(user=request.user, group=plugin.group, action="write")
    for plugin_file in plugin.live_files:
        plugin_file.task_count = _task_count(plugin_file)
    context = {
        "plugin": plugin,
        "files": plugin.live_files,
        "tasks": _task_table(plugin.live_files),
        "usage": usage,
        "users": users,
        "syncable": sum(u.stays_valid for u in users.object_list),
        "writable": writable,
        "read_only_notice": None if writable else READ_ONLY.format(group=plugin.group.name),
        "form": form
        or PluginForm(
            initial={
                "name": plugin.name,
                "description": plugin.description or "",
                "etag": plugin.snapshot_id,
            }
        ),
        "errors": errors,
    }
    template = f"{DETAIL}#used-by" if is_fragment(request) else DETAIL
    return render(request, template, context, status=http_status)


@login_required
@require_http_methods(["GET", "POST"])
def plugin_detail(request, pk: int):
    """The plugin's page; POST saves its name and description."""
    if request.method == "GET":
        return _detail(request, pk)
    plugin = _plugin(request, pk)
    require(user=request.user, group=plugin.group)
    form = PluginForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, form=form, http_status=400)
    try:
        with transaction.atomic():
            _check_plugin_fields_unchanged(plugin, form.cleaned_data.get("etag"))
            body = _api_checked(form.body(), PluginUpdateSerializer)
            services.plugin_update(user=request.user, plugin=plugin, **body)
    except StaleWrite:
        plugin.refresh_from_db()
        data = form.data.copy()
        data["etag"] = plugin.history.values_list("history_id", flat=True).first()
        stale = STALE_PLUGIN.format(name=plugin.name)
        return _detail(request, pk, form=PluginForm(data), errors=[stale], http_status=409)
    except (ValidationError, Conflict) as error:
        return _detail(
            request,
            pk,
            form=form,
            errors=error_messages(error),
            http_status=refusal_status(error),
        )
    snapshot = plugin.history.values_list("history_id", flat=True).first()
    messages.success(request, UPDATED.format(name=plugin.name, snapshot=snapshot))
    return redirect(reverse("plugins:detail", args=[pk]))


def _check_plugin_fields_unchanged(plugin: Plugin, etag: int | None) -> None:
    """``StaleWrite`` when the name or description changed after snapshot ``etag``. File edits
    also write plugin snapshots; they do not make a rename stale."""
    if etag is None:
        return
    list(Plugin.objects.select_for_update().filter(pk=plugin.pk).values_list("pk"))
    loaded = plugin.history.filter(history_id=etag).first()
    if loaded is None or (loaded.name, loaded.description) != (plugin.name, plugin.description):
        raise StaleWrite()


@login_required
@require_POST
def plugin_delete(request, pk: int):
    plugin = _plugin(request, pk)
    require(user=request.user, group=plugin.group)
    services.plugin_delete(user=request.user, plugin=plugin)
    messages.success(request, DELETED.format(name=plugin.name))
    return redirect(reverse("plugins:list"))


@login_required
@require_POST
def plugin_sync(request, pk: int):
    """Move the outdated entrypoints (all, or the one ``entrypoint`` names) that stay valid to
    the plugin's latest snapshot; the others are left as they are."""
    plugin = _plugin(request, pk)
    require(user=request.user, group=plugin.group)
    usage = plugin_usage.usage_of(user=request.user, plugin=plugin)
    wanted = [e.pk for e in usage.outdated]
    if (only := request.POST.get("entrypoint", "")).isdigit():
        wanted = [e for e in wanted if e == int(only)]
    if not wanted:
        messages.info(request, NOTHING_TO_SYNC.format(plugin=plugin.name))
        return redirect(reverse("plugins:detail", args=[pk]) + "#used-by")
    synced, left = 0, []
    entrypoints = Entrypoint.objects.for_user(request.user, "write").filter(pk__in=wanted)
    for entrypoint in entrypoints.select_related("group").order_by("name"):
        saved = entrypoint_plugin_sync_if_valid(
            user=request.user, entrypoint=entrypoint, plugin=plugin
        )
        if saved is None:
            left.append(entrypoint.name)
        else:
            synced += 1
    if synced:
        messages.success(
            request,
            SYNCED.format(
                count=synced,
                s="" if synced == 1 else "s",
                snapshot=usage.latest,
                plugin=plugin.name,
            ),
        )
    if left:
        messages.warning(request, NOT_SYNCED.format(count=len(left), names=", ".join(left)))
    return redirect(reverse("plugins:detail", args=[pk]) + "#used-by")


# The file editor ---------------------------------------------------------------------------------


def _file(request, plugin, fid) -> PluginFile:
    try:
        return selectors.plugin_file_get(user=request.user, plugin=plugin, pk=fid)
    except (PluginFile.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def _stored_fields(plugin_file) -> dict:
    return {
        "filename": plugin_file.filename,
        "description": plugin_file.description or "",
        "contents": plugin_file.contents,
        "etag": plugin_file.snapshot_id,
    }


def _posted_fields(request) -> dict:
    return {
        "filename": request.POST.get("filename", "").strip(),
        "description": form_text(request.POST.get("description", "")),
        "contents": form_text(request.POST.get("contents", "")),
        "etag": request.POST.get("etag", ""),
    }


def _file_page(
    request,
    *,
    plugin,
    plugin_file,
    fields,
    rows,
    new_types,
    notes=(),
    errors=(),
    stale=None,
    http_status=200,
):
    """The file editor (or, for htmx, its ``#tasks`` fragment) with the rows as they stand."""
    writable = can(user=request.user, group=plugin.group, action="write")
    types = sorted(selectors.group_parameter_types(group=plugin.group), key=lambda t: t.name)
    used_new = new_types_used(rows, new_types)
    notes = list(notes)
    if used_new and writable:
        notes.append(
            NEW_TYPES.format(names=", ".join(t.name for t in used_new), group=plugin.group.name)
        )
    context = {
        "plugin": plugin,
        "plugin_file": plugin_file,
        "fields": fields,
        "rows": rows,
        "new_types": used_new,
        "types": types,
        "type_values": {str(t.pk) for t in types} | {t.value for t in used_new},
        "next_task": max((r.index for r in rows), default=-1) + 1,
        "notes": notes,
        "errors": errors,
        "stale": stale,
        "writable": writable,
        "read_only_notice": None if writable else READ_ONLY.format(group=plugin.group.name),
        "save_url": reverse("plugins:file", args=[plugin.pk, plugin_file.pk])
        if plugin_file
        else reverse("plugins:file-new", args=[plugin.pk]),
    }
    template = f"{FILE}#tasks" if is_fragment(request) else FILE
    return render(request, template, context, status=http_status)


def _any_type_id(plugin) -> str:
    found = [t for t in selectors.group_parameter_types(group=plugin.group) if t.name == "any"]
    return str(found[0].pk) if found else ""


@login_required
@require_http_methods(["GET", "POST"])
def plugin_file_edit(request, pk: int, fid: int | None = None):
    """A file's page (``fid``) or a new file's. POST: ``action`` ``save`` (the default),
    ``analyze`` (suggest the tasks from the code), ``add-task``, ``add-input-<t>`` or
    ``add-output-<t>`` (one more row); all but saving only redraw the rows."""
    plugin = _plugin(request, pk)
    plugin_file = _file(request, plugin, fid) if fid is not None else None
    if request.method == "GET":
        fields = (
            _stored_fields(plugin_file)
            if plugin_file
            else {"filename": "", "description": "", "contents": "", "etag": ""}
        )
        rows = rows_from_tasks(plugin_file.tasks) if plugin_file else []
        return _file_page(
            request, plugin=plugin, plugin_file=plugin_file, fields=fields, rows=rows, new_types={}
        )
    require(user=request.user, group=plugin.group)
    fields = _posted_fields(request)
    rows, new_types = rows_from_post(request.POST)
    page = {"plugin": plugin, "plugin_file": plugin_file, "fields": fields}
    action = request.POST.get("action", "save")
    if action == "save":
        return _save_file(request, rows=rows, new_types=new_types, **page)
    notes, errors = [], []
    if action == "analyze":
        try:
            rows, new_types, note = _suggested(plugin, fields["contents"], rows, new_types)
            notes.append(note)
        except SourceError as error:
            errors.append(str(error))
    elif action == "add-task":
        rows.append(TaskRow(index=max((r.index for r in rows), default=-1) + 1, name=""))
    elif action.startswith(("add-input-", "add-output-")):
        side, _, index = action.removeprefix("add-").partition("-")
        for row in rows:
            if str(row.index) == index:
                params = row.inputs if side == "input" else row.outputs
                next_index = row.next_input if side == "input" else row.next_output
                params.append(ParamRow(next_index, "", _any_type_id(plugin)))
    return _file_page(request, rows=rows, new_types=new_types, notes=notes, errors=errors, **page)


def _suggested(plugin, contents: str, rows, new_types):
    """The rows with the function tasks the analysis finds in ``contents`` in place of the
    function rows (artifact rows stay), the new types they suggest, and a note saying so."""
    if len(contents) > MAX_SOURCE_CHARS:  # the same cap as saving: no analysis of more
        raise SourceError(SOURCE_TOO_LARGE.format(limit=MAX_SOURCE_CHARS))
    analysed = analyse_tasks(contents)
    type_ids = {t.name: t.pk for t in selectors.group_parameter_types(group=plugin.group)}
    kept = [r for r in rows if r.kind != "functions"]
    start = max((r.index for r in kept), default=-1) + 1
    found, suggested = rows_from_analysis(analysed, type_ids, start=start)
    count = len(found)
    note = FOUND_TASKS.format(count=count, s="" if count == 1 else "s") if count else FOUND_NONE
    return found + kept, {**new_types, **suggested}, note


class _Refused(Exception):
    """The body the page stands for is refused; the rows carry the messages about them."""

    def __init__(self, messages_):
        super().__init__()
        self.messages = messages_


def _create_new_types(*, user, plugin, rows, new_types) -> dict[str, int]:
    """Create the suggested types the rows use; their ids by name."""
    created = {}
    for new_type in new_types_used(rows, new_types):
        try:
            param_type = services.parameter_type_create(
                user=user,
                group=plugin.group,
                name=new_type.name,
                description=new_type.description or None,
                structure=new_type.structure,
            )
        except (ValidationError, Conflict) as error:
            raise _Refused(
                [f"New type {new_type.name!r}: {m}" for m in error_messages(error)]
            ) from error
        created[new_type.name] = param_type.pk
    return created


def _save_file(request, *, plugin, plugin_file, fields, rows, new_types):
    page = {"plugin": plugin, "plugin_file": plugin_file, "fields": fields, "new_types": new_types}
    try:
        with transaction.atomic():
            type_ids = _create_new_types(
                user=request.user, plugin=plugin, rows=rows, new_types=new_types
            )
            body = PluginFileWriteSerializer(
                data={
                    "filename": fields["filename"],
                    "contents": fields["contents"],
                    "description": fields["description"] or None,
                    "tasks": tasks_body(rows, type_ids),
                }
            )
            if not body.is_valid():
                errors = dict(body.errors)
                general = put_errors_on_rows(rows, errors.pop("tasks", {}))
                raise _Refused(
                    [f"{key}: {m}" for key, found in errors.items() for m in found] + general
                    or ["Fix the task rows marked below."]
                )
            data = body.validated_data
            if plugin_file is None:
                saved = services.plugin_file_create(user=request.user, plugin=plugin, **data)
            else:
                etag = fields["etag"]
                check_snapshot(plugin_file, int(etag) if str(etag).isdigit() else None)
                saved = services.plugin_file_update(
                    user=request.user, plugin_file=plugin_file, **data
                )
    except _Refused as refused:
        return _file_page(request, rows=rows, errors=refused.messages, http_status=400, **page)
    except StaleWrite:
        report = stale_report(
            plugin_file,
            since=int(fields["etag"]),
            texts=(("contents", "Code"),),
            fields=(("filename", "File name"), ("description", "Description"), ("tasks", "Tasks")),
        )
        page["fields"] = {**fields, "etag": report.latest_snapshot}
        return _file_page(request, rows=rows, stale=report, http_status=409, **page)
    except (ValidationError, Conflict, TooLarge) as error:
        return _file_page(
            request,
            rows=rows,
            errors=error_messages(error),
            http_status=refusal_status(error),
            **page,
        )
    usage = plugin_usage.usage_of(user=request.user, plugin=plugin)
    snapshot = usage.latest
    message = FILE_SAVED.format(filename=saved.filename, snapshot=snapshot)
    if count := len(usage.outdated):
        message += FILE_SAVED_USERS.format(
            count=count, s="" if count == 1 else "s", verb="s" if count == 1 else ""
        )
    messages.success(request, message)
    return redirect(reverse("plugins:file", args=[plugin.pk, saved.pk]))


@login_required
@require_POST
def plugin_file_delete(request, pk: int, fid: int):
    plugin = _plugin(request, pk)
    plugin_file = _file(request, plugin, fid)
    require(user=request.user, group=plugin.group)
    services.plugin_file_delete(user=request.user, plugin_file=plugin_file)
    snapshot = plugin.history.values_list("history_id", flat=True).first()
    messages.success(request, FILE_DELETED.format(filename=plugin_file.filename, snapshot=snapshot))
    return redirect(reverse("plugins:detail", args=[pk]))
