"""Groups and their members in the admin. Superusers create and delete groups; members with the
``manage`` role (and superusers) change a group and its memberships; other staff with a role see
their groups read-only."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import models as auth_models
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from access.models import Group, Membership
from access.roles import Role
from access.selectors import can

# Access is granted by our groups and roles; Django's permission groups would only confuse.
admin.site.unregister(auth_models.Group)

NO_MANAGER_LEFT = "This change would leave the group without a manager; keep at least one."


class MembershipFormSet(BaseInlineFormSet):
    """A group that has a manager keeps one (as ``access.services`` enforces elsewhere)."""

    def clean(self):
        super().clean()
        if (
            self.instance.pk is None
            or not self.instance.memberships.filter(role=Role.MANAGE).exists()
        ):
            return
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if Role.MANAGE not in roles:
            raise ValidationError(NO_MANAGER_LEFT)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "created_on"]
    readonly_fields = ["created_on"]

    def _manages(self, request, obj) -> bool:
        return obj is not None and can(user=request.user, group=obj, action="manage")

    def has_view_permission(self, request, obj=None):
        return True  # the parent admin already limits which groups are shown

    def has_add_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request, obj)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    inlines = [MembershipInline]
    list_display = ["name", "description", "member_count", "created_on"]
    search_fields = ["name", "description"]
    fields = ["name", "description"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(member_count=Count("memberships"))
        return queryset if request.user.is_superuser else queryset.for_user(request.user, "read")

    @admin.display(description="members", ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._staff(request) and Group.objects.for_user(request.user, "read").exists()

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self._staff(request) and can(user=request.user, group=obj, action="read")

    def has_add_permission(self, request):
        return self._staff(request) and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self._staff(request) and Group.objects.for_user(request.user, "manage").exists()
        return self._staff(request) and can(user=request.user, group=obj, action="manage")

    def has_delete_permission(self, request, obj=None):
        is_default = obj is not None and obj.name == settings.DEFAULT_GROUP_NAME
        return self._staff(request) and request.user.is_superuser and not is_default
