"""Queue JSON: the versioned-resource envelope plus ``name`` and ``description``."""

from rest_framework import serializers

from access.models import Group
from core.api.fields import MULTILINE, NameField, VisiblePrimaryKeyField
from core.api.serializers import RejectUnknownFieldsMixin, ResourceSerializer


class QueueSerializer(ResourceSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)


class QueueUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """PUT body. An omitted or ``null`` description means none (as in Dioptra); text is kept
    exactly as sent."""

    name = NameField()
    description = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        default=None,
        style=MULTILINE,
    )


class QueueCreateSerializer(QueueUpdateSerializer):
    group = VisiblePrimaryKeyField(Group)
