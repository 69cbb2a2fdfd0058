"""``POST /api/v1/workflows/validateEntrypoint``: a proposed entrypoint judged, nothing stored."""

import pytest

from entrypoints.models import Entrypoint
from tests.api.matrix import ACTORS
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_hello_plugin,
)
from tests.factories import make_group
from tests.plugins.factories import builtin, make_file

URL = "/api/v1/workflows/validateEntrypoint"
# Validating needs only the read role; unknown groups are an invisible id in the body.
VALIDATE = {
    "anonymous": 401,
    "outsider": 400,
    "reader": 200,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}

pytestmark = pytest.mark.django_db


def latest(plugin) -> int:
    return plugin.history.latest("history_id").history_id


def dioptra_body(group, plugin) -> dict:
    """What Dioptra 1.1's ``workflows.validate_entrypoint`` sends: always these four keys."""
    return {
        "group": group.pk,
        "taskGraph": HELLO_GRAPH,
        "pluginSnapshots": [latest(plugin)],
        "parameters": HELLO_PARAMETERS,
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(actor, as_actor, lab):
    body = dioptra_body(lab, make_hello_plugin(lab))
    response = as_actor(actor).post(URL, body, format="json")
    assert response.status_code == VALIDATE[actor], response.content
    if response.status_code == 200:
        assert response.json() == {"schemaValid": True, "schemaIssues": []}
    elif response.status_code == 400:
        assert "group" in response.json()


def test_issues_are_the_engines_with_positions(as_actor, lab):
    plugin = make_hello_plugin(lab)
    body = {
        **dioptra_body(lab, plugin),
        "taskGraph": "message:\n  hello_wrld: [$greeting, $name]\n",
    }
    response = as_actor("reader").post(URL, body, format="json")
    assert response.status_code == 200
    result = response.json()
    assert result["schemaValid"] is False
    [issue] = result["schemaIssues"]
    assert issue["code"] == "E_UNKNOWN_TASK" and issue["type"] == "SEMANTIC"
    assert (issue["severity"], issue["source"], issue["line"], issue["column"]) == (
        "error",
        "taskGraph",
        2,
        3,
    )
    assert "hello_world" in issue["message"]  # did you mean


def test_warnings_alone_keep_it_valid(as_actor, lab):
    plugin = make_hello_plugin(lab)
    artifacts = make_artifact_plugin(lab)
    body = {
        **dioptra_body(lab, plugin),
        "artifactPluginSnapshots": [latest(artifacts)],
        "artifactGraph": "saved:\n  contents: message\n  task:\n    name: TextArtifact\n",
    }
    result = as_actor("reader").post(URL, body, format="json").json()
    assert result["schemaValid"] is True
    assert [i["code"] for i in result["schemaIssues"]] == ["W_CONTENTS_NOT_REFERENCE"]


def test_defaults_that_do_not_convert_are_issues_not_errors(as_actor, lab):
    body = {
        **dioptra_body(lab, make_hello_plugin(lab)),
        "parameters": [
            *HELLO_PARAMETERS,
            {"name": "n", "parameterType": "integer", "defaultValue": "many"},
        ],
    }
    response = as_actor("reader").post(URL, body, format="json")
    assert response.status_code == 200
    [issue] = response.json()["schemaIssues"]
    assert issue["code"] == "E_PARAM_DEFAULT_CONVERSION"
    assert (issue["source"], issue["path"]) == ("context", ["parameters", 2, "defaultValue"])


@pytest.mark.parametrize("key", ["artifacts", "artifactParameters"])
def test_artifact_parameters_under_either_name(key, as_actor, lab):
    string = builtin(lab, "string")
    body = {
        **dioptra_body(lab, make_hello_plugin(lab)),
        "taskGraph": "message:\n  hello_world: [$greeting, $previous.value]\n",
        key: [
            {"name": "previous", "outputParams": [{"name": "value", "parameterType": string.pk}]}
        ],
    }
    result = as_actor("reader").post(URL, body, format="json").json()
    assert result == {"schemaValid": True, "schemaIssues": []}


def test_broken_or_hostile_yaml_is_an_issue(as_actor, lab):
    for graph, code in (
        ("a: [", "E_YAML_SYNTAX"),
        ("a: !!python/name:os.system\n", "E_YAML_TAG"),
        ("a: &x 1\nb: *x\n", "E_YAML_ALIAS"),
    ):
        body = {"group": lab.pk, "taskGraph": graph}
        result = as_actor("reader").post(URL, body, format="json").json()
        assert result["schemaValid"] is False
        assert code in [i["code"] for i in result["schemaIssues"]]


def test_nothing_is_stored(as_actor, lab):
    as_actor("writer").post(URL, dioptra_body(lab, make_hello_plugin(lab)), format="json")
    assert not Entrypoint.objects.exists()


class TestMalformedRequests:
    def test_snapshots_of_invisible_or_other_groups_plugins_are_400(self, as_actor, lab):
        client = as_actor("reader")
        for group in (make_group("elsewhere"), make_group("public")):
            body = dioptra_body(lab, make_hello_plugin(group))
            response = client.post(URL, body, format="json")
            assert response.status_code == 400 and "pluginSnapshots" in response.json()
        body = {**dioptra_body(lab, make_hello_plugin(lab)), "pluginSnapshots": [987654]}
        assert client.post(URL, body, format="json").status_code == 400
        body = {
            **dioptra_body(lab, make_hello_plugin(lab)),
            "artifactPluginSnapshots": [latest(make_artifact_plugin(make_group("elsewhere")))],
        }
        response = client.post(URL, body, format="json")
        assert response.status_code == 400 and "artifactPluginSnapshots" in response.json()

    def test_two_snapshots_of_one_plugin_are_400(self, as_actor, lab):
        plugin = make_hello_plugin(lab)
        old = latest(plugin)
        make_file(plugin, "more.py")
        body = {**dioptra_body(lab, plugin), "pluginSnapshots": [old, latest(plugin)]}
        response = as_actor("reader").post(URL, body, format="json")
        assert response.status_code == 400 and "pluginSnapshots" in response.json()

    def test_an_older_snapshot_validates_as_it_was(self, as_actor, lab):
        plugin = make_hello_plugin(lab)
        old = latest(plugin)
        from plugins_app.services import plugin_file_update

        plugin_file_update(
            user=None, plugin_file=plugin.files.get(), filename="tasks.py", tasks={"functions": []}
        )
        client = as_actor("reader")
        assert (
            client.post(URL, dioptra_body(lab, plugin), format="json").json()["schemaValid"]
            is False
        )
        body = {**dioptra_body(lab, plugin), "pluginSnapshots": [old]}
        assert client.post(URL, body, format="json").json()["schemaValid"] is True

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"taskGraph": 3}, "taskGraph"),
            ({"group": "lab"}, "group"),
            ({"pluginSnapshots": "1"}, "pluginSnapshots"),
            ({"parameters": [{"name": "p", "parameterType": "complex"}]}, "parameters"),
            (
                {
                    "parameters": [
                        {"name": "p", "parameterType": "string"},
                        {"name": "p", "parameterType": "string"},
                    ]
                },
                "parameters",
            ),
            (
                {
                    "artifacts": [
                        {"name": "a", "outputParams": [{"name": "v", "parameterType": 987654}]}
                    ]
                },
                "artifacts",
            ),
            ({"bogus": True}, "bogus"),
        ],
    )
    def test_malformed_fields_are_400_naming_them(self, change, field, as_actor, lab):
        body = {**dioptra_body(lab, make_hello_plugin(lab)), **change}
        response = as_actor("reader").post(URL, body, format="json")
        assert response.status_code == 400 and field in response.json()

    def test_artifact_types_of_other_groups_are_400(self, as_actor, lab):
        string = builtin(make_group("public"), "string")
        body = {
            **dioptra_body(lab, make_hello_plugin(lab)),
            "artifacts": [
                {"name": "a", "outputParams": [{"name": "v", "parameterType": string.pk}]}
            ],
        }
        response = as_actor("reader").post(URL, body, format="json")
        assert response.status_code == 400 and "artifacts" in response.json()

    def test_missing_required_fields_and_bad_json(self, as_actor, lab):
        client = as_actor("reader")
        response = client.post(URL, {"group": lab.pk}, format="json")
        assert response.status_code == 400 and "taskGraph" in response.json()
        assert client.post(URL, data="{", content_type="application/json").status_code == 400
