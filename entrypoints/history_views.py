""" "Show History" on the entrypoint pages: the snapshot list, compare, restore.

Thin, like ``entrypoints.views``: reads go through ``entrypoints.timeline`` from an entrypoint
``for_user`` allowed (others' answer 404), the restore through ``services.entrypoint_restore``
(readers get 403). Each view answers htmx with a fragment of ``entrypoints/history.html`` and a
plain request with the whole history page, so every link works without JavaScript.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from access.selectors import can
from core.errors import Conflict
from core.pages import redirect_after
from entrypoints import editor, services, timeline
from entrypoints.versions import version_of_proposal
from entrypoints.views import READ_ONLY, _entrypoint, _posted, snapshot_of

HISTORY = "entrypoints/history.html"


def _history_context(request, entrypoint, **extra) -> dict:
    page = timeline.history_page(entrypoint=entrypoint, page=request.GET.get("page"))
    return {
        "entrypoint": entrypoint,
        "page": page,
        "writable": can(user=request.user, group=entrypoint.group, action="write"),
        "in_editor": request.GET.get("in") == "editor",
        **extra,
    }


def _answer(request, entrypoint, fragment: str, **context):
    """The fragment for htmx, else the history page with it."""
    if request.htmx and not request.htmx.boosted:
        context = {"entrypoint": entrypoint, **context}
        if "writable" not in context:
            context["writable"] = can(user=request.user, group=entrypoint.group, action="write")
        return render(request, f"{HISTORY}#{fragment}", context)
    return render(request, HISTORY, _history_context(request, entrypoint, **context))


def _refused(request, entrypoint, message: str, status: int):
    context = {"entrypoint": entrypoint, "refusal": message}
    return render(request, f"{HISTORY}#restore-status", context, status=status)


@login_required
@require_GET
def entrypoint_history(request, pk: int):
    """The snapshot list: the panel (htmx), one more page of rows (htmx, ``page``) or the page."""
    entrypoint = _entrypoint(request, pk, whole=True)
    if request.htmx and not request.htmx.boosted:
        context = _history_context(request, entrypoint)
        fragment = "rows" if request.GET.get("page") else "panel"
        return render(request, f"{HISTORY}#{fragment}", context)
    return render(request, HISTORY, _history_context(request, entrypoint))


@login_required
@require_http_methods(["GET", "POST"])
def entrypoint_compare(request, pk: int):
    """Snapshot ``a`` against snapshot ``b`` (default: the latest), or, posted from the editor,
    against the unsaved page."""
    entrypoint = _entrypoint(request, pk, whole=True)
    old = snapshot_of(entrypoint, request.GET.get("a") or request.POST.get("a"))
    if request.method == "POST":
        _, proposal = _posted(request, entrypoint)
        judgement = editor.judge(proposal, user=request.user)
        found = timeline.comparison(
            old=old,
            new=version_of_proposal(proposal),
            new_result=judgement.result,
            old_label=f"Snapshot {old.history_id}",
            new_label="Your unsaved text",
        )
    else:
        new = snapshot_of(entrypoint, request.GET.get("b") or entrypoint.snapshot_id)
        if new.history_id < old.history_id:
            old, new = new, old
        found = timeline.comparison(
            old=old,
            new=new,
            old_label=f"Snapshot {old.history_id}",
            new_label=f"Snapshot {new.history_id}"
            + (" (latest)" if new.history_id == entrypoint.snapshot_id else ""),
        )
    return _answer(request, entrypoint, "comparison", comparison=found)


@login_required
@require_http_methods(["GET", "POST"])
def entrypoint_restore(request, pk: int, sid: int):
    """GET: what restoring snapshot ``sid`` would give; POST (writers): restore it, as a new
    snapshot (``sync``: with today's plugin snapshots)."""
    entrypoint = _entrypoint(request, pk, whole=True)
    record = snapshot_of(entrypoint, sid)
    writable = can(user=request.user, group=entrypoint.group, action="write")
    if request.method == "GET":
        preview = timeline.restore_preview(current=entrypoint, record=record)
        return _answer(request, entrypoint, "restore", preview=preview, writable=writable)
    if not writable:
        return _refused(request, entrypoint, READ_ONLY.format(group=entrypoint.group.name), 403)
    try:
        services.entrypoint_restore(
            user=request.user,
            entrypoint=entrypoint,
            snapshot_id=record.history_id,
            sync_plugins=request.POST.get("sync") == "on",
        )
    except (ValidationError, Conflict) as error:
        message = "; ".join(getattr(error, "messages", None) or [str(error)])
        return _refused(request, entrypoint, message, 409 if isinstance(error, Conflict) else 400)
    return redirect_after(
        request,
        reverse("entrypoints:edit", args=[entrypoint.pk]) + f"?restored={record.history_id}",
    )
