"""Entrypoints in the admin: every write and every restore goes through ``entrypoints.services``
(one snapshot, judged by the engine), with the verdict shown in the list, the form and the
history. Staff who are not superusers see and change only their groups' entrypoints
(``access.admin_mixins.ServiceAdmin``)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from access.admin_mixins import DeletedFilter, ServiceAdmin, ServiceCheckedForm, UserBoundFormMixin
from access.models import Group
from entrypoints import selectors, services
from entrypoints.models import Entrypoint
from jobs.models import Queue
from plugins_app.models import Plugin
from tags.models import Tag

# API field names (in service errors) -> form fields.
FORM_FIELDS = {
    "name": "name",
    "description": "description",
    "taskGraph": "task_graph",
    "artifactGraph": "artifact_graph",
    "parameters": "parameters",
    "artifactParameters": "artifact_parameters",
    "queues": "queues",
    "tags": "tags",
    "plugins": "plugins",
    "artifactPlugins": "artifact_plugins",
    "pluginSnapshotIds": "plugins",
    "artifactPluginSnapshotIds": "artifact_plugins",
}
RESTORED = "Snapshot {snapshot} restored as a new snapshot (valid: {valid})."
SYNCED = "{count} entrypoint(s) now use the latest snapshots of their plugins."


def _writable_groups(user):
    return Group.objects.for_user(user, "write")


# YAML is indentation: a monospace font, and no spell-checking of step names.
YAML_TEXTAREA = {"style": "font-family: monospace", "spellcheck": "false"}


class EntrypointAdminForm(ServiceCheckedForm):
    plugins = forms.ModelMultipleChoiceField(
        queryset=Plugin.objects.none(),
        required=False,
        help_text="New plugins are pinned to their latest snapshot; attached ones keep theirs.",
    )
    artifact_plugins = forms.ModelMultipleChoiceField(
        queryset=Plugin.objects.none(),
        required=False,
        help_text="Plugins whose artifact tasks the artifact graph may use.",
    )
    form_fields = FORM_FIELDS

    class Meta:
        model = Entrypoint
        fields = [
            "group",
            "name",
            "description",
            "task_graph",
            "artifact_graph",
            "parameters",
            "artifact_parameters",
            "queues",
            "tags",
        ]
        widgets = {
            "task_graph": forms.Textarea(attrs={"rows": 16, "cols": 100, **YAML_TEXTAREA}),
            "artifact_graph": forms.Textarea(attrs={"rows": 8, "cols": 100, **YAML_TEXTAREA}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        groups = _writable_groups(user)
        for name, model in (
            ("queues", Queue),
            ("tags", Tag),
            ("plugins", Plugin),
            ("artifact_plugins", Plugin),
        ):
            self.fields[name].queryset = model.objects.alive().filter(group__in=groups)
        for name in ("parameters", "artifact_parameters"):
            self.fields[name].required = False
        self.fields["description"].required = False
        if self.instance.pk:
            selectors.with_attachments([self.instance])
            self.fields["plugins"].initial = [p.id for p in self.instance.attached_plugins]
            self.fields["artifact_plugins"].initial = [
                p.id for p in self.instance.attached_artifact_plugins
            ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "name": data["name"],
            "description": data.get("description"),
            "task_graph": data.get("task_graph") or "",
            "artifact_graph": data.get("artifact_graph") or "",
            "parameters": data.get("parameters") or [],
            "artifact_parameters": data.get("artifact_parameters") or [],
            "queues": list(data.get("queues") or []),
        }
        plugins, artifact_plugins = (
            list(data.get("plugins") or []),
            list(data.get("artifact_plugins") or []),
        )
        if not self.instance.pk:
            return kwargs | {
                "group": data["group"],
                "plugins": plugins,
                "artifact_plugins": artifact_plugins,
            }
        return kwargs | {
            "plugin_snapshot_ids": self._snapshot_ids(plugins, self.instance.attached_plugins),
            "artifact_plugin_snapshot_ids": self._snapshot_ids(
                artifact_plugins, self.instance.attached_artifact_plugins
            ),
        }

    @staticmethod
    def _snapshot_ids(plugins, attached) -> list[int]:
        """Keep the pinned snapshot of plugins still chosen, the latest of new ones."""
        pinned = {p.id: p.snapshot_id for p in attached}
        latest = selectors.latest_plugin_snapshot_ids(p.pk for p in plugins if p.pk not in pinned)
        return [pinned.get(p.pk) or latest[p.pk] for p in plugins]

    def check(self, data):
        group = data.get("group") or self.instance.group
        kwargs = self.service_data()
        services.check_fields(
            group=group,
            name=kwargs["name"],
            task_graph=kwargs["task_graph"],
            artifact_graph=kwargs["artifact_graph"],
            description=kwargs["description"],
            parameters=kwargs["parameters"],
            artifact_parameters=kwargs["artifact_parameters"],
            exclude_pk=self.instance.pk,
            queues=kwargs["queues"],
            tags=list(data.get("tags") or []),
            plugins=list(data.get("plugins") or []),
            artifactPlugins=list(data.get("artifact_plugins") or []),
        )
        services.stored_artifact_parameters(
            group=group, artifact_parameters=kwargs["artifact_parameters"]
        )


@admin.register(Entrypoint)
class EntrypointAdmin(UserBoundFormMixin, ServiceAdmin):
    form = EntrypointAdminForm
    list_display = ["name", "group", "valid", "issue_count", "creator", "last_modified_on"]
    list_filter = [
        "valid",
        ("group", admin.RelatedOnlyFieldListFilter),
        "last_modified_on",
        DeletedFilter,
    ]
    search_fields = ["name", "description", "task_graph"]
    readonly_fields = ["valid", "issue_list", "pinned_plugins"]
    history_list_display = ["valid", "issue_count"]
    actions = ["sync_plugins"]

    @admin.display(description="issues")
    def issue_count(self, obj) -> int:
        return len(obj.issues or [])

    @admin.display(description="issues")
    def issue_list(self, obj):
        if not obj.issues:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{}</code> {} ({}:{}): {}</li>",
                (
                    (
                        i["code"],
                        i["source"],
                        i.get("line") or "-",
                        i.get("column") or "-",
                        i["message"],
                    )
                    for i in obj.issues
                ),
            ),
        )

    @admin.display(description="pinned plugin snapshots")
    def pinned_plugins(self, obj):
        selectors.with_attachments([obj])
        rows = [
            (p.name, p.snapshot_id, "" if p.latest_snapshot else " (outdated)")
            for p in [*obj.attached_plugins, *obj.attached_artifact_plugins]
        ]
        return format_html_join(", ", "{} @ {}{}", rows) or "-"

    def write(self, user, original, data):
        if original:
            return services.entrypoint_update(user=user, entrypoint=original, **data)
        return services.entrypoint_create(user=user, **data)

    def delete_service(self, user, obj):
        services.entrypoint_delete(user=user, entrypoint=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.entrypoint_restore(user=user, entrypoint=obj, snapshot_id=snapshot_id)

    def restored_message(self, restored, snapshot_id) -> str:
        return RESTORED.format(snapshot=snapshot_id, valid=restored.valid)

    @admin.action(description="Sync plugins to their latest snapshots")
    def sync_plugins(self, request, queryset):
        writable = queryset.filter(group__in=_writable_groups(request.user))
        for entrypoint in writable:
            services.entrypoint_plugins_sync(user=request.user, entrypoint=entrypoint)
        self.message_user(request, SYNCED.format(count=len(writable)))
