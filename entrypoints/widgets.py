"""The editor page's parameter tables as form fields, for the admin.

The widgets render the page's own rows (``entrypoints/edit.html#param-row`` and ``#art-row``,
added with its "Add" buttons) and read them back with the page's parsers, so the admin posts
exactly what the editor page posts and the page's live validation endpoint understands it.
"""

from django import forms
from django.core.exceptions import ValidationError

from entrypoints.forms import (
    ArtifactRow,
    ParameterRow,
    artifact_rows,
    parameter_rows,
    stored_artifact_rows,
    stored_parameter_rows,
)
from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES

ROW_ERROR = "Row {position}: {message}"


class _RowTable(forms.Widget):
    row_class: type
    use_fieldset = True  # a table of inputs: the admin names it with a legend, not a label

    def rows(self, value) -> list:
        """The table's rows for ``value``: posted rows, or stored items (from the model)."""
        if value and not isinstance(value[0], self.row_class):
            return self.stored_rows(value)
        return list(value or [])

    def stored_rows(self, items: list[dict]) -> list:
        raise NotImplementedError

    def format_value(self, value):
        return value  # rows, not a text

    def value_omitted_from_data(self, data, files, name):
        return False  # a table without rows posts nothing: that is an empty list

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = self.rows(value)
        context["widget"].update(
            rows=rows,
            next_index=max((row.index for row in rows), default=-1) + 1,
            writable=not {"readonly", "disabled"} & set(context["widget"]["attrs"]),
        )
        return context


class ParameterTable(_RowTable):
    """Rows posted as ``param-<n>-name|type|default|nodefault``."""

    template_name = "widgets/parameter_table.html"
    row_class = ParameterRow

    def stored_rows(self, items):
        return stored_parameter_rows(items)

    def value_from_datadict(self, data, files, name):
        return parameter_rows(data)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["parameter_types"] = ENTRYPOINT_PARAMETER_TYPES
        return context


class ArtifactParameterTable(_RowTable):
    """Rows posted as ``art-<n>-name|outputs``, outputs as ``name: type, ...``.

    The form sets ``types`` (the group's parameter types by id, to show stored rows) and
    ``types_by_name`` (its live types, to read posted rows).
    """

    template_name = "widgets/artifact_parameter_table.html"
    row_class = ArtifactRow

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.types, self.types_by_name = {}, {}

    def stored_rows(self, items):
        return stored_artifact_rows(items, self.types)

    def value_from_datadict(self, data, files, name):
        return artifact_rows(data, self.types_by_name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["type_names"] = sorted(self.types_by_name)
        return context


class RowsField(forms.Field):
    """A table's rows, cleaned into the list the services take (``row.as_api()`` each); a row
    that cannot be read is an error naming its position."""

    def __init__(self, *, widget, **kwargs):
        super().__init__(required=False, widget=widget, **kwargs)

    def clean(self, value):
        rows = self.widget.rows(value)
        errors = [
            ROW_ERROR.format(position=position, message=message)
            for position, row in enumerate(rows, start=1)
            for message in row.errors
        ]
        if errors:
            raise ValidationError(errors)
        return [row.as_api() for row in rows]

    def has_changed(self, initial, data):
        api = [row.as_api() for row in self.widget.rows(initial)]
        return api != [row.as_api() for row in self.widget.rows(data)]
