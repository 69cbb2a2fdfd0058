"""``/api/v1/pluginParameterTypes``: permission matrix, contract, builtins, structures, history."""

import pytest

from entrypoints.taskgraph import BUILTIN_TYPE_NAMES
from plugins_app import services
from plugins_app.models import PluginParameterType
from tests.api.matrix import ACTORS, WRITE
from tests.api.mixins import (
    GroupOwnedAPITests,
    ResourceTagsAPITests,
    unique_name,
)
from tests.api.shapes import RESOURCE_FIELDS
from tests.factories import make_group
from tests.plugins.factories import builtin, function_task, make_file, make_plugin, make_type

URL = "/api/v1/pluginParameterTypes"


class TestParameterTypeAPI(GroupOwnedAPITests, ResourceTagsAPITests):
    list_url = URL
    model = PluginParameterType
    # The paging count, the page (group and creator joined), its tags (with their groups).
    list_queries = 3
    # The type (group and creator joined), its tags (with their groups).
    detail_queries = 2

    def make_object(self, group, name=None):
        return make_type(group, name)

    def create_payload(self, group) -> dict:
        return {
            "group": group.pk,
            "name": unique_name("type"),
            "description": "",
            "structure": {"list": "string"},
        }

    def update_payload(self, obj) -> dict:
        return {"name": unique_name("renamed"), "structure": {"list": "number"}}


def history(param_type) -> list:
    return list(param_type.history.order_by("history_id"))


def post(client, group, **fields):
    return client.post(
        URL, {"group": group.pk, "name": unique_name("type"), **fields}, format="json"
    )


