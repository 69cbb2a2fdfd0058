from jobs.api.views import ArtifactViewSet, ExperimentViewSet, JobViewSet, QueueViewSet


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("queues", QueueViewSet, basename="queue")
    router.register("experiments", ExperimentViewSet, basename="experiment")
    router.register("jobs", JobViewSet, basename="job")
    router.register("artifacts", ArtifactViewSet, basename="artifact")
    return []
