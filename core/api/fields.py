"""Fields that accept ids only of objects the caller can see (others are a 400 field error)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

NOT_VISIBLE = "Object with id={pk_value} does not exist or is not visible to you."
# Texts are textareas in the browsable API's forms: an input field would drop their line breaks.
MULTILINE = {"base_template": "textarea.html", "rows": 3}


@extend_schema_field(OpenApiTypes.INT)
class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key among ``model.objects.for_user(request.user, 'read')``."""

    default_error_messages = {
        "does_not_exist": NOT_VISIBLE,
        "incorrect_type": "Incorrect type. Expected an integer id, received {data_type}.",
    }

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.model.objects.for_user(user, "read")

    def to_internal_value(self, data):
        if isinstance(data, bool):  # True would otherwise pass as the id 1
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StringOnlyMixin:
    """Refuses numbers and booleans rather than converting them to text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StringOnlyMixin, serializers.CharField):
    """A text stored exactly as sent: no trimming, ``""`` allowed and distinct from ``null``, and
    only a JSON string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("style", MULTILINE)
        super().__init__(**kwargs)


def description_field() -> TextField:
    """Dioptra's optional description: omitted or ``null`` is stored as ``null``."""
    return TextField(required=False, allow_null=True, default=None)


class NameField(serializers.CharField):
    """A resource name, kept exactly as sent (services refuse blank or space-padded names)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
