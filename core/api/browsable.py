"""The browsable API's pages: folded JSON, forms for every field, readable descriptions.

An entrypoint embeds every pinned plugin's task declarations, hundreds of lines each: printed
in full, a page of ten is tens of thousands of pixels. The page therefore prints the answer as
JSON in which short values take one line and every value longer than ``FOLD_LINES`` lines is
folded (an HTML ``<details>``: one line saying what it holds, opened by a click). JSON clients
get the same answer as ever.

Forms label fields in words and show lists and objects as JSON in a textarea, filled with the
current value, so that submitting a form unchanged changes nothing (``core.api.forms`` reads
the submission).
"""

import copy
import json
import re

from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from rest_framework import renderers, serializers
from rest_framework.fields import empty
from rest_framework.request import clone_request
from rest_framework.utils import html
from rest_framework.utils.field_mapping import ClassLookupDict
from rest_framework.utils.serializer_helpers import BoundField

from core.api.forms import JSON_FIELDS

FOLD_LINES = 16
WIDTH = 100  # a value that fits on a line of this many characters is printed on one
INDENT = "  "
NAMED_BY = ("id", "name", "filename", "username", "code", "message")
CONTENT_MARK = "FOLDED-JSON-CONTENT-7c1e"
JSON_TEXTAREA = {"base_template": "textarea.html", "placeholder": "JSON"}
MAX_ROWS = 24

# Printing JSON -----------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _folded_hint(value) -> str:
    """What a folded value holds: ``3 items``, ``"id": 1, "name": "x", … 12 keys``."""
    if isinstance(value, list):
        return _plural(len(value), "item")
    named = [f"{json.dumps(k)}: {json.dumps(value[k])}, " for k in NAMED_BY if k in value]
    return "".join(named) + f"… {_plural(len(value), 'key')}"


class _Chunk:
    """A line of printed JSON, or a folded value: one ``<details>`` block, shown as one line,
    which no newline may touch (in ``<pre>`` that would print an empty line)."""

    def __init__(self, text: str, folded: bool = False):
        self.text, self.folded = text, folded


def _join(chunks: list[_Chunk]) -> str:
    out = chunks[0].text
    for before, chunk in zip(chunks, chunks[1:], strict=False):
        out += ("" if before.folded or chunk.folded else "\n") + chunk.text
    return out


def _chunks(value, *, depth: int, lead: str, tail: str, foldable: bool, markup: bool):
    """``value`` printed at ``depth`` after ``lead`` (its key) and before ``tail`` (a comma);
    with ``markup``, as HTML (escaped, with links, long values folded)."""

    def line(text: str) -> _Chunk:
        return _Chunk(urlize(text, autoescape=True) if markup else text)

    pad = INDENT * depth
    one_line = pad + lead + json.dumps(value, ensure_ascii=False) + tail
    if not isinstance(value, (dict, list)) or not value or len(one_line) <= WIDTH:
        return [line(one_line)]
    opening, closing = "[]" if isinstance(value, list) else "{}"
    pairs = [(None, item) for item in value] if isinstance(value, list) else list(value.items())
    body = [line(pad + lead + opening)]
    for index, (key, item) in enumerate(pairs):
        body += _chunks(
            item,
            depth=depth + 1,
            lead="" if key is None else json.dumps(key, ensure_ascii=False) + ": ",
            tail="," if index < len(pairs) - 1 else "",
            # A page's ``data`` is what the reader came for: only its items fold.
            foldable=markup and not (depth == 0 and key == "data"),
            markup=markup,
        )
    body.append(line(pad + closing + tail))
    if not foldable or len(body) <= FOLD_LINES:
        return body
    hint = f'<span class="folded-hint"> {escape(_folded_hint(value))} {closing}{tail}</span>'
    summary = f"<summary>{body[0].text}{hint}</summary>"
    return [_Chunk(f"<details>{summary}{_join(body[1:])}</details>", folded=True)]


def json_text(data) -> str:
    """``data`` as indented JSON, short values on one line (for form fields)."""
    return _join(_chunks(data, depth=0, lead="", tail="", foldable=False, markup=False))


def json_html(data) -> str:
    """``data`` as indented JSON in HTML, long values folded (see the module docstring)."""
    return mark_safe(_join(_chunks(data, depth=0, lead="", tail="", foldable=False, markup=True)))


