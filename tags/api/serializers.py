"""Tag JSON, as Dioptra's: ``{id, group, user, createdOn, lastModifiedOn, name}``."""

from rest_framework import serializers

from access.models import Group
from core.api.fields import NameField, VisiblePrimaryKeyField
from core.api.refs import GroupRefSerializer, UserRefSerializer
from core.api.serializers import RejectUnknownFieldsMixin


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    group = GroupRefSerializer(read_only=True)
    user = UserRefSerializer(source="creator", read_only=True, allow_null=True)
    createdOn = serializers.DateTimeField(source="created_on", read_only=True)
    lastModifiedOn = serializers.DateTimeField(source="last_modified_on", read_only=True)
    name = serializers.CharField(read_only=True)


class TagCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    group = VisiblePrimaryKeyField(Group)
    name = NameField()


class TagUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = NameField()
