"""Writes of one entrypoint take turns: each locks the row (``select_for_update``) and builds on
what was written before it, not on what its caller had read (no lost attach)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.api.exceptions import exception_handler
from entrypoints import selectors, services
from entrypoints.models import Entrypoint
from tests.concurrency import in_thread
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_entrypoint,
    make_hello_plugin,
)


def fresh(entrypoint) -> Entrypoint:
    """The entrypoint as stored now, with its attached plugins."""
    stored = Entrypoint.objects.get(pk=entrypoint.pk)
    selectors.with_attachments([stored])
    return stored


def attached_plugin_ids(entrypoint) -> list[int]:
    return [p.id for p in fresh(entrypoint).attached_plugins]


def stale(entrypoint) -> Entrypoint:
    """The entrypoint as a caller read it before other writes happened."""
    return Entrypoint.objects.get(pk=entrypoint.pk)


@pytest.fixture
def entrypoint(lab):
    return make_entrypoint(lab, plugins=[])


@pytest.mark.django_db
class TestWritesBuildOnTheLatestRow:
    def test_two_attaches_from_stale_reads_both_stay(self, lab, entrypoint):
        first, second = make_hello_plugin(lab), make_hello_plugin(lab)
        a, b = stale(entrypoint), stale(entrypoint)
        services.entrypoint_plugins_attach(user=None, entrypoint=a, plugins=[first])
        services.entrypoint_plugins_attach(user=None, entrypoint=b, plugins=[second])
        assert attached_plugin_ids(entrypoint) == [first.pk, second.pk]

    def test_detach_from_a_stale_read_keeps_a_later_attach(self, lab):
        first, second = make_hello_plugin(lab), make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[first])
        a, b = stale(entrypoint), stale(entrypoint)
        services.entrypoint_plugins_attach(user=None, entrypoint=a, plugins=[second])
        services.entrypoint_plugin_detach(user=None, entrypoint=b, plugin_id=first.pk)
        assert attached_plugin_ids(entrypoint) == [second.pk]

    def test_put_from_a_stale_read_keeps_a_later_attach(self, lab, entrypoint):
        plugin, artifacts = make_hello_plugin(lab), make_artifact_plugin(lab)
        a, b = stale(entrypoint), stale(entrypoint)
        services.entrypoint_plugins_attach(user=None, entrypoint=a, plugins=[plugin])
        services.entrypoint_artifact_plugins_attach(
            user=None, entrypoint=a, artifact_plugins=[artifacts]
        )
        services.entrypoint_update(
            user=None,
            entrypoint=b,
            name=entrypoint.name,
            task_graph=HELLO_GRAPH,
            parameters=HELLO_PARAMETERS,
            description="changed",
        )
        stored = fresh(entrypoint)
        assert stored.description == "changed" and stored.valid
        assert [p.id for p in stored.attached_plugins] == [plugin.pk]
        assert [p.id for p in stored.attached_artifact_plugins] == [artifacts.pk]

    def test_writes_on_an_entrypoint_deleted_meanwhile_raise_does_not_exist(self, lab, entrypoint):
        plugin = make_hello_plugin(lab)
        a, b = stale(entrypoint), stale(entrypoint)
        services.entrypoint_delete(user=None, entrypoint=a)
        with pytest.raises(Entrypoint.DoesNotExist):
            services.entrypoint_plugins_attach(user=None, entrypoint=b, plugins=[plugin])
        with pytest.raises(Entrypoint.DoesNotExist):
            services.entrypoint_update(
                user=None, entrypoint=b, name="revived", task_graph=HELLO_GRAPH
            )
        assert Entrypoint.objects.get(pk=entrypoint.pk).deleted_on is not None
        assert entrypoint.history.count() == 2  # created, deleted: nothing revived it

    def test_the_api_answers_404_for_it(self):
        response = exception_handler(Entrypoint.DoesNotExist("gone"), {})
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "write",
        [
            lambda e, p: services.entrypoint_plugins_attach(user=None, entrypoint=e, plugins=[p]),
            lambda e, p: services.entrypoint_plugin_detach(user=None, entrypoint=e, plugin_id=p.pk),
            lambda e, p: services.entrypoint_update(
                user=None, entrypoint=e, name=e.name, task_graph=""
            ),
        ],
        ids=["attach", "detach", "put"],
    )
    def test_the_row_is_read_for_update(self, lab, write):
        if not connection.features.has_select_for_update:
            pytest.skip(f"{connection.vendor} has no SELECT ... FOR UPDATE (writes serialize)")
        plugin = make_hello_plugin(lab)
        entrypoint = make_entrypoint(lab, plugins=[plugin])
        with CaptureQueriesContext(connection) as queries:
            write(entrypoint, plugin)
        table = Entrypoint._meta.db_table
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert any(f'FROM "{table}"' in sql for sql in locks), [q["sql"] for q in queries]


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_attach_waits_for_the_lock_and_loses_nothing(lab):
    """Two transactions attach a plugin each to one entrypoint, both from reads made before
    either wrote: the second waits for the first to commit, then adds to what it wrote."""
    if not connection.features.has_select_for_update:
        pytest.skip(f"{connection.vendor} has no row locks (SQLite serializes whole writes)")
    first, second = make_hello_plugin(lab), make_hello_plugin(lab)
    entrypoint = make_entrypoint(lab, plugins=[])
    a, b = stale(entrypoint), stale(entrypoint)
    a_written, release = threading.Event(), threading.Event()
    errors = []

    def attach_first_and_hold():
        with transaction.atomic():
            services.entrypoint_plugins_attach(user=None, entrypoint=a, plugins=[first])
            a_written.set()
            assert release.wait(10)

    holder = in_thread(attach_first_and_hold, errors)
    assert a_written.wait(10)
    waiter = in_thread(
        lambda: services.entrypoint_plugins_attach(user=None, entrypoint=b, plugins=[second]),
        errors,
    )
    time.sleep(0.5)
    assert waiter.is_alive(), "the second attach did not wait for the first one's lock"
    release.set()
    holder.join(10)
    waiter.join(10)
    assert not errors, errors
    assert attached_plugin_ids(entrypoint) == [first.pk, second.pk]


@pytest.mark.django_db(transaction=True)
def test_a_put_holding_a_stale_etag_waits_and_answers_412(lab):
    """Two writers read the same ETag; the first writes while holding the row lock. The second
    PUT with that ETag waits for the lock and then sees the new snapshot: 412, nothing lost."""
    if not connection.features.has_select_for_update:
        pytest.skip(f"{connection.vendor} has no row locks (SQLite serializes whole writes)")
    from rest_framework.test import APIClient

    from tests.factories import make_user

    writer = make_user("etag-writer", lab="write")
    entrypoint = make_entrypoint(lab, plugins=[])
    etag = f'"{entrypoint.history.latest("history_id").history_id}"'
    first_written, release = threading.Event(), threading.Event()
    answers, errors = [], []

    def write_first_and_hold():
        with transaction.atomic():
            services.entrypoint_update(
                user=None, entrypoint=stale(entrypoint), name="first", task_graph=HELLO_GRAPH
            )
            first_written.set()
            assert release.wait(10)

    def put_with_the_old_etag():
        client = APIClient()
        client.force_authenticate(writer)
        body = {"name": "second", "taskGraph": HELLO_GRAPH}
        answers.append(
            client.put(
                f"/api/v1/entrypoints/{entrypoint.pk}", body, format="json", HTTP_IF_MATCH=etag
            )
        )

    holder = in_thread(write_first_and_hold, errors)
    assert first_written.wait(10)
    waiter = in_thread(put_with_the_old_etag, errors)
    time.sleep(0.5)
    assert waiter.is_alive(), "the PUT did not wait for the row lock"
    release.set()
    holder.join(10)
    waiter.join(10)
    assert not errors, errors
    assert answers[0].status_code == 412
    assert Entrypoint.objects.get(pk=entrypoint.pk).name == "first"
