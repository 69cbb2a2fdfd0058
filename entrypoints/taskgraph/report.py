"""Collects issues as the checks find them, before positions are attached.

Checks speak in document paths (tuples of keys and indexes); `at_key` says the issue is about the
mapping key at the end of the path rather than its value. A locator later turns each entry into an
`Issue` with a source, a path in that source and a position.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    code: str
    message: str
    path: tuple
    at_key: bool


class Report:
    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, code: str, message: str, path: tuple, *, at_key: bool = False) -> None:
        self.entries.append(Entry(code, message, path, at_key))
