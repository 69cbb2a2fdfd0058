"""The job pages' forms: the list's filters and the log's."""

from django import forms

from core.forms import ListFilterForm
from entrypoints.models import Entrypoint
from jobs.models import Experiment, JobStatus, Queue
from jobs.selectors import SEVERITIES

ACTIVE = "active"
STATUS_CHOICES = [("", "Any status"), (ACTIVE, "Queued or running"), *JobStatus.choices]


class JobFilterForm(ListFilterForm):
    """The job list's filters (a GET form). A value that does not fit (an unknown id, another
    group's object, a made-up status) drops that filter only, and the form says why."""

    q = None  # jobs have no name to search
    experiment = forms.ModelChoiceField(
        queryset=Experiment.objects.none(), required=False, empty_label="All experiments"
    )
    entrypoint = forms.ModelChoiceField(
        queryset=Entrypoint.objects.none(), required=False, empty_label="All entrypoints"
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(), required=False, empty_label="All queues"
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)

    field_order = ["experiment", "entrypoint", "status", "queue", "group"]

    def __init__(self, data=None, *, user):
        super().__init__(data, user=user)
        for name, model in (
            ("experiment", Experiment),
            ("entrypoint", Entrypoint),
            ("queue", Queue),
        ):
            self.fields[name].queryset = model.objects.for_user(user, "read").order_by("name", "pk")

    def filters(self) -> dict:
        """Keyword arguments of ``selectors.job_search``: the valid filters."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in ("experiment", "entrypoint", "queue", "status", "group") and value
        }


class LogFilterForm(forms.Form):
    """The log's filters: the lowest severity shown and a text to find."""

    severity = forms.ChoiceField(
        choices=[("", "All severities"), *((s, f"{s} and above") for s in SEVERITIES[1:])],
        required=False,
    )
    q = forms.CharField(required=False, max_length=200, label="Find")

    def _valid(self) -> dict:
        """The filters that are valid: one that is not (edited by hand) drops only itself."""
        self.is_valid()
        return self.cleaned_data

    def severities(self) -> tuple[str, ...]:
        """The severities shown (none: all)."""
        level = self._valid().get("severity")
        return SEVERITIES[SEVERITIES.index(level) :] if level else ()

    def search(self) -> str:
        return self._valid().get("q") or ""

    def query(self) -> dict:
        """The filters as query parameters (for the log's own links and polls)."""
        return {k: v for k, v in self._valid().items() if v}
