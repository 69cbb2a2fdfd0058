"""The editor page's form: what a browser posts, read into what the services take.

One form serves live validation (every few hundred milliseconds, lenient: whatever can be read is
validated) and saving (strict: every field error stops the save). Parameter rows are posted as
``param-<n>-name|type|default|nodefault`` and artifact parameter rows as
``art-<n>-name|outputs``, ``<n>`` increasing in page order; rows are added and removed in the
page without a management form, so a removed row simply is not posted.
"""

import re
from dataclasses import dataclass, field

from django import forms

from access.models import Group
from core.forms import TextField, form_text
from entrypoints.models import Entrypoint
from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES
from jobs.models import Queue
from plugins_app.models import PluginParameterType
from tags.models import Tag

ROW_KEY = re.compile(r"^(param|art)-(\d+)-name$")
OUTPUT_ITEM = re.compile(r"^\s*([^:\s]+)\s*:\s*(\S+)\s*$")

BAD_OUTPUTS = (
    "Write each output as name: type, separated by commas (e.g. model: any, score: number)."
)
UNKNOWN_TYPE_NAME = "{name!r} is not a parameter type of this group."
NAME_REQUIRED = "Give the artifact parameter a name."
PARAMETER_NAME_REQUIRED = "Give the parameter a name."


@dataclass
class ParameterRow:
    index: int
    name: str
    parameter_type: str
    default_value: str | None
    errors: list[str] = field(default_factory=list)

    def as_api(self) -> dict:
        return {
            "name": self.name,
            "parameterType": self.parameter_type,
            "defaultValue": self.default_value,
        }


