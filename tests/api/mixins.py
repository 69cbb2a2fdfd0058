"""Reusable API test matrices (NetBox style): subclass, set the hooks, get the tests.

A test class such as ``class TestQueueAPI(GroupOwnedAPITests)`` sets ``list_url`` and implements
``make_object``, ``create_payload`` and ``update_payload``; every test below then runs against
that resource. Resources live in the group ``lab`` of the ``actors`` fixture, so the permission
tables of ``tests.api.matrix`` apply unchanged. ``ResourceTagsAPITests`` does the same for a
resource's ``/{id}/tags`` sub-collection; ``PinnedQueryCountTests`` (part of
``GroupOwnedAPITests``, usable alone for users and groups) pins a list's and a detail's queries.
"""

import itertools

import pytest

from tests.api.matrix import ACTORS, CREATE, LIST, READ, WRITE
from tests.factories import make_group

_names = itertools.count(1)


def unique_name(prefix: str = "obj") -> str:
    """A name no other test object uses (names are unique per group)."""
    return f"{prefix}_{next(_names)}"


def ids_of(response) -> list[int]:
    return [row["id"] for row in response.json()["data"]]


def make_tag(group, name=None):
    from tags.services import tag_create

    return tag_create(user=None, group=group, name=name or unique_name("tag"))


@pytest.mark.django_db
class PinnedQueryCountTests:
    """The exact number of queries of a list page (whatever its length) and of a detail.

    Hooks: ``list_url``; ``detail_url(obj)``; ``make_rich_object(group)`` an object of ``group``
    with every relation its body shows; ``list_queries`` and ``detail_queries``, each with a
    comment naming its queries. ``reader`` asks, authenticated without a session (no query).
    """

    list_url = ""
    list_queries: int
    detail_queries: int

    def make_rich_object(self, group):
        raise NotImplementedError

    def detail_url(self, obj) -> str:
        return f"{self.list_url}/{obj.pk}"

    def test_list_query_count_is_pinned(self, as_actor, lab, django_assert_num_queries):
        for _ in range(4):
            self.make_rich_object(lab)
        client = as_actor("reader")
        for page_length in (1, 4):
            with django_assert_num_queries(self.list_queries):
                response = client.get(self.list_url, {"pageLength": page_length})
            assert response.status_code == 200, response.content
            assert len(response.json()["data"]) == page_length

    def test_detail_query_count_is_pinned(self, as_actor, lab, django_assert_num_queries):
        obj = self.make_rich_object(lab)
        client = as_actor("reader")
        with django_assert_num_queries(self.detail_queries):
            response = client.get(self.detail_url(obj))
        assert response.status_code == 200, response.content


