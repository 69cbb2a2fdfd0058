from jobs.api.views import QueueViewSet


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("queues", QueueViewSet, basename="queue")
    return []
