"""API error handling: domain errors to status codes, and no 500 for malformed input."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, StaleWrite, TooLarge
from core.middleware import BODY_TOO_LARGE, body_limit

STALE_WRITE = "The resource changed since the snapshot named in If-Match; reload and retry."
TOO_DEEP = "The request body is nested too deeply."
OUT_OF_RANGE = "A value in the request is out of range for the database."


def _validation_body(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            field: [m for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": BODY_TOO_LARGE.format(limit=body_limit(context["request"].path))},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, RecursionError):  # json.loads of a deeply nested body
        return Response({"detail": TOO_DEEP}, status=status.HTTP_400_BAD_REQUEST)
    # Ids beyond 64 bits (SQLite: OverflowError) or the column's range (PostgreSQL: DataError)
    # that no serializer capped are bad input, not a server error.
    if isinstance(exc, (OverflowError, DataError)):
        return Response({"detail": OUT_OF_RANGE}, status=status.HTTP_400_BAD_REQUEST)
    # DoesNotExist: the object was deleted while the request ran (services lock and re-read it).
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response(
            {"detail": str(exc) or "You do not have permission to perform this action."},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(_validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TooLarge):
        body = {exc.field: [str(exc)]} if exc.field else {"detail": str(exc)}
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, StaleWrite):
        return Response(
            {"detail": str(exc) or STALE_WRITE}, status=status.HTTP_412_PRECONDITION_FAILED
        )
    return drf_exception_handler(exc, context)
