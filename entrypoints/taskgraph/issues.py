"""Validation issues: the stable code table, the immutable `Issue` and `ValidationResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

SYNTAX = "syntax"
STRUCTURE = "structure"
SEMANTIC = "semantic"
TYPE = "type"

# Dioptra's IssueType names for our categories (its JSON calls the category `type`).
DIOPTRA_TYPES = {SYNTAX: "SYNTAX", STRUCTURE: "SCHEMA", SEMANTIC: "SEMANTIC", TYPE: "TYPE"}

# code -> (category, severity). Codes are stable: never rename or reuse one.
CODES: dict[str, tuple[str, str]] = {
    "E_YAML_SYNTAX": (SYNTAX, ERROR),
    "E_YAML_ALIAS": (SYNTAX, ERROR),
    "E_YAML_TAG": (SYNTAX, ERROR),
    "E_DUPLICATE_KEY": (SYNTAX, ERROR),
    "E_MULTIPLE_DOCUMENTS": (SYNTAX, ERROR),
    "E_LIMIT_SIZE": (SYNTAX, ERROR),
    "E_LIMIT_STEPS": (SYNTAX, ERROR),
    "E_LIMIT_DEPTH": (SYNTAX, ERROR),
    "E_MISSING_KEY": (STRUCTURE, ERROR),
    "E_UNKNOWN_KEY": (STRUCTURE, ERROR),
    "E_WRONG_TYPE": (STRUCTURE, ERROR),
    "E_EMPTY_SECTION": (STRUCTURE, ERROR),
    "E_TASK_NAME_INVALID": (STRUCTURE, ERROR),
    "E_NON_STRING_KEY": (SEMANTIC, ERROR),
    "E_EMPTY_NAME": (SEMANTIC, ERROR),
    "E_PARAM_NAME_DOT": (SEMANTIC, ERROR),
    "E_STEP_NAME_DOT": (SEMANTIC, ERROR),
    "E_ARTIFACT_INPUT_NAME_DOT": (SEMANTIC, ERROR),
    "E_TASK_DUPLICATE_INPUT_NAMES": (SEMANTIC, ERROR),
    "E_TASK_DUPLICATE_OUTPUT_NAMES": (SEMANTIC, ERROR),
    "E_TASK_INPUT_UNDEFINED_TYPE": (SEMANTIC, ERROR),
    "E_TASK_OUTPUT_UNDEFINED_TYPE": (SEMANTIC, ERROR),
    "E_PLUGIN_ID_NO_DOT": (SEMANTIC, ERROR),
    "E_PLUGIN_ID_EMPTY_COMPONENT": (SEMANTIC, ERROR),
    "E_STEP_SHORT_FORM_STRUCTURE": (SEMANTIC, ERROR),
    "E_PARAM_STEP_NAME_COLLISION": (SEMANTIC, ERROR),
    "E_NAME_COLLISION": (SEMANTIC, ERROR),
    "E_UNKNOWN_TASK": (SEMANTIC, ERROR),
    "E_AMBIGUOUS_TASK": (SEMANTIC, ERROR),
    "E_TOO_MANY_POSITIONAL_ARGS": (SEMANTIC, ERROR),
    "E_UNKNOWN_KEYWORD_ARG": (SEMANTIC, ERROR),
    "E_ARG_ASSIGNED_TWICE": (SEMANTIC, ERROR),
    "E_MISSING_REQUIRED_ARG": (SEMANTIC, ERROR),
    "E_REF_STEP_NO_OUTPUT": (SEMANTIC, ERROR),
    "E_REF_OUTPUT_NAME_REQUIRED": (SEMANTIC, ERROR),
    "E_REF_UNKNOWN_OUTPUT": (SEMANTIC, ERROR),
    "E_REF_PARAM_WITH_OUTPUT": (SEMANTIC, ERROR),
    "E_REF_ARTIFACT_OUTPUT_NAME_REQUIRED": (SEMANTIC, ERROR),
    "E_REF_ARTIFACT_UNKNOWN_OUTPUT": (SEMANTIC, ERROR),
    "E_REF_UNRESOLVABLE": (SEMANTIC, ERROR),
    "E_UNKNOWN_DEPENDENCY": (SEMANTIC, ERROR),
    "E_STEP_CYCLE": (SEMANTIC, ERROR),
    "E_PARAM_UNDEFINED_TYPE": (SEMANTIC, ERROR),
    "E_ARTIFACT_INPUT_UNDEFINED_TYPE": (SEMANTIC, ERROR),
    "E_ARTIFACT_INPUT_NO_OUTPUTS": (SEMANTIC, ERROR),
    "E_UNKNOWN_ARTIFACT_TASK": (SEMANTIC, ERROR),
    "E_TYPE_UNDEFINED_REFERENCE": (SEMANTIC, ERROR),
    "E_TYPE_CYCLE": (SEMANTIC, ERROR),
    "E_TYPE_BUILTIN_REDEFINED": (SEMANTIC, ERROR),
    "E_TYPE_BAD_KEY_TYPE": (SEMANTIC, ERROR),
    "E_TYPE_NON_SIMPLE_SUPERTYPE": (SEMANTIC, ERROR),
    "E_TYPE_TOO_MANY_STRUCTURES": (SEMANTIC, ERROR),
    "E_PARAM_DEFAULT_TYPE_MISMATCH": (TYPE, ERROR),
    "E_PARAM_DEFAULT_CONVERSION": (TYPE, ERROR),
    "E_ARG_TYPE_MISMATCH": (TYPE, ERROR),
    "W_ARTIFACT_INPUT_DUPLICATE_OUTPUT_NAMES": (SEMANTIC, WARNING),
    "W_UNION_DUPLICATE_MEMBERS": (SEMANTIC, WARNING),
    "W_CONTENTS_NOT_REFERENCE": (SEMANTIC, WARNING),
    "W_YAML11_BOOLEAN": (SYNTAX, WARNING),
}


@dataclass(frozen=True)
class Issue:
    """One problem found in a document, with where it is (1-based, end exclusive)."""

    code: str
    severity: str
    category: str
    message: str
    source: str
    path: list[str | int]
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    def __hash__(self) -> int:
        return hash(
            (self.code, self.message, self.source, tuple(self.path), self.line, self.column)
        )

    def to_dict(self) -> dict[str, Any]:
        """camelCase JSON, plus Dioptra's `type` (SYNTAX, SCHEMA, SEMANTIC, TYPE)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "category": self.category,
            "type": DIOPTRA_TYPES[self.category],
            "message": self.message,
            "source": self.source,
            "path": list(self.path),
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
        }


def format_line(
    file: str, line: int | None, column: int | None, severity: str, code: str, message: str
) -> str:
    """One line of the command-line tools' text output: ``FILE:LINE:COL: severity CODE: message``
    (``FILE: ...`` for an issue without a position), the form editors and CI logs link."""
    where = f"{file}:{line}:{column}" if line is not None else file
    return f"{where}: {severity} {code}: {message}"


def sort_key(issue: Issue) -> tuple:
    return (issue.source, issue.line or 0, issue.column or 0, issue.code)


@dataclass
class ValidationResult:
    """The verdict: `valid` is true when no issue is an error; `issues` are sorted."""

    valid: bool
    issues: list[Issue] = field(default_factory=list)
    # What the validator learnt about the document; `graph_model` draws from it.
    analysis: Any = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == WARNING]

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "issues": [issue.to_dict() for issue in self.issues]}


def make_result(issues: list[Issue], analysis: Any = None) -> ValidationResult:
    issues = sorted(issues, key=sort_key)
    return ValidationResult(
        valid=not any(issue.severity == ERROR for issue in issues), issues=issues, analysis=analysis
    )
