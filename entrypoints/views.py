"""The entrypoint pages: the list, and the editor (create, edit, live validation, save).

Thin: the form reads what the page posts (``forms``), ``editor`` judges it with the same engine
bridge as the API, writes go through ``entrypoints.services`` and reads through
``entrypoints.selectors`` (``for_user`` scoped: other groups' entrypoints answer 404). Every
htmx round trip is answered by a fragment (``{% partialdef %}``) of the page's own template.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from access.selectors import can
from core.errors import Conflict, StaleWrite, TooLarge
from core.pages import error_messages, redirect_after
from core.related import related_add
from core.versioning import check_snapshot, latest_snapshot_id
from entrypoints import editor, selectors, services, timeline
from entrypoints.conflicts import conflict_report
from entrypoints.forms import ArtifactRow, EntrypointFilterForm, EntrypointForm, ParameterRow
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES
from jobs.selectors import job_recent_for_entrypoint

EDIT = "entrypoints/edit.html"
LIST = "entrypoints/list.html"
PAGE_SIZE = 25
READ_ONLY = (
    "You can read this entrypoint but not change it: your role in group {group!r} is read. "
    "Ask a manager of the group for the write role."
)
NOT_A_SNAPSHOT = "Entrypoint {pk} has no snapshot {sid}."
RESTORED = "Restored snapshot {old} as snapshot {new}."
SAVED = "Saved snapshot {snapshot}."
SAVED_INVALID = (
    "Saved snapshot {snapshot}, flagged invalid: it cannot run until its errors are fixed."
)


# The list ----------------------------------------------------------------------------------------


@login_required
@require_GET
def entrypoint_list(request):
    filters = EntrypointFilterForm(request.GET or None, user=request.user)
    found = selectors.entrypoint_search(user=request.user, **filters.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.entrypoint_rows(list(page.object_list))
    context = {"filters": filters, "page": page}
    template = f"{LIST}#results" if request.htmx and not request.htmx.boosted else LIST
    return render(request, template, context)


# The editor --------------------------------------------------------------------------------------


def _entrypoint(request, pk, *, whole: bool = False) -> Entrypoint:
    """The entrypoint (404 when ``user`` may not read it): ``whole`` with everything its page
    shows, else with its group only (enough to validate or write it)."""
    find = selectors.entrypoint_get if whole else selectors.entrypoint_find
    try:
        return find(user=request.user, pk=pk)
    except Entrypoint.DoesNotExist:
        raise Http404 from None


def snapshot_of(entrypoint, sid):
    """One snapshot of ``entrypoint`` (404 for a bad id or another entrypoint's)."""
    try:
        return timeline.snapshot_get(entrypoint=entrypoint, snapshot_id=int(sid))
    except (TypeError, ValueError, ObjectDoesNotExist):
        raise Http404(NOT_A_SNAPSHOT.format(pk=entrypoint.pk, sid=sid)) from None


def _blame(entrypoint) -> dict:
    """Step -> "last changed in snapshot N by X, date", for the graph's node titles."""
    if entrypoint is None:
        return {}
    found = timeline.step_blame(entrypoint=entrypoint, latest_id=latest_snapshot_id(entrypoint))
    return {name: blame.describe() for name, blame in found.items()}


def _page(request, *, entrypoint, form, proposal, status=None, http_status=200, viewing=None):
    """The whole editor page for a proposal (``viewing``: an older snapshot, shown read-only)."""
    group = proposal.group
    writable = (
        viewing is None
        and group is not None
        and can(user=request.user, group=group, action="write")
    )
    judgement = editor.judge(proposal, user=request.user)
    recent_jobs = None
    if entrypoint is not None:
        recent_jobs = job_recent_for_entrypoint(user=request.user, entrypoint=entrypoint)
    if status is None and request.GET.get("restored", "").isdigit() and entrypoint is not None:
        status = {
            "saved": RESTORED.format(old=request.GET["restored"], new=entrypoint.snapshot_id),
            "valid": entrypoint.valid,
        }
    context = {
        "entrypoint": entrypoint,
        "form": form,
        "proposal": proposal,
        "writable": writable,
        "read_only_notice": None
        if writable or viewing is not None
        else READ_ONLY.format(group=getattr(group, "name", "")),
        "viewing": viewing,
        "can_restore": viewing is not None and can(user=request.user, group=group, action="write"),
        "etag": getattr(entrypoint, "snapshot_id", None),
        "urls": _urls(entrypoint),
        "parameter_types": ENTRYPOINT_PARAMETER_TYPES,
        "type_names": sorted(form.types_by_name()),
        "next_param": _next_index(proposal.parameters),
        "next_art": _next_index(proposal.artifact_parameters),
        "queue_choices": form.fields["queues"].queryset,
        "tag_choices": form.fields["tags"].queryset,
        "selected_queues": {q.pk for q in proposal.queues},
        "selected_tags": {t.pk for t in proposal.tags},
        "status": status,
        "recent_jobs": recent_jobs,
        **editor.diagnostics(
            judgement, blame=(lambda: _blame(entrypoint)) if viewing is None else None
        ),
    }
    return render(request, EDIT, context, status=http_status)


def _urls(entrypoint) -> dict:
    if entrypoint is None:
        return {
            "save": reverse("entrypoints:new"),
            "validate": reverse("entrypoints:validate-new"),
            "fields": reverse("entrypoints:fields-new"),
            "graph_actions": reverse("entrypoints:graph-actions-new"),
            "graph_edit": reverse("entrypoints:graph-edit-new"),
        }
    return {
        "save": reverse("entrypoints:edit", args=[entrypoint.pk]),
        "validate": reverse("entrypoints:validate", args=[entrypoint.pk]),
        "fields": reverse("entrypoints:fields", args=[entrypoint.pk]),
        "history": reverse("entrypoints:history", args=[entrypoint.pk]),
        "graph_actions": reverse("entrypoints:graph-actions", args=[entrypoint.pk]),
        "graph_edit": reverse("entrypoints:graph-edit", args=[entrypoint.pk]),
        "compare": reverse("entrypoints:compare", args=[entrypoint.pk]),
    }


def _next_index(rows) -> int:
    return max((row.index for row in rows), default=-1) + 1


@login_required
def entrypoint_new(request):
    if request.method == "POST":
        return _save(request, entrypoint=None)
    form = EntrypointForm(user=request.user, creating=True, initial=request.GET.dict())
    if form.group is None:
        raise Http404("You are not a writer in any group.")
    proposal = editor.Proposal(group=form.group)
    editor.set_plugin_choices(proposal, user=request.user, pins={}, selected={})
    return _page(request, entrypoint=None, form=form, proposal=proposal)


@login_required
def entrypoint_edit(request, pk: int):
    entrypoint = _entrypoint(request, pk, whole=request.method != "POST")
    if request.method == "POST":
        return _save(request, entrypoint=entrypoint)
    form = EntrypointForm(user=request.user, group=entrypoint.group, creating=False)
    viewing = None
    if request.GET.get("snapshot"):
        viewing = snapshot_of(entrypoint, request.GET["snapshot"])
        if viewing.history_id == entrypoint.snapshot_id:
            return redirect(reverse("entrypoints:edit", args=[entrypoint.pk]))
        viewing.live_queues, viewing.live_tags = entrypoint.live_queues, entrypoint.live_tags
    proposal = editor.proposal_from_entrypoint(viewing or entrypoint, user=request.user)
    return _page(request, entrypoint=entrypoint, form=form, proposal=proposal, viewing=viewing)


def _posted(request, entrypoint):
    group = entrypoint.group if entrypoint else None
    form = EntrypointForm(request.POST, user=request.user, group=group, creating=entrypoint is None)
    return form, editor.proposal_from_form(form)


@login_required
@require_POST
def entrypoint_validate(request, pk: int | None = None):
    """Live validation: the engine's verdict on the unsaved page (a fragment)."""
    entrypoint = _entrypoint(request, pk) if pk else None
    form, proposal = _posted(request, entrypoint)
    if proposal.group is None:
        raise Http404
    judgement = editor.judge(proposal, user=request.user)
    drawn = request.POST.get("graph_key", "")
    found = editor.diagnostics(
        judgement, fragment=True, drawn=drawn, blame=lambda: _blame(entrypoint)
    )
    context = {**found, "writable": True}
    return render(request, f"{EDIT}#diagnostics", context)


@login_required
@require_POST
def entrypoint_fields(request, pk: int | None = None):
    """The group-dependent fields (plugins, queues, tags), after a group change or a sync."""
    entrypoint = _entrypoint(request, pk) if pk else None
    form, proposal = _posted(request, entrypoint)
    if proposal.group is None:
        raise Http404
    if (sync := request.POST.get("sync", "")).isdigit():
        for choice in [*proposal.plugins, *proposal.artifact_plugins]:
            if choice.id == int(sync):
                choice.pinned = choice.latest
    context = {
        "proposal": proposal,
        "writable": True,
        "urls": _urls(entrypoint),
        "queue_choices": form.fields["queues"].queryset,
        "tag_choices": form.fields["tags"].queryset,
        "selected_queues": {q.pk for q in proposal.queues},
        "selected_tags": {t.pk for t in proposal.tags},
        "type_names": sorted(form.types_by_name()),
    }
    response = render(request, f"{EDIT}#group-fields", context)
    response["HX-Trigger-After-Settle"] = "editor-change"
    return response


@login_required
@require_GET
def parameter_row(request, kind: str):
    """A new, empty row of the parameters (``param``) or artifact parameters (``art``) table."""
    if kind not in ("param", "art"):
        raise Http404
    index = int(request.GET.get("index", "0")) if request.GET.get("index", "").isdigit() else 0
    if kind == "param":
        row = ParameterRow(index=index, name="", parameter_type="string", default_value=None)
    else:
        row = ArtifactRow(index=index, name="", outputs_text="")
    context = {
        "row": row,
        "kind": kind,
        "next_param" if kind == "param" else "next_art": index + 1,
        "writable": True,
        "parameter_types": ENTRYPOINT_PARAMETER_TYPES,
        "oob_add_button": True,
    }
    return render(request, f"{EDIT}#{kind}-row", context)


# Saving ------------------------------------------------------------------------------------------


def _status(request, entrypoint, *, http_status=200, **status):
    """The save-status fragment."""
    context = {"status": status, "entrypoint": entrypoint, "urls": _urls(entrypoint)}
    return render(request, f"{EDIT}#save-status", context, status=http_status)


def _save(request, *, entrypoint):
    form, proposal = _posted(request, entrypoint)
    group = proposal.group
    if group is None or not can(user=request.user, group=group, action="write"):
        if entrypoint is None:
            raise Http404
        return _status(
            request, entrypoint, http_status=403, errors=[READ_ONLY.format(group=group.name)]
        )
    judgement = editor.judge(proposal, user=request.user)
    if proposal.form_errors:
        return _answer(request, entrypoint, form, proposal, 400, errors=proposal.form_errors)
    if judgement.errors and not form.cleaned_data.get("confirm_invalid"):
        return _answer(request, entrypoint, form, proposal, 200, confirm=len(judgement.errors))
    try:
        with transaction.atomic():
            saved = _write(request, entrypoint, form, proposal)
    except StaleWrite:
        report = conflict_report(entrypoint, since=form.cleaned_data.get("etag"))
        return _answer(request, entrypoint, form, proposal, 409, conflict=report)
    except (ValidationError, Conflict, TooLarge) as error:
        status = 409 if isinstance(error, Conflict) else 413 if isinstance(error, TooLarge) else 400
        return _answer(request, entrypoint, form, proposal, status, errors=error_messages(error))
    return _saved(request, saved, created=entrypoint is None)


def _write(request, entrypoint, form, proposal) -> Entrypoint:
    fields = {
        "user": request.user,
        "name": proposal.name,
        "description": proposal.description,
        "task_graph": proposal.task_graph,
        "artifact_graph": proposal.artifact_graph,
        "parameters": proposal.parameters_api(),
        "artifact_parameters": proposal.artifact_parameters_api(),
        "queues": proposal.queues,
    }
    if entrypoint is None:
        saved = services.entrypoint_create(
            group=proposal.group,
            plugins=proposal.selected_plugins("plugins"),
            artifact_plugins=proposal.selected_plugins("artifact_plugins"),
            **fields,
        )
    else:
        check_snapshot(entrypoint, form.cleaned_data.get("etag"))
        saved = services.entrypoint_update(
            entrypoint=entrypoint,
            plugin_snapshot_ids=proposal.snapshot_ids("plugins"),
            artifact_plugin_snapshot_ids=proposal.snapshot_ids("artifact_plugins"),
            **fields,
        )
    related_add(
        user=request.user,
        resource=saved,
        relation="tags",
        ids=[t.pk for t in proposal.tags],
        replace=True,
    )
    return saved


def _answer(request, entrypoint, form, proposal, http_status: int, **status):
    """A save that did not happen: the status panel (htmx) or the page with it (no JS)."""
    if request.htmx:
        return _status(request, entrypoint, http_status=http_status, **status)
    return _page(
        request,
        entrypoint=entrypoint,
        form=form,
        proposal=proposal,
        status=status,
        http_status=http_status,
    )


def _saved(request, entrypoint, *, created: bool):
    fresh = selectors.entrypoint_get(user=request.user, pk=entrypoint.pk)
    message = (SAVED if fresh.valid else SAVED_INVALID).format(snapshot=fresh.snapshot_id)
    url = reverse("entrypoints:edit", args=[fresh.pk])
    event = {
        "entrypoint-saved": {"id": fresh.pk, "snapshot": fresh.snapshot_id, "valid": fresh.valid}
    }
    if not request.htmx:
        return redirect(url)
    if created:
        response = redirect_after(request, url)
    else:
        response = render(
            request,
            f"{EDIT}#save-status",
            {
                "status": {"saved": message, "valid": fresh.valid},
                "etag": fresh.snapshot_id,
                "saved_oob": True,
            },
        )
    response["HX-Trigger"] = json.dumps(event)
    return response
