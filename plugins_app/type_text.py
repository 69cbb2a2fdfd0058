"""A parameter type's structure as the YAML its page edits, and the problems found in it placed
at their line and column.

The text is read by the engine's safe loader (no aliases, no tags, size and depth caps, positions
for every node); the rules are the API's (``ParameterTypeUpdateSerializer``, then
``services.parameter_type_check``). Messages about a part of the structure start with its path
(``structure.tuple[1]: ...``), which is looked up in the text to place the marker.
"""

import json
import re
from dataclasses import dataclass

import yaml
from django.core.exceptions import ValidationError

from core.errors import Conflict
from entrypoints.taskgraph.positions import TextPositions
from entrypoints.taskgraph.yaml_loader import load_text
from plugins_app import services
from plugins_app.api.serializers import ParameterTypeUpdateSerializer

SOURCE = "structure"  # the editor's data-source: issues of this source become its markers
NOT_PLAIN = "Write names and lists only: {error}."
PATH = re.compile(r"^structure((?:\.[A-Za-z_][^.\[:\s]*|\[\d+\])*): ")
STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


@dataclass
class TypeIssue:
    """A problem with a type's page: ``field`` is ``structure``, ``name`` or ``description``;
    structure problems have a position in the text when one could be found."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    def to_state(self) -> dict:
        """The issue as ``static/js/editor.js`` reads it (``#editor-state``)."""
        return {
            "source": SOURCE if self.field == "structure" else "form",
            "severity": "error",
            "code": f"E_TYPE_{self.field.upper()}",
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
        }


def structure_text(structure) -> str:
    """The YAML the editor shows for a stored structure (empty for a simple type)."""
    if structure is None:
        return ""
    return yaml.safe_dump(structure, sort_keys=False, default_flow_style=False, allow_unicode=True)


def structure_line(structure) -> str:
    """A structure on one line, for lists (``{list: string}``)."""
    if structure is None:
        return ""
    return yaml.safe_dump(structure, default_flow_style=True, width=10**6).strip()


@dataclass
class ReadStructure:
    """A structure read from its text: ``value`` (``None``: simple type) and the problems."""

    value: object
    issues: list[TypeIssue]
    positions: TextPositions | None


def read_structure(text: str) -> ReadStructure:
    """The structure a text stands for; an empty text (or ``null``) is a simple type."""
    if not text.strip():
        return ReadStructure(None, [], None)
    loaded = load_text(text)
    positions = TextPositions(loaded)
    issues = [
        _placed("structure", issue.message, positions.offsets_span(issue.start, issue.end))
        for issue in loaded.issues
    ]
    if issues:
        return ReadStructure(None, issues, positions)
    try:
        # Timestamps, binary and non-string keys have no JSON form: the type could not be stored.
        value = json.loads(json.dumps(loaded.value, allow_nan=False))
    except (TypeError, ValueError) as error:
        issue = _placed("structure", NOT_PLAIN.format(error=error), positions.root_span())
        return ReadStructure(None, [issue], positions)
    return ReadStructure(value, [], positions)


def _placed(field: str, message: str, span) -> TypeIssue:
    return TypeIssue(field, message, *span)


def _span(positions: TextPositions | None, message: str):
    """Where a structure message's path points in the text (the first line if nowhere)."""
    if positions is None:
        return (None, None, None, None)
    match = PATH.match(message)
    if match is None:
        return positions.root_span()
    path = tuple(int(index) if index else key for key, index in STEP.findall(match.group(1)))
    return positions.span_of(path)


@dataclass
class TypeCheck:
    """A type's page judged: the cleaned fields (when they could be read) and the problems."""

    name: str
    description: str | None
    structure: object
    issues: list[TypeIssue]

    @property
    def ok(self) -> bool:
        return not self.issues


def check_type(*, group, name: str, description: str, text: str, current=None) -> TypeCheck:
    """What saving these fields would be refused for, by the API's rules; nothing is written."""
    read = read_structure(text)
    check = TypeCheck(name, description or None, read.value, list(read.issues))
    body = ParameterTypeUpdateSerializer(
        data={"name": name, "description": check.description, "structure": read.value}
    )
    if not body.is_valid():
        for field, errors in body.errors.items():
            check.issues += [TypeIssue(field, str(e)) for e in errors]
        return check
    if read.issues:
        return check
    try:
        services.parameter_type_check(group=group, name=name, structure=read.value, current=current)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                span = _span(read.positions, message) if field == "structure" else ()
                check.issues.append(TypeIssue(field, message, *span))
    except Conflict as error:
        check.issues.append(TypeIssue("name", str(error)))
    return check
