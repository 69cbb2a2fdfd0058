"""The run page of an entrypoint (``/entrypoints/<pk>/run/``): pick an experiment (or name a
new one), one of its queues, a snapshot, the values and the input artifacts, and queue the job.

Thin: ``run_forms.RunForm`` reads the choices, ``services.job_check`` judges them without
writing (the live check, ``run/check``) and ``services.job_create`` makes the job with the same
checks; each refusal is shown beside its input, and what was typed stays. Only writers of the
entrypoint's group run it: readers get a 403 saying so, other groups a 404.
"""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from access.selectors import can
from access.services import owned_name_check
from core.errors import Conflict
from core.pages import error_messages, redirect_after
from entrypoints import selectors as entrypoint_selectors
from entrypoints.models import Entrypoint
from jobs import selectors, services
from jobs.models import Experiment, Queue
from jobs.run_forms import NEW, RunForm, as_id

RUN = "jobs/run.html"
SNAPSHOT_CHOICES = 50
CANNOT_RUN = (
    "You can read entrypoint {name!r} but not run it: your role in group {group!r} is read. "
    "Ask a manager of the group for the write role."
)
QUEUED = "Job {pk} is queued on {queue!r}."
# The service's request fields -> the page's inputs.
SERVICE_FIELDS = {
    "entrypoint": "experiment",
    "queue": "queue",
    "entrypointSnapshot": "snapshot",
    "timeout": "timeout",
}
FIXED_INPUTS = ("experiment", "experiment_name", "queue", "snapshot", "timeout", "description")


def _runnable(request, pk) -> Entrypoint:
    """The entrypoint, if ``request.user`` may run it (404 when they cannot read it, 403 with
    the reason when they only read it)."""
    try:
        entrypoint = entrypoint_selectors.entrypoint_find(user=request.user, pk=pk)
    except Entrypoint.DoesNotExist:
        raise Http404 from None
    if not can(user=request.user, group=entrypoint.group, action="write"):
        raise PermissionDenied(CANNOT_RUN.format(name=entrypoint.name, group=entrypoint.group.name))
    return entrypoint


def _untyped_defaults(data, entrypoint, shown_for: int | None, record):
    """``data`` without the values the inputs of snapshot ``shown_for`` were filled in with
    (its defaults), when the inputs are now for another snapshot: what was typed carries over,
    the old defaults give way to the new ones."""
    if shown_for in (None, record.history_id):
        return data
    previous = entrypoint.history.filter(history_id=shown_for).first()
    if previous is None:
        return data
    data = data.copy()
    for parameter in previous.parameters:
        key = f"p:{parameter['name']}"
        if key in data and data[key] == (parameter.get("defaultValue") or ""):
            del data[key]
    return data


