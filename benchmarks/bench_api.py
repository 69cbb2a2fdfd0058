"""Entrypoints API latency: list, detail, snapshots, create and update with 1,000 entrypoints of
10 snapshots each, through Django's test client on a throwaway SQLite database.

Reported as medians in milliseconds, with the queries per request, and as ratios against a
baseline measured in the same run: ``GET /healthz`` (the same middleware, one ``SELECT 1``).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import timedelta

ENTRYPOINTS = 1000
SNAPSHOTS_EACH = 10
REPEAT = 30


def _setup_django(directory: str) -> None:
    """Point Django at a fresh SQLite file (unless the caller configured Django already)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    import django
    from django.conf import settings

    if settings.configured and "bench.sqlite3" not in str(settings.DATABASES["default"]["NAME"]):
        raise RuntimeError("Django is configured with another database; run this benchmark alone.")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _populate():
    """1,000 entrypoints of the hello-world kind, each with 10 snapshots, a queue and a tag."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from access.services import group_create, membership_set
    from entrypoints import services
    from entrypoints.models import Entrypoint
    from jobs.services import queue_create
    from plugins_app import services as plugin_services
    from plugins_app.models import PluginParameterType
    from tags.services import tag_create

    user = get_user_model().objects.create_user(username="bench", password="bench-password-1")
    group = group_create(name="bench")
    membership_set(group=group, user=user, role="write")
    string = PluginParameterType.objects.get(group=group, name="string", deleted_on__isnull=True)
    plugin = plugin_services.plugin_create(user=user, group=group, name="hello")
    param = {"parameterType": string.pk, "required": True}
    plugin_services.plugin_file_create(
        user=user,
        plugin=plugin,
        filename="tasks.py",
        contents="def hello_world(greeting, name): ...",
        tasks={
            "functions": [
                {
                    "name": "hello_world",
                    "inputParams": [{"name": "greeting", **param}, {"name": "name", **param}],
                    "outputParams": [{"name": "message", "parameterType": string.pk}],
                }
            ]
        },
    )
    queue = queue_create(user=user, group=group, name="default")
    tag = tag_create(user=user, group=group, name="bench")
    fields = {
        "task_graph": "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n",
        "description": "An entrypoint to run hello world task",
        "parameters": [
            {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
            {"name": "name", "defaultValue": "World", "parameterType": "string"},
        ],
    }
    template = services.entrypoint_create(
        user=user, group=group, name="template", queues=[queue], plugins=[plugin], **fields
    )
    template.tags.add(tag)
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Entrypoint._meta.concrete_fields
        if f.attname not in ("id", "name", "created_on", "last_modified_on")
    }
    Entrypoint.objects.bulk_create(
        Entrypoint(name=f"entrypoint_{i:04}", **copied) for i in range(1, ENTRYPOINTS)
    )
    entrypoints = list(Entrypoint.objects.exclude(pk=template.pk))
    Entrypoint.queues.through.objects.bulk_create(
        Entrypoint.queues.through(entrypoint_id=e.pk, queue_id=queue.pk) for e in entrypoints
    )
    Entrypoint.tags.through.objects.bulk_create(
        Entrypoint.tags.through(entrypoint_id=e.pk, tag_id=tag.pk) for e in entrypoints
    )
    History = Entrypoint.history.model
    now = timezone.now()
    template.history.all().delete()
    records = []
    for entrypoint in [template, *entrypoints]:
        for n in range(SNAPSHOTS_EACH):
            record = History(
                history_date=now + timedelta(seconds=n),
                history_user=user,
                history_type="+" if n == 0 else "~",
                history_change_reason="bench",
            )
            for field in Entrypoint._meta.concrete_fields:
                setattr(record, field.attname, getattr(entrypoint, field.attname))
            records.append(record)
    History.objects.bulk_create(records, batch_size=2000)
    return user, group, template, plugin, queue


def _median_ms(client, method: str, url_of, body_of=None) -> tuple[float, int]:
    """Median latency (ms) of ``REPEAT`` requests and the queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for i in range(REPEAT):
        kwargs = {"content_type": "application/json", "data": body_of(i)} if body_of else {}
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = getattr(client, method)(url_of(i), **kwargs)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(
                f"{method.upper()} {url_of(i)} answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        queries = len(captured)
    return statistics.median(times), queries


def main() -> None:
    directory = tempfile.mkdtemp(prefix="bench-api-")
    try:
        _setup_django(directory)
        import json

        from django.test import Client

        started = time.perf_counter()
        user, group, template, plugin, queue = _populate()
        print(
            f"populated {ENTRYPOINTS} entrypoints x {SNAPSHOTS_EACH} snapshots in "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(user)
        api = "/api/v1/entrypoints"
        graph = template.task_graph

        def create_body(i):
            return json.dumps(
                {
                    "group": group.pk,
                    "name": f"created_{i}",
                    "taskGraph": graph,
                    "parameters": template.parameters,
                    "plugins": [plugin.pk],
                    "queues": [queue.pk],
                }
            )

        def update_body(i):
            return json.dumps(
                {
                    "name": "template",
                    "taskGraph": graph,
                    "parameters": template.parameters,
                    "queues": [queue.pk],
                }
            )

        cases = [
            ("baseline GET /healthz", "get", lambda i: "/healthz", None),
            (
                "GET list, pageLength=10",
                "get",
                lambda i: f"{api}?pageLength=10&index={i * 10}",
                None,
            ),
            (
                "GET list, pageLength=100",
                "get",
                lambda i: f"{api}?pageLength=100&index={i * 10}",
                None,
            ),
            (
                "GET list, search name:entrypoint_05*",
                "get",
                lambda i: f"{api}?search=name:entrypoint_05*&pageLength=100",
                None,
            ),
            ("GET detail", "get", lambda i: f"{api}/{template.pk + i}", None),
            ("GET snapshots (10)", "get", lambda i: f"{api}/{template.pk + i}/snapshots", None),
            ("POST create", "post", lambda i: api, create_body),
            ("PUT update", "put", lambda i: f"{api}/{template.pk}", update_body),
        ]
        baseline = None
        print(f"{'request':<40} {'median ms':>10} {'x baseline':>11} {'queries':>8}")
        for label, method, url_of, body_of in cases:
            median, queries = _median_ms(client, method, url_of, body_of)
            baseline = baseline or median
            print(f"{label:<40} {median:>10.2f} {median / baseline:>11.1f} {queries:>8}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
