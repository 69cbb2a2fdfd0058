"""Reads of experiments, jobs (with their log, metrics and steps) and artifacts.

User-visible data is read only through ``for_user``. Lists load what a page shows in a fixed
number of queries: refs are joined, tags, entrypoints, steps and artifact ids prefetched, and
``with_artifact_tasks`` reads the artifact tasks of a page of artifacts from their plugin
snapshots' manifests in one query.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Max, Prefetch, Q

from core.versioning import with_snapshot
from entrypoints.models import Entrypoint
from jobs.models import Artifact, Experiment, Job, JobLog, JobMetric, JobStep
from plugins_app.models import Plugin
from tags.models import Tag

SEVERITIES = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
ARTIFACT_SCAN = 500  # the newest artifacts of a group a run page offers


def _live_tags() -> Prefetch:
    return Prefetch("tags", Tag.objects.alive().select_related("group"), to_attr="live_tags")


# Experiments -------------------------------------------------------------------------------------


def experiment_list(*, user):
    """Live experiments ``user`` may read, with their snapshot, tags and live entrypoints."""
    entrypoints = Entrypoint.objects.alive().select_related("group").order_by("name", "pk")
    return with_snapshot(
        Experiment.objects.for_user(user, "read")
        .select_related("group", "creator")
        .prefetch_related(
            _live_tags(), Prefetch("entrypoints", entrypoints, to_attr="live_entrypoints")
        )
    )


def entrypoint_experiments(*, user, entrypoint: Entrypoint):
    """The live experiments holding ``entrypoint`` that ``user`` may read, by name."""
    return Experiment.objects.for_user(user, "read").filter(entrypoints=entrypoint).order_by("name")


def experiment_name_suggestion(*, entrypoint: Entrypoint) -> str:
    """A free name for a new experiment of ``entrypoint``: its own, numbered if taken."""
    taken = set(
        Experiment.objects.alive()
        .filter(group_id=entrypoint.group_id, name__startswith=entrypoint.name)
        .values_list("name", flat=True)
    )
    name, number = entrypoint.name, 2
    while name in taken:
        name, number = f"{entrypoint.name} {number}", number + 1
    return name


def last_experiment_run(*, user, entrypoint: Entrypoint) -> int | None:
    """The id of the experiment of ``user``'s latest job of ``entrypoint`` (``None``: none)."""
    jobs = Job.objects.for_user(user, "read").filter(entrypoint=entrypoint, creator=user)
    return jobs.order_by("-pk").values_list("experiment_id", flat=True).first()


def experiment_get(*, user, pk) -> Experiment:
    """One readable experiment (``DoesNotExist`` otherwise)."""
    return experiment_list(user=user).get(pk=pk)


# Jobs --------------------------------------------------------------------------------------------


def job_list(*, user, experiment: Experiment | None = None):
    """Live jobs ``user`` may read (of ``experiment`` when given), with everything a job's JSON
    shows: the refs joined, tags, steps and artifact ids prefetched."""
    jobs = (
        Job.objects.for_user(user, "read")
        .select_related(
            "group",
            "creator",
            "queue",
            "experiment",
            "entrypoint_snapshot",
        )
        .prefetch_related(
            _live_tags(),
            Prefetch("steps", JobStep.objects.order_by("position"), to_attr="step_rows"),
            Prefetch(
                "artifacts",
                Artifact.objects.alive().only("pk", "job_id").order_by("pk"),
                to_attr="live_artifacts",
            ),
        )
    )
    if experiment is not None:
        jobs = jobs.filter(experiment=experiment)
    return with_snapshot(jobs)


def job_get(*, user, pk, experiment: Experiment | None = None) -> Job:
    """One readable job (of ``experiment`` when given; ``DoesNotExist`` otherwise)."""
    return job_list(user=user, experiment=experiment).get(pk=pk)


def entrypoint_snapshot_choices(*, entrypoint: Entrypoint, limit: int, also: int | None = None):
    """The newest ``limit`` snapshots of ``entrypoint`` (and snapshot ``also`` of it, if it
    is older), newest first, with their users."""
    records = entrypoint.history.select_related("history_user").order_by("-history_id")
    chosen = list(records[:limit])
    if also is not None and also not in {r.history_id for r in chosen}:
        chosen.extend(records.filter(history_id=also))
    return chosen


def job_find(*, user, pk, action: str = "read") -> Job:
    """One live job ``user`` may ``action``, with its group only: what a write of it, or a read
    of its log or metrics, needs."""
    return Job.objects.for_user(user, action).select_related("group").get(pk=pk)


