"""Dioptra's list query: ``search``, ``sortBy``, ``descending`` and ``groupId``.

``search`` holds terms separated by commas; a plain term matches any searchable field
(case-insensitive substring), ``field:value`` matches one field in full, where ``*`` is any run of
characters and ``?`` one character (``\\*`` and ``\\?`` are literal). Terms combine with AND.
"""

import re

from django.db.models import Q
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.filters import BaseFilterBackend

UNKNOWN_SEARCH_FIELD = "Unknown search field {field!r}; searchable fields: {fields}."
UNKNOWN_SORT_FIELD = "Unknown sortBy field {field!r}; sortable fields: {fields}."


class UnprocessableQuery(APIException):
    status_code = 422
    default_detail = "The query cannot be processed."
    default_code = "unprocessable"


class ListQuerySerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    sortBy = serializers.CharField(required=False, allow_blank=True, max_length=100)
    descending = serializers.BooleanField(required=False, default=False)
    groupId = serializers.IntegerField(required=False, min_value=1)


def _split_terms(search: str) -> list[str]:
    terms, current, escaped, quote = [], [], False, None
    for char in search:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif quote:
            if char == quote:
                quote = None
            else:
                current.append(char)
        elif char in "\"'":
            quote = char
        elif char == ",":
            terms.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    terms.append("".join(current).strip())
    return [term for term in terms if term]


def _wildcard_regex(value: str) -> str:
    # (?s): wildcards match newlines too (multi-line fields such as task graphs); PostgreSQL
    # does that by default, SQLite's Python REGEXP does not.
    parts, i = ["(?s)^"], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            parts.append(re.escape(value[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
        i += 1
    parts.append("$")
    return "".join(parts)


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _match(path, lookup: str, value: str) -> Q:
    """``path`` is a model lookup path, or a function ``(lookup, value) -> Q`` for a field across
    a many-valued relation (such as tag names): a subquery there keeps each row once where a join
    would repeat it."""
    if callable(path):
        return path(lookup, value)
    return Q(**{f"{path}__{lookup}": value})


def search_q(search: str, fields: dict) -> Q:
    """Q for a search string over ``fields`` (API name -> model lookup path, see ``_match``).

    Several names may share a path (aliases, such as Dioptra's ``task_graph`` for ``taskGraph``):
    a plain term looks in each path once.
    """
    query = Q()
    for term in _split_terms(search):
        field, sep, value = term.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field.strip()):
            name = field.strip()
            if name not in fields:
                raise UnprocessableQuery(
                    UNKNOWN_SEARCH_FIELD.format(field=name, fields=", ".join(sorted(fields)))
                )
            query &= _match(fields[name], "iregex", _wildcard_regex(value.strip()))
        else:
            text = _unescape(term)
            any_field = Q()
            for path in dict.fromkeys(fields.values()):
                any_field |= _match(path, "icontains", text)
            query &= any_field
    return query


def tag_search(model):
    """A ``search_fields`` entry matching the names of ``model``'s live tags (a subquery: each
    object once, where a join would repeat it)."""
    through = model.tags.through
    column = f"{model._meta.model_name}_id"

    def match(lookup: str, value: str) -> Q:
        tagged = through.objects.filter(
            tag__deleted_on__isnull=True, **{f"tag__name__{lookup}": value}
        )
        return Q(pk__in=tagged.values(column))

    return match


def apply_list_query(
    query_params, queryset, *, search_fields: dict, sort_fields: dict, group_lookup="group_id"
):
    """``queryset`` searched, filtered by ``groupId`` (on ``group_lookup``; ``None`` ignores
    it) and sorted as the list query in ``query_params`` says (400 or 422 for a bad one)."""
    query = ListQuerySerializer(data=query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    if search := data.get("search"):
        queryset = queryset.filter(search_q(search, search_fields))
    if (group_id := data.get("groupId")) is not None and group_lookup:
        queryset = queryset.filter(**{group_lookup: group_id})
    order = ["pk"]
    if sort_by := data.get("sortBy"):
        if sort_by not in sort_fields:
            raise UnprocessableQuery(
                UNKNOWN_SORT_FIELD.format(field=sort_by, fields=", ".join(sorted(sort_fields)))
            )
        order = [sort_fields[sort_by], "pk"]
    if data.get("descending"):
        order = [f"-{field}" for field in order]
    return queryset.order_by(*order)


class ListQueryFilter(BaseFilterBackend):
    """Applies the list query using the view's ``search_fields``/``sort_fields`` mappings.

    ``groupId`` filters on the view's ``group_lookup`` (default ``group_id``), so resources that
    are not group-owned can say what "in this group" means; ``None`` ignores ``groupId``.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        return apply_list_query(
            request.query_params,
            queryset,
            search_fields=view.search_fields,
            sort_fields=view.sort_fields,
            group_lookup=getattr(view, "group_lookup", "group_id"),
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "search",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": (
                    "Plain terms match any searchable field; `field:value` with * and ? wildcards."
                ),
            },
            {
                "name": "sortBy",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": sorted(getattr(view, "sort_fields", {}))},
            },
            {"name": "descending", "in": "query", "required": False, "schema": {"type": "boolean"}},
            {"name": "groupId", "in": "query", "required": False, "schema": {"type": "integer"}},
        ]
