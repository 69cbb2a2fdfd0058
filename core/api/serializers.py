"""Fields every versioned resource reads with (Dioptra's resource envelope), and strict input."""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from core.api.forms import form_body
from core.api.refs import GroupRefSerializer, TagRefSerializer, UserRefSerializer

UNKNOWN_FIELD = "Unknown field."


class RejectUnknownFieldsMixin:
    """Input serializers with this mixin answer 400 naming every body field they do not accept
    (read-only fields included), instead of silently ignoring it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        if html.is_html_input(data):  # an HTML form: read as the JSON body it stands for
            data = form_body(self, data)
        return super().to_internal_value(data)


class ResourceSerializer(serializers.Serializer):
    """``id, snapshot, group, user, createdOn, snapshotCreatedOn, lastModifiedOn,
    latestSnapshot, hasDraft, tags``.

    Works for live objects annotated by ``core.versioning.with_snapshot`` and for historical
    records prepared by ``core.snapshots.as_snapshot`` (which set the same attributes).
    """

    id = serializers.IntegerField(read_only=True)
    snapshot = serializers.IntegerField(source="snapshot_id", read_only=True)
    group = GroupRefSerializer(read_only=True)
    user = UserRefSerializer(source="creator", read_only=True, allow_null=True)
    createdOn = serializers.DateTimeField(source="created_on", read_only=True)
    snapshotCreatedOn = serializers.DateTimeField(source="snapshot_created_on", read_only=True)
    lastModifiedOn = serializers.DateTimeField(source="last_modified_on", read_only=True)
    latestSnapshot = serializers.SerializerMethodField()
    hasDraft = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()

    def get_latestSnapshot(self, obj) -> bool:
        return getattr(obj, "is_latest_snapshot", True)

    def get_hasDraft(self, obj) -> bool:
        return False

    @extend_schema_field(TagRefSerializer(many=True))
    def get_tags(self, obj):
        tags = getattr(obj, "live_tags", None)
        if tags is None:
            tags = obj.tags.all()
        return TagRefSerializer(tags, many=True).data


class IdsSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """``{ids: [id]}``: the body of a "related ids" sub-collection's POST and PUT."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=1000)


class DeletedSerializer(serializers.Serializer):
    """What a delete answers: ``{"id": [<id>, ...], "status": "Success"}``."""

    id = serializers.ListField(child=serializers.IntegerField())
    status = serializers.CharField()
