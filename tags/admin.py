from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import DeletedFilter, GroupScopedAdminMixin
from tags.models import Tag
from tags.services import tag_delete


@admin.register(Tag)
class TagAdmin(GroupScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "group", "creator", "created_on", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name"]
    list_select_related = ["group", "creator"]
    fields = ["group", "name"]

    def delete_model(self, request, obj):
        tag_delete(user=request.user, tag=obj)
