"""Dioptra's paging envelope: ``{index, isComplete, totalNumResults, first, prev, next, data}``."""

from urllib.parse import urlencode

from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

MAX_PAGE_LENGTH = 1000
DEFAULT_PAGE_LENGTH = 10
MAX_INDEX = 2**62


class PagingQuerySerializer(serializers.Serializer):
    # Databases refuse offsets past 2**63 - 1 (SQLite with a 500): such an index is a 400.
    index = serializers.IntegerField(min_value=0, max_value=MAX_INDEX, default=0)
    pageLength = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_LENGTH, default=DEFAULT_PAGE_LENGTH
    )


class IndexPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        query = PagingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.request = request
        self.index = query.validated_data["index"]
        self.page_length = query.validated_data["pageLength"]
        self.total = queryset.count()
        return list(queryset[self.index : self.index + self.page_length])

    def _url(self, index: int) -> str:
        params = self.request.query_params.copy()
        params["index"] = index
        params["pageLength"] = self.page_length
        base = self.request.build_absolute_uri(self.request.path)
        return f"{base}?{urlencode(sorted(params.items()))}"

    def get_paginated_response(self, data):
        body = {
            "index": self.index,
            "isComplete": self.index + self.page_length >= self.total,
            "totalNumResults": self.total,
            "first": self._url(0),
        }
        if self.index > 0:
            body["prev"] = self._url(max(self.index - self.page_length, 0))
        if self.index + self.page_length < self.total:
            body["next"] = self._url(self.index + self.page_length)
        body["data"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["index", "isComplete", "totalNumResults", "first", "data"],
            "properties": {
                "index": {"type": "integer"},
                "isComplete": {"type": "boolean"},
                "totalNumResults": {"type": "integer"},
                "first": {"type": "string", "format": "uri"},
                "prev": {"type": "string", "format": "uri"},
                "next": {"type": "string", "format": "uri"},
                "data": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "index",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INDEX},
            },
            {
                "name": "pageLength",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_LENGTH},
            },
        ]
