"""The type system: identity, inference from literals, compatibility, definitions."""

from __future__ import annotations

import pytest

from entrypoints.taskgraph import validate_document
from entrypoints.taskgraph.report import Report
from entrypoints.taskgraph.type_registry import build_registry
from entrypoints.taskgraph.types import (
    ANY,
    BOOLEAN,
    INTEGER,
    NULL,
    NUMBER,
    STRING,
    KeyValueMappingType,
    ListType,
    MappingType,
    SimpleType,
    TupleType,
    UnionType,
    compatible_or_none,
    infer_literal,
)

from .helpers import codes, document, errors

DATASET = SimpleType("dataset")
IMAGES = SimpleType("images", DATASET)


def registry(definitions: dict):
    report = Report()
    return build_registry(report, definitions), [entry.code for entry in report.entries]


# ---- identity ---------------------------------------------------------------------------------


def test_simple_types_are_identified_by_name():
    assert SimpleType("dataset") == DATASET
    assert hash(SimpleType("dataset")) == hash(DATASET)
    assert SimpleType("model") != DATASET


def test_named_structured_types_are_identified_by_name():
    assert ListType(STRING, "names") == ListType(INTEGER, "names")
    assert ListType(STRING, "names") != ListType(STRING, "labels")


def test_named_never_equals_anonymous():
    assert ListType(STRING, "names") != ListType(STRING)


def test_anonymous_types_are_identified_by_structure():
    assert ListType(STRING) == ListType(STRING)
    assert TupleType([STRING, INTEGER]) != TupleType([INTEGER, STRING])  # order matters
    assert MappingType({"a": STRING, "b": INTEGER}) == MappingType({"b": INTEGER, "a": STRING})
    assert UnionType([STRING, INTEGER]) == UnionType([INTEGER, STRING])
    assert KeyValueMappingType(STRING, INTEGER) != KeyValueMappingType(INTEGER, INTEGER)


# ---- inference --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", STRING),
        (True, BOOLEAN),
        (3, INTEGER),
        (2.5, NUMBER),
        (float("inf"), NUMBER),
        (None, NULL),
        ([1, "a"], TupleType([INTEGER, STRING])),
        ([], TupleType([])),
        ({"a": 1}, MappingType({"a": INTEGER})),
        ({}, MappingType({})),
        ({1: "a", 2: "b"}, KeyValueMappingType(INTEGER, STRING)),
        ({1: "a", 2: 3}, KeyValueMappingType(INTEGER, UnionType([STRING, INTEGER]))),
        ({1: "a", "b": 2}, ANY),
        ({True: 1}, ANY),
        (b"bytes", ANY),
        ({1, 2}, ANY),
    ],
)
def test_inference_from_literals(value, expected):
    assert infer_literal(value) == expected


def test_a_reference_contributes_the_declared_type_of_what_it_names():
    text = document("s:\n  load: [$epochs]")  # epochs is declared integer; load wants a string
    result = validate_document(text)
    assert errors(result) == ["E_ARG_TYPE_MISMATCH"]
    assert "integer" in result.issues[0].message and "string" in result.issues[0].message


# ---- compatibility ----------------------------------------------------------------------------

NAMES = ListType(STRING, "names")
LABELS = ListType(STRING, "labels")

COMPATIBILITY = [
    # (argument, parameter, compatible)
    (STRING, ANY, True),
    (ListType(STRING), ANY, True),
    (ANY, STRING, False),
    (ANY, ANY, True),
    (STRING, STRING, True),
    (INTEGER, NUMBER, True),
    (NUMBER, INTEGER, False),
    (IMAGES, DATASET, True),
    (DATASET, IMAGES, False),
    (BOOLEAN, INTEGER, False),
    (NULL, STRING, False),
    (UnionType([INTEGER, NUMBER]), NUMBER, True),
    (UnionType([INTEGER, STRING]), NUMBER, False),
    (INTEGER, UnionType([STRING, NUMBER]), True),
    (BOOLEAN, UnionType([STRING, NUMBER]), False),
    (UnionType([INTEGER, STRING]), UnionType([STRING, NUMBER]), True),
    (ANY, UnionType([STRING, ANY]), True),
    (STRING, ListType(STRING), False),
    (ListType(STRING), STRING, False),
    (TupleType([STRING, STRING]), ListType(STRING), True),
    (TupleType([STRING, INTEGER]), ListType(STRING), False),
    (TupleType([INTEGER, INTEGER]), ListType(NUMBER), True),
    (TupleType([]), ListType(STRING), True),
    (ListType(INTEGER), ListType(NUMBER), True),
    (ListType(NUMBER), ListType(INTEGER), False),
    (ListType(STRING), TupleType([STRING])),
    (TupleType([INTEGER, STRING]), TupleType([NUMBER, STRING]), True),
    (TupleType([INTEGER]), TupleType([INTEGER, INTEGER]), False),
    (MappingType({"a": INTEGER}), MappingType({"a": NUMBER}), True),
    (MappingType({"a": INTEGER}), MappingType({"a": INTEGER, "b": INTEGER}), False),
    (MappingType({"a": INTEGER, "b": INTEGER}), KeyValueMappingType(STRING, NUMBER), True),
    (MappingType({"a": INTEGER, "b": STRING}), KeyValueMappingType(STRING, NUMBER), False),
    (MappingType({"a": INTEGER}), KeyValueMappingType(INTEGER, INTEGER), False),
    (KeyValueMappingType(STRING, INTEGER), KeyValueMappingType(STRING, NUMBER), True),
    (KeyValueMappingType(STRING, INTEGER), MappingType({"a": INTEGER}), False),
    (NAMES, LABELS, False),  # differently named structured types never fit
    (TupleType([STRING]), NAMES, True),  # anonymous vs named: structural
    (NAMES, ListType(STRING), True),
    (NAMES, NAMES, True),
    (DATASET, ListType(STRING), False),
]


