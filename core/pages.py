"""What every server-rendered page shares: reading a visible object, refusing a write, paging a
list, filtering it by a search and a group, wording a service's refusal, and telling a stale edit.

Pages read through ``for_user`` like the API: another group's object is a 404, a write the role
does not allow is a 403 whose message says what to ask for (``templates/403.html`` shows it).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from access.models import Group
from access.selectors import can
from core.diffs import DiffRow, has_changes, line_diff
from core.errors import Conflict, TooLarge

PAGE_SIZE = 25
READ_ONLY = (
    "Your role in group {group!r} is read: you can look but not change anything there. "
    "Ask a manager of the group for the write role."
)
NOT_A_MANAGER = (
    "Only the managers of group {group!r} change its members. Ask one of them for the manage role."
)
NO_WRITABLE_GROUP = (
    "You cannot create anything yet: you have the read role in every group you belong to. "
    "Ask a manager of a group for the write role."
)
STALE = (
    "Someone saved this after you opened it. Your changes are still in the form below: "
    "compare them with the latest version, then save again to keep yours."
)


def visible(queryset, pk):
    """The object ``pk`` of a ``for_user`` queryset, else 404 (another group's looks missing)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def require(*, user, group, action: str = "write") -> None:
    """403 with the reason when ``user``'s role in ``group`` does not allow ``action``."""
    if not can(user=user, group=group, action=action):
        refusal = NOT_A_MANAGER if action == "manage" else READ_ONLY
        raise PermissionDenied(refusal.format(group=group.name))


def writable_groups(user):
    """The groups where ``user`` may create things, by name; 403 when there is none."""
    groups = Group.objects.for_user(user, "write").order_by("name")
    if not groups.exists():
        raise PermissionDenied(NO_WRITABLE_GROUP)
    return groups


def is_fragment(request) -> bool:
    """An htmx request for a part of the page (a boosted navigation wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def redirect_after(request, url: str) -> HttpResponse:
    """Where a write sends the browser: htmx follows ``HX-Redirect`` (204), a form a 302."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def page_of(request, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """The page ``?page=`` asks for (the last one when past the end, the first when not a
    number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def error_messages(error) -> list[str]:
    """A service's refusal as lines a person reads (a field's name before its messages)."""
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return [
            m if field == "__all__" else f"{field}: {m}"
            for field, messages in error.message_dict.items()
            for m in messages
        ]
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def refusal_status(error) -> int:
    """The HTTP status of a refused write: 409 for a conflict, 413 for a size, else 400."""
    return 409 if isinstance(error, Conflict) else 413 if isinstance(error, TooLarge) else 400


# Stale edits ------------------------------------------------------------------------------------


@dataclass
class StaleReport:
    """What changed since the page loaded an object: the snapshots written meanwhile (oldest
    first), side-by-side diffs of its texts, and the labels of its other changed fields."""

    latest_snapshot: int
    changes: list
    diffs: dict[str, list[DiffRow | None]]
    other_fields: list[str]


def stale_report(instance, *, since: int | None, texts=(), fields=()) -> StaleReport:
    """The history of ``instance`` after snapshot ``since``; ``texts`` and ``fields`` are
    ``(attribute, label)`` pairs, texts compared line by line, fields as a whole."""
    history = instance.history.select_related("history_user").order_by("history_id")
    loaded = history.filter(history_id=since).first() if since else None
    newer = list(history.filter(history_id__gt=since or 0))
    latest = newer[-1] if newer else history.last()
    diffs = {}
    for field, label in texts:
        rows = line_diff(getattr(loaded, field, "") if loaded else "", getattr(latest, field) or "")
        if has_changes(rows):
            diffs[label] = rows
    other = [
        label
        for field, label in fields
        if loaded is None or getattr(loaded, field) != getattr(latest, field)
    ]
    return StaleReport(latest.history_id, newer, diffs, other)
