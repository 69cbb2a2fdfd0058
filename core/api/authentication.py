"""Session authentication for the API with a cross-site check instead of CSRF tokens.

Dioptra's Python client logs in with a plain HTTP session and never sends a CSRF token, so the
API cannot demand one. Browsers, however, announce where a request comes from: an unsafe request
authenticated by the session cookie is refused when ``Sec-Fetch-Site`` says it is cross-site,
or, without that header, when ``Origin`` names another site. Requests with neither header come
from non-browser clients and are accepted. Session cookies are ``SameSite=Lax`` as well.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

CROSS_SITE_REFUSED = "Cross-site request refused."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _trusted(origin: str) -> bool:
    """Whether ``origin`` is in ``CSRF_TRUSTED_ORIGINS``, honouring ``https://*.example.com``."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        trusted = trusted.rstrip("/")
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        pattern = urlsplit(trusted)
        if parts.scheme == pattern.scheme and is_same_domain(parts.netloc, pattern.netloc[1:]):
            return True
    return False


def is_cross_site(request) -> bool:
    """True when a browser says this request comes from another site (rule in module doc)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    origin = origin.rstrip("/")
    return origin != f"{request.scheme}://{request.get_host()}" and not _trusted(origin)


def refuse_cross_site(request) -> None:
    """Raise 403 for an unsafe request that a browser marks as cross-site."""
    if request.method not in SAFE_METHODS and is_cross_site(request):
        raise exceptions.PermissionDenied(CROSS_SITE_REFUSED)


class CrossSiteCheckedSessionAuthentication(SessionAuthentication):
    """Session authentication whose CSRF check is the cross-site rule (login applies it too)."""

    def enforce_csrf(self, request):
        refuse_cross_site(request)


class CrossSiteCheckedSessionScheme(SessionScheme):
    """Describes the session cookie in the OpenAPI schema, as for DRF's own session class."""

    target_class = CrossSiteCheckedSessionAuthentication
