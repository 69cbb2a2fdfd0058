"""The parameter type pages: list, create, edit (the structure as YAML in the code editor, checked
live by the API's rules), delete.

Reads go through ``plugins_app.selectors`` (other groups' types answer 404), writes through
``plugins_app.services``; builtin types are shown read-only. The live check and every refusal
answer with the ``#type-check`` fragment of ``types/edit.html``, whose ``#editor-state`` puts the
structure's problems under the text they are about.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.models import Group
from access.selectors import can
from core.errors import Conflict, StaleWrite
from core.forms import ListFilterForm, form_text
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
from entrypoints.taskgraph import BUILTIN_TYPE_NAMES
from plugins_app import selectors, services
from plugins_app.models import PluginParameterType
from plugins_app.type_text import (
    TypeCheck,
    TypeIssue,
    check_type,
    structure_line,
    structure_text,
)

LIST = "types/list.html"
EDIT = "types/edit.html"
BUILTIN = "{name!r} is a builtin type: every group has it and it cannot be changed."
CREATED = "Created type {name!r}."
SAVED = "Saved type {name!r} (snapshot {snapshot})."
DELETED = "Deleted type {name!r}."
NO_GROUP = "Choose a group you may write in."


@login_required
@require_GET
def type_list(request):
    filters = ListFilterForm(request.GET, user=request.user)
    show_builtin = request.GET.get("builtin") == "1"
    found = selectors.parameter_type_list(user=request.user).order_by("is_builtin", "name", "pk")
    if not show_builtin:  # every group has them: listing them would drown the group's own
        found = found.filter(is_builtin=False)
    found = filters.apply(found, search_fields=("name", "description"))
    page = page_of(request, found)
    for param_type in page.object_list:
        param_type.structure_line = structure_line(param_type.structure)
    context = {
        "filters": filters,
        "page": page,
        "can_create": Group.objects.for_user(request.user, "write").exists(),
        "show_builtin": show_builtin,
        "builtin_names": BUILTIN_TYPE_NAMES,
    }
    return render(request, f"{LIST}#results" if is_fragment(request) else LIST, context)


def _type(request, pk) -> PluginParameterType:
    return visible(selectors.parameter_type_list(user=request.user), pk)


def _page(request, *, param_type, group, fields, check=None, status=None, http_status=200):
    """The edit page (or its ``#type-check`` fragment for htmx) of ``fields`` as typed."""
    writable = group is not None and can(user=request.user, group=group, action="write")
    builtin = param_type is not None and param_type.is_builtin
    check = check or TypeCheck(fields["name"], fields["description"], None, [])
    context = {
        "param_type": param_type,
        "group": group,
        "fields": fields,
        "check": check,
        "state": {"issues": [issue.to_state() for issue in check.issues]},
        "writable": writable and not builtin,
        "notice": BUILTIN.format(name=param_type.name)
        if builtin
        else (None if writable else READ_ONLY.format(group=getattr(group, "name", ""))),
        "groups": Group.objects.for_user(request.user, "write").order_by("name"),
        "status": status,
        "check_url": reverse("types:check", args=[param_type.pk])
        if param_type
        else reverse("types:check-new"),
    }
    template = f"{EDIT}#type-check" if is_fragment(request) else EDIT
    return render(request, template, context, status=http_status)


def _posted(request) -> dict:
    return {
        "name": request.POST.get("name", ""),
        "description": form_text(request.POST.get("description", "")),
        "structure": form_text(request.POST.get("structure", "")),
        "etag": request.POST.get("etag", ""),
        "group": request.POST.get("group", ""),
    }


def _stored(param_type) -> dict:
    """The page's fields for a type as stored."""
    return {
        "name": param_type.name,
        "description": param_type.description or "",
        "structure": structure_text(param_type.structure),
        "etag": param_type.snapshot_id,
        "group": param_type.group_id,
    }


def _chosen_group(request, fields):
    """The readable group a new type is posted for (``None`` when it names none); writing in it
    is checked by the caller."""
    return Group.objects.for_user(request.user, "read").filter(pk=_int(fields["group"])).first()


def _int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


def _check(group, fields, current=None) -> TypeCheck:
    return check_type(
        group=group,
        name=fields["name"],
        description=fields["description"],
        text=fields["structure"],
        current=current,
    )


@login_required
@require_http_methods(["GET", "POST"])
def type_new(request):
    if request.method == "GET":
        group = writable_groups(request.user).filter(pk=_int(request.GET.get("group"))).first()
        group = group or writable_groups(request.user).first()
        fields = {"name": "", "description": "", "structure": "", "etag": "", "group": group.pk}
        return _page(request, param_type=None, group=group, fields=fields)
    fields = _posted(request)
    group = _chosen_group(request, fields)
    if group is None:
        check = TypeCheck(
            fields["name"], fields["description"], None, [TypeIssue("group", NO_GROUP)]
        )
        first = writable_groups(request.user).first()
        return _page(
            request, param_type=None, group=first, fields=fields, check=check, http_status=400
        )
    require(user=request.user, group=group)
    check = _check(group, fields)
    if not check.ok:
        return _page(
            request, param_type=None, group=group, fields=fields, check=check, http_status=400
        )
    try:
        created = services.parameter_type_create(
            user=request.user,
            group=group,
            name=check.name,
            description=check.description,
            structure=check.structure,
        )
    except (ValidationError, Conflict) as error:
        return _refused(request, None, group, fields, check, error)
    messages.success(request, CREATED.format(name=created.name))
    return redirect(reverse("types:edit", args=[created.pk]))


def _refused(request, param_type, group, fields, check, error):
    check.issues += [TypeIssue("form", message) for message in error_messages(error)]
    return _page(
        request,
        param_type=param_type,
        group=group,
        fields=fields,
        check=check,
        http_status=refusal_status(error),
    )


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request, pk: int):
    param_type = _type(request, pk)
    if request.method == "GET":
        fields = _stored(param_type)
        return _page(request, param_type=param_type, group=param_type.group, fields=fields)
    require(user=request.user, group=param_type.group)
    if param_type.is_builtin:
        raise PermissionDenied(BUILTIN.format(name=param_type.name))
    fields = _posted(request)
    check = _check(param_type.group, fields, current=param_type)
    if not check.ok:
        return _page(
            request,
            param_type=param_type,
            group=param_type.group,
            fields=fields,
            check=check,
            http_status=400,
        )
    try:
        with transaction.atomic():
            check_snapshot(param_type, _int(fields["etag"]))
            services.parameter_type_update(
                user=request.user,
                param_type=param_type,
                name=check.name,
                description=check.description,
                structure=check.structure,
            )
    except StaleWrite:
        report = stale_report(
            param_type,
            since=_int(fields["etag"]),
            fields=(("name", "Name"), ("description", "Description"), ("structure", "Structure")),
        )
        # Saving again goes over the latest version, on purpose.
        fields = {**fields, "etag": report.latest_snapshot}
        return _page(
            request,
            param_type=param_type,
            group=param_type.group,
            fields=fields,
            check=check,
            status={"stale": report},
            http_status=409,
        )
    except (ValidationError, Conflict) as error:
        return _refused(request, param_type, param_type.group, fields, check, error)
    saved = _type(request, pk)
    messages.success(request, SAVED.format(name=saved.name, snapshot=saved.snapshot_id))
    return redirect(reverse("types:edit", args=[pk]))


@login_required
@require_POST
def type_check(request, pk: int | None = None):
    """Live check of the unsaved page (the ``#type-check`` fragment); writes nothing."""
    fields = _posted(request)
    if pk is not None:
        param_type = _type(request, pk)
        group, current = param_type.group, param_type
    else:
        param_type, current = None, None
        group = _chosen_group(request, fields)
        if group is None:
            raise Http404
    check = _check(group, fields, current=current)
    return _page(request, param_type=param_type, group=group, fields=fields, check=check)


@login_required
@require_POST
def type_delete(request, pk: int):
    param_type = _type(request, pk)
    require(user=request.user, group=param_type.group)
    try:
        services.parameter_type_delete(user=request.user, param_type=param_type)
    except (PermissionDenied, Conflict) as error:
        fields = _stored(param_type)
        status = 403 if isinstance(error, PermissionDenied) else 409
        return _page(
            request,
            param_type=param_type,
            group=param_type.group,
            fields=fields,
            status={"delete_refused": str(error)},
            http_status=status,
        )
    messages.success(request, DELETED.format(name=param_type.name))
    return redirect(reverse("types:list"))
