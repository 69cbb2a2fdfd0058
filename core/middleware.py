"""Refuse oversized request bodies with 413 before anything reads them; JSON 404 under /api/."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

BODY_TOO_LARGE = "Request body is larger than the limit of {limit} bytes."
PAGE_TOO_LARGE = "It is {size}; the most a page accepts is {limit}."
NOT_FOUND = "Not found."


def body_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may hold: more for the resource imports."""
    if path.startswith(settings.UPLOAD_PATHS):
        return max(settings.MAX_UPLOAD_BYTES, settings.MAX_REQUEST_BYTES)
    return settings.MAX_REQUEST_BYTES


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.path)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": BODY_TOO_LARGE.format(limit=limit)}, status=413)
            # A page's form (an upload): words, as a fragment for htmx to show in place.
            message = PAGE_TOO_LARGE.format(
                size=filesizeformat(length), limit=filesizeformat(limit)
            )
            fragment = request.headers.get("HX-Request") == "true"
            template = "413.html#message" if fragment else "413.html"
            return render(request, template, {"message": message}, status=413)
        return self.get_response(request)


class ApiNotFoundMiddleware:
    """Paths under /api/ that no URL matches answer JSON 404 (clients parse every answer).

    With DEBUG on, Django answers them with its technical 404 page rather than ``handler404``,
    so this is done here. It runs outside ``CommonMiddleware``, whose redirect to the path with
    a trailing slash still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        unresolved = request.resolver_match is None
        if response.status_code == 404 and unresolved and request.path.startswith("/api/"):
            return JsonResponse({"detail": NOT_FOUND}, status=404)
        return response
