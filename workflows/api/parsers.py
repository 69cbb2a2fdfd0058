"""Multipart uploads whose file names are paths: an import's files are named by their place in
the uploaded folder (``plugins/hello/tasks.py``), as Dioptra's client sends them.

Django keeps only the last part of an upload's name (``UploadedFile.name``); this parser also
keeps the whole name, as ``path_in_upload``. Every such path is checked as a relative path by
``workflows.sources.safe_path`` before it is used.
"""

import html
from functools import wraps

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_str
from django.views.decorators.csrf import csrf_exempt
from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_MANY = "{error} Upload the folder as one .tar.gz archive instead."


class _PathKeepingParser(DjangoMultiPartParser):
    _last_name = ""

    def sanitize_file_name(self, file_name):
        self._last_name = html.unescape(file_name)
        return super().sanitize_file_name(file_name)

    def handle_file_complete(self, old_field_name, counters):
        super().handle_file_complete(old_field_name, counters)
        field = force_str(old_field_name, self._encoding, errors="replace")
        if completed := self._files.getlist(field):
            completed[-1].path_in_upload = self._last_name


class PathMultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, with each upload's whole name kept as ``path_in_upload``."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = parsers.get_encoding(parser_context)
        try:
            data, files = _PathKeepingParser(
                meta, stream, request.upload_handlers, encoding
            ).parse()
        except MultiPartParserError as error:
            raise ParseError(f"Multipart form parse error - {error}") from error
        except (TooManyFilesSent, TooManyFieldsSent) as error:
            raise ParseError(TOO_MANY.format(error=error)) from error
        return parsers.DataAndFiles(data, files)


def keep_upload_paths(view):
    """A page whose uploads keep their paths (``path_in_upload``), as the API's do.

    Django's CSRF check would parse a multipart body first, with its own parser, which drops
    the folders from file names. So this parses it, then runs that check on what it parsed.
    A body that does not parse (too many files, say) reaches the view as
    ``request.upload_error`` with nothing else: the view writes nothing then, so that answer
    needs no CSRF check.
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.upload_error = None
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request._post, request._files = _PathKeepingParser(
                    request.META, request, request.upload_handlers, request.encoding
                ).parse()
            except MultiPartParserError as error:
                request.upload_error = f"The form could not be read: {error}"
            except (TooManyFilesSent, TooManyFieldsSent) as error:
                request.upload_error = TOO_MANY.format(error=error)
            if request.upload_error:
                request._post, request._files = QueryDict(), MultiValueDict()
                return view(request, *args, **kwargs)
        refused = CsrfViewMiddleware(view).process_view(request, None, (), {})
        return refused or view(request, *args, **kwargs)

    return wrapped
