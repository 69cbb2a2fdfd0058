"""Checks on plugin names, file names, type structures and task signatures (messages are API-facing)."""

import keyword
import re

from django.core.exceptions import ValidationError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MODULE_PATH = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*\.py")
STRUCTURE_KEYS = ("is_a", "list", "tuple", "mapping", "union")

BAD_PLUGIN_NAME = "Plugin names must be Python identifiers (letters, digits, _; not a keyword)."
BAD_FILENAME = "File names must be module paths such as 'tasks.py' or 'sub/module.py'."
BAD_STRUCTURE = "A structure is null or a mapping with exactly one of: " + ", ".join(STRUCTURE_KEYS) + "."
BAD_TYPE_NAME = "Type names must be non-blank and must not contain '.'."


def is_identifier(name: str) -> bool:
    return bool(IDENTIFIER.fullmatch(name)) and not keyword.iskeyword(name)


def validate_plugin_name(name: str) -> None:
    if not is_identifier(name):
        raise ValidationError({"name": [BAD_PLUGIN_NAME]})


def validate_filename(filename: str) -> None:
    parts = filename.removesuffix(".py").split("/")
    if not MODULE_PATH.fullmatch(filename) or any(keyword.iskeyword(p) for p in parts):
        raise ValidationError({"filename": [BAD_FILENAME]})


def validate_type_name(name: str) -> None:
    if not name.strip() or "." in name:
        raise ValidationError({"name": [BAD_TYPE_NAME]})


def structure_type_names(structure) -> set[str]:
    """Every type name a structure refers to (nested anonymous definitions included)."""
    names: set[str] = set()

    def walk(node):
        if isinstance(node, str):
            names.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                # An enumerated mapping's keys are property names, not types.
                walk(list(value.values()) if key == "mapping" and isinstance(value, dict) else value)

    walk(structure)
    return names


def validate_structure_shape(structure) -> None:
    if structure is None:
        return
    if not isinstance(structure, dict) or len(structure) != 1 or next(iter(structure)) not in STRUCTURE_KEYS:
        raise ValidationError({"structure": [BAD_STRUCTURE]})