def job_log(*, job: Job, severities: Sequence[str] = (), search: str = ""):
    """The job's log records in the order they were written, of these severities when given,
    whose message or logger name contains ``search``."""
    records = JobLog.objects.filter(job=job)
    if severities:
        records = records.filter(severity__in=severities)
    if search:
        records = records.filter(Q(message__icontains=search) | Q(logger_name__icontains=search))
    return records.order_by("pk")


def jobs_metrics_latest(*, job_ids) -> dict[int, list[JobMetric]]:
    """Job id -> the latest value of each of its metrics (highest step, then the last written),
    by name; two queries for any number of jobs."""
    job_ids = list(job_ids)
    tops = (
        JobMetric.objects.filter(job_id__in=job_ids)
        .order_by()
        .values("job_id", "name")
        .annotate(top=Max("step"))
        .values_list("job_id", "name", "top")
    )
    wanted = Q()
    for job_id, name, top in tops:
        wanted |= Q(job_id=job_id, name=name, step=top)
    latest: dict[int, dict[str, JobMetric]] = {pk: {} for pk in job_ids}
    if wanted:
        for row in JobMetric.objects.filter(wanted).order_by("job_id", "name", "-pk"):
            latest[row.job_id].setdefault(row.name, row)
    return {pk: list(rows.values()) for pk, rows in latest.items()}


def job_metrics_latest(*, job: Job) -> list[JobMetric]:
    """The latest value of each of the job's metrics, by name."""
    return jobs_metrics_latest(job_ids=[job.pk])[job.pk]


def job_metric_series(*, job: Job, name: str):
    """Every value of the job's metric ``name``, by step, then as written."""
    return JobMetric.objects.filter(job=job, name=name).order_by("step", "pk")


# Artifacts ---------------------------------------------------------------------------------------


def artifact_list(*, user):
    """Live artifacts ``user`` may read, with their snapshot and tags."""
    return with_snapshot(
        Artifact.objects.for_user(user, "read")
        .select_related("group", "creator")
        .prefetch_related(_live_tags())
    )


def artifact_get(*, user, pk) -> Artifact:
    """One readable artifact (``DoesNotExist`` otherwise)."""
    return artifact_list(user=user).get(pk=pk)


def find_task(manifest: dict, kind: str, name: str) -> tuple[dict, dict] | tuple[None, None]:
    """``(file, task)`` of the manifest declaring the ``kind`` task ``name`` (first file)."""
    for plugin_file in manifest.get("files", []):
        for task in (plugin_file.get("tasks") or {}).get(kind) or []:
            if task["name"] == name:
                return plugin_file, task
    return None, None


def with_artifact_tasks(artifacts: Iterable[Artifact]) -> Iterable[Artifact]:
    """Set ``task_plugin`` (the plugin snapshot record), ``task_file`` and ``task_declaration``
    (from its manifest, ``None`` when it declares no such task) on each artifact, in one query."""
    artifacts = list(artifacts)
    snapshot_ids = {a.plugin_snapshot_id for a in artifacts if a.plugin_snapshot_id}
    records = (
        {r.history_id: r for r in Plugin.history.filter(history_id__in=snapshot_ids)}
        if snapshot_ids
        else {}
    )
    for artifact in artifacts:
        artifact.task_plugin = records.get(artifact.plugin_snapshot_id)
        manifest = artifact.task_plugin.manifest if artifact.task_plugin else {}
        artifact.task_file, artifact.task_declaration = find_task(
            manifest, "artifacts", artifact.task
        )
    return artifacts


def artifact_task_outputs(artifacts: Iterable[Artifact]) -> dict[int, list[tuple[str, str]]]:
    """Artifact id -> ``(output name, type name)`` of its task's outputs, in order."""
    outputs = {}
    for artifact in with_artifact_tasks(artifacts):
        types = artifact.task_plugin.manifest.get("types", {}) if artifact.task_plugin else {}
        declared = (artifact.task_declaration or {}).get("outputParams") or []
        outputs[artifact.pk] = [
            (o["name"], (types.get(str(o["parameterType"])) or {}).get("name", "?"))
            for o in declared
        ]
    return outputs


# The job pages -----------------------------------------------------------------------------------

ACTIVE_STATUSES = ("queued", "started", "deferred")


