"""``{id}/snapshots`` and ``{id}/snapshots/{snapshotId}`` for any versioned resource."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from core.snapshots import as_snapshot
from core.versioning import latest_snapshot_id


class SnapshotsMixin:
    """Snapshots (paged, oldest first) that read like the object.

    ``snapshot_serializer_class`` defaults to the viewset's serializer; ``latestSnapshot`` says
    whether a snapshot is the current version. ``snapshot_records`` may add joins.
    """

    snapshot_serializer_class = None
    # Attributes the viewset's queryset loads on the live object (its unversioned relations)
    # that every snapshot shows as they are now.
    live_attributes: tuple[str, ...] = ()

    def snapshot_records(self, obj):
        return obj.history.select_related("group", "creator").order_by("history_id")

    def prepare_snapshots(self, records):
        """As ``prepare`` for live objects: load what the serializer shows of these records."""
        return records

    def _as_snapshot(self, record, latest_id, live):
        record = as_snapshot(record, latest_id=latest_id, live=live)
        for name in self.live_attributes:
            setattr(record, name, getattr(live, name))
        return record

    def _snapshot_serializer(self, *args, **kwargs):
        serializer_class = self.snapshot_serializer_class or self.get_serializer_class()
        return serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    @action(detail=True, methods=["get"], url_path="snapshots", filter_backends=[])
    def snapshots(self, request, pk=None, **kwargs):
        obj = self.get_object()
        latest = latest_snapshot_id(obj)
        page = self.paginate_queryset(self.snapshot_records(obj))
        records = [self._as_snapshot(record, latest, obj) for record in page]
        self.prepare_snapshots(records)
        return self.get_paginated_response(self._snapshot_serializer(records, many=True).data)

    @action(detail=True, methods=["get"], url_path=r"snapshots/(?P<snapshot_id>[0-9]+)")
    def snapshot(self, request, pk=None, snapshot_id=None, **kwargs):
        obj = self.get_object()
        record = get_object_or_404(self.snapshot_records(obj), history_id=snapshot_id)
        record = self._as_snapshot(record, latest_snapshot_id(obj), obj)
        self.prepare_snapshots([record])
        return Response(self._snapshot_serializer(record).data)


def snapshots_schema(serializer_class):
    """Documents ``{id}/snapshots`` as a paged list of ``serializer_class``."""
    return extend_schema_view(
        snapshots=extend_schema(responses=serializer_class(many=True)),
        snapshot=extend_schema(responses=serializer_class),
    )
