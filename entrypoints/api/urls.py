def register(router) -> list:
    """Register this app's viewsets on ``router``; return extra URL patterns."""
    return []
