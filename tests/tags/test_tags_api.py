"""``/api/v1/tags``: the shared matrix (tags are not versioned) plus tag specifics."""

import pytest

from core.related import related_add
from jobs.services import queue_create
from tags.models import Tag
from tags.services import tag_create, tag_delete, tag_update
from tests.api.mixins import GroupOwnedAPITests, unique_name
from tests.factories import make_user


class TestTagAPI(GroupOwnedAPITests):
    list_url = "/api/v1/tags"
    model = Tag
    # The paging count, the page (group and creator joined).
    list_queries = 2
    # The tag (group and creator joined).
    detail_queries = 1
    versioned = False

    def make_object(self, group, name=None):
        return tag_create(user=None, group=group, name=name or unique_name("tag"))

    def create_payload(self, group):
        return {"group": group.pk, "name": unique_name("tag")}

    def update_payload(self, obj):
        return {"name": obj.name + "_renamed"}


@pytest.mark.django_db
class TestTagSpecifics:
    def test_read_shape_is_dioptras_and_has_no_etag(self, as_actor, lab):
        tag = tag_create(user=None, group=lab, name="vision")
        response = as_actor("reader").get(f"/api/v1/tags/{tag.pk}")
        assert set(response.json()) == {
            "id",
            "group",
            "user",
            "createdOn",
            "lastModifiedOn",
            "name",
        }
        assert "ETag" not in response

    def test_description_is_not_a_tag_field(self, as_actor, lab):
        response = as_actor("writer").post(
            "/api/v1/tags", {"group": lab.pk, "name": "x", "description": "no"}, format="json"
        )
        assert response.status_code == 400
        assert "description" in response.json()

    def test_history_records_each_change_once_with_its_user(self, lab):
        alice = make_user("alice")
        tag = tag_create(user=alice, group=lab, name="a")
        tag_update(user=alice, tag=tag, name="b")
        tag_delete(user=alice, tag=tag)
        assert [
            (r.history_type, r.name, r.history_user) for r in tag.history.order_by("history_id")
        ] == [("+", "a", alice), ("~", "b", alice), ("~", "b", alice)]

    def test_deleting_a_tag_takes_it_off_every_resource(self, lab):
        tag, kept = (
            tag_create(user=None, group=lab, name="a"),
            tag_create(user=None, group=lab, name="b"),
        )
        queue = queue_create(user=None, group=lab, name="q")
        related_add(
            user=make_user("root", superuser=True),
            resource=queue,
            relation="tags",
            ids=[tag.pk, kept.pk],
        )
        tag_delete(user=None, tag=tag)
        assert list(queue.tags.all()) == [kept]
