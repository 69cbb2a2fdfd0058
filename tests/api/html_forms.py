"""The browsable API's HTML forms, read and submitted as a browser does."""

from html.parser import HTMLParser

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

SKIPPED_INPUTS = {"submit", "button", "reset", "file"}


class _FormReader(HTMLParser):
    """Every ``<form>`` of a page: its attributes and the ``(name, value, is_text)`` it sends."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.textarea = self.select = self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": []})
        elif not self.forms or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type", "text") not in SKIPPED_INPUTS:
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", ""), False))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            self.select["options"].append(self.option)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option["text"] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # As in a browser: a line break right after the tag is not part of the text.
            self.forms[-1]["fields"].append((name, text.removeprefix("\n"), True))
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            values = [o["text"].strip() if o["value"] is None else o["value"] for o in options]
            chosen = [value for value, o in zip(values, options, strict=True) if o["selected"]]
            if not chosen and not self.select["multiple"] and values:
                chosen = values[:1]  # a single choice with none selected sends the first
            self.forms[-1]["fields"] += [(self.select["name"], value, False) for value in chosen]
            self.select = None


def html_form(page: str, method: str) -> list[tuple[str, str, bool]]:
    """The fields of the page's "HTML form" tab for ``method`` (POST or PUT), as
    ``(name, value, is_text)``; ``is_text`` for textareas."""
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        attrs = form["attrs"]
        if attrs.get("enctype") != "multipart/form-data":
            continue  # the raw-data tab's form
        if (attrs.get("data-method") or attrs.get("method", "")).upper() == method:
            return form["fields"]
    raise AssertionError(f"no HTML form for {method}")


def submit(client, method: str, url: str, fields, **changes):
    """Send ``fields`` (``html_form``'s) with ``changes`` as the browser sends the form:
    multipart, each textarea's line breaks as ``\\r\\n``; a change of ``None`` removes a field,
    a list sets several values."""
    data: dict[str, list[str]] = {}
    for name, value, is_text in fields:
        if name not in changes:
            data.setdefault(name, []).append(value.replace("\n", "\r\n") if is_text else value)
    for name, value in changes.items():
        if value is not None:
            data[name] = value if isinstance(value, list) else [value]
    body = encode_multipart(BOUNDARY, data)
    return client.generic(
        method, url, body, content_type=MULTIPART_CONTENT, HTTP_ACCEPT="text/html"
    )
