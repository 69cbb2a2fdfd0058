"""Users, groups and memberships as Dioptra shapes them (plus each member's ``role``)."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.roles import RANK, Role
from access.selectors import user_groups, user_list
from core.api.fields import VisiblePrimaryKeyField
from core.api.refs import GroupRefSerializer, UserRefSerializer
from core.api.serializers import RejectUnknownFieldsMixin


class UserSerializer(serializers.Serializer):
    """``{id, username, email}``; ``email`` is shown to the user themself and to superusers only
    (everyone shares the default group, so every user can list every other)."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.SerializerMethodField()

    def get_email(self, obj) -> str | None:
        viewer = self.context["request"].user
        return obj.email if viewer.pk == obj.pk or viewer.is_superuser else None


class CurrentUserSerializer(serializers.Serializer):
    """The logged-in user, in Dioptra's shape: ``{id, username, email, groups, createdOn,
    lastModifiedOn, lastLoginOn, passwordExpiresOn}``. Users are not timestamped on change and
    passwords do not expire here, so those two are ``null``."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    groups = serializers.SerializerMethodField()
    createdOn = serializers.DateTimeField(source="date_joined", read_only=True)
    lastModifiedOn = serializers.SerializerMethodField()
    lastLoginOn = serializers.DateTimeField(source="last_login", read_only=True)
    passwordExpiresOn = serializers.SerializerMethodField()

    @extend_schema_field(GroupRefSerializer(many=True))
    def get_groups(self, obj):
        return GroupRefSerializer(user_groups(user=obj), many=True).data

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_lastModifiedOn(self, obj) -> None:
        return None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_passwordExpiresOn(self, obj) -> None:
        return None


class PermissionsSerializer(serializers.Serializer):
    """Dioptra's per-member permission flags, derived from the role."""

    read = serializers.BooleanField()
    write = serializers.BooleanField()
    shareRead = serializers.BooleanField()
    shareWrite = serializers.BooleanField()
    owner = serializers.BooleanField()
    admin = serializers.BooleanField()


def role_permissions(role: str) -> dict:
    """Dioptra's flags for a role: ``manage`` is admin (and may share), nobody is owner."""
    rank = RANK[Role(role)]
    manage = rank >= RANK[Role.MANAGE]
    return {
        "read": True,
        "write": rank >= RANK[Role.WRITE],
        "shareRead": manage,
        "shareWrite": manage,
        "owner": False,
        "admin": manage,
    }


class MemberSerializer(serializers.Serializer):
    """``{user, group, role, permissions}``."""

    user = UserRefSerializer(read_only=True)
    group = GroupRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    permissions = serializers.SerializerMethodField()

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, obj) -> dict:
        return role_permissions(obj.role)


class GroupSerializer(serializers.Serializer):
    """``{id, name, description, members, createdOn, lastModifiedOn}``."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    createdOn = serializers.DateTimeField(source="created_on", read_only=True)
    lastModifiedOn = serializers.DateTimeField(source="last_modified_on", read_only=True)


class VisibleUserField(VisiblePrimaryKeyField):
    """A user id among the users who share a group with the caller."""

    def get_queryset(self):
        return user_list(user=self.context["request"].user)


class MemberRoleSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MemberCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    user = VisibleUserField(get_user_model())
    role = serializers.ChoiceField(choices=Role.choices, default=Role.READ)