@pytest.mark.parametrize(
    ("argument", "parameter", "expected"),
    [c if len(c) == 3 else (*c, False) for c in COMPATIBILITY],
)
def test_compatibility_table(argument, parameter, expected):
    assert compatible_or_none(argument, parameter) is expected


# ---- definitions ------------------------------------------------------------------------------


def test_definitions_build_every_shape():
    types, problems = registry(
        {
            "dataset": None,
            "images": {"is_a": "dataset"},
            "names": {"list": "string"},
            "pair": {"tuple": ["string", {"list": "integer"}]},
            "record": {"mapping": {"id": "integer", "tags": {"list": "string"}}},
            "table": {"mapping": ["string", "number"]},
            "id": {"union": ["string", "integer"]},
            "empty": {},
        }
    )
    assert problems == []
    assert types.get("images").is_subtype_of(types.get("dataset"))
    assert types.get("pair").describe() == "tuple[string, list[integer]]"
    assert isinstance(types.get("empty"), SimpleType)
    assert str(types.get("record")) == "record"


@pytest.mark.parametrize(
    ("definitions", "expected"),
    [
        ({"string": None}, ["E_TYPE_BUILTIN_REDEFINED"]),
        ({"a": {"list": "nothing"}}, ["E_TYPE_UNDEFINED_REFERENCE"]),
        ({"a": {"list": "b"}, "b": {"tuple": ["a"]}}, ["E_TYPE_CYCLE"]),
        ({"a": {"list": "a"}}, ["E_TYPE_CYCLE"]),
        ({"a": {"is_a": "b"}, "b": {"is_a": "a"}}, ["E_TYPE_CYCLE"]),
        ({"p": {"list": "string"}, "a": {"is_a": "p"}}, ["E_TYPE_NON_SIMPLE_SUPERTYPE"]),
        ({"a": {"mapping": ["boolean", "string"]}}, ["E_TYPE_BAD_KEY_TYPE"]),
        ({"a": {"list": "string", "union": ["string"]}}, ["E_TYPE_TOO_MANY_STRUCTURES"]),
        ({"a": {"is_a": "string", "list": "string"}}, ["E_TYPE_TOO_MANY_STRUCTURES"]),
        ({"a": {"union": []}}, ["E_WRONG_TYPE"]),
        ({"a": {"union": ["string", "string"]}}, ["W_UNION_DUPLICATE_MEMBERS"]),
        ({"a": {"mapping": ["string"]}}, ["E_WRONG_TYPE"]),
        ({"a": "string"}, ["E_WRONG_TYPE"]),
        ({"a": {"list": None}}, ["E_WRONG_TYPE"]),
        ({"a": {"list": {"is_a": "string"}}}, ["E_WRONG_TYPE"]),
        ({"a": {"lst": "string"}}, ["E_UNKNOWN_KEY"]),
        ({1: None}, ["E_NON_STRING_KEY"]),
        (
            {"a": {"list": "b"}, "b": {"list": "missing"}},
            ["E_TYPE_UNDEFINED_REFERENCE"],
        ),  # no cascade into a
    ],
)
def test_definition_errors_never_crash_and_do_not_cascade(definitions, expected):
    _, problems = registry(definitions)
    assert problems == expected


def test_types_depending_on_broken_types_are_unchecked_not_errors():
    types, _ = registry({"a": {"list": "b"}, "b": {"list": "missing"}})
    assert types.get("a") is None and types.get("b") is None


def test_a_long_chain_of_type_names_does_not_recurse():
    definitions = {f"t{i}": {"list": f"t{i + 1}"} for i in range(3000)}
    definitions["t3000"] = None
    types, problems = registry(definitions)
    assert problems == [] and types.get("t0").describe().startswith("list[t1")


def test_undefined_type_suppresses_compatibility_checks_involving_it():
    text = document("s:\n  load: [$location]").replace(
        "      - location: string", "      - location: path"
    )
    assert codes(validate_document(text)) == ["E_TASK_INPUT_UNDEFINED_TYPE"]