@dataclass
class ArtifactRow:
    index: int
    name: str
    outputs_text: str
    outputs: list[tuple[str, PluginParameterType]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_api(self) -> dict:
        return {
            "name": self.name,
            "outputParams": [{"name": n, "parameterType": t.pk} for n, t in self.outputs],
        }


def parameter_rows(data) -> list[ParameterRow]:
    rows = []
    for index in _row_indexes(data, "param"):
        prefix = f"param-{index}-"
        no_default = data.get(prefix + "nodefault") in ("on", "1", "true")
        parameter_type = data.get(prefix + "type") or "string"
        row = ParameterRow(
            index=index,
            name=data.get(prefix + "name", ""),
            parameter_type=parameter_type,
            default_value=None if no_default else form_text(data.get(prefix + "default", "")),
        )
        if not row.name.strip():
            row.errors.append(PARAMETER_NAME_REQUIRED)
        if parameter_type not in ENTRYPOINT_PARAMETER_TYPES:
            row.errors.append(f"{parameter_type!r} is not a parameter type.")
        rows.append(row)
    return rows


def artifact_rows(data, types_by_name: dict[str, PluginParameterType]) -> list[ArtifactRow]:
    rows = []
    for index in _row_indexes(data, "art"):
        prefix = f"art-{index}-"
        row = ArtifactRow(
            index=index,
            name=data.get(prefix + "name", ""),
            outputs_text=data.get(prefix + "outputs", ""),
        )
        if not row.name.strip():
            row.errors.append(NAME_REQUIRED)
        for item in filter(str.strip, row.outputs_text.split(",")):
            match = OUTPUT_ITEM.match(item)
            if not match:
                row.errors.append(BAD_OUTPUTS)
                break
            name, type_name = match.groups()
            if (param_type := types_by_name.get(type_name)) is None:
                row.errors.append(UNKNOWN_TYPE_NAME.format(name=type_name))
            else:
                row.outputs.append((name, param_type))
        rows.append(row)
    return rows


def stored_parameter_rows(parameters: list[dict]) -> list[ParameterRow]:
    """An entrypoint's stored parameters as the table's rows."""
    return [
        ParameterRow(
            index=i,
            name=p["name"],
            parameter_type=p["parameterType"],
            default_value=p.get("defaultValue"),
        )
        for i, p in enumerate(parameters)
    ]


def stored_artifact_rows(
    artifact_parameters: list[dict], types: dict[int, PluginParameterType]
) -> list[ArtifactRow]:
    """An entrypoint's stored artifact parameters as the table's rows (``types``: the group's
    parameter types by id, deleted ones included, as a snapshot may name them)."""
    type_names = {pk: t.name for pk, t in types.items()}
    return [
        ArtifactRow(
            index=i,
            name=a["name"],
            outputs_text=outputs_text(a.get("outputParams") or [], type_names),
            outputs=[
                (o["name"], types[o["parameterType"]])
                for o in a.get("outputParams") or []
                if o["parameterType"] in types
            ],
        )
        for i, a in enumerate(artifact_parameters)
    ]


def outputs_text(output_params: list[dict], type_names: dict[int, str]) -> str:
    """An artifact parameter's outputs as the table shows them: ``name: type, ...``."""
    return ", ".join(
        f"{o['name']}: {type_names.get(o['parameterType'], o['parameterType'])}"
        for o in output_params
    )


def _row_indexes(data, kind: str) -> list[int]:
    found = (ROW_KEY.match(key) for key in data.keys())
    return sorted({int(m.group(2)) for m in found if m and m.group(1) == kind})


class EntrypointForm(forms.Form):
    """The fields of the editor page, scoped to what ``user`` may see in ``group``.

    ``group`` is the entrypoint's (edit) or the chosen one (create; ``None`` until chosen).
    """

    group = forms.ModelChoiceField(queryset=Group.objects.none(), empty_label=None)
    name = forms.CharField(max_length=255, strip=False)
    description = TextField(widget=forms.Textarea(attrs={"rows": 2}))
    task_graph = TextField(widget=forms.Textarea)
    artifact_graph = TextField(widget=forms.Textarea)
    queues = forms.ModelMultipleChoiceField(
        queryset=Queue.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The snapshot the page was loaded from (the ETag): saving over a newer one is a conflict.
    etag = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_invalid = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, group=None, creating: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.user, self.creating = user, creating
        self.fields["group"].queryset = Group.objects.for_user(user, "write").order_by("name")
        if not creating:
            del self.fields["group"]
        if group is None and creating:
            group = self._chosen_group()
        self.group = group
        for name, model in (("queues", Queue), ("tags", Tag)):
            queryset = model.objects.for_user(user, "read").filter(group=group).order_by("name")
            self.fields[name].queryset = queryset if group else model.objects.none()

    def _chosen_group(self):
        """The group asked for, else the one the user last created an entrypoint in (where they
        most likely work), else the first they may write in."""
        groups = self.fields["group"].queryset
        wanted = self.data.get("group") if self.is_bound else self.initial.get("group")
        if not str(wanted or "").isdigit():
            latest = Entrypoint.objects.filter(creator=self.user, group__in=groups)
            wanted = latest.order_by("-created_on").values_list("group_id", flat=True).first()
        chosen = groups.filter(pk=wanted).first() if wanted else None
        return chosen or groups.first()

    def types_by_name(self) -> dict[str, PluginParameterType]:
        if self.group is None:
            return {}
        types = PluginParameterType.objects.alive().filter(group=self.group)
        return {t.name: t for t in types}

    def selected_ids(self, kind: str) -> set[int]:
        """The ids of the plugins ticked in the ``kind`` checklist (checked against what the
        user may read by ``editor.set_plugin_choices``)."""
        values = (
            self.data.getlist(kind) if hasattr(self.data, "getlist") else self.data.get(kind, [])
        )
        return {int(v) for v in values if str(v).isdigit()}

    def pins(self, kind: str) -> dict[int, int]:
        """Plugin id -> the snapshot the page pins it to (``pin-plugins-<id>``), for attached
        plugins; a plugin without a pin takes its latest snapshot."""
        prefix = f"pin-{kind}-"
        return {
            int(key.removeprefix(prefix)): int(value)
            for key, value in (self.data.items() if self.is_bound else ())
            if key.startswith(prefix)
            and key.removeprefix(prefix).isdigit()
            and str(value).isdigit()
        }


SORTS = {
    "name": ("name", "Name"),
    "-modified": ("-snapshot_created_on", "Last modified"),
    "-created": ("-created_on", "Newest"),
    "group": ("group__name", "Group"),
}


class EntrypointFilterForm(forms.Form):
    """The list page's search, filters and sort (a GET form: links and the back button work)."""

    q = forms.CharField(required=False, label="Search")
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, empty_label="All groups"
    )
    tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False, empty_label="Any tag")
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (_, label) in SORTS.items()], required=False
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["group"].queryset = Group.objects.for_user(user, "read").order_by("name")
        self.fields["tag"].queryset = (
            Tag.objects.for_user(user, "read").select_related("group").order_by("name")
        )

    def filters(self) -> dict:
        """Keyword arguments of ``selectors.entrypoint_search`` (invalid input is ignored)."""
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "search": cleaned.get("q") or "",
            "group": cleaned.get("group"),
            "tag": cleaned.get("tag"),
            "order_by": SORTS[cleaned.get("sort") or "name"][0],
        }