class TestContract:
    """Field names, null versus empty texts."""

    def test_read_shape(self, as_actor, lab):
        param_type = make_type(lab, "image", structure={"list": "number"})
        body = as_actor("reader").get(f"{URL}/{param_type.pk}").json()
        assert list(body) == [*RESOURCE_FIELDS, "name", "description", "structure"]
        assert body["structure"] == {"list": "number"}
        assert (
            body["description"] is None
            and body["hasDraft"] is False
            and body["latestSnapshot"] is True
        )
        assert body["group"] == {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"}

    @pytest.mark.parametrize("description", ["", "  spaced\r\nlines  \n", None])
    def test_description_is_stored_exactly_as_sent(self, description, as_actor, lab):
        response = post(as_actor("writer"), lab, description=description)
        assert response.status_code == 200
        assert response.json()["description"] == description
        assert PluginParameterType.objects.get(pk=response.json()["id"]).description == description

    def test_omitted_fields_are_null_on_put(self, as_actor, lab):
        param_type = make_type(lab, structure={"list": "string"})
        param_type.description = "old"
        param_type.save()
        body = (
            as_actor("writer")
            .put(f"{URL}/{param_type.pk}", {"name": param_type.name}, format="json")
            .json()
        )
        assert body["description"] is None and body["structure"] is None


class TestBuiltinTypes:
    """The builtin types: in every group, read-only, names reserved."""

    def test_every_group_has_the_builtin_types(self, as_actor):
        group = make_group("fresh")
        names = set(
            PluginParameterType.objects.filter(group=group, is_builtin=True).values_list(
                "name", flat=True
            )
        )
        assert names == set(BUILTIN_TYPE_NAMES)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_builtin_types_are_read_only(self, actor, as_actor, lab):
        string = builtin(lab)
        expected = {**WRITE, "writer": 403, "manager": 403, "superuser": 403}[actor]
        client = as_actor(actor)
        assert (
            client.put(f"{URL}/{string.pk}", {"name": "text"}, format="json").status_code
            == expected
        )
        assert client.delete(f"{URL}/{string.pk}").status_code == expected
        string.refresh_from_db()
        assert string.name == "string" and string.deleted_on is None and len(history(string)) == 1

    @pytest.mark.parametrize("name", ["string", "String", "ANY", "null"])
    def test_builtin_names_cannot_be_taken(self, name, as_actor, lab):
        response = post(as_actor("writer"), lab, name=name)
        assert response.status_code == 400
        assert "name" in response.json()
        other = make_type(lab)
        assert (
            as_actor("writer").put(f"{URL}/{other.pk}", {"name": name}, format="json").status_code
            == 400
        )


def deeply_nested(depth: int) -> dict:
    structure = "string"
    for _ in range(depth):
        structure = {"list": structure}
    return structure


class TestStructures:
    """Type definitions (spec section 2): valid, invalid, cycles, dependents."""

    @pytest.mark.parametrize(
        "structure",
        [
            {"is_a": "string"},
            {"list": "integer"},
            {"tuple": ["string", {"list": "number"}]},
            {"mapping": {"training": "any", "testing": {"list": "number"}}},
            {"mapping": ["integer", "string"]},
            {"union": ["string", "null", {"mapping": ["string", "number"]}]},
        ],
    )
    def test_valid_structures(self, structure, as_actor, lab):
        response = post(as_actor("writer"), lab, structure=structure)
        assert response.status_code == 200, response.content
        assert response.json()["structure"] == structure

    @pytest.mark.parametrize(
        "structure",
        [
            "string",
            ["list", "string"],
            {},
            {"list": "string", "tuple": ["string"]},
            {"array": "string"},
            {"list": "no_such_type"},
            {"list": 5},
            {"tuple": "string"},
            {"union": []},
            {"union": "string"},
            {"mapping": ["number", "string"]},
            {"mapping": ["string"]},
            {"mapping": "string"},
            {"is_a": {"list": "string"}},
            {"is_a": "pair"},
            {"list": {"list": "nope", "tuple": []}},
            deeply_nested(40),
        ],
    )
    def test_bad_structures_are_400_and_create_nothing(self, structure, as_actor, lab):
        make_type(lab, "pair", structure={"tuple": ["string", "string"]})
        before = PluginParameterType.objects.count()
        response = post(as_actor("writer"), lab, structure=structure)
        assert response.status_code == 400, response.content
        assert "structure" in response.json()
        assert PluginParameterType.objects.count() == before

    def test_structures_refer_only_to_types_of_their_group(self, as_actor, lab):
        make_type(make_group("elsewhere"), "remote")
        response = post(as_actor("writer"), lab, structure={"list": "remote"})
        assert response.status_code == 400
        assert "remote" in response.json()["structure"][0]

    def test_reference_cycles_are_refused(self, as_actor, lab):
        writer = as_actor("writer")
        assert post(writer, lab, name="tree", structure={"list": "tree"}).status_code == 400
        first = make_type(lab, "first")
        make_type(lab, "second", structure={"list": "first"})
        response = writer.put(
            f"{URL}/{first.pk}",
            {"name": "first", "structure": {"tuple": ["second"]}},
            format="json",
        )
        assert response.status_code == 400
        assert "first > second > first" in response.json()["structure"][0]
        assert len(history(first)) == 1

    def test_a_type_cannot_stop_being_simple_while_others_subtype_it(self, as_actor, lab):
        base = make_type(lab, "base")
        make_type(lab, "derived", structure={"is_a": "base"})
        response = as_actor("writer").put(
            f"{URL}/{base.pk}", {"name": "base", "structure": {"list": "string"}}, format="json"
        )
        assert response.status_code == 400
        assert "derived" in response.json()["structure"][0]

    def test_types_in_use_cannot_be_renamed_away_or_deleted(self, as_actor, lab):
        writer = as_actor("writer")
        used_by_type = make_type(lab, "point")
        make_type(lab, "points", structure={"list": "point"})
        used_by_file = make_type(lab, "model")
        plugin = make_plugin(lab)
        make_file(
            plugin,
            "tasks.py",
            tasks={"functions": [function_task("train", outputs=[("m", used_by_file)])]},
        )

        assert (
            writer.put(f"{URL}/{used_by_type.pk}", {"name": "dot"}, format="json").status_code
            == 409
        )
        assert writer.delete(f"{URL}/{used_by_type.pk}").status_code == 409
        response = writer.delete(f"{URL}/{used_by_file.pk}")
        assert response.status_code == 409
        assert "tasks.py" in response.json()["detail"]
        # Renaming a type tasks use is fine: tasks refer to types by id.
        assert (
            writer.put(f"{URL}/{used_by_file.pk}", {"name": "network"}, format="json").status_code
            == 200
        )
        # Once the plugin is gone, the type is free to go.
        services.plugin_delete(user=None, plugin=plugin)
        assert writer.delete(f"{URL}/{used_by_file.pk}").status_code == 200

    def test_names_may_not_contain_dots(self, as_actor, lab):
        response = post(as_actor("writer"), lab, name="np.ndarray")
        assert response.status_code == 400 and "name" in response.json()


class TestHistory:
    """One snapshot per change; snapshots read as they were."""

    def test_each_change_is_one_snapshot_and_snapshots_read_as_they_were(self, as_actor, lab):
        writer = as_actor("writer")
        created = post(writer, lab, name="image", structure={"list": "number"}).json()
        url = f"{URL}/{created['id']}"
        writer.put(url, {"name": "picture", "description": "A picture."}, format="json")
        writer.post(f"{url}/tags", {"ids": []}, format="json")  # tags are not versioned

        page = writer.get(f"{url}/snapshots").json()
        assert page["totalNumResults"] == 2
        first, second = page["data"]
        assert (first["name"], first["structure"], first["latestSnapshot"]) == (
            "image",
            {"list": "number"},
            False,
        )
        assert (second["name"], second["description"], second["latestSnapshot"]) == (
            "picture",
            "A picture.",
            True,
        )
        assert first["snapshot"] == created["snapshot"] < second["snapshot"]
        assert writer.get(url)["ETag"] == f'"{second["snapshot"]}"'

        one = writer.get(f"{url}/snapshots/{first['snapshot']}")
        assert one.status_code == 200 and one.json() == first
        assert writer.get(f"{url}/snapshots/{first['snapshot']}/").status_code == 200

    @pytest.mark.parametrize("actor", ACTORS)
    def test_snapshots_permission_matrix(self, actor, as_actor, lab):
        param_type = make_type(lab)
        record = param_type.history.get()
        expected = {"anonymous": 401, "outsider": 404}.get(actor, 200)
        client = as_actor(actor)
        assert client.get(f"{URL}/{param_type.pk}/snapshots").status_code == expected
        assert (
            client.get(f"{URL}/{param_type.pk}/snapshots/{record.history_id}").status_code
            == expected
        )

    def test_snapshot_of_another_type_is_404(self, as_actor, lab):
        one, other = make_type(lab), make_type(lab)
        other_record = other.history.get()
        assert (
            as_actor("reader")
            .get(f"{URL}/{one.pk}/snapshots/{other_record.history_id}")
            .status_code
            == 404
        )

    def test_snapshot_list_query_count_does_not_grow(
        self, as_actor, lab, django_assert_max_num_queries
    ):
        param_type = make_type(lab)
        for index in range(5):
            services.parameter_type_update(user=None, param_type=param_type, name=f"v{index}")
        client = as_actor("reader")
        with django_assert_max_num_queries(8):
            assert (
                len(
                    client.get(f"{URL}/{param_type.pk}/snapshots", {"pageLength": 100}).json()[
                        "data"
                    ]
                )
                == 6
            )
