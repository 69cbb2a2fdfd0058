"""The YAML loader: plain values, positions in code points, and what it refuses."""

from __future__ import annotations

import datetime

import pytest

from entrypoints.taskgraph import Limits, validate_document
from entrypoints.taskgraph.positions import LineIndex, TextPositions
from entrypoints.taskgraph.yaml_loader import load_text

from .helpers import codes, document, only, position, span


def test_builds_plain_values():
    loaded = load_text("a: 1\nb: [x, 2.5, null, true, '3']\nc: {d: ~}\n")
    assert loaded.value == {"a": 1, "b": ["x", 2.5, None, True, "3"], "c": {"d": None}}
    assert not loaded.issues and not loaded.fatal


def test_standard_tags_and_weird_scalars_are_constructed_safely():
    loaded = load_text(
        "a: 2024-01-02\nb: !!binary aGk=\nc: .inf\nd: !!str 12\ne: 0x1f\nf: !!float 1\n"
    )
    assert loaded.value["a"] == datetime.date(2024, 1, 2)
    assert loaded.value["b"] == b"hi"
    assert loaded.value["c"] == float("inf")
    assert loaded.value["d"] == "12"
    assert loaded.value["e"] == 31
    assert loaded.value["f"] == 1.0
    assert not loaded.issues


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system\n",
        "a: !custom value\n",
        "a: !custom {b: 1}\n",
        "%TAG !! tag:evil.example,2000:\n---\na: !!int 3\n",
    ],
)
def test_non_standard_tags_are_refused_never_constructed(text):
    loaded = load_text(text)
    assert [issue.code for issue in loaded.issues] == ["E_YAML_TAG"]
    assert not any(callable(v) for v in (loaded.value or {}).values())


def test_a_standard_tag_on_a_bad_value_is_an_issue():
    loaded = load_text("a: !!int abc\n")
    assert [issue.code for issue in loaded.issues] == ["E_YAML_TAG"]


def test_columns_count_code_points_not_bytes():
    text = document("s:\n  load: ['日本語😀', $locaton]")
    issue = only(validate_document(text), "E_REF_UNRESOLVABLE")
    line, column, _, _ = span(text, "$locaton")
    assert (issue.line, issue.column, issue.end_column) == (line, column, column + len("$locaton"))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_split_at_lf_crlf_and_cr(newline):
    text = document("s:\n  load: [$locaton]").replace("\n", newline)
    issue = only(validate_document(text), "E_REF_UNRESOLVABLE")
    expected = span(text.replace(newline, "\n"), "$locaton")
    assert position(issue) == expected


def test_unicode_line_separators_do_not_start_lines():
    # libyaml counts U+2028 as a line break; the editor (and this engine) do not.
    text = document("s:\n  load: ['a\u2028b', $locaton]")
    issue = only(validate_document(text), "E_REF_UNRESOLVABLE")
    assert position(issue) == span(text, "$locaton")


def test_byte_order_mark_is_accepted():
    text = "\ufeff" + document("s:\n  load: [$locaton]")
    issue = only(validate_document(text), "E_REF_UNRESOLVABLE")
    assert position(issue) == span(text, "$locaton")


def test_block_scalar_ends_before_its_line_break():
    positions = TextPositions(load_text("a: |\n  text\nb: 1\n"))
    assert positions.span_of(("a",)) == (1, 4, 2, 7)


def test_line_index_clamps_to_the_text():
    index = LineIndex("ab\r\ncd")
    assert index.point(0) == (1, 1)
    assert index.point(3) == (1, 3)  # inside the \r\n pair: end of line 1
    assert index.point(4) == (2, 1)
    assert index.point(99) == (2, 3)


def test_empty_and_comment_only_texts():
    for text in ("", "   \n", "# only a comment\n"):
        loaded = load_text(text)
        assert loaded.value is None and loaded.root is None and not loaded.issues


def test_empty_document_issues_sit_at_1_1():
    result = validate_document("")
    assert {issue.code for issue in result.issues} == {"E_MISSING_KEY"}
    assert all(position(issue) == (1, 1, 1, 1) for issue in result.issues)


def test_duplicate_key_keeps_the_first_and_names_its_line():
    text = "a: 1\nb: 2\na: 3\n"
    loaded = load_text(text)
    assert loaded.value == {"a": 1, "b": 2}
    [issue] = loaded.issues
    assert issue.code == "E_DUPLICATE_KEY" and "line 1" in issue.message
    assert (issue.start, issue.end) == (10, 11)


def test_equal_keys_of_different_spelling_are_duplicates():
    loaded = load_text("1: a\n1.0: b\n")
    assert [issue.code for issue in loaded.issues] == ["E_DUPLICATE_KEY"]


def test_complex_keys_are_refused():
    loaded = load_text("? [a, b]\n: 1\nc: 2\n")
    assert loaded.value == {"c": 2}
    assert [issue.code for issue in loaded.issues] == ["E_YAML_SYNTAX"]


def test_merge_keys_merge_inline_mappings():
    loaded = load_text("a:\n  <<: {x: 1, y: 2}\n  y: 3\n")
    assert loaded.value == {"a": {"x": 1, "y": 3}}
    assert not loaded.issues


@pytest.mark.parametrize("text", ["a: <<\n", "a: =\n", "a: !!set 1\n"])
def test_special_scalars_outside_their_place_are_refused(text):
    assert [issue.code for issue in load_text(text).issues] == ["E_YAML_TAG"]


def test_yaml11_booleans_warn():
    loaded = load_text("a: yes\nb: Off\nc: true\nd: 'no'\n")
    assert loaded.value == {"a": True, "b": False, "c": True, "d": "no"}
    assert [issue.code for issue in loaded.issues] == ["W_YAML11_BOOLEAN", "W_YAML11_BOOLEAN"]


def test_control_characters_are_a_syntax_error_with_a_position():
    result = validate_document("graph:\n  s: {ping: [\x07]}\n")
    issue = only(result, "E_YAML_SYNTAX")
    assert (issue.line, issue.column) == (2, 14)


def test_lone_surrogates_are_a_syntax_error():
    result = validate_document("graph: \ud800\n")
    assert codes(result) == ["E_YAML_SYNTAX"]
    assert (result.issues[0].line, result.issues[0].column) == (1, 8)


def test_libyaml_nesting_limit_is_a_syntax_issue_not_a_crash():
    result = validate_document("[" * 100_000, limits=Limits(max_depth=10**6))
    assert codes(result) == ["E_YAML_SYNTAX"]


def test_depth_cap_stops_before_building_deep_values():
    result = validate_document("a: " + "[" * 40 + "]" * 40)
    assert codes(result) == ["E_LIMIT_DEPTH"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        previous = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(
            f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, "
            f"*{previous}]"
        )
    result = validate_document("\n".join(lines) + "\n")
    assert set(codes(result)) >= {"E_YAML_ALIAS"}
