"""Compact references to other resources, as Dioptra renders them: ``{id, name, url}``."""

from rest_framework import serializers

API_PREFIX = "/api/v1"


def ref_url(collection: str, pk) -> str:
    return f"{API_PREFIX}/{collection}/{pk}"


def group_ref(group) -> dict:
    """What ``GroupRefSerializer`` renders, as a plain dict (for refs rendered by the thousand)."""
    return {"id": group.pk, "name": group.name, "url": ref_url("groups", group.pk)}


class GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return ref_url("groups", obj.pk)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return ref_url("users", obj.pk)


class NamedRefSerializer(serializers.Serializer):
    """``{id, name, group, url}`` of a group-owned resource; subclasses set ``collection``."""

    collection = ""
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    group = GroupRefSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return ref_url(self.collection, obj.pk)


class TagRefSerializer(NamedRefSerializer):
    collection = "tags"


class QueueRefSerializer(NamedRefSerializer):
    collection = "queues"


class TypeRefSerializer(NamedRefSerializer):
    collection = "pluginParameterTypes"


class EntrypointRefSerializer(NamedRefSerializer):
    collection = "entrypoints"


def snapshot_ref(collection: str, pk, snapshot_id, name: str, group) -> dict:
    """Dioptra's snapshot ref ``{id, snapshotId, name, group, url}``: one version of a resource
    (``url`` reads that snapshot)."""
    return {
        "id": pk,
        "snapshotId": snapshot_id,
        "name": name,
        "group": group_ref(group),
        "url": ref_url(collection, f"{pk}/snapshots/{snapshot_id}"),
    }


class SnapshotRefSerializer(serializers.Serializer):
    """What ``snapshot_ref`` renders (for the schema)."""

    id = serializers.IntegerField()
    snapshotId = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    group = GroupRefSerializer()
    url = serializers.CharField()
