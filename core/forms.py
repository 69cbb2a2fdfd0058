"""Reading what HTML forms send (the pages' forms and the admin's), and a list page's search
and group filter."""

from django import forms
from django.db.models import Q

from access.models import Group


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


class ListFilterForm(forms.Form):
    """A list page's search and group filter (a GET form: links and the back button work)."""

    q = forms.CharField(required=False, label="Search")
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, empty_label="All groups"
    )

    def __init__(self, data=None, *, user):
        super().__init__(data or None)
        self.fields["group"].queryset = Group.objects.for_user(user, "read").order_by("name")

    def apply(self, queryset, *, search_fields=("name",)):
        """``queryset`` narrowed to what the form asks for (invalid input is ignored)."""
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if term := cleaned.get("q"):
            query = Q()
            for field in search_fields:
                query |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(query)
        if group := cleaned.get("group"):
            queryset = queryset.filter(group=group)
        return queryset
