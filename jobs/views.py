"""The job pages: the list of jobs a user may read, one job (live while it runs), its log, its
artifacts' downloads, and cancel, reset and rerun.

Thin, like the other pages: reads through ``jobs.selectors`` (``for_user``: other groups' jobs
answer 404), writes through ``jobs.services`` after ``require`` (readers get 403). One template
per page, ``{% partialdef %}`` fragments for htmx; every link and button works without
JavaScript (a GET form, or a POST answered by a redirect).

While a job has not ended its page polls ``job_live``, sending the fingerprints of what it shows
(``page_data.live_keys``): the answer swaps in only the parts that changed, and no longer polls
once the job has ended. The log polls on its own for the records after the last one shown.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from access.selectors import can
from core.pages import error_messages, is_fragment, page_of, redirect_after, require, visible
from core.versioning import latest_snapshot_id
from jobs import metric_plot, page_data, selectors, services
from jobs.artifact_files import ARCHIVES, artifact_download
from jobs.forms import JobFilterForm, LogFilterForm
from jobs.models import Job

LIST = "jobs/list.html"
DETAIL = "jobs/detail.html"
LOG_SHOWN = 1000  # records on the page; the whole log is a download
LOG_BATCH = 1000  # records per poll at most; with more waiting, the next poll comes at once
LOG_LINE = "{time} {severity:<8} {logger}: {message}\n"
CANCELLED = "Job {pk} cancelled."
RESET = "Job {pk} is queued again."
RERUN = "Job {pk} runs job {old}'s snapshot, queue and values again."
BAD_AFTER = "'after' is the id of a log record: a whole number."
BAD_FORMAT = "'format' is one of: {formats}."


# The list ----------------------------------------------------------------------------------------


@login_required
@require_GET
def job_list(request):
    filters = JobFilterForm(request.GET or None, user=request.user)
    page = page_of(request, selectors.job_search(user=request.user, **filters.filters()))
    context = {
        "filters": filters,
        "page": page,
        "live": any(not job.ended for job in page.object_list),
    }
    return render(request, f"{LIST}#results" if is_fragment(request) else LIST, context)


# One job -----------------------------------------------------------------------------------------


def _job(request, pk) -> Job:
    """The job with everything its page shows (404 when the user may not read it)."""
    return visible(selectors.job_page_list(user=request.user), pk)


def _url(job: Job, name: str = "detail") -> str:
    return reverse(f"jobs:{name}", args=[job.pk])


def _metrics(job: Job) -> list[dict]:
    """Each metric's chart and what its caption says."""
    charts = []
    for name, points in selectors.job_metric_points(job=job).items():
        about = metric_plot.summary(points)
        charts.append({"name": name, "svg": metric_plot.metric_svg(name, points), "about": about})
    return charts


def _live_parts(request, job: Job, *, parts=None) -> dict:
    """The context of the parts that change while the job runs (``parts``: only these, by
    ``LiveKeys`` name; all when ``None``)."""
    steps = job.step_rows
    artifacts = selectors.job_artifacts(job=job)
    keys = page_data.live_keys(job, steps=steps, artifacts=artifacts)
    wanted = set(vars(keys)) if parts is None else keys.changed(parts)
    context = {
        "job": job,
        "keys": keys,
        "changed": wanted,
        "writable": can(user=request.user, group=job.group, action="write"),
        "seconds": page_data.job_seconds(job),
        "artifacts": artifacts,
    }
    if "graph" in wanted:
        names = {artifact.name for artifact in artifacts}
        context["layout"] = page_data.job_graph(job, steps=steps, artifact_names=names)
    if "metrics" in wanted:
        context["metrics"] = _metrics(job)
    return context


def _log_context(job: Job, log_filter: LogFilterForm, records, *, more: bool, after: int) -> dict:
    """What the log's tail needs: where the next poll starts, and whether there is one."""
    last = records[-1].pk if records else after
    return {
        "log": records,
        "tail_query": urlencode({**log_filter.query(), "after": last}),
        "tail_live": more or not job.ended,
        "tail_soon": more,
    }


@login_required
@require_GET
def job_detail(request, pk):
    job = _job(request, pk)
    log_filter = LogFilterForm(request.GET)
    # The status is read before the log: once it says "ended", every record is written.
    records, older = selectors.job_log_newest(
        job=job, severities=log_filter.severities(), search=log_filter.search(), limit=LOG_SHOWN
    )
    context = {
        **_live_parts(request, job),
        **_log_context(job, log_filter, records, more=False, after=0),
        "log_older": older,
        "log_filter": log_filter,
        "parameters": page_data.parameter_rows(job),
        "artifact_inputs": _artifact_inputs(request, job),
        "latest_snapshot": latest_snapshot_id(job.entrypoint),
        "reruns": selectors.job_reruns(job=job),
    }
    return render(request, DETAIL, context)


def _artifact_inputs(request, job: Job) -> list[dict]:
    """The job's artifact parameters: the artifact and snapshot each got (``artifact`` is
    ``None`` when the user can no longer read it)."""
    values = job.artifact_values
    ids = {value["id"] for value in values.values()}
    found = selectors.artifact_list(user=request.user).select_related("job").in_bulk(ids)
    return [
        {
            "name": name,
            "id": value["id"],
            "snapshot": value.get("snapshotId"),
            "artifact": found.get(value["id"]),
        }
        for name, value in sorted(values.items())
    ]


