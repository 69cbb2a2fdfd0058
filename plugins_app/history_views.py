""" "Show History" on a plugin's page: its snapshots, two compared (files and tasks), and a
restore after a preview. Thin: reads through ``plugins_app.timeline`` from a plugin ``for_user``
allows (others' answer 404), the restore through ``services.plugin_restore`` (readers: 403).
Each view answers htmx with a fragment of ``plugins/history.html``, a plain request with the
whole history page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from access.selectors import can
from core.errors import Conflict
from core.pages import READ_ONLY, is_fragment, redirect_after
from core.versioning import with_snapshot
from plugins_app import services, timeline, versions
from plugins_app.models import Plugin

HISTORY = "plugins/history.html"
RESTORED = "Restored snapshot {old} of plugin {name} as snapshot {new}."


def _plugin(request, pk) -> Plugin:
    try:
        queryset = with_snapshot(Plugin.objects.for_user(request.user, "read"))
        return queryset.select_related("group").get(pk=pk)
    except Plugin.DoesNotExist:
        raise Http404 from None


def _snapshot(plugin, sid):
    try:
        return timeline.snapshot_get(plugin=plugin, snapshot_id=int(sid))
    except (TypeError, ValueError, ObjectDoesNotExist):
        raise Http404(f"Plugin {plugin.pk} has no snapshot {sid}.") from None


def _context(request, plugin, **extra) -> dict:
    return {
        "plugin": plugin,
        "page": timeline.history_page(
            plugin=plugin, latest_id=plugin.snapshot_id, page=request.GET.get("page")
        ),
        "writable": can(user=request.user, group=plugin.group, action="write"),
        **extra,
    }


def _answer(request, plugin, fragment: str, **extra):
    if is_fragment(request):
        writable = can(user=request.user, group=plugin.group, action="write")
        context = {"plugin": plugin, "writable": writable, **extra}
        return render(request, f"{HISTORY}#{fragment}", context)
    return render(request, HISTORY, _context(request, plugin, **extra))


@login_required
@require_GET
def plugin_history(request, pk: int):
    plugin = _plugin(request, pk)
    if is_fragment(request):
        fragment = "rows" if request.GET.get("page") else "panel"
        return render(request, f"{HISTORY}#{fragment}", _context(request, plugin))
    return render(request, HISTORY, _context(request, plugin))


@login_required
@require_GET
def plugin_compare(request, pk: int):
    plugin = _plugin(request, pk)
    old = _snapshot(plugin, request.GET.get("a"))
    new = _snapshot(plugin, request.GET.get("b") or plugin.snapshot_id)
    found = timeline.comparison(old=old, new=new, latest_id=plugin.snapshot_id)
    return _answer(request, plugin, "comparison", comparison=found)


@login_required
@require_http_methods(["GET", "POST"])
def plugin_restore(request, pk: int, sid: int):
    """GET: what restoring snapshot ``sid`` changes; POST (writers): restore it, as a new
    snapshot."""
    plugin = _plugin(request, pk)
    record = _snapshot(plugin, sid)
    writable = can(user=request.user, group=plugin.group, action="write")
    if request.method == "GET":
        current = _snapshot(plugin, plugin.snapshot_id)
        preview = timeline.Comparison(
            f"Current (snapshot {current.history_id})",
            f"Snapshot {record.history_id}",
            versions.compare(current, record),
        )
        return _answer(request, plugin, "restore", record=record, comparison=preview)
    if not writable:
        context = {"plugin": plugin, "refusal": READ_ONLY.format(group=plugin.group.name)}
        return render(request, f"{HISTORY}#restore-status", context, status=403)
    try:
        services.plugin_restore(user=request.user, plugin=plugin, snapshot_id=record.history_id)
    except (ValidationError, Conflict) as error:
        message = "; ".join(getattr(error, "messages", None) or [str(error)])
        status = 409 if isinstance(error, Conflict) else 400
        context = {"plugin": plugin, "refusal": message}
        return render(request, f"{HISTORY}#restore-status", context, status=status)
    latest = _plugin(request, pk).snapshot_id
    messages.success(request, RESTORED.format(old=record.history_id, name=plugin.name, new=latest))
    return redirect_after(request, reverse("plugins:detail", args=[plugin.pk]))
