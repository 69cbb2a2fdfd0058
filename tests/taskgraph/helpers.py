"""Shared helpers for the task-graph engine tests."""

from __future__ import annotations

import re
import textwrap

from entrypoints.taskgraph import CODES, Issue, ValidationResult, validate_document

# A small, realistic set of declarations most tests build on.
DECLARATIONS = """\
types:
  dataset: null
  model: null
parameters:
  location: /data/mnist
  epochs: {type: integer, default: 3}
  lr: 0.01
tasks:
  load:
    plugin: plugins.io.load
    inputs:
      - location: string
    outputs:
      - training: dataset
      - testing: dataset
  train:
    plugin: plugins.ml.train
    inputs:
      - architecture: string
      - dataset: dataset
      - name: epochs
        type: integer
        required: false
    outputs:
      model: model
  predict:
    plugin: plugins.ml.predict
    inputs:
      - model: model
      - dataset: dataset
    outputs:
      predictions: any
  ping:
    plugin: plugins.util.ping
"""


def document(graph: str, declarations: str = DECLARATIONS, extra: str = "") -> str:
    """A full document: the declarations, then `graph:` with the given (dedented) steps."""
    body = textwrap.indent(textwrap.dedent(graph).strip("\n"), "  ")
    return declarations + "graph:\n" + body + "\n" + textwrap.dedent(extra)


def codes(result: ValidationResult) -> list[str]:
    return [issue.code for issue in result.issues]


def errors(result: ValidationResult) -> list[str]:
    return [issue.code for issue in result.issues if issue.severity == "error"]


def only(result: ValidationResult, code: str) -> Issue:
    """The single issue with `code` (fails when there is not exactly one)."""
    found = [issue for issue in result.issues if issue.code == code]
    assert len(found) == 1, (code, [(i.code, i.message) for i in result.issues])
    return found[0]


def span(text: str, needle: str, after: str = "") -> tuple[int, int, int, int]:
    """1-based (line, column, end line, end column) of the first `needle` after `after`."""
    index = text.index(needle, text.index(after) + len(after) if after else 0)
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    lines = needle.split("\n")
    end_line = line + len(lines) - 1
    end_column = column + len(needle) if len(lines) == 1 else len(lines[-1]) + 1
    return line, column, end_line, end_column


def position(issue: Issue) -> tuple:
    return issue.line, issue.column, issue.end_line, issue.end_column


def assert_issue(
    result: ValidationResult, code: str, text: str, needle: str, after: str = "graph:"
) -> Issue:
    """Exactly one issue `code`, with the code table's severity/category, on `needle`."""
    issue = only(result, code)
    category, severity = CODES[code]
    assert (issue.category, issue.severity) == (category, severity)
    assert position(issue) == span(text, needle, after), (issue, needle)
    return issue


def validate(text: str, **kwargs) -> ValidationResult:
    return validate_document(text, **kwargs)


def lines_of(text: str) -> list[str]:
    """Lines as the engine splits them: at \\n, \\r\\n and \\r only."""
    return re.split(r"\r\n|\r|\n", text)


def assert_positions_inside(text: str, result: ValidationResult) -> None:
    """Every issue's start and end lie inside `text` (end exclusive), start <= end."""
    lines = lines_of(text)
    for issue in result.issues:
        if issue.line is None:
            continue
        for line, column in ((issue.line, issue.column), (issue.end_line, issue.end_column)):
            assert 1 <= line <= len(lines), issue
            assert 1 <= column <= len(lines[line - 1]) + 1, issue
        assert (issue.line, issue.column) <= (issue.end_line, issue.end_column), issue
