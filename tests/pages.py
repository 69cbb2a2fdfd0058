"""The permission matrix of the pages: what each actor gets, reading and writing.

Anonymous visitors are sent to the login page; another group's objects are missing (404); the
read role reads (200) and is refused writes with a reason (403); writers write (a redirect to the
page that shows the result).
"""

import html
import re

READ = {"anonymous": 302, "outsider": 404, "reader": 200, "writer": 200, "superuser": 200}
WRITE = {"anonymous": 302, "outsider": 404, "reader": 403, "writer": 302, "superuser": 302}
MATRIX_ACTORS = ("anonymous", "outsider", "reader", "writer", "superuser")
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page's text without tags and with whitespace collapsed (what a person reads)."""
    body = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S
    )
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def flashes(response) -> list[str]:
    """The messages a redirect left for the next page."""
    return [str(m) for m in response.wsgi_request._messages]


def wrote(response) -> bool:
    """A write went through: redirected to its result (not to the login page)."""
    return response.status_code == 302 and "/accounts/login/" not in response.url
