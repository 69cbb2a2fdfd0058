"""Issue and ValidationResult: immutability, JSON shape, ordering."""

from __future__ import annotations

import dataclasses

import pytest

from entrypoints.taskgraph import CODES, Issue, ValidationResult, validate_document

from .helpers import document


def test_issue_is_immutable_and_hashable():
    issue = Issue(
        "E_UNKNOWN_TASK", "error", "semantic", "msg", "document", ["graph", "s"], 1, 2, 1, 5
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.code = "X"  # type: ignore[misc]
    assert hash(issue) == hash(
        Issue("E_UNKNOWN_TASK", "error", "semantic", "msg", "document", ["graph", "s"], 1, 2, 1, 5)
    )


def test_to_dict_is_camel_case_with_dioptra_type():
    issue = Issue("E_WRONG_TYPE", "error", "structure", "msg", "taskGraph", ["s", 0], 3, 4, 3, 9)
    assert issue.to_dict() == {
        "code": "E_WRONG_TYPE",
        "severity": "error",
        "category": "structure",
        "type": "SCHEMA",
        "message": "msg",
        "source": "taskGraph",
        "path": ["s", 0],
        "line": 3,
        "column": 4,
        "endLine": 3,
        "endColumn": 9,
    }


def test_codes_have_a_known_category_and_severity():
    for code, (category, severity) in CODES.items():
        assert category in ("syntax", "structure", "semantic", "type"), code
        assert severity == ("warning" if code.startswith("W_") else "error"), code


def test_issues_are_sorted_by_source_line_column_code():
    text = document("b:\n  load: [$nope, 42]\na:\n  lod: []")
    result = validate_document(text)
    keys = [(i.source, i.line, i.column, i.code) for i in result.issues]
    assert keys == sorted(keys) and len(keys) == 3


def test_valid_means_no_errors_warnings_allowed():
    result = validate_document(document("s:\n  load: [yes]"))
    assert [i.code for i in result.issues] == ["E_ARG_TYPE_MISMATCH", "W_YAML11_BOOLEAN"]
    assert not result.valid
    result = validate_document(
        document(
            "s:\n  load: [x]",
            extra="artifact_outputs:\n  o:\n    contents: s\n    task: {name: T}\n",
        )
    )
    assert result.valid and [i.code for i in result.warnings] == ["W_CONTENTS_NOT_REFERENCE"]
    assert isinstance(result, ValidationResult) and result.to_dict()["valid"] is True


def test_paths_hold_strings_and_ints_only():
    result = validate_document(document("s:\n  load: [x]\n1.5:\n  load: [y]\ntrue:\n  load: [z]"))
    for issue in result.issues:
        assert all(type(part) in (str, int) for part in issue.path), issue.path