def job_search(*, user, experiment=None, entrypoint=None, queue=None, status: str = "", group=None):
    """Readable jobs for the list page, newest first, narrowed to what is given (``status``:
    one status, or ``"active"`` for queued, started or deferred), with what a row shows."""
    jobs = Job.objects.for_user(user, "read").select_related(
        "group", "creator", "queue", "experiment", "entrypoint"
    )
    for field, value in (
        ("experiment", experiment),
        ("entrypoint", entrypoint),
        ("queue", queue),
        ("group", group),
    ):
        if value is not None:
            jobs = jobs.filter(**{field: value})
    if status == "active":
        jobs = jobs.filter(status__in=ACTIVE_STATUSES)
    elif status:
        jobs = jobs.filter(status=status)
    return jobs.order_by("-pk")


def job_recent_for_entrypoint(*, user, entrypoint, limit: int = 5) -> tuple[list[Job], int]:
    """The ``limit`` newest jobs of ``entrypoint`` that ``user`` may read, and how many there
    are in all."""
    jobs = job_search(user=user, entrypoint=entrypoint)
    return list(jobs[:limit]), jobs.count()


def job_page_list(*, user):
    """Readable jobs with everything a job's page shows: ``job_list``'s, and the entrypoint and
    the job it reran."""
    return job_list(user=user).select_related("entrypoint", "rerun_of")


def job_reruns(*, job: Job) -> list[int]:
    """The ids of the live jobs that reran ``job`` (in its group, as it is)."""
    return list(
        Job.objects.alive().filter(rerun_of=job).order_by("pk").values_list("pk", flat=True)
    )


def job_artifacts(*, job: Job) -> list[Artifact]:
    """The job's live artifacts, in the order they were stored."""
    return list(Artifact.objects.alive().filter(job=job).order_by("pk"))


def job_metric_points(*, job: Job) -> dict[str, list[tuple[int, float | None]]]:
    """Metric name -> its ``(step, value)`` points by step, then as written (``None``: NaN)."""
    series: dict[str, list[tuple[int, float | None]]] = {}
    rows = JobMetric.objects.filter(job=job).order_by("name", "step", "pk")
    for name, step, value in rows.values_list("name", "step", "value"):
        series.setdefault(name, []).append((step, value))
    return series


def job_log_newest(
    *, job: Job, severities: Sequence[str] = (), search: str = "", limit: int
) -> tuple[list[JobLog], int]:
    """The newest ``limit`` log records (of these severities, matching ``search``) in order, and
    how many older ones there are."""
    records = job_log(job=job, severities=severities, search=search)
    newest = list(records.order_by("-pk")[:limit])[::-1]
    older = records.filter(pk__lt=newest[0].pk).count() if len(newest) == limit else 0
    return newest, older


def job_log_after(
    *, job: Job, after: int, severities: Sequence[str] = (), search: str = "", limit: int
) -> tuple[list[JobLog], bool]:
    """The log records written after record ``after`` (at most ``limit``), in order, and whether
    there are more."""
    records = job_log(job=job, severities=severities, search=search).filter(pk__gt=after)
    found = list(records[: limit + 1])
    return found[:limit], len(found) > limit


def artifact_type_names(artifacts: Iterable[Artifact]) -> dict[int, list[str]]:
    """Artifact id -> the type names of its task's outputs, in order: what an artifact
    parameter's outputs must be for a job to take the artifact."""
    return {
        pk: [name for _, name in outputs]
        for pk, outputs in artifact_task_outputs(artifacts).items()
    }


def artifact_candidates(
    *, user, group, wanted: dict[str, list[str]], scan: int = ARTIFACT_SCAN
) -> dict[str, list[Artifact]]:
    """For each artifact parameter (name -> the type names of its outputs), the live artifacts
    of ``group`` that ``user`` may read and a job could take for it (their task's outputs are
    those types), newest first, each with its ``snapshot_ids`` (newest first). Looks at the
    group's newest ``scan`` artifacts only."""
    if not wanted:
        return {}
    recent = list(artifact_list(user=user).filter(group=group).order_by("-pk")[:scan])
    names = artifact_type_names(recent)
    snapshots: dict[int, list[int]] = {}
    rows = Artifact.history.filter(id__in=[a.pk for a in recent]).order_by("-history_id")
    for pk, history_id in rows.values_list("id", "history_id"):
        snapshots.setdefault(pk, []).append(history_id)
    for artifact in recent:
        artifact.snapshot_ids = snapshots.get(artifact.pk, [])
    return {name: [a for a in recent if names.get(a.pk) == types] for name, types in wanted.items()}
