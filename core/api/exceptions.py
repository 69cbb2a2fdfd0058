"""API error handling: DRF's bodies for known errors, and no 500 for malformed input."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.middleware import BODY_TOO_LARGE


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        return Response(
            {"detail": BODY_TOO_LARGE.format(limit=settings.MAX_REQUEST_BYTES)},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
