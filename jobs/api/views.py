"""``/queues/``: Dioptra's queues (versioned: snapshot, ETag, If-Match) and their tags."""

from drf_spectacular.utils import extend_schema

from core.api.snapshots import SnapshotsMixin, snapshots_schema
from core.api.viewsets import GroupOwnedViewSet, deleted_response
from jobs import services
from jobs.api.serializers import QueueCreateSerializer, QueueSerializer, QueueUpdateSerializer
from jobs.models import Queue
from tags.api.views import ResourceTagsMixin


@snapshots_schema(QueueSerializer)
class QueueViewSet(SnapshotsMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Queues ``{group, name, description}``: versioned (snapshot, ETag, If-Match)."""

    queryset = Queue.objects.select_related("group", "creator").prefetch_related("tags__group")
    serializer_class = QueueSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = {"name": "name", "description": "description"}
    sort_fields = {"name": "name", "createdOn": "created_on", "lastModifiedOn": "last_modified_on"}
    body_serializers = {"create": QueueCreateSerializer, "update": QueueUpdateSerializer}

    @extend_schema(request=QueueCreateSerializer, responses=QueueSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        queue = services.queue_create(
            user=request.user,
            group=data["group"],
            name=data["name"],
            description=data["description"],
        )
        return self.written(queue)

    @extend_schema(request=QueueUpdateSerializer, responses=QueueSerializer)
    def update(self, request, pk=None):
        queue = self.get_writable_object()
        data = self.validated()
        queue = services.queue_update(user=request.user, queue=queue, **data)
        return self.written(queue)

    def destroy(self, request, pk=None):
        queue = self.get_writable_object()
        services.queue_delete(user=request.user, queue=queue)
        return deleted_response(queue.pk)
