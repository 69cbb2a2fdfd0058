"""Refuse oversized request bodies with 413 before anything reads them."""

from django.conf import settings
from django.http import JsonResponse

BODY_TOO_LARGE = "Request body is larger than the limit of {limit} bytes."


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return JsonResponse({"detail": BODY_TOO_LARGE.format(limit=limit)}, status=413)
        return self.get_response(request)
