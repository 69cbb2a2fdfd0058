"""Entrypoints in the admin: every write and every restore goes through ``entrypoints.services``
(one snapshot, judged by the engine), with the verdict shown in the list, the form and the
history. Staff who are not superusers see and change only their groups' entrypoints
(``access.admin_mixins.ServiceAdmin``).

The change page is the editor page's twin: the same CodeMirror editors (``CodeEditorWidget``),
parameter tables (``entrypoints.widgets``) and field names, so its live validation is the editor
page's endpoint and fragment (``entrypoints/edit.html#diagnostics``), shown at the top.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join

from access.admin_mixins import (
    DeletedFilter,
    ServiceAdmin,
    ServiceCheckedForm,
    UserBoundFormMixin,
    shown_read_only,
)
from access.models import Group
from core.widgets import CodeEditorWidget
from entrypoints import editor, selectors, services, timeline
from entrypoints.forms import EntrypointForm
from entrypoints.models import Entrypoint
from entrypoints.versions import pinned_snapshot_ids, version_of
from entrypoints.widgets import ArtifactParameterTable, ParameterTable, RowsField
from jobs.models import Queue
from plugins_app.models import Plugin, PluginParameterType
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
SYNCED = "{count} entrypoint(s) now use the latest snapshots of their plugins."
SAVED_INVALID = (
    "The entrypoint \u201c{name}\u201d was saved, but it has {count} error{plural}: "
    "it cannot run until fixed."
)


def _errors(issues) -> int:
    return sum(1 for issue in issues or [] if issue.get("severity") == "error")


def _writable_groups(user):
    return Group.objects.for_user(user, "write")


class EntrypointAdminForm(ServiceCheckedForm):
    # Checklists, as on the editor page.
    plugins = forms.ModelMultipleChoiceField(
        queryset=Plugin.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="New plugins are pinned to their latest snapshot; attached ones keep theirs.",
    )
    artifact_plugins = forms.ModelMultipleChoiceField(
        queryset=Plugin.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Plugins whose artifact tasks the artifact graph may use.",
    )
    parameters = RowsField(widget=ParameterTable, help_text="Supplied when a job runs.")
    artifact_parameters = RowsField(
        widget=ArtifactParameterTable,
        help_text="Artifacts of earlier jobs given to a run; outputs as name: type, separated "
        "by commas.",
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
            "task_graph": CodeEditorWidget(source="taskGraph"),
            "artifact_graph": CodeEditorWidget(source="artifactGraph", min_lines=6),
            "description": forms.Textarea(attrs={"rows": 2}),
            "queues": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
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
            # A reader's view-only form has only the fields declared here (the others are shown).
            if name in self.fields:
                self.fields[name].queryset = model.objects.alive().filter(group__in=groups)
        if "description" in self.fields:
            self.fields["description"].required = False
        self._set_types(self._group(groups))
        if self.instance.pk:
            selectors.with_attachments([self.instance])
            self.fields["plugins"].initial = [p.id for p in self.instance.attached_plugins]
            self.fields["artifact_plugins"].initial = [
                p.id for p in self.instance.attached_artifact_plugins
            ]

    def _group(self, writable):
        """The entrypoint's group, or the one an add form chose (among ``writable``)."""
        if self.instance.group_id:
            return self.instance.group
        chosen = str(self.data.get("group", "")) if self.is_bound else ""
        return writable.filter(pk=chosen).first() if chosen.isdigit() else None

    def _set_types(self, group) -> None:
        """The artifact parameter table shows and reads type names of ``group``."""
        if group is None:
            return
        types = PluginParameterType.objects.filter(group=group).in_bulk()
        table = self.fields["artifact_parameters"].widget
        table.types = types
        table.types_by_name = {t.name: t for t in types.values() if t.deleted_on is None}

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
    readonly_fields = ["saved_verdict", "pinned_plugins"]
    history_list_display = ["valid", "issue_count"]
    fieldsets = [
        (None, {"fields": ["group", "name", "description", "saved_verdict"]}),
        ("Task graph", {"fields": ["task_graph", "artifact_graph"]}),
        ("Parameters", {"fields": ["parameters", "artifact_parameters"]}),
        (
            "Plugins, queues and tags",
            {"fields": ["plugins", "artifact_plugins", "pinned_plugins", "queues", "tags"]},
        ),
    ]
    history_diff_fields = ("task_graph", "artifact_graph")
    read_only_shown = {
        "task_graph": "task_graph_shown",
        "artifact_graph": "artifact_graph_shown",
        "parameters": "parameters_shown",
        "artifact_parameters": "artifact_parameters_shown",
        "plugins": None,  # the pinned snapshots say it
        "artifact_plugins": None,
    }
    task_graph_shown = shown_read_only("task_graph", "task graph")
    artifact_graph_shown = shown_read_only("artifact_graph", "artifact graph")
    parameters_shown = shown_read_only("parameters", "parameters")
    artifact_parameters_shown = shown_read_only("artifact_parameters", "artifact parameters")
    actions = ["sync_plugins"]

    def get_changeform_initial_data(self, request):
        """The group the editor page would choose (where the user last created one)."""
        initial = super().get_changeform_initial_data(request)
        if "group" not in initial and (group := self._page_form(request, None).group):
            initial["group"] = group.pk
        return initial

    @staticmethod
    def _page_form(request, obj, data=None) -> EntrypointForm:
        """The editor page's form over the same fields: the admin posts what the page posts."""
        return EntrypointForm(
            data,
            user=request.user,
            group=obj.group if obj else None,
            creating=obj is None,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The editor page's verdict on what the form shows, and what its live validation
        posts to (``entrypoint_validate``, the page's own endpoint)."""
        if context["adminform"].form.is_bound:
            proposal = editor.proposal_from_form(self._page_form(request, obj, request.POST))
        elif obj is not None:
            proposal = editor.proposal_from_entrypoint(obj, user=request.user)
        else:
            proposal = editor.Proposal(group=self._page_form(request, None).group)
        if proposal.group is not None:
            judgement = editor.judge(proposal, user=request.user)
            context.update(editor.diagnostics(judgement))
        editable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if editable and proposal.group is not None and not getattr(obj, "deleted_on", None):
            context["validate_url"] = (
                reverse("entrypoints:validate", args=[obj.pk])
                if obj
                else reverse("entrypoints:validate-new")
            )
            context["pins"] = [
                (kind, choice.id, choice.pinned)
                for kind, _, choices in proposal.plugin_sections
                for choice in choices
                if choice.pinned
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_summaries(self, pairs):
        # The editor's history list says the same (one query for the plugins' names).
        versions = (version_of(record) for pair in pairs for record in pair if record is not None)
        names = timeline.plugin_names(pinned_snapshot_ids(*versions))
        return [timeline.change_summary(newer, older, names) for older, newer in pairs]

    @admin.display(description="issues")
    def issue_count(self, obj) -> int:
        return len(obj.issues or [])

    @admin.display(description="verdict as saved")
    def saved_verdict(self, obj) -> str:
        if obj.pk is None:
            return "-"  # not saved yet: the verdict on top is what saving would store
        if obj.valid:
            return "valid"
        count = _errors(obj.issues)
        return f"invalid: {count} error{'' if count == 1 else 's'}, it cannot run until fixed"

    @admin.display(description="pinned plugin snapshots")
    def pinned_plugins(self, obj):
        selectors.with_attachments([obj])
        rows = [
            (p.name, p.snapshot_id, "" if p.latest_snapshot else " (outdated)")
            for p in [*obj.attached_plugins, *obj.attached_artifact_plugins]
        ]
        return format_html_join(", ", "{} @ {}{}", rows) or "-"

    def save_warning(self, written) -> str | None:
        if written.valid:
            return None
        errors = _errors(written.issues)
        return SAVED_INVALID.format(
            name=written.name, count=errors, plural="" if errors == 1 else "s"
        )

    def write(self, user, original, data):
        if original:
            return services.entrypoint_update(user=user, entrypoint=original, **data)
        return services.entrypoint_create(user=user, **data)

    def delete_service(self, user, obj):
        services.entrypoint_delete(user=user, entrypoint=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.entrypoint_restore(user=user, entrypoint=obj, snapshot_id=snapshot_id)

    @admin.action(description="Sync plugins to their latest snapshots")
    def sync_plugins(self, request, queryset):
        writable = queryset.filter(group__in=_writable_groups(request.user))
        for entrypoint in writable:
            services.entrypoint_plugins_sync(user=request.user, entrypoint=entrypoint)
        self.message_user(request, SYNCED.format(count=len(writable)))
