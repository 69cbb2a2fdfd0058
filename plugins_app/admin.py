"""Parameter types, plugins and plugin files in the admin.

Every write, delete and restore goes through ``plugins_app.services``, so each change to a plugin
or its files still makes exactly one plugin snapshot with a rebuilt manifest, and the API's rules
(names, structures, types of the group, builtins read-only, types in use kept) hold here too.
Staff who are not superusers see their groups' objects and change them where they may write
(``access.admin_mixins.ServiceAdmin``).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from access.admin_mixins import (
    DeletedFilter,
    ServiceAdmin,
    ServiceCheckedForm,
    UserBoundFormMixin,
    shown_read_only,
)
from access.models import Group
from core.widgets import CodeEditorWidget
from plugins_app import selectors, services, timeline
from plugins_app.api.serializers import TasksWriteSerializer
from plugins_app.manifest import TASK_KINDS, task_type_ids
from plugins_app.models import Plugin, PluginFile, PluginParameterType

# Parameter types -------------------------------------------------------------------------------


class ParameterTypeForm(ServiceCheckedForm):
    class Meta:
        model = PluginParameterType
        fields = ["group", "name", "description", "structure"]

    def check(self, data):
        current = self.instance if self.instance.pk else None
        services.parameter_type_check(
            group=data.get("group") or self.instance.group,
            name=data["name"],
            structure=data.get("structure"),
            current=current,
        )


@admin.register(PluginParameterType)
class ParameterTypeAdmin(ServiceAdmin):
    form = ParameterTypeForm
    list_display = ["name", "group", "is_builtin", "creator", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), "is_builtin", DeletedFilter]
    search_fields = ["name", "description"]
    readonly_fields = ["is_builtin"]

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_builtin) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_builtin) and super().has_delete_permission(request, obj)

    def write(self, user, original, data):
        fields = {k: data.get(k) for k in ("name", "description", "structure")}
        if original:
            return services.parameter_type_update(user=user, param_type=original, **fields)
        return services.parameter_type_create(user=user, group=data["group"], **fields)

    def check_delete(self, obj):
        services.parameter_type_check_delete(obj)

    def delete_service(self, user, obj):
        services.parameter_type_delete(user=user, param_type=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.parameter_type_restore(user=user, param_type=obj, snapshot_id=snapshot_id)


# Plugins -----------------------------------------------------------------------------------------


def tasks_summary(tasks) -> str:
    """``name(a: string, b: image) -> out: string`` lines for a file's tasks, for admin pages."""
    types = selectors.parameter_types_by_id(task_type_ids(tasks))

    def params(items):
        return ", ".join(
            f"{p['name']}: {getattr(types.get(p['parameterType']), 'name', p['parameterType'])}"
            for p in items
        )

    rows = [
        (
            kind[:-1],
            task["name"],
            params(task.get("inputParams", [])),
            params(task.get("outputParams", [])) or "-",
        )
        for kind in TASK_KINDS
        for task in (tasks or {}).get(kind, [])
    ]
    return format_html_join("", "<div>{} <code>{}({}) &rarr; {}</code></div>", rows) or "-"


class PluginFileInline(admin.TabularInline):
    """The plugin's live files, read-only (files are edited on their own admin page)."""

    model = PluginFile
    fields = ["file_link", "description", "tasks_overview", "last_modified_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_on__isnull=True)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description="file")
    def file_link(self, obj):
        url = reverse("admin:plugins_app_pluginfile_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    @admin.display(description="tasks")
    def tasks_overview(self, obj):
        return tasks_summary(obj.tasks)


class PluginForm(ServiceCheckedForm):
    class Meta:
        model = Plugin
        fields = ["group", "name", "description"]

    def check(self, data):
        services.plugin_name_check(
            group=data.get("group") or self.instance.group,
            name=data["name"],
            exclude_pk=self.instance.pk,
        )


@admin.register(Plugin)
class PluginAdmin(ServiceAdmin):
    form = PluginForm
    inlines = [PluginFileInline]
    list_display = ["name", "group", "file_count", "creator", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name", "description", "files__filename"]
    history_list_display = ["files_in_snapshot"]

    @admin.display(description="files")
    def file_count(self, obj) -> int:
        return len(obj.manifest.get("files", []))

    @admin.display(description="files frozen in this snapshot")
    def files_in_snapshot(self, record):
        return ", ".join(f["filename"] for f in record.manifest.get("files", [])) or "-"

    def write(self, user, original, data):
        fields = {k: data.get(k) for k in ("name", "description")}
        if original:
            return services.plugin_update(user=user, plugin=original, **fields)
        return services.plugin_create(user=user, group=data["group"], **fields)

    def delete_service(self, user, obj):
        services.plugin_delete(user=user, plugin=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.plugin_restore(user=user, plugin=obj, snapshot_id=snapshot_id)

    def change_summaries(self, pairs):
        # The plugin page's history list says the same: files and tasks, by name.
        return [timeline.change_summary(newer, older) for older, newer in pairs]


# Plugin files ------------------------------------------------------------------------------------


class PluginFileForm(ServiceCheckedForm):
    """``tasks`` is checked by the API's serializer, then by the service (types of the group)."""

    class Meta:
        model = PluginFile
        fields = ["plugin", "filename", "description", "contents", "tasks"]
        widgets = {"contents": CodeEditorWidget(source="pluginFile", language="python")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A reader's view-only form has none of these (the page shows them read-only).
        for name in ("contents", "description", "tasks"):
            if name in self.fields:
                self.fields[name].required = False
        if "plugin" in self.fields:
            writable = Group.objects.for_user(user, "write")
            self.fields["plugin"].queryset = Plugin.objects.alive().filter(group__in=writable)

    def clean_tasks(self):
        body = TasksWriteSerializer(data=self.cleaned_data.get("tasks") or {})
        if not body.is_valid():
            raise ValidationError(str(body.errors))
        return body.validated_data

    def check(self, data):
        data["tasks"] = services.plugin_file_check(
            plugin=data.get("plugin") or self.instance.plugin,
            filename=data["filename"],
            tasks=data.get("tasks"),
            exclude_pk=self.instance.pk,
        )


@admin.register(PluginFile)
class PluginFileAdmin(UserBoundFormMixin, ServiceAdmin):
    form = PluginFileForm
    list_display = ["filename", "plugin", "group", "creator", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["filename", "description", "contents", "plugin__name"]
    list_select_related = ["plugin", "group", "creator"]
    readonly_fields = ["tasks_overview"]
    history_diff_fields = ("contents",)
    read_only_shown = {"contents": "contents_shown"}
    contents_shown = shown_read_only("contents", "contents")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *(["plugin"] if obj else []))

    @admin.display(description="tasks, as read")
    def tasks_overview(self, obj):
        return tasks_summary(obj.tasks) if obj.pk else "-"

    def write(self, user, original, data):
        fields = {
            "filename": data["filename"],
            "contents": data.get("contents") or "",
            "description": data.get("description"),
            "tasks": data.get("tasks"),
        }
        if original:
            return services.plugin_file_update(user=user, plugin_file=original, **fields)
        return services.plugin_file_create(user=user, plugin=data["plugin"], **fields)

    def delete_service(self, user, obj):
        services.plugin_file_delete(user=user, plugin_file=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.plugin_file_restore(user=user, plugin_file=obj, snapshot_id=snapshot_id)
