"""Pages for small named resources of a group (queues, tags): list, create, rename, delete.

One ``NamedResource`` describes a model and its services; ``named_urls`` gives its pages, all
served by the views below from ``templates/named/list.html`` and ``edit.html``. Renaming works
in place in the list with htmx (the row becomes a form, its answer is the row again) and, without
JavaScript, on the edit page. The page carries the snapshot it showed (``etag``): renaming over a
newer one is refused with what it is now, and the typed name is kept.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from access.models import Group
from core.errors import Conflict, StaleWrite, TooLarge
from core.forms import ListFilterForm, TextField
from core.pages import (
    error_messages,
    is_fragment,
    page_of,
    refusal_status,
    require,
    visible,
)
from core.versioning import check_snapshot, with_snapshot

LIST = "named/list.html"
EDIT = "named/edit.html"
CREATED = "Created {noun} {name!r} in {group}."
RENAMED = "Saved {noun} {name!r}."
DELETED = "Deleted {noun} {name!r}."
STALE = (
    "Someone changed this {noun} after you opened it: it is now {name!r}. Save again to keep yours."
)


@dataclass(frozen=True)
class NamedResource:
    """A group-owned model with a name (and maybe a description) and its write services.

    The app's services are called as ``create(user=, group=, **fields)``, ``update(user=,
    <argument>=obj, **fields)`` and ``delete(user=, <argument>=obj)``; ``fields`` are ``name``
    and, if ``described``, ``description``. ``annotate`` adds the count ``usage_count`` that
    the list shows in the column ``usage``.
    """

    namespace: str
    model: type[models.Model]
    argument: str
    noun: str
    plural: str
    intro: str
    empty_hint: str
    delete_warning: str
    create: Callable
    update: Callable
    delete: Callable
    described: bool = False
    annotate: Callable | None = None
    usage: str | None = None

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)


class NamedForm(forms.Form):
    name = forms.CharField(max_length=255, strip=False)
    description = TextField(widget=forms.Textarea(attrs={"rows": 2}))
    etag = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, resource: NamedResource, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not resource.described:
            del self.fields["description"]
        if groups is not None:
            self.fields["group"] = forms.ModelChoiceField(queryset=groups, empty_label=None)

    def service_fields(self) -> dict:
        fields = {"name": self.cleaned_data["name"]}
        if "description" in self.fields:
            fields["description"] = self.cleaned_data["description"] or None
        return fields


def _objects(resource, user):
    objects = with_snapshot(
        resource.model.objects.for_user(user, "read").select_related("group", "creator")
    )
    return resource.annotate(objects) if resource.annotate else objects


def _context(request, resource, **extra) -> dict:
    """What both templates use: the resource and the groups where the user may write."""
    writable = list(Group.objects.for_user(request.user, "write").order_by("name"))
    return {
        "resource": resource,
        "writable_groups": writable,
        "can_write": {group.pk for group in writable},
        **extra,
    }


def _list_page(request, resource, *, create_form=None, errors=(), http_status=200):
    filters = ListFilterForm(request.GET, user=request.user)
    search_fields = ("name", "description") if resource.described else ("name",)
    found = filters.apply(
        _objects(resource, request.user).order_by("name", "pk"), search_fields=search_fields
    )
    context = _context(
        request,
        resource,
        filters=filters,
        page=page_of(request, found),
        create_form=create_form or NamedForm(resource=resource),
        create_errors=errors,
    )
    template = f"{LIST}#results" if is_fragment(request) and request.method == "GET" else LIST
    return render(request, template, context, status=http_status)


@login_required
@require_http_methods(["GET", "POST"])
def named_list(request, *, resource: NamedResource):
    """The list, with its create form; POST creates."""
    if request.method == "GET":
        return _list_page(request, resource)
    readable = Group.objects.for_user(request.user, "read")
    form = NamedForm(request.POST, resource=resource, groups=readable)
    if not form.is_valid():
        return _list_page(request, resource, create_form=form, http_status=400)
    group = form.cleaned_data["group"]
    require(user=request.user, group=group)
    try:
        created = resource.create(user=request.user, group=group, **form.service_fields())
    except (ValidationError, Conflict, TooLarge) as error:
        return _list_page(
            request,
            resource,
            create_form=form,
            errors=error_messages(error),
            http_status=refusal_status(error),
        )
    messages.success(
        request, CREATED.format(noun=resource.noun, name=created.name, group=group.name)
    )
    return redirect(resource.url("list"))


def _row(request, resource, obj, *, editing=False, form=None, errors=(), http_status=200):
    """The object's row of the list (htmx) or, without JS, the edit page."""
    obj = _objects(resource, request.user).get(pk=obj.pk) if not editing else obj
    context = _context(
        request,
        resource,
        obj=obj,
        form=form,
        errors=errors,
        etag=form["etag"].value() if form is not None else obj.snapshot_id,
    )
    if is_fragment(request):
        return render(
            request, f"{LIST}#{'edit-row' if editing else 'row'}", context, status=http_status
        )
    return render(request, EDIT, context, status=http_status)


@login_required
@require_http_methods(["GET", "POST"])
def named_edit(request, pk: int, *, resource: NamedResource):
    """GET: the rename form (a row of the list for htmx, else a page; ``?cancel`` gives the
    plain row back). POST: save the new name."""
    obj = visible(_objects(resource, request.user), pk)
    if request.method == "GET":
        if "cancel" in request.GET:
            return _row(request, resource, obj)
        require(user=request.user, group=obj.group)
        return _row(request, resource, obj, editing=True)
    require(user=request.user, group=obj.group)
    form = NamedForm(request.POST, resource=resource)
    if not form.is_valid():
        return _row(request, resource, obj, editing=True, form=form, http_status=400)
    try:
        with transaction.atomic():
            check_snapshot(obj, form.cleaned_data.get("etag"))
            saved = resource.update(
                user=request.user, **{resource.argument: obj}, **form.service_fields()
            )
    except StaleWrite:
        latest = _objects(resource, request.user).get(pk=pk)
        # The form keeps the typed name; its etag moves on, so saving again goes through.
        form.data = form.data.copy()
        form.data["etag"] = latest.snapshot_id
        stale = STALE.format(noun=resource.noun, name=latest.name)
        return _row(
            request, resource, obj, editing=True, form=form, errors=[stale], http_status=409
        )
    except (ValidationError, Conflict, TooLarge) as error:
        errors, status = error_messages(error), refusal_status(error)
        return _row(
            request, resource, obj, editing=True, form=form, errors=errors, http_status=status
        )
    if is_fragment(request):
        return _row(request, resource, saved)
    messages.success(request, RENAMED.format(noun=resource.noun, name=saved.name))
    return redirect(resource.url("list"))


@login_required
@require_POST
def named_delete(request, pk: int, *, resource: NamedResource):
    obj = visible(resource.model.objects.for_user(request.user, "read"), pk)
    require(user=request.user, group=obj.group)
    resource.delete(user=request.user, **{resource.argument: obj})
    messages.success(request, DELETED.format(noun=resource.noun, name=obj.name))
    return redirect(resource.url("list"))


def named_urls(resource: NamedResource):
    """The URL patterns of a resource's pages, to ``include()`` (namespace: its name)."""
    kwargs = {"resource": resource}
    patterns = [
        path("", named_list, kwargs, name="list"),
        path("<int:pk>/edit", named_edit, kwargs, name="edit"),
        path("<int:pk>/delete", named_delete, kwargs, name="delete"),
    ]
    return patterns, resource.namespace