class RunPage:
    """What the page chooses from and the form over ``data`` (``None``: the page as it opens,
    with the latest or ``?snapshot=`` snapshot, the defaults and the last experiment used)."""

    def __init__(self, request, entrypoint, data=None):
        self.request, self.entrypoint = request, entrypoint
        user = request.user
        raw = (data or request.GET).get("snapshot")
        self.snapshots = selectors.entrypoint_snapshot_choices(
            entrypoint=entrypoint, limit=SNAPSHOT_CHOICES, also=as_id(raw)
        )
        self.record = next(
            (r for r in self.snapshots if r.history_id == as_id(raw)), self.snapshots[0]
        )
        if data is not None:
            data = _untyped_defaults(data, entrypoint, as_id(data.get("inputs_for")), self.record)
        self.experiments = list(selectors.entrypoint_experiments(user=user, entrypoint=entrypoint))
        self.queues = list(entrypoint.queues.alive().order_by("name"))
        self.wanted_types = services.artifact_output_types(self.record)
        candidates = selectors.artifact_candidates(
            user=user, group=entrypoint.group, wanted=self.wanted_types
        )
        self.opening = data is None
        self.form = RunForm(
            self._opening_data() if data is None else data,
            entrypoint=entrypoint,
            record=self.record,
            experiments=self.experiments,
            queues=self.queues,
            candidates=candidates,
            visible={
                Experiment: Experiment.objects.for_user(user, "read"),
                Queue: Queue.objects.for_user(user, "read"),
            },
        )

    def _opening_data(self) -> dict:
        last = selectors.last_experiment_run(user=self.request.user, entrypoint=self.entrypoint)
        pks = [e.pk for e in self.experiments]
        experiment = last if last in pks else (pks[0] if pks else NEW)
        data = {
            "experiment": str(experiment),
            "experiment_name": selectors.experiment_name_suggestion(entrypoint=self.entrypoint),
            "queue": str(self.queues[0].pk) if self.queues else "",
            "snapshot": str(self.record.history_id),
        }
        for parameter in self.record.parameters:
            data[f"p:{parameter['name']}"] = parameter.get("defaultValue") or ""
        return data

    # Judging ---------------------------------------------------------------------------------

    def problems(self) -> dict[str, list[str]]:
        """Messages by input name (``""``: about no one input): the form's, then the
        service's."""
        form = self.form
        form.is_valid()
        found: dict[str, list[str]] = {}

        def add(key, messages):
            for message in messages:
                if message not in found.setdefault(key, []):
                    found[key].append(message)

        for key, messages in form.errors.items():
            add("" if key == "__all__" else key, messages)
        refused_inputs = set(found)  # the service's word on them would be about a default
        if form.creates_experiment and "experiment_name" not in found:
            try:
                owned_name_check(
                    model=Experiment,
                    group=self.entrypoint.group,
                    name=form.cleaned_data["experiment_name"],
                )
            except (ValidationError, Conflict) as error:
                add("experiment_name", error_messages(error))
        check = services.job_check(
            user=self.request.user, entrypoint=self.entrypoint, **form.job_arguments()
        )
        shown = {
            SERVICE_FIELDS[key]: messages
            for key, messages in check.errors.items()
            if key in SERVICE_FIELDS
        }
        for prefix, by_name in (("p", check.value_errors), ("a", check.artifact_errors)):
            for name, messages in by_name.items():
                key = f"{prefix}:{name}"
                shown[key if key in form.fields else ""] = messages
        for key, messages in shown.items():
            if key not in refused_inputs:
                add(key, messages)
        return {key: messages for key, messages in found.items() if messages}

    def context(self, problems: dict[str, list[str]]) -> dict:
        """The template's context; as the page opens, the parameters' and artifacts' own
        messages are left to their hints ("needs a value")."""
        form = self.form
        count = sum(len(messages) for messages in problems.values())
        needs = [
            word
            for prefix, word in (("p:", "“needs a value”"), ("a:", "“needs an artifact”"))
            if self.opening and any(key.startswith(prefix) for key in problems)
        ]
        if self.opening:
            problems = {k: m for k, m in problems.items() if k[:2] not in ("p:", "a:")}
        shown = sum(len(messages) for messages in problems.values())
        parameter_rows = form.parameter_rows()
        artifact_rows = form.artifact_rows(self.wanted_types)
        for row in (*parameter_rows, *artifact_rows):
            row.messages = problems.get(row.key, [])
        slots = [(f"run-msg-{key}", problems.get(key, [])) for key in FIXED_INPUTS]
        slots.append(("run-msg-general", problems.get("", [])))
        pk = self.entrypoint.pk
        return {
            "entrypoint": self.entrypoint,
            "form": form,
            "record": self.record,
            "snapshots": self.snapshots,
            "experiments": self.experiments,
            "queues": self.queues,
            "parameter_rows": parameter_rows,
            "artifact_rows": artifact_rows,
            "problems": {key: problems.get(key, []) for key in FIXED_INPUTS},
            "general": problems.get("", []),
            "slots": slots,
            "row_slots": [(r.slot, r.messages) for r in (*parameter_rows, *artifact_rows)],
            "problem_count": count,
            "shown_count": shown,
            "hidden_count": count - shown,
            "needs": " or ".join(needs),
            "default_timeout": settings.JOB_DEFAULT_TIMEOUT,
            "urls": {
                "run": reverse("entrypoints:run", args=[pk]),
                "check": reverse("entrypoints:run-check", args=[pk]),
                "editor": reverse("entrypoints:edit", args=[pk]),
            },
        }


@login_required
@require_http_methods(["GET", "POST"])
def entrypoint_run(request, pk: int):
    entrypoint = _runnable(request, pk)
    if request.method == "POST":
        return _submit(request, entrypoint)
    page = RunPage(request, entrypoint)
    return render(request, RUN, page.context(page.problems()))


@login_required
@require_POST
def entrypoint_run_check(request, pk: int):
    """The live check: the summary, each input's messages (out of band) and, when the snapshot
    changed, its inputs."""
    page = RunPage(request, _runnable(request, pk), data=request.POST)
    context = page.context(page.problems())
    context["inputs_changed"] = request.POST.get("inputs_for") != str(page.record.history_id)
    return render(request, f"{RUN}#check", context)


def _submit(request, entrypoint):
    page = RunPage(request, entrypoint, data=request.POST)
    problems = page.problems()
    if not problems:
        try:
            job = _create(request, entrypoint, page.form)
        except (ValidationError, Conflict) as error:  # a write raced the check
            problems = {"": error_messages(error)}
        else:
            flash.success(request, QUEUED.format(pk=job.pk, queue=job.queue.name))
            return redirect_after(request, reverse("jobs:detail", args=[job.pk]))
    template = f"{RUN}#form" if request.htmx else RUN
    return render(request, template, page.context(problems), status=400)


@transaction.atomic
def _create(request, entrypoint, form):
    """The job, in a new experiment if the form asks for one (kept only with the job)."""
    cleaned = form.cleaned_data
    arguments = form.job_arguments()
    if form.creates_experiment:
        arguments["experiment"] = services.experiment_create(
            user=request.user,
            group=entrypoint.group,
            name=cleaned["experiment_name"],
            description=cleaned["experiment_description"] or None,
            entrypoints=[entrypoint],
        )
    return services.job_create(
        user=request.user,
        entrypoint=entrypoint,
        description=cleaned["description"] or None,
        **arguments,
    )
