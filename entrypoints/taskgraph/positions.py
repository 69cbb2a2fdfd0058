"""Positions: code-point offsets -> 1-based line/column, and paths -> nodes of a loaded text.

Lines end only at ``\\n``, ``\\r\\n`` and ``\\r`` (libyaml also breaks lines at U+0085, U+2028 and
U+2029, so its own line numbers are not used). Columns count code points; ends are exclusive.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from .yaml_loader import Loaded

_BREAK = re.compile(r"\r\n|\r|\n")
_TRAILING = " \t\r\n"

Span = tuple[int, int, int, int]


class LineIndex:
    """Lazily built table of line starts for one text."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in _BREAK.finditer(self.text)]
        return self._starts

    def point(self, index: int) -> tuple[int, int]:
        starts = self.starts
        index = max(0, min(index, len(self.text)))
        line = bisect_right(starts, index)
        line_start = starts[line - 1]
        line_end = starts[line] if line < len(starts) else len(self.text)
        # Never past the end of the line's own characters (+1 for the exclusive end).
        text = self.text
        while line_end > line_start and text[line_end - 1] in "\r\n":
            line_end -= 1
        column = min(index, line_end) - line_start + 1
        return line, column

    def span(self, start: int, end: int) -> Span:
        """Line/column of [start, end); trailing blanks and line breaks are left out of the end."""
        size = len(self.text)
        start = max(0, min(start, size))
        end = max(start, min(end, size))
        text = self.text
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        line, column = self.point(start)
        end_line, end_column = self.point(end)
        if (end_line, end_column) < (line, column):
            end_line, end_column = line, column
        return line, column, end_line, end_column

    def first_line_span(self) -> Span:
        """The first line: where issues about the whole text sit."""
        starts = self.starts
        end = starts[1] if len(starts) > 1 else len(self.text)
        return self.span(0, end)


def find_offsets(root: Any, path: tuple, at_key: bool) -> tuple[int, int] | None:
    """Offsets of the node at `path` (or of its key), or of the deepest ancestor that exists."""
    if root is None:
        return None
    start, end, child = root
    last = len(path) - 1
    for depth, part in enumerate(path):
        child_class = child.__class__
        if child_class is dict:
            try:
                entry = child.get(part)
            except TypeError:
                entry = None
            if entry is None:
                break
            if depth == last and at_key:
                return entry[0], entry[1]
            start, end, child = entry[2], entry[3], entry[4]
        elif child_class is list:
            if part.__class__ is int and 0 <= part < len(child):
                start, end, child = child[part]
            else:
                break
        else:
            break
    return start, end


class TextPositions:
    """Positions inside one loaded text."""

    __slots__ = ("loaded", "lines")

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.lines = LineIndex(loaded.text)

    def span_of(self, path: tuple, at_key: bool = False) -> Span:
        offsets = find_offsets(self.loaded.root, path, at_key)
        if offsets is None:
            return self.empty_span()
        if not path:
            return self.root_span()
        return self.offsets_span(*offsets)

    def offsets_span(self, start: int, end: int) -> Span:
        shift = self.loaded.shift
        return self.lines.span(start + shift, end + shift)

    def empty_span(self) -> Span:
        """Where an issue about the text as a whole sits: its first non-blank line, or 1:1."""
        text = self.loaded.text
        stripped = len(text) - len(text.lstrip())
        if stripped >= len(text):
            return (1, 1, 1, 1)
        line, column = self.lines.point(stripped)
        return (line, column, line, column)

    def root_span(self) -> Span:
        """The whole document is too large a range for a marker: use its first key or line."""
        root = self.loaded.root
        if root is None:
            return self.empty_span()
        child = root[2]
        if child.__class__ is dict and child:
            first = next(iter(child.values()))
            return self.offsets_span(first[0], first[1])
        shift = self.loaded.shift
        start = root[0] + shift
        starts = self.lines.starts
        line = bisect_right(starts, start)
        line_end = starts[line] if line < len(starts) else len(self.loaded.text)
        return self.lines.span(start, min(root[1] + shift, line_end))