# Forms and pages ---------------------------------------------------------------------------------


def label_of(field_name: str) -> str:
    """``pluginSnapshotIds`` -> ``Plugin snapshot ids``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", field_name).replace("_", " ").capitalize()


def _messages(errors, path: str = ""):
    """Nested field errors as ``"0.name: message"`` lines."""
    if isinstance(errors, dict):
        for key, nested in errors.items():
            yield from _messages(nested, f"{path}{key}.")
    elif isinstance(errors, list):
        for index, nested in enumerate(errors):
            if isinstance(nested, str):
                yield f"{path.rstrip('.')}: {nested}" if path else nested
            else:
                yield from _messages(nested, f"{path}{index}.")


class FormRenderer(renderers.HTMLFormRenderer):
    """DRF's form renderer, with labels in words and lists and objects as JSON in a textarea."""

    default_style = ClassLookupDict(
        {
            **renderers.HTMLFormRenderer.default_style.mapping,
            **dict.fromkeys(JSON_FIELDS, JSON_TEXTAREA),
            serializers.Serializer: JSON_TEXTAREA,
            serializers.ListSerializer: JSON_TEXTAREA,
        }
    )

    def render_field(self, field, parent_style):
        if field.label == field.field_name.replace("_", " ").capitalize():  # DRF's default
            labelled = copy.copy(field._field)
            labelled.label = label_of(field.field_name)
            field = type(field)(labelled, field.value, field.errors, field._prefix)
        if isinstance(field._field, JSON_FIELDS):
            field = self.json_field(field)
        style = {**self.default_style[field], **field.style}
        if style.get("base_template") == "textarea.html" and isinstance(field.value, str):
            # Tall enough for the text, up to a screenful.
            rows = max(style.get("rows", 3), min(field.value.count("\n") + 2, MAX_ROWS))
            field.style = {**field.style, "rows": rows}  # this bound field's own
        return super().render_field(field, parent_style)

    @staticmethod
    def json_field(field) -> BoundField:
        """``field`` with its value as JSON text: as submitted after an error, the object's
        value, or in a new object's form the default (none: empty, so the field is omitted)."""
        form = field._field.parent
        submitted = getattr(form, "initial_data", None)
        default = field._field.default
        if html.is_html_input(submitted) and field.name in submitted:
            text = submitted[field.name]
        elif form.instance is None:
            text = (
                "" if default is empty else json_text(default() if callable(default) else default)
            )
        else:
            text = json_text(field.value)
        return BoundField(field._field, text, list(_messages(field.errors)), field._prefix)


def view_description(view, html: bool = False) -> str:
    """The view's docstring; in HTML, ````code```` as code and paragraphs as paragraphs."""
    # Imported here: importing ``rest_framework.views`` reads the renderers setting (this module).
    from rest_framework.views import get_view_description

    text = get_view_description(view, html=False)
    if not html:
        return text
    code = re.compile(r"``(.+?)``|`([^`]+)`")
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())
    return mark_safe(
        "".join(
            "<p>"
            + code.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", escape(p))
            + "</p>"
            for p in paragraphs
        )
    )


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API with our form renderer and the answer as folded JSON."""

    form_renderer_class = FormRenderer

    def get_rendered_html_form(self, data, view, method, request):
        serializer = getattr(data, "serializer", None)
        if request.method == method and not hasattr(serializer, "initial_data"):
            # DRF would show the form of the answer's serializer: after a write that worked, the
            # read serializer, whose fields are all read-only. Show it as after a GET instead.
            request = clone_request(request, "GET")
        return super().get_rendered_html_form(data, view, method, request)

    def get_content(self, renderer, data, accepted_media_type, renderer_context):
        if isinstance(renderer, renderers.JSONRenderer) and isinstance(data, (dict, list)):
            self.folded = json_html(json.loads(renderer.render(data, accepted_media_type)))
            return CONTENT_MARK
        return super().get_content(renderer, data, accepted_media_type, renderer_context)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # DRF's template prints the content through ``urlize``, which would break the folded
        # JSON's tags: it prints a mark instead, replaced here.
        self.folded = ""
        page = super().render(data, accepted_media_type, renderer_context)
        return page.replace(CONTENT_MARK, self.folded, 1)
