"""Admin building blocks for group-owned models (queues, tags, plugins, entrypoints...).

``GroupScopedAdminMixin`` says who sees and may change what: the roles replace Django's model
permissions for these models. Staff who are not superusers see the live objects of the groups
where they have a role (``for_user``) and add, change and delete only where they have the
``write`` role. Superusers see everything, deleted objects included.

``ServiceAdmin`` (built on it) says how changes happen: every add, change, delete and history
restore goes through the app's services, as the API's do, so the same rules hold (names taken,
objects of the group, one snapshot per write) and their refusals are form errors or messages.
"""

from collections.abc import Mapping

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value, label_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.models import Group
from access.selectors import can
from access.services import owned_name_check
from core.diffs import has_changes, line_diff
from core.errors import Conflict, TooLarge
from core.forms import form_text
from core.snapshots import NO_CHANGES, is_deletion, restore_note

RESTORED = "Snapshot {snapshot} restored as a new snapshot."
NOT_RESTORED = "Snapshot {snapshot} was not restored: {error}"
NOT_DELETED = "{obj} was not deleted: {error}"
# GroupOwned's fields that every write sets or that never change: not worth a history line.
BOOKKEEPING = frozenset({"group", "creator", "created_on", "last_modified_on", "deleted_on"})
# What services raise to refuse a change; the admin shows them as form errors or messages.
SERVICE_ERRORS = (ValidationError, Conflict, TooLarge, PermissionDenied)


