"""Locators turn a document path into (source, path in that source, position).

A full document is one source. An entrypoint's document is assembled from the task-graph text,
the artifact-graph text and the context the database supplies, so its paths are routed back to
whichever of those the user can fix.
"""

from __future__ import annotations

from typing import Any

from .issues import CODES, Issue
from .positions import Span, TextPositions
from .report import Entry
from .yaml_loader import Loaded


def make_issue(code: str, message: str, source: str, path: list, span: Span | None) -> Issue:
    category, severity = CODES[code]
    if span is None:
        return Issue(code, severity, category, message, source, path)
    line, column, end_line, end_column = span
    return Issue(
        code, severity, category, message, source, path, line, column, end_line, end_column
    )


def public_path(path: tuple | list) -> list:
    """Keys are strings and indexes ints in an issue's path."""
    return [
        part if isinstance(part, (str, int)) and not isinstance(part, bool) else str(part)
        for part in path
    ]


def loader_issues(loaded: Loaded, source: str, positions: TextPositions) -> list[Issue]:
    issues = []
    for found in loaded.issues:
        if found.code == "E_LIMIT_SIZE":
            span = positions.lines.first_line_span()
        else:
            span = positions.offsets_span(found.start, found.end)
        issues.append(make_issue(found.code, found.message, source, public_path(found.path), span))
    return issues


class Locator:
    def locate(self, path: tuple, at_key: bool) -> tuple[str, list, Span | None]:
        raise NotImplementedError

    def place(self, entries: list[Entry]) -> list[Issue]:
        issues = []
        for entry in entries:
            source, path, span = self.locate(entry.path, entry.at_key)
            issues.append(make_issue(entry.code, entry.message, source, path, span))
        return issues


class DocumentLocator(Locator):
    """A full document: one text (or a mapping, without positions)."""

    def __init__(self, positions: TextPositions | None) -> None:
        self.positions = positions

    def locate(self, path: tuple, at_key: bool) -> tuple[str, list, Span | None]:
        span = self.positions.span_of(path, at_key) if self.positions is not None else None
        return "document", public_path(path), span


class TextPart:
    """One section of the document that came from a user's text, maybe wrapped in one key."""

    def __init__(self, source: str, positions: TextPositions, prefix: tuple) -> None:
        self.source = source
        self.positions = positions
        self.prefix = prefix

    def locate(self, rest: tuple, at_key: bool) -> tuple[str, list, Span]:
        path = self.prefix + rest
        if not path and self.positions.loaded.root is None:
            return self.source, [], self.positions.empty_span()
        return self.source, public_path(path), self.positions.span_of(path, at_key)


class EntrypointLocator(Locator):
    """`graph` -> the task-graph text, `artifact_outputs` -> the artifact-graph text, the other
    sections -> the context (paths into the request, no positions)."""

    def __init__(
        self, graph: TextPart, artifacts: TextPart | None, context_paths: dict[tuple, list]
    ) -> None:
        self.graph = graph
        self.artifacts = artifacts
        # (section, name) -> the context path of that declaration, e.g. ["parameters", 2]
        self.context_paths = context_paths

    def locate(self, path: tuple, at_key: bool) -> tuple[str, list, Span | None]:
        section = path[0] if path else None
        if section == "graph":
            return self.graph.locate(path[1:], at_key)
        if section == "artifact_outputs" and self.artifacts is not None:
            return self.artifacts.locate(path[1:], at_key)
        return "context", self.context_path(path, at_key), None

    def context_path(self, path: tuple, at_key: bool) -> list[Any]:
        if len(path) < 2:
            return public_path(path)
        base = self.context_paths.get(path[:2])
        if base is None:
            return public_path(path)
        rest = path[2:]
        if path[0] == "parameters":
            if not rest:
                return base + ["name"] if at_key else base
            field = {"type": "parameterType", "default": "defaultValue"}.get(rest[0], rest[0])
            return base + [field]
        if path[0] == "artifact_inputs":
            if not rest:
                return base + ["name"] if at_key else base
            index = rest[0] if isinstance(rest[0], int) else 0
            return base + ["outputParams", index, "parameterType"]
        return base + public_path(rest)