@login_required
@require_GET
def job_live(request, pk):
    """The parts of the page that changed since the fingerprints sent (``status``, ``graph``,
    ``metrics``, ``artifacts``), and the next poll while the job has not ended."""
    job = _job(request, pk)
    if not is_fragment(request):
        return redirect(_url(job))
    return render(request, f"{DETAIL}#live", _live_parts(request, job, parts=request.GET))


# The log -----------------------------------------------------------------------------------------


def _log_job(request, pk) -> Job:
    """The job alone (a poll of its log needs nothing else); 404 when not readable."""
    try:
        return selectors.job_find(user=request.user, pk=int(pk))
    except (Job.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@login_required
@require_GET
def job_log(request, pk):
    """The log's records after ``after`` (a poll: they and the next poll), or, without
    ``after``, the whole list as the filters ask (the filter form)."""
    job = _log_job(request, pk)
    log_filter = LogFilterForm(request.GET)
    if not is_fragment(request):
        query = urlencode(log_filter.query())
        return redirect(f"{_url(job)}?{query}" if query else _url(job))
    filters = {"severities": log_filter.severities(), "search": log_filter.search()}
    if "after" not in request.GET:
        records, older = selectors.job_log_newest(job=job, limit=LOG_SHOWN, **filters)
        context = {
            "job": job,
            "log_older": older,
            **_log_context(job, log_filter, records, more=False, after=0),
        }
        return render(request, f"{DETAIL}#log-list", context)
    try:
        after = int(request.GET["after"])
    except ValueError:
        return HttpResponseBadRequest(BAD_AFTER)
    records, more = selectors.job_log_after(job=job, after=after, limit=LOG_BATCH, **filters)
    context = {"job": job, **_log_context(job, log_filter, records, more=more, after=after)}
    return render(request, f"{DETAIL}#log-lines", context)


@login_required
@require_GET
def job_log_text(request, pk):
    """The whole log as a text file, one record a line (a multi-line message stays as it is)."""
    job = _log_job(request, pk)
    lines = (
        LOG_LINE.format(
            time=record.created_on.isoformat(),
            severity=record.severity,
            logger=record.logger_name,
            message=record.message,
        )
        for record in selectors.job_log(job=job).iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(lines, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}.log"'
    return response


# Artifacts ---------------------------------------------------------------------------------------


@login_required
@require_GET
def artifact_contents(request, pk):
    """Download an artifact as the API's ``/artifacts/{id}/contents`` does: a file as it is, a
    directory as ``format`` (``tar_gz`` or ``zip``), ``path`` one file or folder inside it."""
    artifact = visible(selectors.artifact_list(user=request.user), pk)
    file_type = request.GET.get("format") or None
    if file_type is not None and file_type not in ARCHIVES:
        return HttpResponseBadRequest(BAD_FORMAT.format(formats=", ".join(ARCHIVES)))
    try:
        download = artifact_download(artifact, path=request.GET.get("path"), file_type=file_type)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error_messages(error)))
    return FileResponse(
        download.file,
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )


# Cancel, reset, rerun ----------------------------------------------------------------------------


def _refused(request, job: Job, error: ValidationError) -> HttpResponse:
    """A write the service refused (the job moved on meanwhile): said in the page."""
    if is_fragment(request):
        context = {**_live_parts(request, job), "refusal": error_messages(error)}
        return render(request, f"{DETAIL}#live", context, status=400)
    for message in error_messages(error):
        messages.error(request, message)
    return redirect(_url(job))


def _moved(request, job: Job, message: str) -> HttpResponse:
    """Where a write leaves the user: ``job``'s page (htmx follows the redirect in full)."""
    messages.success(request, message)
    return redirect_after(request, _url(job))


def _job_write(request, pk, service, answer) -> HttpResponse:
    """``service(user=, job=)`` on job ``pk`` by a writer of its group, then ``answer(job,
    result)``; a refusal is said in the page."""
    job = _job(request, pk)
    require(user=request.user, group=job.group)
    try:
        result = service(user=request.user, job=job)
    except ValidationError as error:
        return _refused(request, job, error)
    return answer(job, result)


@login_required
@require_POST
def job_cancel(request, pk):
    """Cancel a queued or running job. htmx gets the page's live parts, all of them."""

    def answer(job, _):
        if is_fragment(request):
            return render(request, f"{DETAIL}#live", _live_parts(request, _job(request, pk)))
        messages.success(request, CANCELLED.format(pk=job.pk))
        return redirect(_url(job))

    return _job_write(request, pk, services.job_cancel, answer)


@login_required
@require_POST
def job_reset(request, pk):
    """Queue a finished or failed job again (its steps start over; log and metrics stay)."""
    return _job_write(
        request,
        pk,
        services.job_reset,
        lambda job, _: _moved(request, job, RESET.format(pk=job.pk)),
    )


@login_required
@require_POST
def job_rerun(request, pk):
    """A new job from this one's snapshot, queue and values: its page."""
    return _job_write(
        request,
        pk,
        services.job_rerun,
        lambda job, new: _moved(request, new, RERUN.format(pk=new.pk, old=job.pk)),
    )