def service_error_messages(
    error: Exception, form_fields: Mapping[str, str] | None = None
) -> dict[str | None, list[str]]:
    """A service error as form errors by field (``None``: the whole form).

    ``form_fields`` maps the API field names services use to form fields (others: the form).
    """

    def field(name):
        return name if form_fields is None else form_fields.get(name)

    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {
            field(name): [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    if isinstance(error, ValidationError):
        return {None: error.messages}
    return {field(getattr(error, "field", None)): [str(error)]}


def service_error_text(error: Exception) -> str:
    """A service error as one line, for admin messages."""
    return "; ".join(m for ms in service_error_messages(error).values() for m in ms)


class DeletedFilter(admin.SimpleListFilter):
    """Live or soft-deleted objects (only superusers ever see deleted ones)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("live", _("Live")), ("deleted", _("Deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(deleted_on__isnull=True)
        if self.value() == "deleted":
            return queryset.filter(deleted_on__isnull=False)
        return queryset


class GroupOwnedAdminForm(forms.ModelForm):
    """Checks the name against the live objects of the group, including on change, where the
    read-only group is not a form field (Django's own constraint check then skips it)."""

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("group") or (self.instance.group if self.instance.group_id else None)
        name = cleaned.get("name")
        if group is None or name is None or "name" not in self.fields:
            return cleaned
        try:
            owned_name_check(
                model=self._meta.model, group=group, name=name, exclude_pk=self.instance.pk
            )
        except ValidationError as error:
            self.add_error(None, error)
        except Conflict as error:
            self.add_error("name", str(error))
        return cleaned


class GroupScopedAdminMixin:
    """Group scoping, role checks, a group chosen among writable ones and read-only after
    creation. Goes before ``admin.ModelAdmin``; ``ServiceAdmin`` adds the writes."""

    def _allowed(self, request, action: str, obj=None) -> bool:
        user = request.user
        if not user.is_staff:
            return False
        if obj is None:
            return Group.objects.for_user(user, action).exists()
        return can(user=user, group=obj.group_id, action=action)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.for_user(request.user, "read")

    def has_module_permission(self, request):
        return self._allowed(request, "read")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "read", obj)

    def has_add_permission(self, request):
        return self._allowed(request, "write")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "write", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "write", obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "group") if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = Group.objects.for_user(request.user, "write")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UserBoundFormMixin:
    """Hands the requesting user to the admin form (``Form(..., user=request.user)``)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class BoundForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return BoundForm


class ServiceCheckedForm(GroupOwnedAdminForm):
    """A form whose ``check()`` runs the service's checks, turning their errors into form errors
    (``form_fields`` maps the API field names in them to form fields).

    Texts (the fields with a textarea) are kept exactly as typed, with the browser's ``\r\n``
    line breaks read as ``\n`` (Django's forms would strip them and keep the ``\r``).
    """

    form_fields: Mapping[str, str] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
        ]
        for name in texts:
            self.fields[name].strip = False
        if self.is_bound and any(name in self.data for name in texts):
            self.data = self.data.copy()
            for name in texts:
                if name in self.data:
                    self.data[name] = form_text(self.data[name])

    def check(self, data: dict) -> None:
        """Raise a service error to refuse ``data`` (the name check above has run already)."""

    def service_data(self) -> dict:
        """What ``ServiceAdmin.write`` hands the service (the cleaned data by default)."""
        return self.cleaned_data

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.check(data)
            except SERVICE_ERRORS as error:
                messages_by_field = service_error_messages(error, self.form_fields)
                for field, field_messages in messages_by_field.items():
                    for message in field_messages:
                        self.add_error(field if field in self.fields else None, message)
        return data


def shown_read_only(field: str, description: str):
    """A display method showing the form field ``field`` through its widget, read-only: what
    readers see instead of its bare value (a code editor, not run-together text; a table, not
    JSON). Goes in a ``ServiceAdmin``'s ``read_only_shown``."""

    @admin.display(description=description)
    def shown(self, obj):
        # One form per object, however many fields a page shows this way.
        if getattr(obj, "_shown_form", None) is None:
            obj._shown_form = self.form(instance=obj)
        return obj._shown_form[field].as_widget(attrs={"readonly": True})

    return shown


class ServiceAdmin(GroupScopedAdminMixin, SimpleHistoryAdmin):
    """Writes, deletes and history restores through the services; their refusals are messages.

    Subclasses implement ``write(user, original, data)`` (``original`` is None when adding; it
    is read afresh, as the form has already changed the admin's copy; ``data`` is the form's
    ``service_data()``), ``delete_service(user, obj)`` and ``restore_service(user, obj,
    snapshot_id)``; ``check_delete(obj)`` may refuse. Restoring writes a new snapshot (checked
    again); reading a snapshot stays django-simple-history's page.
    """

    form = ServiceCheckedForm
    list_select_related = ["group", "creator"]
    object_history_template = "admin/snapshot_history.html"
    object_history_list_template = "admin/snapshot_history_list.html"
    object_history_form_template = "admin/snapshot_form.html"
    # Texts whose line-by-line diff the history pages show.
    history_diff_fields: tuple[str, ...] = ()
    # Readers' view of a form field: the name of a display method (``shown_read_only``) shown
    # instead, or None to leave the field out.
    read_only_shown: Mapping[str, str | None] = {}

    def _reading(self, request, obj) -> bool:
        """A reader's page of ``obj``, with fields to show through their widgets."""
        return (
            bool(self.read_only_shown)
            and obj is not None
            and not self.has_change_permission(request, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._reading(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": self._shown(options["fields"])})
            for title, options in fieldsets
        ]

    def _shown(self, fields) -> list[str]:
        shown = (self.read_only_shown.get(name, name) for name in fields)
        return list(dict.fromkeys(name for name in shown if name is not None))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self._reading(request, obj):
            return fields
        return (*fields, *(name for name in self.read_only_shown.values() if name))

    @property
    def media(self):
        """With the scripts of the widgets that readers' pages show (``read_only_shown``)."""
        media = super().media
        for field in self.read_only_shown:
            if field in self.form.base_fields:
                media += self.form.base_fields[field].widget.media
        return media

    def write(self, user, original, data: dict):
        raise NotImplementedError

    def delete_service(self, user, obj) -> None:
        raise NotImplementedError

    def restore_service(self, user, obj, snapshot_id: int):
        raise NotImplementedError

    def check_delete(self, obj) -> None:
        """Raise a service error to refuse deleting ``obj`` (nothing is refused by default)."""

    def restored_message(self, restored, snapshot_id) -> str:
        return RESTORED.format(snapshot=snapshot_id)

    def save_warning(self, written) -> str | None:
        """What to say instead of "saved successfully" when ``written`` (what a save or a
        restore wrote) is stored but flawed; ``None``: nothing to warn about."""
        return None

    def save_model(self, request, obj, form, change):
        original = type(obj).objects.get(pk=obj.pk) if change else None
        written = self.write(request.user, original, form.service_data())
        obj.pk = written.pk
        # The admin words its success message after this returns (``response_add/change``).
        request.save_warning = self.save_warning(written)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        warning = getattr(request, "save_warning", None)
        if warning and level == messages.SUCCESS:
            message, level = warning, messages.WARNING
        super().message_user(request, message, level, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """On a snapshot's page every field is shown disabled: "Revert" restores the snapshot
        as stored (``history_form_view``), so edits there would be silently dropped."""
        form = super().get_form(request, obj, change=change, **kwargs)
        match = request.resolver_match
        if match is None or not match.url_name.endswith("_simple_history"):
            return form

        class SnapshotForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                for field in self.fields.values():
                    field.disabled = True

        return SnapshotForm

    def delete_model(self, request, obj):
        self.delete_service(request.user, obj)

    def _not_deleted(self, request, obj, error) -> None:
        text = NOT_DELETED.format(obj=obj, error=service_error_text(error))
        self.message_user(request, text, messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "POST" and obj is not None:
            try:
                self.check_delete(obj)
            except SERVICE_ERRORS as error:
                self._not_deleted(request, obj, error)
                return HttpResponseRedirect(request.path)
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_service(request.user, obj)
            except SERVICE_ERRORS as error:
                self._not_deleted(request, obj, error)

    # History pages ----------------------------------------------------------------------------

    def change_summaries(self, pairs: list[tuple]) -> list[str]:
        """What each ``(older, newer)`` pair of snapshots changed, one line each (``older`` is
        None for the first snapshot): the fields, by name."""
        fields = [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in BOOKKEEPING
        ]

        def summary(older, newer) -> str:
            if is_deletion(older, newer):
                return "deleted"
            if older is None:
                return "created"
            names = [
                str(f.verbose_name)
                for f in fields
                if getattr(older, f.attname) != getattr(newer, f.attname)
            ]
            parts = [note] if (note := restore_note(newer)) else []
            parts += [f"changed {', '.join(names)}"] if names else []
            return "; ".join(parts) or NO_CHANGES

        return [summary(older, newer) for older, newer in pairs]

    def text_diffs(self, older, newer) -> list[tuple[str, list]]:
        """``(label, rows)`` of each text in ``history_diff_fields`` that ``newer`` changed."""
        found = []
        for name in self.history_diff_fields:
            rows = line_diff(getattr(older, name, "") or "", getattr(newer, name, "") or "")
            if has_changes(rows):
                found.append((capfirst(self.model._meta.get_field(name).verbose_name), rows))
        return found

    def _record_before(self, record):
        history = self.model.history.filter(
            **{self.model._meta.pk.attname: getattr(record, self.model._meta.pk.attname)}
        )
        return history.filter(history_id__lt=record.history_id).order_by("-history_id").first()

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """django-simple-history's hook for the rows of a history page (newest first): each
        row gets its change summary, the diffs of its texts and its extra columns' cells."""
        records = list(historical_records)
        if not records:
            return
        olders = [*records[1:], self._record_before(records[-1])]
        pairs = list(zip(olders, records, strict=True))
        columns = self.get_history_list_display(request)
        for (older, record), summary in zip(pairs, self.change_summaries(pairs), strict=True):
            record.change_summary = summary
            record.text_diffs = [] if record.history_type == "-" else self.text_diffs(older, record)
            record.cells = [
                display_for_value(value, "-", boolean=isinstance(value, bool))
                for value in (getattr(record, name) for name in columns)
            ]

    def history_view(self, request, object_id, extra_context=None):
        columns = [
            capfirst(label_for_field(name, self.model, self))
            for name in self.get_history_list_display(request)
        ]
        return super().history_view(
            request, object_id, {"history_columns": columns, **(extra_context or {})}
        )

    def _snapshot_context(self, object_id, version_id) -> dict:
        """What the page of one snapshot shows above it: what it changed, and what changed
        from it to the current snapshot."""
        history = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        record = history.filter(history_id=version_id).first()
        if record is None:
            return {}
        older = self._record_before(record)
        latest = history.order_by("-history_id").first()
        return {
            "snapshot": record,
            "snapshot_summary": self.change_summaries([(older, record)])[0],
            "snapshot_diffs": self.text_diffs(older, record),
            "latest_snapshot": latest,
            "diffs_to_latest": [] if latest == record else self.text_diffs(record, latest),
        }

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history checks only the view permission before reverting, and reverts
        with a plain save: a POST here needs the write role and restores through the service."""
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        if request.method != "POST":
            context = {**self._snapshot_context(object_id, version_id), **(extra_context or {})}
            return super().history_form_view(request, object_id, version_id, context)
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            restored = self.restore_service(request.user, obj, int(version_id))
        except SERVICE_ERRORS as error:
            text = service_error_text(error)
            self.message_user(
                request, NOT_RESTORED.format(snapshot=version_id, error=text), messages.ERROR
            )
            return HttpResponseRedirect(request.path)
        text = self.restored_message(restored, version_id)
        if warning := self.save_warning(restored):
            self.message_user(request, f"{text} {warning}", messages.WARNING)
        else:
            self.message_user(request, text, messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
