"""Signature analysis of Python source (``plugins_app.signatures``), without Django."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins_app.signatures import SourceError, analyse_tasks


def names(source: str) -> list[str]:
    return [task["name"] for task in analyse_tasks(source)]


def only(source: str) -> dict:
    [task] = analyse_tasks(source)
    return task


class TestWhichFunctionsAreTasks:
    @pytest.mark.parametrize(
        "header, decorator",
        [
            ("from dioptra import pyplugs", "@pyplugs.register"),
            ("from dioptra import pyplugs", "@pyplugs.register()"),
            ("from dioptra import pyplugs as pp", "@pp.register"),
            ("import dioptra.pyplugs", "@dioptra.pyplugs.register"),
            ("import dioptra.pyplugs as dp", "@dp.register(name='x')"),
            ("from dioptra.pyplugs import register", "@register"),
            ("from dioptra.pyplugs import register as reg", "@reg"),
        ],
    )
    def test_dioptra_modules_offer_registered_functions_only(self, header, decorator):
        source = f"{header}\n\n{decorator}\ndef task(): ...\n\ndef helper(): ...\n"
        assert names(source) == ["task"]

    def test_other_register_decorators_do_not_count(self):
        source = (
            "from dioptra import pyplugs\nfrom other import register\n\n@register\ndef f(): ...\n"
        )
        assert names(source) == []

    def test_plain_modules_offer_every_public_top_level_function(self):
        source = (
            "import os\n\ndef first(): ...\n\ndef _private(): ...\n\nasync def later(): ...\n\n"
            "class Artifact:\n    def serialize(self): ...\n\n"
            "if True:\n    def hidden(): ...\n\ndef second(): ...\n"
        )
        assert names(source) == ["first", "second"]


class TestTypes:
    @pytest.mark.parametrize(
        "annotation, expected",
        [
            ("str", "string"),
            ("int", "integer"),
            ("float", "number"),
            ("bool", "boolean"),
            ("None", "null"),
            ("Any", "any"),
            ("'str'", "string"),
            ("np.ndarray", "np_ndarray"),
            ("list[str]", "list_str"),
            ("Optional[int]", "optional_int"),
            ("int | None", "int_none"),
            ("MyModel", "mymodel"),
        ],
    )
    def test_annotations_map_to_type_names(self, annotation, expected):
        assert only(f"def f(x: {annotation}): ...\n")["inputs"][0]["type"] == expected

    def test_unannotated_parameters_are_any_and_builtins_are_not_missing(self):
        task = only("def f(a, b: int): ...\n")
        assert [i["type"] for i in task["inputs"]] == ["any", "integer"]
        assert task["missing_types"] == []

    def test_required_means_no_default_and_varargs_are_skipped(self):
        task = only("def f(a, /, b=1, *args, c, d=None, **kwargs): ...\n")
        assert [(i["name"], i["required"]) for i in task["inputs"]] == [
            ("a", True),
            ("b", False),
            ("c", True),
            ("d", False),
        ]

    @pytest.mark.parametrize(
        "returns, outputs",
        [
            ("", []),
            (" -> None", []),
            (" -> str", [{"name": "output", "type": "string"}]),
            (" -> tuple[int, str]", [{"name": "output", "type": "tuple_int_str"}]),
        ],
    )
    def test_the_return_annotation_is_the_one_output(self, returns, outputs):
        assert only(f"def f(){returns}: ...\n")["outputs"] == outputs

    def test_missing_types_are_listed_once_with_structures(self):
        task = only("def f(a: Image, b: Image, c: list[Image]) -> dict[int, list[str]]: ...\n")
        assert task["missing_types"] == [
            {"name": "image", "description": "Image", "structure": None},
            {"name": "list_image", "description": "list[Image]", "structure": {"list": "image"}},
            {
                "name": "dict_int_list_str",
                "description": "dict[int, list[str]]",
                "structure": {"mapping": ["integer", {"list": "string"}]},
            },
        ]

    def test_annotations_without_a_name_get_fresh_names_reused_per_annotation(self):
        task = only("def f(a: f(), b: f(), c: g(), type1: int): ...\n")
        assert [i["type"] for i in task["inputs"]] == ["type1", "type1", "type2", "integer"]
        assert [m["name"] for m in task["missing_types"]] == ["type1", "type2"]


class TestBadSource:
    @pytest.mark.parametrize(
        "source, line", [("def f(:\n", 1), ("x = 1\n  y = 2\n", 2), ("'''\n", 1)]
    )
    def test_syntax_errors_name_the_line(self, source, line):
        with pytest.raises(SourceError, match=rf"^Line {line}, column \d+: "):
            analyse_tasks(source)

    @pytest.mark.parametrize(
        "source",
        [
            "a\x00b",
            "(" * 500,
            "x = " + "not " * 100_000 + "y",
            "def f(x: " + "a | " * 20_000 + "a): ...",
        ],
    )
    def test_pathological_sources_are_refused_cleanly(self, source):
        with pytest.raises(SourceError) as refused:
            analyse_tasks(source)
        assert str(refused.value)

    @settings(max_examples=200, deadline=None)
    @given(
        st.text(
            alphabet=st.sampled_from(list("def f(x: int=1, *y) -> list[str]:\n\t #'\"|.()[]{}\\@")),
            max_size=80,
        )
    )
    def test_any_text_gives_tasks_or_a_source_error(self, source):
        try:
            tasks = analyse_tasks(source)
        except SourceError as error:
            assert str(error)
        else:
            assert all(
                {"name", "inputs", "outputs", "missing_types"} == set(task) for task in tasks
            )
