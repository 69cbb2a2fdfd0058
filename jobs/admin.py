"""Queues in the admin: writes, deletes and restores go through ``jobs.services``, as the API's
do (``access.admin_mixins.ServiceAdmin``)."""

from django.contrib import admin

from access.admin_mixins import DeletedFilter, ServiceAdmin
from jobs import services
from jobs.models import Queue


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
