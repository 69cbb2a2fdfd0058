"""Tags in the admin: writes, deletes and restores go through ``tags.services``, as the API's
do (``access.admin_mixins.ServiceAdmin``); deleting a tag takes it off every resource."""

from django.contrib import admin

from access.admin_mixins import DeletedFilter, ServiceAdmin
from tags import services
from tags.models import Tag


@admin.register(Tag)
class TagAdmin(ServiceAdmin):
    list_display = ["name", "group", "creator", "created_on", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name"]
    fields = ["group", "name"]

    def write(self, user, original, data):
        if original:
            return services.tag_update(user=user, tag=original, name=data["name"])
        return services.tag_create(user=user, group=data["group"], name=data["name"])

    def delete_service(self, user, obj):
        services.tag_delete(user=user, tag=obj)

    def restore_service(self, user, obj, snapshot_id):
        return services.tag_restore(user=user, tag=obj, snapshot_id=snapshot_id)
