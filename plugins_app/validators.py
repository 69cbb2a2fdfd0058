"""Checks on plugin names, file names and type structures (the messages are API-facing).

Pure functions over plain data: the services gather what they need from the database (the
group's types) and raise ``ValidationError`` keyed by the API field name.
"""

import keyword
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError

from entrypoints.taskgraph import BUILTIN_TYPE_NAMES

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Dioptra's rule: directories start with a letter, file names with a letter or "_".
MODULE_PATH = re.compile(r"(?!.*/_)(?!_/)(?:[A-Za-z][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*\.py")
STRUCTURE_KEYS = ("is_a", "list", "tuple", "mapping", "union")
MAPPING_KEY_TYPES = ("string", "integer")
MAX_STRUCTURE_DEPTH = 32
MAX_SOURCE_CHARS = 1_000_000

BAD_IDENTIFIER = (
    "{what} must be a Python identifier (letters, digits, _; not '_' alone, not a keyword)."
)
BAD_PLUGIN_NAME = BAD_IDENTIFIER.format(what="Plugin names")
BAD_TASK_NAME = BAD_IDENTIFIER.format(what="Task names")
BAD_PARAM_NAME = BAD_IDENTIFIER.format(what="Parameter names")
BAD_FILENAME = (
    "File names must be module paths such as 'tasks.py' or 'sub/module.py' (directories start "
    "with a letter; no keywords)."
)
BAD_TYPE_NAME = "Type names must not contain '.'."
BUILTIN_TYPE_NAME = "{name!r} is a builtin type name; builtin types cannot be redefined."
BAD_STRUCTURE = (
    "A structure is null or a mapping with exactly one of: " + ", ".join(STRUCTURE_KEYS) + "."
)
BAD_NODE = (
    "{path}: expected a type name or a mapping with exactly one of: "
    + ", ".join(STRUCTURE_KEYS)
    + "."
)
BAD_IS_A = "{path}: 'is_a' takes the name of a simple type; {name!r} is not one."
BAD_TUPLE = "{path}: 'tuple' takes a list of types."
BAD_UNION = "{path}: 'union' takes a non-empty list of types."
BAD_MAPPING = "{path}: 'mapping' takes {{property: type, ...}} or [key type, value type]."
BAD_MAPPING_KEY = "{path}: mapping keys must be 'string' or 'integer', not {name!r}."
UNKNOWN_TYPE = "{path}: unknown type {name!r} (not defined in this group)."
TOO_DEEP = "{path}: structures may nest at most " + str(MAX_STRUCTURE_DEPTH) + " levels."
SOURCE_TOO_LARGE = "Python source is limited to {limit} characters."
TYPE_CYCLE = "Types may not refer to themselves: {cycle}."


def is_identifier(name: str) -> bool:
    """A Python identifier usable as a module, function or parameter name (Dioptra's rule)."""
    return bool(IDENTIFIER.fullmatch(name)) and name != "_" and not keyword.iskeyword(name)


def validate_plugin_name(name: str) -> None:
    """Plugins are imported as packages, so their names are identifiers."""
    if not is_identifier(name):
        raise ValidationError({"name": [BAD_PLUGIN_NAME]})


def validate_filename(filename: str) -> None:
    """File names are module paths inside the plugin package (Dioptra's rule, minus keywords)."""
    parts = filename.removesuffix(".py").split("/")
    if not MODULE_PATH.fullmatch(filename) or any(keyword.iskeyword(p) for p in parts):
        raise ValidationError({"filename": [BAD_FILENAME]})


def validate_type_name(name: str) -> None:
    """Dots are reserved for paths in task graphs; builtin names cannot be taken (any case)."""
    if "." in name:
        raise ValidationError({"name": [BAD_TYPE_NAME]})
    if name.lower() in BUILTIN_TYPE_NAMES:
        raise ValidationError({"name": [BUILTIN_TYPE_NAME.format(name=name)]})


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
                walk(
                    list(value.values()) if key == "mapping" and isinstance(value, dict) else value
                )

    walk(structure)
    return names


def is_simple(structure) -> bool:
    """Simple types have no structure or are an ``is_a`` subtype of a simple type."""
    return structure is None or (isinstance(structure, dict) and set(structure) == {"is_a"})


def structure_errors(structure, *, types: Mapping[str, object]) -> list[str]:
    """Problems with a type definition's ``structure`` (spec section 2), as messages with paths.

    ``types`` maps every type name defined in the group (builtins included) to its structure.
    """
    if structure is None:
        return []
    if (
        not isinstance(structure, dict)
        or len(structure) != 1
        or next(iter(structure)) not in STRUCTURE_KEYS
    ):
        return [BAD_STRUCTURE]
    errors: list[str] = []
    _check_node(structure, "structure", 0, types, errors)
    return errors


def _check_node(node, path: str, depth: int, types, errors: list[str]) -> None:
    if depth > MAX_STRUCTURE_DEPTH:
        errors.append(TOO_DEEP.format(path=path))
        return
    if isinstance(node, str):
        if node not in types:
            errors.append(UNKNOWN_TYPE.format(path=path, name=node))
        return
    if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in STRUCTURE_KEYS:
        errors.append(BAD_NODE.format(path=path))
        return
    key, value = next(iter(node.items()))
    here = f"{path}.{key}"
    if key == "is_a":
        if not isinstance(value, str) or value not in types or not is_simple(types[value]):
            errors.append(BAD_IS_A.format(path=here, name=value))
    elif key == "list":
        _check_node(value, here, depth + 1, types, errors)
    elif key in ("tuple", "union"):
        if not isinstance(value, list) or (key == "union" and not value):
            errors.append((BAD_TUPLE if key == "tuple" else BAD_UNION).format(path=here))
            return
        for index, item in enumerate(value):
            _check_node(item, f"{here}[{index}]", depth + 1, types, errors)
    elif isinstance(value, dict):
        for prop, item in value.items():
            _check_node(item, f"{here}.{prop}", depth + 1, types, errors)
    elif isinstance(value, list) and len(value) == 2:
        if value[0] not in MAPPING_KEY_TYPES:
            errors.append(BAD_MAPPING_KEY.format(path=f"{here}[0]", name=value[0]))
        _check_node(value[1], f"{here}[1]", depth + 1, types, errors)
    else:
        errors.append(BAD_MAPPING.format(path=here))


def type_cycle(name: str, types: Mapping[str, object]) -> list[str] | None:
    """A chain of names by which ``name`` refers back to itself through ``types``, if any."""
    chain: list[str] = []
    done: set[str] = set()

    def visit(current: str) -> bool:
        if current in chain:
            chain.append(current)
            return True
        if current in done or current not in types:
            return False
        chain.append(current)
        if any(visit(ref) for ref in sorted(structure_type_names(types[current]))):
            return True
        chain.pop()
        done.add(current)
        return False

    if visit(name):
        return chain[chain.index(chain[-1]) :]
    return None
