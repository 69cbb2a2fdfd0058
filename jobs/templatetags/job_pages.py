"""Filters of the job pages: durations in words, metric values, file names."""

import posixpath

from django import template

from jobs.metric_plot import number
from jobs.page_data import format_seconds, job_seconds

register = template.Library()


@register.filter
def seconds(value: float | None) -> str:
    """``3.2`` -> "3.2 s" (``page_data.format_seconds``)."""
    return format_seconds(value)


@register.filter
def duration(job) -> str:
    """How long a job ran, or has run so far; "–" before it starts."""
    return format_seconds(job_seconds(job))


@register.filter
def metric_value(value: float | None) -> str:
    """A metric's value as its chart's ticks show it; "NaN" for a missing one."""
    return "NaN" if value is None else number(value)


@register.filter
def basename(name: str) -> str:
    """The last part of a storage name: what a download is called."""
    return posixpath.basename(name or "")
