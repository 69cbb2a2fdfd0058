"""Reads about tags."""

from django.db.models import QuerySet


def tag_list_for_resource(*, resource) -> QuerySet:
    """The live tags on ``resource`` (any model with a ``tags`` many-to-many field)."""
    return resource.tags.filter(deleted_on__isnull=True).select_related("group")
