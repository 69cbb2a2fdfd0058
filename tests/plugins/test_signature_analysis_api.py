"""``POST /api/v1/workflows/pluginTaskSignatureAnalysis``: Dioptra's shape, bad code, limits."""

import pytest

from plugins_app.validators import MAX_SOURCE_CHARS
from tests.api.matrix import ACTORS

URL = "/api/v1/workflows/pluginTaskSignatureAnalysis"

HELLO = """\
from dioptra import pyplugs


@pyplugs.register
def hello_world(greeting: str, name: str) -> str:
    return f"{greeting}, {name}!"


def helper(x):
    return x
"""


class TestSignatureAnalysisAPI:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_any_signed_in_user_may_analyse(self, actor, as_actor):
        response = as_actor(actor).post(URL, {"pythonCode": HELLO}, format="json")
        assert response.status_code == (401 if actor == "anonymous" else 200)

    def test_response_shape_is_dioptras(self, as_actor):
        body = as_actor("reader").post(URL, {"pythonCode": HELLO}, format="json").json()
        assert body == {
            "tasks": [
                {
                    "name": "hello_world",
                    "inputs": [
                        {"name": "greeting", "type": "string", "required": True},
                        {"name": "name", "type": "string", "required": True},
                    ],
                    "outputs": [{"name": "output", "type": "string"}],
                    "missing_types": [],
                }
            ]
        }

    def test_missing_types_are_suggested(self, as_actor):
        code = "def predict(model: Model, data: list[float] = ()) -> dict[str, float]: ...\n"
        [task] = (
            as_actor("reader").post(URL + "/", {"pythonCode": code}, format="json").json()["tasks"]
        )
        assert [(i["type"], i["required"]) for i in task["inputs"]] == [
            ("model", True),
            ("list_float", False),
        ]
        assert task["missing_types"] == [
            {"name": "model", "description": "Model", "structure": None},
            {"name": "list_float", "description": "list[float]", "structure": {"list": "number"}},
            {
                "name": "dict_str_float",
                "description": "dict[str, float]",
                "structure": {"mapping": ["string", "number"]},
            },
        ]

    @pytest.mark.parametrize(
        "code, line",
        [
            ("def f(:\n    pass\n", 1),
            ("x = 1\n\ndef f():\nreturn 1\n", 4),
            ("def f():\n    return (\n", 2),
        ],
    )
    def test_code_that_does_not_parse_is_400_with_the_line(self, code, line, as_actor):
        response = as_actor("reader").post(URL, {"pythonCode": code}, format="json")
        assert response.status_code == 400
        assert response.json()["pythonCode"][0].startswith(f"Line {line}, column ")

    @pytest.mark.parametrize("code", ["a\x00b", "(" * 1000, "x = " + "-" * 100_000 + "1"])
    def test_hostile_code_is_400_never_500(self, code, as_actor):
        response = as_actor("reader").post(URL, {"pythonCode": code}, format="json")
        assert response.status_code == 400
        assert "pythonCode" in response.json()

    def test_the_code_is_never_run(self, as_actor, tmp_path):
        marker = tmp_path / "ran"
        code = (
            f"open({str(marker)!r}, 'w').write('x')\n"
            "raise SystemExit(1)\n\ndef task(a: int) -> int: ...\n"
        )
        response = as_actor("reader").post(URL, {"pythonCode": code}, format="json")
        assert response.status_code == 200 and response.json()["tasks"][0]["name"] == "task"
        assert not marker.exists()

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"pythonCode": None},
            {"pythonCode": 5},
            {"pythonCode": ["x"]},
            {"pythonCode": "", "filename": "x.py"},
            [],
            "code",
        ],
    )
    def test_malformed_bodies_are_400(self, body, as_actor):
        assert as_actor("reader").post(URL, body, format="json").status_code == 400

    def test_code_over_the_cap_is_413(self, as_actor):
        response = as_actor("reader").post(
            URL, {"pythonCode": "#" * (MAX_SOURCE_CHARS + 1)}, format="json"
        )
        assert response.status_code == 413
        assert "pythonCode" in response.json()

    def test_empty_code_has_no_tasks(self, as_actor):
        assert as_actor("reader").post(URL, {"pythonCode": ""}, format="json").json() == {
            "tasks": []
        }
