"""Multipart uploads whose file names are paths: an import's files are named by their place in
the uploaded folder (``plugins/hello/tasks.py``), as Dioptra's client sends them."""

import html

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class _PathKeepingParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        # Django keeps only the last part; the folder part matters here, and every name is
        # checked as a relative path by ``workflows.sources.safe_path`` before use.
        return html.unescape(file_name) or None


class PathMultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser with the file names' folder parts kept."""

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
        return parsers.DataAndFiles(data, files)
