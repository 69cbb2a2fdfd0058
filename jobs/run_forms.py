"""The run page's form: what a person picks to run an entrypoint as a job, read into the
arguments of ``jobs.services.job_check`` and ``job_create``.

The form only reads the choices (an experiment of the entrypoint's, or a new one; one of its
queues; a snapshot id; a text per parameter; an artifact snapshot per artifact parameter): every
rule a job must meet is the service's. An empty input is a value not given (the default applies,
or the service says the parameter needs a value). Parameter inputs are named by parameter name
(``p:<name>``, ``a:<name>``), so what was typed survives a change of snapshot.
"""

from dataclasses import dataclass, field

from django import forms

from core.forms import TextField
from jobs.models import Experiment, Queue
from jobs.services import NO_QUEUES

NEW = "new"
MAX_ID = 2**63 - 1  # larger ids cannot be looked up (SQLite raises OverflowError)
NOT_AN_EXPERIMENT = (
    "Choose one of the entrypoint's experiments, or a new one: that experiment does not exist "
    "or is not visible to you."
)
NOT_A_QUEUE = (
    "Choose one of the entrypoint's queues: that queue does not exist or is not visible to you."
)
NOT_A_SNAPSHOT = "Choose one of the entrypoint's snapshots."
NOT_AN_ARTIFACT = "Choose one of the listed artifacts."
NAME_NEEDED = "Name the new experiment."
# What each parameter type's input asks for (list and mapping texts are JSON, as the engine
# reads them).
TYPE_HINTS = {
    "integer": "a whole number",
    "float": "a number",
    "boolean": "true or false",
    "list": 'JSON, such as ["a", 2]',
    "mapping": 'JSON, such as {"key": "value"}',
}


