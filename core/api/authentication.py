"""Session authentication for the API with a cross-site check instead of CSRF tokens.

Dioptra's Python client logs in with a plain HTTP session and never sends a CSRF token, so the
API cannot demand one. Browsers, however, announce where a request comes from: an unsafe request
authenticated by the session cookie is refused when ``Sec-Fetch-Site`` says it is cross-site,
or, without that header, when ``Origin`` names another site. Requests with neither header come
from non-browser clients and are accepted. Session cookies are ``SameSite=Lax`` as well.
"""

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

CROSS_SITE_REFUSED = "Cross-site request refused."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def is_cross_site(request) -> bool:
    """True when a browser says this request comes from another site (rule in module doc)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    trusted = {o.rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS}
    parts = urlsplit(origin)
    return origin.rstrip("/") != own and f"{parts.scheme}://{parts.netloc}" not in trusted


class CrossSiteCheckedSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        if request.method not in SAFE_METHODS and is_cross_site(request):
            raise exceptions.PermissionDenied(CROSS_SITE_REFUSED)
