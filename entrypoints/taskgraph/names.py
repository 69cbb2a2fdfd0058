"""Name rules shared by every section, and "did you mean ...?" suggestions."""

from __future__ import annotations

import difflib
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


def check_name(report: Report, name: Any, path: tuple, kind: str, dot_code: str | None = None) -> bool:
    """Names are non-empty, non-blank strings (and, for some kinds, without a dot).

    Returns whether the name is usable at all (a string), even if it breaks the dot rule.
    """
    if not isinstance(name, str):
        report.add(
            "E_NON_STRING_KEY",
            f"The {kind} name `{show(name)}` is {describe_value(name)}, not a string; quote it "
            f"(\"{show(name)}\").",
            path,
            at_key=True,
        )
        return False
    if not name.strip():
        report.add(
            "E_EMPTY_NAME", f"A {kind} name is empty or blank; give the {kind} a name.", path, at_key=True
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


def suggest(word: Any, candidates: Iterable[Any]) -> str | None:
    """The closest candidate name, if one is close enough to be a likely typo."""
    if not isinstance(word, str) or not word:
        return None
    names = [c for c in candidates if isinstance(c, str) and c]
    if not names:
        return None
    lowered = word.lower()
    for name in names:
        if name.lower() == lowered:
            return name
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    if len(word) >= 3:
        prefixed = [name for name in names if name.lower().startswith(lowered)]
        if prefixed:
            return min(prefixed, key=len)
        contained = [name for name in names if lowered in name.lower()]
        if contained:
            return min(contained, key=len)
    return None


def did_you_mean(word: Any, candidates: Iterable[Any], otherwise: str, prefix: str = "") -> str:
    """"did you mean `$x`?" when a close name exists, else the `otherwise` advice."""
    found = suggest(word, candidates)
    return f"did you mean `{prefix}{found}`?" if found is not None else otherwise
