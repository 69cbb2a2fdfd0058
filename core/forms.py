"""Reading what HTML forms send (the pages' forms and the admin's)."""

from django import forms


def form_text(value: str | None) -> str:
    """Browsers send textareas with ``\\r\\n``; store what the user typed, with ``\\n``."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


class TextField(forms.CharField):
    """A text kept exactly as typed (no strip), with form line endings made ``\\n``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        return form_text(super().to_python(value))
