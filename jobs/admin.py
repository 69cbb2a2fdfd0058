"""Queues, experiments, jobs and artifacts in the admin: writes, deletes and restores go through
``jobs.services``, as the API's do (``access.admin_mixins.ServiceAdmin``).

Jobs and artifacts are made by running entrypoints, not typed in: their pages are read-only
(a job can be cancelled, reset or rerun from the list's actions, an artifact described).
"""

from django.contrib import admin, messages

from access.admin_mixins import (
    SERVICE_ERRORS,
    DeletedFilter,
    GroupScopedAdminMixin,
    ServiceAdmin,
    service_error_text,
)
from entrypoints.models import Entrypoint
from jobs import services
from jobs.models import Artifact, Experiment, Job, JobLog, JobStep, Queue

DONE = "{action}: {count} job(s)."


@admin.register(Queue)
class QueueAdmin(ServiceAdmin):
    list_display = ["name", "group", "creator", "created_on", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name", "description"]
    fields = ["group", "name", "description"]

    def write(self, user, original, data):
        fields = {"name": data["name"], "description": data.get("description")}
        if original:
            return services.queue_update(user=user, queue=original, **fields)
        return services.queue_create(user=user, group=data["group"], **fields)

    def delete_service(self, user, obj):
        services.queue_delete(user=user, queue=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.queue_restore(user=user, queue=obj, snapshot_id=snapshot_id)


@admin.register(Experiment)
class ExperimentAdmin(ServiceAdmin):
    list_display = ["name", "group", "creator", "created_on", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name", "description"]
    fields = ["group", "name", "description", "entrypoints"]
    filter_horizontal = ["entrypoints"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "entrypoints":
            kwargs["queryset"] = Entrypoint.objects.for_user(request.user, "read")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def write(self, user, original, data):
        fields = {
            "name": data["name"],
            "description": data.get("description"),
            "entrypoints": list(data.get("entrypoints") or []),
        }
        if original:
            return services.experiment_update(user=user, experiment=original, **fields)
        return services.experiment_create(user=user, group=data["group"], **fields)

    def save_related(self, request, form, formsets, change):
        """The service set the entrypoints already (checking their group)."""

    def delete_service(self, user, obj):
        services.experiment_delete(user=user, experiment=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.experiment_restore(user=user, experiment=obj, snapshot_id=snapshot_id)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JobStepInline(ReadOnlyInline):
    model = JobStep
    fields = ["position", "name", "state", "started_on", "seconds", "error"]
    readonly_fields = fields


class JobLogInline(ReadOnlyInline):
    model = JobLog
    fields = ["created_on", "severity", "logger_name", "message"]
    readonly_fields = fields
    max_num = 0


def _job_action(description: str, service):
    def run(modeladmin, request, queryset):
        done = 0
        for job in queryset:
            if not modeladmin.has_change_permission(request, job):
                continue
            try:
                service(user=request.user, job=job)
                done += 1
            except SERVICE_ERRORS as error:
                modeladmin.message_user(request, service_error_text(error), messages.WARNING)
        modeladmin.message_user(request, DONE.format(action=description, count=done))

    run.__name__ = service.__name__
    run.short_description = description
    return run


@admin.register(Job)
class JobAdmin(GroupScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "experiment",
        "entrypoint",
        "queue",
        "status",
        "creator",
        "created_on",
        "finished_on",
        "deleted_on",
    ]
    list_filter = ["status", ("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["description", "message", "entrypoint__name", "experiment__name"]
    list_select_related = ["experiment", "entrypoint", "queue", "creator"]
    readonly_fields = [
        "group",
        "experiment",
        "entrypoint",
        "entrypoint_snapshot",
        "queue",
        "rerun_of",
        "description",
        "values",
        "parameters",
        "artifact_values",
        "timeout",
        "status",
        "message",
        "attempt",
        "started_on",
        "finished_on",
        "worker_id",
        "heartbeat_on",
    ]
    exclude = ["tags"]
    inlines = [JobStepInline, JobLogInline]
    actions = [
        _job_action("Cancel", services.job_cancel),
        _job_action("Reset", services.job_reset),
        _job_action("Rerun", services.job_rerun),
    ]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.job_delete(user=request.user, job=obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            services.job_delete(user=request.user, job=job)


@admin.register(Artifact)
class ArtifactAdmin(GroupScopedAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "name", "task", "job", "is_dir", "file_size", "group", "created_on"]
    list_filter = ["is_dir", ("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name", "task", "description"]
    fields = ["group", "job", "name", "task", "file", "is_dir", "file_size", "description"]
    readonly_fields = ["group", "job", "name", "task", "file", "is_dir", "file_size"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.artifact_update(
            user=request.user, artifact=obj, description=form.cleaned_data.get("description")
        )
