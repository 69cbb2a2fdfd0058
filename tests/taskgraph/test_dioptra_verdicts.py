"""Verdicts of NIST Dioptra's own validator, pinned without importing Dioptra.

A differential run fed the same Python mappings to `dioptra.task_engine.validation.validate`
(dioptra-platform 1.2.2; 1.1.0 differs only in refusing every artifact task name) and to
`validate_document`, and compared the verdicts (valid = no issue of severity error). The table,
`data/dioptra_verdicts.yaml`, keeps:

* `fixed`: each class where we disagreed with Dioptra without a reason, now fixed;
* `deliberate`: each class where our rules make us differ on purpose (or where Dioptra's
  validator crashes instead of answering), with our verdict and the reason;
* `agreed`: the documents of that run on which both validators agree (Dioptra's unit-test shapes,
  type compatibility probes, artifact sections ...), with Dioptra's verdict.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from entrypoints.taskgraph import validate_document

TABLE = yaml.safe_load(
    (Path(__file__).parent / "data" / "dioptra_verdicts.yaml").read_text(encoding="utf-8")
)
BASES = TABLE["bases"]


def with_(base: dict, sections: dict) -> dict:
    """`base` with some top-level sections replaced (a fresh copy)."""
    document = copy.deepcopy(base)
    document.update(copy.deepcopy(sections))
    return document


def document_of(case: dict) -> Any:
    """A case's document: given whole, or a base document with some sections replaced."""
    if "base" in case:
        return with_(BASES[case["base"]], case["sections"])
    return case["document"]


def flow(value: Any) -> str:
    """A value as one line of flow YAML, for test ids."""
    text = yaml.safe_dump(value, default_flow_style=True, width=math.inf, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def verdict(document) -> tuple[bool, list[str]]:
    result = validate_document(copy.deepcopy(document))
    return result.valid, [issue.code for issue in result.errors]


FIXED = {case["name"]: case for case in TABLE["fixed"]}


@pytest.mark.parametrize("name", list(FIXED))
def test_fixed_disagreements(name):
    case = FIXED[name]
    valid, codes = verdict(document_of(case))
    if case["dioptra"] is not None:
        assert valid is case["dioptra"], codes
    if case["code"] is None:
        assert valid, codes
    else:
        assert not valid
        assert case["code"] in codes, codes


def test_repeated_artifact_input_output_is_a_warning():
    document = document_of(FIXED["artifact input repeating an output name"])
    result = validate_document(document)
    assert [issue.code for issue in result.issues] == ["W_ARTIFACT_INPUT_DUPLICATE_OUTPUT_NAMES"]
    assert "`$a.o` refers to the first one" in result.issues[0].message


def test_task_names_are_checked_against_the_declared_tasks_only():
    document = {"tasks": {"my-task": {"plugin": "a.b.c"}}, "graph": {"s": {"my_task": []}}}
    result = validate_document(document)
    assert [issue.code for issue in result.errors] == ["E_UNKNOWN_TASK"]
    assert "did you mean `my-task`?" in result.errors[0].message


DELIBERATE = {case["name"]: case for case in TABLE["deliberate"]}


@pytest.mark.parametrize("name", list(DELIBERATE))
def test_deliberate_differences(name):
    case = DELIBERATE[name]
    assert verdict(document_of(case)) == (case["valid"], case["codes"])


def agreed_cases() -> list:
    """(document, Dioptra's verdict) for every agreed case, with an id that says what it is."""
    agreed = TABLE["agreed"]
    cases = [
        pytest.param(case["document"], case["dioptra"], id=case["name"])
        for case in agreed["documents"]
    ]
    for base, variations in agreed["variations"].items():
        cases += [
            pytest.param(
                with_(BASES[base], case["sections"]),
                case["dioptra"],
                id=f"{base} base with {flow(case['sections'])}",
            )
            for case in variations
        ]
    types = agreed["types"]
    for case in agreed["literal_arguments"]:
        value, expected = case["value"], case["input"]
        tasks = {"f": {"plugin": "a.b.f", "inputs": [{"x": expected}]}}
        for style, arguments in (("positional", [value]), ("by keyword", {"x": value})):
            document = {"types": types, "tasks": tasks, "graph": {"s": {"f": arguments}}}
            cases.append(
                pytest.param(
                    copy.deepcopy(document),
                    case["dioptra"],
                    id=f"literal {flow(value)} for an input of type {expected}, {style}",
                )
            )
    for case in agreed["references"]:
        declared, expected = case["declared"], case["input"]
        defined = {**types, **case.get("define", {})}
        takes = {"plugin": "a.b.f", "inputs": [{"x": expected}]}
        ways = {
            "from a parameter": {
                "types": defined,
                "parameters": {"p": {"type": declared}},
                "tasks": {"f": takes},
                "graph": {"s": {"f": ["$p"]}},
            },
            "from a step output": {
                "types": defined,
                "tasks": {"g": {"plugin": "a.b.g", "outputs": {"o": declared}}, "f": takes},
                "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
            },
            "from a parameter, also inside a list": {
                "types": defined,
                "parameters": {"p": {"type": declared}},
                "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": expected}]}},
                "graph": {"s": {"f": [["$p"], "$p"]}},
            },
        }
        cases += [
            pytest.param(
                copy.deepcopy(document),
                case["dioptra"],
                id=f"{declared} value where {expected} is expected, {way}",
            )
            for way, document in ways.items()
        ]
    return cases


AGREED = agreed_cases()


def test_the_agreed_cases_have_distinct_ids():
    ids = [case.id for case in AGREED]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("document", "dioptra"), AGREED)
def test_agrees_with_dioptra(document, dioptra):
    valid, codes = verdict(document)
    assert valid is dioptra, (document, codes)


def test_mapping_and_text_agree_on_the_table():
    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    for case in AGREED:
        document, dioptra = case.values
        if not isinstance(document, dict):
            continue
        text = yaml.dump(document, Dumper=NoAliases, sort_keys=False)
        assert validate_document(text).valid is dioptra, text