@pytest.mark.django_db
class GroupOwnedAPITests(PinnedQueryCountTests):
    """Collection ``list_url`` and detail ``detail_url(obj)`` of a group-owned resource.

    Hooks: ``list_url``; ``model``; ``versioned`` (snapshot, ETag, If-Match); ``name_field``;
    ``make_object(group, name=None)`` creates a live object (any unique name when ``None``);
    ``create_payload(group)`` a valid create body (with a fresh name); ``update_payload(obj)`` a
    valid PUT body that changes ``name_field``; ``list_queries`` and ``detail_queries`` (see
    ``PinnedQueryCountTests``; ``make_rich_object`` adds a tag to taggable resources).
    """

    list_url = ""
    model = None
    versioned = True
    name_field = "name"

    def make_object(self, group, name=None):
        raise NotImplementedError

    def create_payload(self, group) -> dict:
        raise NotImplementedError

    def update_payload(self, obj) -> dict:
        raise NotImplementedError

    def make_rich_object(self, group):
        obj = self.make_object(group)
        if hasattr(obj, "tags"):
            obj.tags.add(make_tag(group))
        return obj

    def reload(self, obj):
        return type(obj).objects.get(pk=obj.pk)

    def list_ids(self, client, **query) -> list[int]:
        response = client.get(self.list_url, {"pageLength": 1000, **query})
        assert response.status_code == 200, response.content
        return ids_of(response)

    def history_count(self, obj) -> int | None:
        history = getattr(type(obj), "history", None)
        return None if history is None else history.filter(id=obj.pk).count()

    # Permission matrix ---------------------------------------------------------------------

    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        response = as_actor(actor).get(self.list_url, {"pageLength": 1000})
        assert response.status_code == LIST[actor]
        if response.status_code == 200:
            assert (obj.pk in ids_of(response)) == (READ[actor] == 200)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_retrieve(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        response = as_actor(actor).get(self.detail_url(obj))
        assert response.status_code == READ[actor]
        if response.status_code == 200:
            body = response.json()
            assert body["id"] == obj.pk
            assert body["group"]["id"] == lab.pk
            if self.versioned:
                assert response["ETag"] == f'"{body["snapshot"]}"'

    @pytest.mark.parametrize("actor", ACTORS)
    def test_create(self, actor, actors, as_actor, lab):
        payload = self.create_payload(lab)
        response = as_actor(actor).post(self.list_url, payload, format="json")
        assert response.status_code == CREATE[actor], response.content
        if response.status_code != 200:
            return
        body = response.json()
        assert body[self.name_field] == payload[self.name_field]
        assert body["group"]["id"] == lab.pk
        assert body["user"]["id"] == actors[actor].pk
        obj = self.model.objects.get(pk=body["id"])
        assert self.history_count(obj) in (None, 1)
        if self.history_count(obj):
            assert obj.history.get().history_user == actors[actor]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_update(self, actor, actors, as_actor, lab):
        obj = self.make_object(lab)
        before = self.history_count(obj)
        payload = self.update_payload(obj)
        response = as_actor(actor).put(self.detail_url(obj), payload, format="json")
        assert response.status_code == WRITE[actor], response.content
        changed = response.status_code == 200
        if changed:
            assert response.json()[self.name_field] == payload[self.name_field]
            assert getattr(self.reload(obj), self.name_field) == payload[self.name_field]
        if before is not None:
            assert self.history_count(obj) == before + changed
            if changed:
                assert obj.history.first().history_user == actors[actor]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_delete(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        response = as_actor(actor).delete(self.detail_url(obj))
        assert response.status_code == WRITE[actor]
        if response.status_code != 200:
            assert self.reload(obj).deleted_on is None
            return
        assert response.json() == {"id": [obj.pk], "status": "Success"}
        superuser = as_actor("superuser")
        assert superuser.get(self.detail_url(obj)).status_code == 404
        assert obj.pk not in self.list_ids(superuser)
        assert self.reload(obj).deleted_on is not None  # soft: the row and its history stay

    # Other groups, missing ids -----------------------------------------------------------------

    def test_objects_of_other_groups_are_not_found(self, as_actor):
        obj = self.make_object(make_group("elsewhere"))
        writer = as_actor("writer")
        assert writer.get(self.detail_url(obj)).status_code == 404
        assert (
            writer.put(self.detail_url(obj), self.update_payload(obj), format="json").status_code
            == 404
        )
        assert writer.delete(self.detail_url(obj)).status_code == 404
        assert obj.pk not in self.list_ids(writer)

    def test_missing_id_is_not_found(self, as_actor):
        assert as_actor("superuser").get(f"{self.list_url}/987654321").status_code == 404

    # Names -------------------------------------------------------------------------------------

    def test_duplicate_name_in_group_is_a_conflict(self, as_actor, lab):
        existing = self.make_object(lab)
        other = self.make_object(lab)
        writer = as_actor("writer")
        payload = {**self.create_payload(lab), self.name_field: getattr(existing, self.name_field)}
        assert writer.post(self.list_url, payload, format="json").status_code == 409
        rename = {**self.update_payload(other), self.name_field: getattr(existing, self.name_field)}
        assert writer.put(self.detail_url(other), rename, format="json").status_code == 409

    def test_name_is_free_in_other_groups_and_after_delete(self, as_actor, lab):
        existing = self.make_object(make_group("elsewhere"))
        writer = as_actor("writer")
        payload = {**self.create_payload(lab), self.name_field: getattr(existing, self.name_field)}
        first = writer.post(self.list_url, payload, format="json")
        assert first.status_code == 200
        assert writer.delete(f"{self.list_url}/{first.json()['id']}").status_code == 200
        assert writer.post(self.list_url, payload, format="json").status_code == 200

    @pytest.mark.parametrize("name", ["", "   ", " padded", "padded\n"])
    def test_blank_or_padded_name_is_refused(self, name, as_actor, lab):
        writer = as_actor("writer")
        response = writer.post(
            self.list_url, {**self.create_payload(lab), self.name_field: name}, format="json"
        )
        assert response.status_code == 400
        assert self.name_field in response.json()

    # Body checks ---------------------------------------------------------------------------

    def test_unknown_fields_are_refused(self, as_actor, lab):
        writer = as_actor("writer")
        response = writer.post(
            self.list_url, {**self.create_payload(lab), "bogusField": 1}, format="json"
        )
        assert response.status_code == 400
        assert "bogusField" in response.json()
        obj = self.make_object(lab)
        response = writer.put(
            self.detail_url(obj), {**self.update_payload(obj), "id": 7}, format="json"
        )
        assert response.status_code == 400
        assert "id" in response.json()

    @pytest.mark.parametrize("body", [[], "text", {"group": True}, {"group": "x"}])
    def test_malformed_bodies_are_400(self, body, as_actor):
        assert as_actor("writer").post(self.list_url, body, format="json").status_code == 400

    # Versioning ------------------------------------------------------------------------------

    def test_stale_if_match_is_refused(self, as_actor, lab):
        if not self.versioned:
            pytest.skip("not versioned")
        obj = self.make_object(lab)
        writer = as_actor("writer")
        first = writer.get(self.detail_url(obj))
        etag = first["ETag"]
        ok = writer.put(
            self.detail_url(obj), self.update_payload(obj), format="json", HTTP_IF_MATCH=etag
        )
        assert ok.status_code == 200
        assert ok["ETag"] != etag and ok.json()["snapshot"] != first.json()["snapshot"]
        stale = writer.put(
            self.detail_url(obj), self.update_payload(obj), format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        assert writer.delete(self.detail_url(obj), HTTP_IF_MATCH=etag).status_code == 412
        assert writer.delete(self.detail_url(obj), HTTP_IF_MATCH="*").status_code == 200

    # Lists -----------------------------------------------------------------------------------

    def test_paging_envelope_and_links(self, as_actor, lab):
        for _ in range(3):
            self.make_object(lab)
        client = as_actor("superuser")
        everything = self.list_ids(client)
        url, seen, index = self.list_url + "?pageLength=2", [], 0
        while url:
            body = client.get(url).json()
            assert set(body) >= {"index", "isComplete", "totalNumResults", "first", "data"}
            assert body["index"] == index and body["totalNumResults"] == len(everything)
            assert body["first"].startswith("http://testserver/")
            assert ("prev" in body) == (index > 0)
            assert body["isComplete"] == ("next" not in body)
            seen += [row["id"] for row in body["data"]]
            url, index = body.get("next"), index + 2
        assert seen == everything

    @pytest.mark.parametrize(
        "query",
        [
            {"pageLength": 1001},
            {"pageLength": 0},
            {"index": -1},
            {"pageLength": "ten"},
            {"descending": "maybe"},
        ],
    )
    def test_bad_paging_or_sort_query_is_400(self, query, as_actor):
        assert as_actor("superuser").get(self.list_url, query).status_code == 400

    def test_search(self, as_actor, lab):
        match = self.make_object(lab, name=unique_name("zebra"))
        other = self.make_object(lab, name=unique_name("okapi"))
        client = as_actor("reader")
        name = getattr(match, self.name_field)
        for search in ["ZEBRA", f"{self.name_field}:zeb*", f"{self.name_field}:{name[:-1]}?"]:
            found = self.list_ids(client, search=search)
            assert match.pk in found and other.pk not in found, search
        response = client.get(self.list_url, {"search": "noSuchField:x"})
        assert response.status_code == 422
        assert "noSuchField" in response.json()["detail"]

    @pytest.mark.parametrize("descending", [None, "true", "True", "1", "false", "False", "0"])
    def test_sort(self, descending, as_actor, lab):
        made = [self.make_object(lab, name=unique_name(f"sort{letter}")) for letter in "bca"]
        expected = [obj.pk for obj in sorted(made, key=lambda obj: getattr(obj, self.name_field))]
        if descending in ("true", "True", "1"):
            expected.reverse()
        query = {"sortBy": self.name_field, "search": f"{self.name_field}:sort*", "groupId": lab.pk}
        if descending is not None:
            query["descending"] = descending
        assert self.list_ids(as_actor("reader"), **query) == expected

    def test_unknown_sort_field_is_422(self, as_actor):
        assert as_actor("reader").get(self.list_url, {"sortBy": "noSuchField"}).status_code == 422

    def test_group_id_filter(self, as_actor, lab):
        mine = self.make_object(lab)
        theirs = self.make_object(make_group("elsewhere"))
        client = as_actor("superuser")
        found = self.list_ids(client, groupId=lab.pk)
        assert mine.pk in found and theirs.pk not in found

    def test_paths_work_with_and_without_trailing_slash(self, as_actor, lab):
        obj = self.make_object(lab)
        client = as_actor("reader")
        for url in (
            self.list_url,
            self.list_url + "/",
            self.detail_url(obj),
            self.detail_url(obj) + "/",
        ):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
class ResourceTagsAPITests:
    """``{detail_url(obj)}/tags``: Dioptra's tags sub-collection of a taggable resource.

    Hooks: ``detail_url(obj)`` and ``make_object(group, name=None)`` as for ``GroupOwnedAPITests``.
    """

    def make_object(self, group, name=None):
        raise NotImplementedError

    def tags_url(self, obj) -> str:
        return f"{self.detail_url(obj)}/tags"

    def tag_ids(self, obj) -> set[int]:
        return set(obj.tags.values_list("pk", flat=True))

    @pytest.mark.parametrize("actor", ACTORS)
    def test_get_tags(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        tag = make_tag(lab)
        obj.tags.add(tag)
        response = as_actor(actor).get(self.tags_url(obj))
        assert response.status_code == READ[actor]
        if response.status_code == 200:
            assert [row["id"] for row in response.json()] == [tag.pk]
            assert set(response.json()[0]) == {"id", "name", "group", "url"}

    @pytest.mark.parametrize("method", ["post", "put"])
    @pytest.mark.parametrize("actor", ACTORS)
    def test_add_or_replace_tags(self, actor, method, as_actor, lab):
        obj = self.make_object(lab)
        kept, new = make_tag(lab), make_tag(lab)
        obj.tags.add(kept)
        response = getattr(as_actor(actor), method)(
            self.tags_url(obj), {"ids": [new.pk]}, format="json"
        )
        assert response.status_code == WRITE[actor]
        if response.status_code != 200:
            assert self.tag_ids(obj) == {kept.pk}
            return
        expected = {kept.pk, new.pk} if method == "post" else {new.pk}
        assert {row["id"] for row in response.json()} == expected == self.tag_ids(obj)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_remove_one_tag(self, actor, as_actor, lab):
        obj = self.make_object(lab)
        gone, kept = make_tag(lab), make_tag(lab)
        obj.tags.add(gone, kept)
        response = as_actor(actor).delete(f"{self.tags_url(obj)}/{gone.pk}")
        assert response.status_code == WRITE[actor]
        if response.status_code == 200:
            assert response.json() == {"id": [gone.pk], "status": "Success"}
            assert self.tag_ids(obj) == {kept.pk}

    def test_remove_all_tags(self, as_actor, lab):
        obj = self.make_object(lab)
        tags = [make_tag(lab), make_tag(lab)]
        obj.tags.add(*tags)
        response = as_actor("writer").delete(self.tags_url(obj))
        assert response.status_code == 200
        assert sorted(response.json()["id"]) == sorted(tag.pk for tag in tags)
        assert self.tag_ids(obj) == set()

    def test_removing_a_tag_the_resource_lacks_is_404(self, as_actor, lab):
        obj = self.make_object(lab)
        assert (
            as_actor("writer").delete(f"{self.tags_url(obj)}/{make_tag(lab).pk}").status_code == 404
        )

    def test_invisible_or_foreign_tag_ids_are_400_naming_ids(self, as_actor, lab):
        obj = self.make_object(lab)
        invisible = make_tag(make_group("elsewhere"))
        foreign = make_tag(make_group("public"))  # visible to everyone, but not obj's group
        writer = as_actor("writer")
        for ids in ([invisible.pk], [foreign.pk], [987654321]):
            response = writer.post(self.tags_url(obj), {"ids": ids}, format="json")
            assert response.status_code == 400
            assert "ids" in response.json()
        assert self.tag_ids(obj) == set()

    @pytest.mark.parametrize("body", [{}, {"ids": "1"}, {"ids": [True]}, {"ids": [1], "extra": 1}])
    def test_malformed_ids_are_400(self, body, as_actor, lab):
        obj = self.make_object(lab)
        assert as_actor("writer").put(self.tags_url(obj), body, format="json").status_code == 400

    def test_deleted_tags_leave_the_resource(self, as_actor, lab):
        obj = self.make_object(lab)
        tag = make_tag(lab)
        obj.tags.add(tag)
        assert as_actor("writer").delete(f"/api/v1/tags/{tag.pk}").status_code == 200
        assert as_actor("reader").get(self.tags_url(obj)).json() == []

    def test_tag_changes_do_not_version_the_resource(self, as_actor, lab):
        obj = self.make_object(lab)
        history = getattr(type(obj), "history", None)
        before = history.filter(id=obj.pk).count() if history else 0
        as_actor("writer").post(self.tags_url(obj), {"ids": [make_tag(lab).pk]}, format="json")
        assert (history.filter(id=obj.pk).count() if history else 0) == before

    def test_tags_paths_work_with_and_without_trailing_slash(self, as_actor, lab):
        obj = self.make_object(lab)
        tag = make_tag(lab)
        writer = as_actor("writer")
        assert writer.get(self.tags_url(obj) + "/").status_code == 200
        assert (
            writer.post(self.tags_url(obj) + "/", {"ids": [tag.pk]}, format="json").status_code
            == 200
        )
        assert writer.delete(f"{self.tags_url(obj)}/{tag.pk}/").status_code == 200
