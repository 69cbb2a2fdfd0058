"""The job pages: the list of jobs a user may read, and one job."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.pages import page_of, visible
from jobs import selectors


@login_required
def job_list(request):
    page = page_of(request, selectors.job_list(user=request.user))
    return render(request, "jobs/list.html", {"page": page, "section": "jobs"})


@login_required
def job_detail(request, pk: int):
    job = visible(selectors.job_list(user=request.user), pk)
    return render(request, "jobs/detail.html", {"job": job, "section": "jobs"})
