"""What is wrong with an import, file by file and position by position.

One shape serves the import's error answer, ``lint_entrypoints`` and the import page: the
engine's issue fields (``code``, ``severity``, ``message``, ``line``, ``column``, ``endLine``,
``endColumn``, and for the engine's own issues ``category``, ``type``, ``source``, ``path``)
plus ``file``, the path in the import of the file the position is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR, WARNING = "error", "warning"

# Codes of the import's own problems (the engine's are in entrypoints.taskgraph.issues.CODES).
CONFIG_SYNTAX = "IMPORT_CONFIG_SYNTAX"  # the TOML file does not parse
CONFIG_SCHEMA = "IMPORT_CONFIG_SCHEMA"  # it parses, but not in Dioptra's schema
NOT_FOUND = "IMPORT_NOT_FOUND"  # a path that names nothing in the import
BAD_PATH = "IMPORT_BAD_PATH"  # a path outside the import's folder
UNREADABLE = "IMPORT_UNREADABLE"  # a link, too large, not UTF-8
BAD_NAME = "IMPORT_BAD_NAME"
DUPLICATE = "IMPORT_DUPLICATE"
UNKNOWN_TYPE = "IMPORT_UNKNOWN_TYPE"
BAD_TYPE = "IMPORT_BAD_TYPE"  # a type structure that does not resolve, or a cycle
UNKNOWN_PLUGIN = "IMPORT_UNKNOWN_PLUGIN"
UNKNOWN_FILE = "IMPORT_UNKNOWN_FILE"  # a task declared in a file the plugin does not have
BAD_PARAMETER = "IMPORT_BAD_PARAMETER"
BAD_ENTRYPOINT_FILE = "IMPORT_BAD_ENTRYPOINT_FILE"  # not `graph:` and `artifacts:`
TOO_LARGE = "IMPORT_TOO_LARGE"
NAME_TAKEN = "IMPORT_NAME_TAKEN"  # a conflict under the `fail` rule
WRITE_REFUSED = "IMPORT_WRITE_REFUSED"  # a rule of the database refused a write
NOT_LISTED = "IMPORT_NOT_LISTED"  # lint: an entrypoint file no dioptra.toml lists


@dataclass
class Problem:
    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    severity: str = ERROR
    end_line: int | None = None
    end_column: int | None = None
    engine: dict[str, Any] = field(default_factory=dict)  # category, type, source, path
    about: str | None = field(default=None, compare=False)  # the entrypoint file it concerns

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
            **self.engine,
        }

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.code)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
