"""Name rules shared by every section, and "did you mean ...?" suggestions."""

from __future__ import annotations

import difflib
import heapq
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .report import Report

JSON_SCALARS = (str, int, float, bool, type(None))


def is_json_scalar(value: Any) -> bool:
    return value is None or value.__class__ in JSON_SCALARS or isinstance(value, JSON_SCALARS)


def describe_value(value: Any) -> str:
    """A short description of a YAML value's shape, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    kind = type(value).__name__
    if kind in ("date", "datetime"):
        return "a timestamp"
    if kind == "bytes":
        return "binary data"
    return f"a {kind} value"


def show(value: Any) -> str:
    """A name as it appears in messages."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return text


def show_value(value: Any) -> str:
    """A literal value in flow YAML (JSON) form for messages: `[1, true, null]`, not Python's."""
    if isinstance(value, str):
        return show(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return show(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_yaml(value: Any) -> str:
    """A key as YAML spells it (`null`, `true`, `3`), for "quote it" advice."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return show(value)


def upper_first(text: str) -> str:
    """`text` starting a sentence: its first letter upper case, the rest as is (names keep their
    case, unlike `str.capitalize`)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """`text` inside a sentence: its first letter lower case, the rest as is."""
    return text[:1].lower() + text[1:]


def check_name(
    report: Report, name: Any, path: tuple, kind: str, dot_code: str | None = None
) -> bool:
    """Names are non-empty, non-blank strings (and, for some kinds, without a dot).

    Returns whether the name is usable at all (a string), even if it breaks the dot rule.
    """
    if not isinstance(name, str):
        report.add(
            "E_NON_STRING_KEY",
            f"The {kind} name `{as_yaml(name)}` is {describe_value(name)}, not a string; quote "
            f'it ("{as_yaml(name)}").',
            path,
            at_key=True,
        )
        return False
    if not name.strip():
        report.add(
            "E_EMPTY_NAME",
            f"{'An' if kind[:1] in 'aeiou' else 'A'} {kind} name is empty or blank; give the "
            f"{kind} a name.",
            path,
            at_key=True,
        )
        return False
    if dot_code is not None and "." in name:
        report.add(
            dot_code,
            f"The {kind} name `{name}` contains `.`, which would make `${name}` read as "
            f"`$step.output`; rename it (e.g. `{name.replace('.', '_')}`).",
            path,
            at_key=True,
        )
    return True


class Suggester:
    """Finds the closest name to a likely typo; built once per set of names, answers cached.

    For large sets (a graph of 1,000 steps), difflib only compares the names that share the most
    character pairs with the word, and only the first `BUDGET` distinct words get a suggestion, so
    that a document full of typos stays fast.
    """

    DIRECT = 64  # up to this many names, compare with all of them
    POOL = 16  # otherwise, with this many best-sharing names
    BUDGET = 200

    def __init__(self, candidates: Iterable[Any]) -> None:
        self.names = [c for c in dict.fromkeys(candidates) if isinstance(c, str) and c]
        self._lowered: list[str] | None = None
        self._exact: dict[str, str] | None = None
        self._pairs: dict[str, list[int]] | None = None
        self._cache: dict[str, str | None] = {}

    def suggest(self, word: Any) -> str | None:
        if not isinstance(word, str) or not word or not self.names:
            return None
        if word not in self._cache:
            self._cache[word] = self._find(word) if len(self._cache) < self.BUDGET else None
        return self._cache[word]

    def _find(self, word: str) -> str | None:
        if self._lowered is None:
            self._lowered = [name.lower() for name in self.names]
            self._exact = {}
            for lowered_name, name in zip(self._lowered, self.names, strict=True):
                self._exact.setdefault(lowered_name, name)
        lowered = word.lower()
        if lowered in self._exact:
            return self._exact[lowered]
        close = difflib.get_close_matches(word, self._pool(lowered), n=1, cutoff=0.6)
        if close:
            return close[0]
        if len(word) >= 3:
            for test in (str.startswith, str.__contains__):
                found = [
                    name
                    for name, low in zip(self.names, self._lowered, strict=True)
                    if test(low, lowered)
                ]
                if found:
                    return min(found, key=len)
        return None

    def _pool(self, lowered: str) -> list[str]:
        if len(self.names) <= self.DIRECT:
            return self.names
        if self._pairs is None:
            self._pairs = {}
            for position, name in enumerate(self._lowered or ()):
                for pair in _pairs_of(name):
                    self._pairs.setdefault(pair, []).append(position)
        shared: Counter[int] = Counter()
        for pair in _pairs_of(lowered):
            shared.update(self._pairs.get(pair, ()))
        best = heapq.nsmallest(
            self.POOL, shared, key=lambda position: (-shared[position], position)
        )
        return [self.names[position] for position in sorted(best)]


def _pairs_of(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def suggest(word: Any, candidates: Iterable[Any]) -> str | None:
    """The closest candidate name, if one is close enough to be a likely typo."""
    return Suggester(candidates).suggest(word)


def did_you_mean(
    word: Any, candidates: Iterable[Any] | Suggester, otherwise: str, prefix: str = ""
) -> str:
    """ "did you mean `$x`?" when a close name exists, else the `otherwise` advice."""
    found = (
        candidates.suggest(word) if isinstance(candidates, Suggester) else suggest(word, candidates)
    )
    return f"did you mean `{prefix}{found}`?" if found is not None else otherwise
