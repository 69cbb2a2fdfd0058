"""``jobs.demo.load_jobs_demo`` and ``manage.py load_demo``: the demo queue and the builtin
artifact tasks' plugin, made once."""

from io import StringIO

import pytest
from django.core.management import call_command

from access.demo import load_access_demo
from jobs.demo import load_jobs_demo
from jobs.models import Queue

pytestmark = pytest.mark.django_db


def test_the_default_queue_is_created_once_by_admin_in_public():
    list(load_access_demo())
    builtins = "Plugin 'builtin_artifacts' in 'public' has the builtin artifact tasks."
    assert list(load_jobs_demo()) == ["Created queue 'default' in 'public'.", builtins]
    assert list(load_jobs_demo()) == ["Queue 'default' exists.", builtins]
    queue = Queue.objects.get(name="default")
    assert (queue.group.name, queue.creator.username) == ("public", "admin")
    assert (queue.description, queue.history.count()) == ("The default queue.", 1)


def test_load_demo_runs_again_without_creating_anything():
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    assert "Created queue 'default' in 'public'." in first.getvalue()
    call_command("load_demo", stdout=second)
    assert "Created" not in second.getvalue()
    assert Queue.objects.filter(name="default").count() == 1
