"""``/api/v1/queues``: the shared matrices plus what is particular to queues."""

import pytest

from jobs.models import Queue
from jobs.services import queue_create, queue_delete, queue_update
from tests.api.mixins import (
    GroupOwnedAPITests,
    ResourceTagsAPITests,
    unique_name,
)
from tests.api.shapes import RESOURCE_FIELDS
from tests.factories import make_user


def make_queue(group, name=None, **fields):
    return queue_create(user=None, group=group, name=name or unique_name("queue"), **fields)


class TestQueueAPI(GroupOwnedAPITests):
    list_url = "/api/v1/queues"
    model = Queue
    # The paging count, the page (group and creator joined), its tags, the tags' groups.
    list_queries = 4
    # The queue (group and creator joined), its tags, the tags' groups.
    detail_queries = 3

    def make_object(self, group, name=None):
        return make_queue(group, name)

    def create_payload(self, group):
        return {"group": group.pk, "name": unique_name("queue"), "description": "A queue."}

    def update_payload(self, obj):
        return {"name": obj.name + "_renamed", "description": "Renamed."}


class TestQueueTagsAPI(ResourceTagsAPITests):
    def detail_url(self, obj):
        return f"/api/v1/queues/{obj.pk}"

    def make_object(self, group, name=None):
        return make_queue(group, name)


@pytest.mark.django_db
class TestQueueShape:
    def test_read_shape_is_dioptras(self, as_actor, lab):
        queue = make_queue(lab, "gpu", description="Has GPUs.")
        body = as_actor("reader").get(f"/api/v1/queues/{queue.pk}").json()
        assert list(body) == [*RESOURCE_FIELDS, "name", "description"]
        assert body["group"] == {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"}
        assert (body["latestSnapshot"], body["hasDraft"], body["tags"]) == (True, False, [])

    def test_description_is_kept_exactly_and_omitted_means_none(self, as_actor, lab):
        writer = as_actor("writer")
        text = "  two lines\r\nkept as sent  "
        created = writer.post(
            "/api/v1/queues", {"group": lab.pk, "name": "q"}, format="json"
        ).json()
        assert created["description"] is None
        updated = writer.put(
            f"/api/v1/queues/{created['id']}", {"name": "q", "description": text}, format="json"
        ).json()
        assert updated["description"] == text
        empty = writer.put(
            f"/api/v1/queues/{created['id']}", {"name": "q", "description": ""}, format="json"
        ).json()
        assert empty["description"] == ""
        cleared = writer.put(f"/api/v1/queues/{created['id']}", {"name": "q"}, format="json").json()
        assert cleared["description"] is None

    def test_search_matches_description(self, as_actor, lab):
        queue = make_queue(lab, description="Runs on the big cluster")
        make_queue(lab, description="small")
        ids = [
            row["id"]
            for row in as_actor("reader").get("/api/v1/queues", {"search": "BIG"}).json()["data"]
        ]
        assert ids == [queue.pk]


@pytest.mark.django_db
class TestQueueServices:
    def test_each_change_writes_exactly_one_history_record_with_its_user(self, lab):
        alice, bob = make_user("alice"), make_user("bob")
        queue = queue_create(user=alice, group=lab, name="q")
        queue_update(user=bob, queue=queue, name="q2", description="d")
        queue_delete(user=alice, queue=queue)
        records = list(queue.history.order_by("history_id"))
        assert [(r.history_type, r.history_user, r.name) for r in records] == [
            ("+", alice, "q"),
            ("~", bob, "q2"),
            ("~", alice, "q2"),
        ]
        assert records[-1].deleted_on is not None


@pytest.mark.django_db
def test_queue_snapshots_list_every_version_oldest_first(as_actor, lab):
    client = as_actor("writer")
    queue = client.post("/api/v1/queues", {"group": lab.pk, "name": "q"}, format="json").json()
    client.put(f"/api/v1/queues/{queue['id']}", {"name": "q2"}, format="json")
    body = client.get(f"/api/v1/queues/{queue['id']}/snapshots").json()
    assert [s["name"] for s in body["data"]] == ["q", "q2"]
    assert [s["latestSnapshot"] for s in body["data"]] == [False, True]
    first = body["data"][0]["snapshot"]
    one = client.get(f"/api/v1/queues/{queue['id']}/snapshots/{first}")
    assert one.status_code == 200 and one.json()["name"] == "q"
    assert as_actor("outsider").get(f"/api/v1/queues/{queue['id']}/snapshots").status_code == 404
