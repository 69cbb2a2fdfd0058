from tags.api.views import TagViewSet


def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    router.register("tags", TagViewSet, basename="tag")
    return []