def as_id(text) -> int | None:
    """A posted id, or ``None`` when it is not one (junk, negative, too large)."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


@dataclass
class InputRow:
    """One parameter's or artifact parameter's input as the page shows it."""

    key: str  # the form field's name
    slot: str  # the html id of its messages
    name: str
    kind: str  # the parameter type, or "artifact"
    value: str
    default: str | None = None
    choices: list = field(default_factory=list)  # artifacts: (value, label) pairs
    wanted: list = field(default_factory=list)  # artifacts: (output name, type name) pairs

    @property
    def hint(self) -> str:
        return TYPE_HINTS.get(self.kind, "")

    @property
    def boolean_value(self) -> str:
        return self.value.strip().lower()


class RunForm(forms.Form):
    experiment = forms.CharField(required=False)
    experiment_name = forms.CharField(required=False, max_length=255, strip=False)
    experiment_description = TextField()
    queue = forms.CharField(required=False)
    snapshot = forms.CharField(required=False)
    timeout = forms.CharField(required=False, max_length=32, strip=False)
    description = TextField()

    def __init__(self, data=None, *, entrypoint, record, experiments, queues, candidates, visible):
        """``record``: the snapshot whose parameters the inputs are for; ``experiments`` and
        ``queues``: the entrypoint's, offered; ``candidates``: artifact parameter name -> the
        artifacts a job could take for it (``selectors.artifact_candidates``); ``visible``:
        model -> the ``for_user`` queryset an id sent is looked up in (the service judges
        whether the job may use what it names, with the API's messages)."""
        super().__init__(data)
        self.entrypoint, self.record = entrypoint, record
        self.experiments, self.queues = experiments, queues
        self.candidates, self.visible = candidates, visible
        for parameter in record.parameters:
            self.fields[f"p:{parameter['name']}"] = TextField()
        for artifact_parameter in record.artifact_parameters:
            self.fields[f"a:{artifact_parameter['name']}"] = forms.CharField(required=False)

    # Reading the choices -------------------------------------------------------------------------

    def _find(self, model, text):
        """The object of ``model`` the id ``text`` names, if the user may read it."""
        pk = as_id(text)
        return None if pk is None else self.visible[model].filter(pk=pk).first()

    def clean_experiment(self):
        if self.creates_experiment:
            return None
        experiment = self._find(Experiment, self.cleaned_data["experiment"])
        if experiment is None:
            raise forms.ValidationError(NOT_AN_EXPERIMENT)
        return experiment

    def clean_experiment_name(self):
        name = self.cleaned_data["experiment_name"]
        if self.creates_experiment and not name.strip():
            raise forms.ValidationError(NAME_NEEDED)
        return name

    @property
    def creates_experiment(self) -> bool:
        text = self.data.get("experiment", "")
        return text == NEW or (not text and not self.experiments)

    def clean_queue(self):
        if not self.queues:
            raise forms.ValidationError(NO_QUEUES.format(entrypoint=self.entrypoint.name))
        queue = self._find(Queue, self.cleaned_data["queue"])
        if queue is None:
            raise forms.ValidationError(NOT_A_QUEUE)
        return queue

    def clean_snapshot(self):
        text = self.cleaned_data["snapshot"]
        if not text:
            return None
        if as_id(text) is None:
            raise forms.ValidationError(NOT_A_SNAPSHOT)
        return as_id(text)

    def clean(self):
        cleaned = super().clean()
        for name in self.artifact_names:
            text = cleaned.get(f"a:{name}") or ""
            if text and artifact_value(text) is None:
                self.add_error(f"a:{name}", NOT_AN_ARTIFACT)
        return cleaned

    @property
    def artifact_names(self) -> list[str]:
        return [a["name"] for a in self.record.artifact_parameters]

    def _cleaned(self, name, default=None):
        """A field's cleaned value (``default`` when it did not clean)."""
        return getattr(self, "cleaned_data", {}).get(name, default)

    def job_arguments(self) -> dict:
        """What ``job_check`` takes, from what cleaned (what did not is left out, so that the
        service still judges the rest)."""
        values = {}
        for parameter in self.record.parameters:
            text = self._cleaned(f"p:{parameter['name']}", "")
            if text != "":
                values[parameter["name"]] = text
        artifact_values = {}
        for name in self.artifact_names:
            value = artifact_value(self._cleaned(f"a:{name}") or "")
            if value is not None:
                artifact_values[name] = value
        timeout = self._cleaned("timeout") or None
        return {
            "experiment": self._cleaned("experiment"),
            "queue": self._cleaned("queue"),
            "entrypoint_snapshot_id": self._cleaned("snapshot"),
            "values": values,
            "artifact_values": artifact_values,
            "timeout": timeout,
        }

    # What the page shows -------------------------------------------------------------------------

    def value(self, name: str, initial: str = "") -> str:
        """What the input ``name`` shows: what was posted (kept as typed), else ``initial``."""
        if self.is_bound and name in self.data:
            return self.data.get(name) or ""
        return initial

    def parameter_rows(self) -> list[InputRow]:
        rows = []
        for index, parameter in enumerate(self.record.parameters):
            default = parameter.get("defaultValue")
            key = f"p:{parameter['name']}"
            rows.append(
                InputRow(
                    key=key,
                    slot=f"run-msg-p{index}",
                    name=parameter["name"],
                    kind=parameter["parameterType"],
                    value=self.value(key, default or ""),
                    default=default,
                )
            )
        return rows

    def artifact_rows(self, wanted_types: dict[str, list[str]]) -> list[InputRow]:
        rows = []
        for index, artifact_parameter in enumerate(self.record.artifact_parameters):
            name = artifact_parameter["name"]
            key = f"a:{name}"
            outputs = [o["name"] for o in artifact_parameter.get("outputParams") or []]
            rows.append(
                InputRow(
                    key=key,
                    slot=f"run-msg-a{index}",
                    name=name,
                    kind="artifact",
                    value=self.value(key),
                    choices=artifact_choices(self.candidates.get(name, [])),
                    wanted=list(zip(outputs, wanted_types.get(name, []), strict=False)),
                )
            )
        return rows


def artifact_value(text: str) -> dict | None:
    """``"<id>"`` (its latest snapshot) or ``"<id>:<snapshot id>"`` as a job's artifact value
    ``{id, snapshotId}``; ``None`` for anything else."""
    head, _, tail = text.partition(":")
    pk = as_id(head)
    snapshot = as_id(tail) if tail else None
    if pk is None or (tail and snapshot is None):
        return None
    return {"id": pk, "snapshotId": snapshot}


def artifact_choices(artifacts) -> list[tuple[str, str]]:
    """An option per artifact (its latest snapshot), then one per older snapshot of it."""
    choices = []
    for artifact in artifacts:
        when = artifact.created_on.strftime("%Y-%m-%d %H:%M")
        choices.append(
            (str(artifact.pk), f"{artifact.name} (#{artifact.pk}) · job {artifact.job_id} · {when}")
        )
        for snapshot in artifact.snapshot_ids[1:]:
            choices.append((f"{artifact.pk}:{snapshot}", f"  … as of its snapshot {snapshot}"))
    return choices
