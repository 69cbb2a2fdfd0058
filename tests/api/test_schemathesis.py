"""Property-based fuzzing of every operation in ``/api/schema/``: whatever the input, no 5xx.

Schemathesis generates requests from the OpenAPI schema (valid and invalid bodies, queries and
path parameters) and sends them in-process (WSGI), authenticated by token as a ``write`` member
of a group that holds an entrypoint, a plugin, a queue and a tag. The entrypoint routes' answers
must also match their schema. A few examples per operation keep the run to about a minute.
"""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import response_schema_conformance

from jobs.services import job_create, queue_create
from tags.services import tag_create
from tests.entrypoints.factories import make_artifact_plugin, make_entrypoint
from tests.jobs.factories import make_artifact, make_experiment
from tests.plugins.factories import builtin

EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def keep_connection():
    """Requests go straight to the WSGI handler, whose request signals would close the test's
    database connection (PostgreSQL then fails every later query); Django's test client
    disconnects them the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def fuzz(actors, lab, keep_connection, settings, tmp_path) -> dict:
    """The token header, and ids of existing objects by path parameter or collection."""
    settings.MEDIA_ROOT = tmp_path / "media"
    writer = actors["writer"]
    queue = queue_create(user=writer, group=lab, name="fuzz_queue")
    plugin = make_artifact_plugin(lab)
    entrypoint = make_entrypoint(
        lab, "fuzz", user=writer, queues=[queue], artifact_plugins=[plugin]
    )
    tag = tag_create(user=writer, group=lab, name="fuzz_tag")
    entrypoint.tags.add(tag)
    experiment = make_experiment(lab, "fuzz_experiment", entrypoints=[entrypoint])
    job = job_create(user=writer, experiment=experiment, entrypoint=entrypoint, queue=queue)
    artifact = make_artifact(job, tmp_path, plugin=plugin)
    ids = {
        "experiments": experiment.pk,
        "jobs": job.pk,
        "artifacts": artifact.pk,
        "job_id": job.pk,
        "entrypoint_id": entrypoint.pk,
        "entrypoints": entrypoint.pk,
        "queues": queue.pk,
        "tags": tag.pk,
        "plugins": plugin.pk,
        "pluginParameterTypes": builtin(lab).pk,
        "groups": lab.pk,
        "users": writer.pk,
        "plugin_pk": plugin.pk,
        "plugin_id": plugin.pk,
        "queue_id": queue.pk,
        "tag_id": tag.pk,
        "snapshot_id": entrypoint.history.get().history_id,
        "group": lab.pk,
    }
    return {
        "headers": {"Authorization": f"Token {Token.objects.create(user=writer).key}"},
        "ids": ids,
        "turn": itertools.count(),
    }


def aim_at_existing_objects(case, ids: dict) -> None:
    """Point path ids and a body's ``group`` at real objects, so requests get past the 404s."""
    collection = case.path.split("/")[3]
    for name in case.path_parameters or {}:
        case.path_parameters[name] = ids.get(collection if name == "id" else name, 1)
    if isinstance(case.body, dict) and "group" in case.body:
        case.body["group"] = ids["group"]


# Generating the schema reads no data, so it loads at collection, outside any test database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_server_errors(case, fuzz):
    if next(fuzz["turn"]) % 2:  # every other case: real objects; the others: whatever was drawn
        aim_at_existing_objects(case, fuzz["ids"])
    response = case.call(headers=fuzz["headers"])
    assert response.status_code < 500, f"{case.as_curl_command()}\n{response.text[:2000]}"
    if documented_by_us(case) and response.status_code == 200:
        case.validate_response(response, checks=[response_schema_conformance])


def documented_by_us(case) -> bool:
    """Entrypoint routes, whose answers must also match their schema: not the tags
    sub-collection (another app's), nor ``validateOnly`` answers (they omit generated ids)."""
    if str((case.query or {}).get("validateOnly")).lower() in ("true", "1"):
        return False
    return (case.path.startswith("/api/v1/entrypoints") and "/tags" not in case.path) or (
        case.path.startswith("/api/v1/workflows/validateEntrypoint")
    )
