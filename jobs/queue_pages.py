"""The queue pages: the shared pages of small named resources (``core.named_pages``)."""

from django.db.models import Count, Q

from core.named_pages import NamedResource
from jobs import services
from jobs.models import Queue


def _with_entrypoint_count(queues):
    live = Q(entrypoints__deleted_on__isnull=True)
    return queues.annotate(usage_count=Count("entrypoints", filter=live, distinct=True))


QUEUES = NamedResource(
    namespace="queues",
    model=Queue,
    argument="queue",
    noun="queue",
    plural="Queues",
    intro="Where jobs wait for a worker. An entrypoint lists the queues that may run it.",
    empty_hint="Create a queue above, then tick it on an entrypoint's page so jobs can run there.",
    delete_warning="Entrypoints that list it lose it; its past jobs stay.",
    create=services.queue_create,
    update=services.queue_update,
    delete=services.queue_delete,
    described=True,
    annotate=_with_entrypoint_count,
    usage="Entrypoints",
)
