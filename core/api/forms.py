"""HTML form submissions, read as the JSON body they stand for.

One serializer checks both kinds of body, and submitting the browsable API's form of a resource
unchanged changes nothing:

- the form parsers drop the fields the browsable API adds to its forms (``FORM_OWN_FIELDS``) and
  turn the ``\\r\\n`` that browsers send for every line break into ``\\n`` (JSON bodies are kept
  exactly as sent);
- ``form_body`` reads fields that hold lists or objects as JSON texts (HTML has no list input),
  and an empty text of a nullable field as ``null`` (a form cannot send ``null``);
- the browsable API's form renderer (``core.api.browsable.FormRenderer``) shows those fields
  as textareas holding the current value as JSON.
"""

import json

from django.http import QueryDict
from rest_framework import parsers, serializers
from rest_framework.fields import empty
from rest_framework.parsers import DataAndFiles

# The browsable API's CSRF token, and its raw-data form's fields (sent only without JavaScript).
FORM_OWN_FIELDS = frozenset({"csrfmiddlewaretoken", "_content_type", "_content", "_method"})
NOT_JSON = "Enter valid JSON: {error}."
# Fields without an HTML input: a form shows and sends them as JSON texts.
JSON_FIELDS = (
    serializers.BaseSerializer,
    serializers.ListField,
    serializers.DictField,
    serializers.JSONField,
)


def _submitted(data: QueryDict) -> QueryDict:
    """``data`` without the browsable API's own fields, line breaks as ``\\n``."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        if key not in FORM_OWN_FIELDS:
            cleaned.setlist(key, [v.replace("\r\n", "\n") for v in values])
    cleaned._mutable = False
    return cleaned


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _submitted(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(_submitted(parsed.data), parsed.files)


def _one_json_list(texts: list[str]) -> bool:
    return len(texts) == 1 and texts[0].lstrip().startswith("[")


def form_body(serializer, data: QueryDict) -> dict:
    """The body that the form submission ``data`` stands for, by ``serializer``'s fields.

    A JSON field left empty is omitted (its default applies); a list of plain values may also
    be sent as a repeated key, as OpenAPI describes form bodies. Other fields read as DRF reads
    HTML input (an unchecked box is false, an empty multiple choice an empty list).
    """
    body, errors = {}, {}
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, JSON_FIELDS):
            texts = [text for text in data.getlist(name) if text.strip()]
            if isinstance(field, serializers.ListField) and not _one_json_list(texts):
                body[name] = texts  # a repeated key (``ids=1&ids=2``), as DRF reads forms
            elif texts:
                try:
                    body[name] = json.loads(texts[-1])
                except ValueError as error:
                    errors[name] = [NOT_JSON.format(error=error)]
            continue
        value = field.get_value(data)
        if value is empty:
            continue
        body[name] = None if value == "" and field.allow_null else value
    if errors:
        raise serializers.ValidationError(errors)
    return body
