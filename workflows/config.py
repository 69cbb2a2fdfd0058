"""The ``dioptra.toml`` of an import: parsed, checked against Dioptra's JSON schema, and located.

The schema is Dioptra's own (``dioptra/restapi/v1/workflows/dioptra-resources.schema.json`` of
the ``dioptra-platform`` wheel, CC BY 4.0, NIST), copied beside this module. ``tomllib`` gives no
positions, so ``TomlLocator`` finds the line of a path such as
``("entrypoints", 1, "params", 0, "default_value")`` by reading the text's table headers, keys
and inline arrays: good enough to point an editor or a CI annotation at the right line.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from workflows.problems import CONFIG_SCHEMA, CONFIG_SYNTAX, Problem

SCHEMA_FILE = Path(__file__).with_name("dioptra-resources.schema.json")
SYNTAX = "The file is not valid TOML: {error}"
TOO_DEEP = "its tables or arrays nest too deeply to be read"
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_END_OF_DOCUMENT = re.compile(r"\s*\(at end of document\)$")

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"^(\s*)({_DOTTED})\s*=")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


def load_config(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The configuration, or ``None`` with the problems that make it unusable."""
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = column = None
        if match := _TOML_POSITION.search(message):
            line, column = int(match[1]), int(match[2])
            message = message[: match.start()]
        elif match := _END_OF_DOCUMENT.search(message):
            line, column = len(text.splitlines()) or 1, 1
            message = message[: match.start()] + " at the end of the file"
        return None, [Problem(CONFIG_SYNTAX, SYNTAX.format(error=message), file, line, column)]
    except RecursionError:  # tomllib has no depth limit of its own
        return None, [Problem(CONFIG_SYNTAX, SYNTAX.format(error=TOO_DEEP), file)]
    locator = TomlLocator(text)
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        where = dotted(path)
        message = f"{where}: {error.message}" if where else error.message
        problems.append(Problem(CONFIG_SCHEMA, message, file, *locator.locate(path)))
    return (None if problems else config), problems


def dotted(path: tuple) -> str:
    """``("entrypoints", 0, "params")`` -> ``entrypoints[0].params``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _key_parts(dotted_key: str) -> list[str]:
    parts = re.findall(_KEY_PART, dotted_key)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


class TomlLocator:
    """Line and column (1-based) of a path in a TOML text (``(1, 1)`` when not found)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.places: dict[tuple, tuple[int, int, int]] = {}  # path -> (line, column, "=" index)
        counters: dict[tuple, int] = {}
        table: tuple = ()
        in_string = None
        for index, line in enumerate(self.lines):
            if in_string:
                if line.count(in_string) % 2:
                    in_string = None
                continue
            if header := _HEADER.match(line):
                table = self._table(_key_parts(header[2]), counters, header[1] == "[[")
                self.places.setdefault(table, (index, len(line) - len(line.lstrip()), -1))
            elif key := _KEY_LINE.match(line):
                path = table + tuple(_key_parts(key[2]))
                self.places.setdefault(path, (index, len(key[1]), key.end()))
            for quotes in ('"""', "'''"):
                if line.count(quotes) % 2:
                    in_string = quotes

    @staticmethod
    def _table(parts: list[str], counters: dict[tuple, int], array: bool) -> tuple:
        resolved: list = []
        for n, part in enumerate(parts):
            resolved.append(part)
            key = tuple(resolved)
            if n == len(parts) - 1 and array:
                counters[key] = counters.get(key, -1) + 1
                resolved.append(counters[key])
            elif key in counters:
                resolved.append(counters[key])
        return tuple(resolved)

    def locate(self, path: tuple) -> tuple[int, int]:
        for cut in range(len(path), 0, -1):
            if (place := self.places.get(path[:cut])) is None:
                continue
            line, column, value_at = place
            rest = path[cut:]
            if rest and isinstance(rest[0], int) and value_at >= 0:
                element = self._element(line, value_at, rest[0])
                if element is not None:
                    line, column = element
                    if len(rest) > 1 and isinstance(rest[1], str):
                        line, column = self._key_after(line, column, rest[1])
            return line + 1, column + 1
        return 1, 1

    def _element(self, line: int, start: int, wanted: int) -> tuple[int, int] | None:
        """Where the ``wanted``-th element of the inline array after ``start`` begins."""
        depth, count, started, in_string = 0, -1, False, None
        for index in range(line, len(self.lines)):
            text, column = self.lines[index], start if index == line else 0
            while column < len(text):
                char = text[column]
                if in_string:
                    if char == "\\" and in_string == '"':
                        column += 1
                    elif char == in_string:
                        in_string = None
                elif char == "#":
                    break
                elif char == "," and depth == 1:
                    started = False
                elif char in "]}":
                    depth -= 1
                    if depth <= 0:
                        return None
                elif not char.isspace():
                    if depth == 1 and not started:
                        count, started = count + 1, True
                        if count == wanted:
                            return index, column
                    if char in "[{":
                        depth += 1
                    elif char in "\"'":
                        in_string = char
                column += 1
        return None

    def _key_after(self, line: int, column: int, key: str) -> tuple[int, int]:
        pattern = re.compile(rf"(?<![\w-]){re.escape(key)}\s*=")
        for index in range(line, min(line + 20, len(self.lines))):
            text = self.lines[index]
            if match := pattern.search(text, column if index == line else 0):
                return index, match.start()
        return line, column
