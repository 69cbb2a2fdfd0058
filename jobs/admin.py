from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import DeletedFilter, GroupScopedAdminMixin
from jobs.models import Queue


@admin.register(Queue)
class QueueAdmin(GroupScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "group", "creator", "created_on", "last_modified_on", "deleted_on"]
    list_filter = [("group", admin.RelatedOnlyFieldListFilter), DeletedFilter]
    search_fields = ["name", "description"]
    list_select_related = ["group", "creator"]
    fields = ["group", "name", "description"]
