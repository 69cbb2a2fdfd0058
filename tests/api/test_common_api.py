"""Shared API pieces as my endpoints use them: strict bodies, groupId lookups, the schema."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from core.api.serializers import UNKNOWN_FIELD, RejectUnknownFieldsMixin
from tests.factories import make_user


class Sample(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField()
    id = serializers.IntegerField(read_only=True)


@pytest.mark.parametrize(
    "data, errors",
    [
        ({"name": "x"}, {}),
        ({"name": "x", "other": 1, "id": 2}, {"id": [UNKNOWN_FIELD], "other": [UNKNOWN_FIELD]}),
    ],
)
def test_unknown_and_read_only_fields_are_named(data, errors):
    sample = Sample(data=data)
    assert sample.is_valid() == (not errors)
    assert sample.errors == errors


def test_non_object_bodies_still_get_drfs_error():
    sample = Sample(data=["name"])
    assert not sample.is_valid()
    assert "non_field_errors" in sample.errors


@pytest.mark.django_db
class TestListsWithoutGroups:
    def test_group_id_is_ignored_where_resources_have_no_group(self):
        client = APIClient()
        client.force_authenticate(make_user("alice"))
        response = client.get("/api/v1/users", {"groupId": 12345})
        assert response.status_code == 200
        assert [row["username"] for row in response.json()["data"]] == ["alice"]


@pytest.mark.django_db
def test_schema_describes_these_endpoints_without_errors():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/login/",
        "/api/v1/users/current/",
        "/api/v1/groups/{id}/members/",
        "/api/v1/queues/{id}/tags/",
        "/api/v1/tags/{id}/",
    ):
        assert path in paths, path
    create = paths["/api/v1/queues/"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert create["$ref"].endswith("QueueCreateRequest")
