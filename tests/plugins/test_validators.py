"""Type-structure and name rules (``plugins_app.validators``), pure functions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins_app.validators import is_identifier, structure_errors, type_cycle

TYPES = {name: None for name in ("any", "string", "integer", "number", "boolean", "null")} | {
    "image": {"list": "number"},
    "label": {"is_a": "string"},
}


@pytest.mark.parametrize(
    "structure",
    [
        None,
        {"is_a": "label"},
        {"list": "image"},
        {"tuple": []},
        {"mapping": {}},
        {"mapping": {"a": {"union": ["string", {"tuple": ["image", "label"]}]}}},
        {"mapping": ["string", "image"]},
    ],
)
def test_valid_structures_have_no_errors(structure):
    assert structure_errors(structure, types=TYPES) == []


@pytest.mark.parametrize(
    "structure, fragment",
    [
        ({"list": "nope"}, "structure.list: unknown type 'nope'"),
        ({"is_a": "image"}, "'is_a' takes the name of a simple type"),
        ({"mapping": ["boolean", "string"]}, "structure.mapping[0]: mapping keys must be"),
        ({"union": []}, "structure.union: 'union' takes a non-empty list"),
        ({"tuple": ["string", {"lists": "x"}]}, "structure.tuple[1]: expected a type name"),
        ({"mapping": {"a": {"list": 3}}}, "structure.mapping.a.list: expected a type name"),
    ],
)
def test_errors_name_the_path(structure, fragment):
    assert any(fragment in error for error in structure_errors(structure, types=TYPES))


def test_cycles_are_found_through_named_references():
    types = {
        "a": {"list": "b"},
        "b": {"tuple": ["c", "string"]},
        "c": {"union": ["a", "null"]},
        "string": None,
    }
    assert type_cycle("a", types) == ["a", "b", "c", "a"]
    assert type_cycle("string", types) is None
    assert type_cycle("self", {"self": {"list": "self"}}) == ["self", "self"]


@pytest.mark.parametrize(
    "name, ok",
    [
        ("tasks", True),
        ("_private", True),
        ("a1", True),
        ("_", False),
        ("1a", False),
        ("class", False),
        ("a-b", False),
        ("", False),
    ],
)
def test_identifiers(name, ok):
    assert is_identifier(name) is ok


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["string", "image", "nope", "is_a", "list"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["is_a", "list", "tuple", "mapping", "union", "x"]),
            children,
            max_size=2,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_gives_messages_never_an_exception(structure):
    errors = structure_errors(structure, types=TYPES)
    assert all(isinstance(error, str) and error for error in errors)
