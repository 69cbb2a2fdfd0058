"""A small TOML writer for the shapes of ``dioptra.toml`` (the standard library only reads TOML).

Tables are written as arrays of tables (``[[plugins]]``); values as TOML literals: basic strings
with JSON's escapes (which TOML shares), integers, floats, booleans, inline arrays and inline
tables. ``tomllib`` reads back exactly what was written (the export tests check it).
"""

import json
import math
import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def string(text: str) -> str:
    # JSON's escapes are TOML's, except that TOML also wants DEL escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else string(name)


def value(item) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        return repr(item) if math.isfinite(item) else ("inf" if item > 0 else "-inf")
    if isinstance(item, str):
        return string(item)
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]" if item else "[]"
    if isinstance(item, dict):
        pairs = ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items())
        return "{ " + pairs + " }" if pairs else "{}"
    raise TypeError(f"No TOML form for {type(item).__name__}")


def table(header: str, fields: dict, *, indent: str = "") -> str:
    """``[[header]]`` and its ``key = value`` lines (fields that are ``None`` are left out); a
    list of tables is written one inline table per line."""
    lines = [f"{indent}[[{header}]]"]
    for name, item in fields.items():
        if item is None:
            continue
        if isinstance(item, list) and item and all(isinstance(v, dict) for v in item):
            lines.append(f"{indent}{key(name)} = [")
            lines += [f"{indent}  {value(v)}," for v in item]
            lines.append(f"{indent}]")
        else:
            lines.append(f"{indent}{key(name)} = {value(item)}")
    return "\n".join(lines) + "\n"
