"""Base viewset of group-owned resources: permission scoping, paging, ETag, delete envelope.

Reads go through ``Model.objects.for_user(user, "read")`` only, so other groups' objects answer
404; writes then need the ``write`` role in the object's group (403 otherwise).

A write runs in one transaction and locks its object's row before checking ``If-Match``, so the
check and the write see the same snapshot: of two writers holding the same ETag, the second
waits for the first and then answers 412 instead of overwriting it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework import viewsets
from rest_framework.response import Response

from access.selectors import can
from core.api.pagination import IndexPagination
from core.api.search import ListQueryFilter
from core.versioning import check_snapshot, latest_snapshot_id, with_snapshot

# Sub-collections (``{id}/plugins``, ``{id}/tags``...) answer plain JSON arrays, unpaged.
PLAIN_LIST = {"pagination_class": None, "filter_backends": []}

WRITE_FORBIDDEN = "Your role in group {group!r} does not allow changes."


def deleted_response(*pks) -> Response:
    """What a delete answers: the ids of what it deleted (``DeletedSerializer``)."""
    return Response({"id": list(pks), "status": "Success"})


class GroupOwnedViewSet(viewsets.GenericViewSet):
    filter_backends = [ListQueryFilter]
    pagination_class = IndexPagination
    search_fields: dict[str, str] = {}
    sort_fields: dict[str, str] = {}
    versioned = True
    # The request bodies of ``create`` and ``update`` (extra actions name theirs in
    # ``@action(serializer_class=...)``): what ``validated`` checks and what the browsable API's
    # forms show.
    body_serializers: dict[str, type] = {}

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.queryset.for_user(self.request.user, "read")
        return with_snapshot(queryset) if self.versioned else queryset

    def get_serializer_class(self):
        if self.request is not None and self.request.method in ("POST", "PUT", "PATCH"):
            if body := self.body_serializers.get(self.action):
                return body
        return super().get_serializer_class()

    def validated(self) -> dict:
        """The request body checked by the action's body serializer (400 naming the fields)."""
        body = self.get_serializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def require(self, group, action: str = "write") -> None:
        if not can(user=self.request.user, group=group, action=action):
            raise PermissionDenied(WRITE_FORBIDDEN.format(group=group.name))

    def get_writable_object(self):
        """The object (404 if invisible), after the write-role (403) and If-Match (412) checks,
        locked until the request's transaction ends."""
        obj = self.get_object()
        self.require(obj.group)
        self.check_if_match(obj)
        return obj

    def check_if_match(self, obj) -> None:
        """412 unless ``If-Match`` names the latest snapshot, read under the row lock."""
        header = self.request.headers.get("If-Match")
        if not header or not self.versioned or header.strip() == "*":
            return
        check_snapshot(
            obj, {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
        )

    def prepare(self, objects):
        """Load what the serializer shows of ``objects`` (a page, or one object) that the queryset
        cannot, in a fixed number of queries: serializers do not query. Nothing by default."""
        return objects

    def written(self, obj) -> Response:
        """What a write answers: the object as a read shows it now (new snapshot id, ETag)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        self.prepare([fresh])
        read = self.serializer_class(fresh, context=self.get_serializer_context())
        return self.with_etag(Response(read.data), fresh)

    def with_etag(self, response: Response, obj) -> Response:
        if self.versioned and (snapshot := latest_snapshot_id(obj)) is not None:
            response["ETag"] = f'"{snapshot}"'
        return response

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.prepare(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.prepare([obj])
        return self.with_etag(Response(self.get_serializer(obj).data), obj)
