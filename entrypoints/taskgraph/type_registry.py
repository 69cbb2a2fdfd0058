"""The `types` section: definitions -> a registry of `Type`s, with every problem reported.

A broken definition (bad shape, undefined reference, cycle, ...) is registered as `None`: uses of
it elsewhere are silently unchecked instead of cascading into more errors.
"""

from __future__ import annotations

from typing import Any

from .cycles import find_cycles, topological_order
from .names import (
    Suggester,
    as_yaml,
    check_name,
    describe_value,
    did_you_mean,
    lower_first,
    show,
)
from .report import Report
from .types import (
    BUILTIN_TYPES,
    INTEGER,
    STRING,
    KeyValueMappingType,
    ListType,
    MappingType,
    SimpleType,
    TupleType,
    Type,
    UnionType,
)

STRUCTURE_KEYS = ("list", "tuple", "mapping", "union")
DEFINITION_KEYS = ("is_a", *STRUCTURE_KEYS)


class TypeRegistry:
    """Type names -> `Type` (or `None` when the definition is broken)."""

    def __init__(self) -> None:
        self.types: dict[str, Type | None] = dict(BUILTIN_TYPES)
        # False when the `types` section itself was unusable: unknown names are then not errors.
        self.complete = True
        self._suggester: Suggester | None = None

    def suggester(self) -> Suggester:
        """For "did you mean" once the registry is complete."""
        if self._suggester is None:
            self._suggester = Suggester(self.types)
        return self._suggester

    def knows(self, name: Any) -> bool:
        """Whether `name` is defined (possibly broken) or cannot be judged."""
        return not self.complete or (isinstance(name, str) and name in self.types)

    def get(self, name: Any) -> Type | None:
        return self.types.get(name) if isinstance(name, str) else None


# A parsed definition: ("simple", supertype name or None, path of the name)
# | ("ref", name, path) | ("list", node) | ("tuple", [nodes]) | ("mapping", {prop: node})
# | ("kv", key node, value node, path of the key) | ("union", [(node, path)]) | None (broken shape)


def _parse(report: Report, definition: Any, path: tuple, named: bool, where: str) -> Any:
    if isinstance(definition, str):
        if named:
            report.add(
                "E_WRONG_TYPE",
                f"{where} is the string `{show(definition)}`; a definition is null (a new simple "
                f"type), `{{is_a: T}}` or one of `list`, `tuple`, `mapping`, `union`.",
                path,
            )
            return None
        return ("ref", definition, path)
    if definition is None:
        if named:
            return ("simple", None, None)
        report.add(
            "E_WRONG_TYPE",
            f"{where} is null; inside a definition use a type name or a list/tuple/mapping/union.",
            path,
        )
        return None
    if not isinstance(definition, dict):
        report.add(
            "E_WRONG_TYPE",
            f"{where} is {describe_value(definition)}; use a type name or a mapping with one of "
            "`is_a`, `list`, `tuple`, `mapping`, `union`.",
            path,
        )
        return None
    for key in definition:
        if key not in DEFINITION_KEYS:
            report.add(
                "E_UNKNOWN_KEY",
                f"`{show(key)}` is not allowed in {lower_first(where)}; "
                + did_you_mean(
                    key, DEFINITION_KEYS, "use `is_a`, `list`, `tuple`, `mapping` or `union`."
                ),
                path + (key,),
                at_key=True,
            )
    present = [key for key in DEFINITION_KEYS if key in definition]
    if len(present) > 1:
        report.add(
            "E_TYPE_TOO_MANY_STRUCTURES",
            f"{where} combines {' and '.join(f'`{k}`' for k in present)}; a definition has exactly "
            "one "
            "of `is_a`, `list`, `tuple`, `mapping`, `union`.",
            path + (present[1],),
            at_key=True,
        )
        return None
    if not present or present[0] == "is_a":
        if not named:
            report.add(
                "E_WRONG_TYPE",
                f"{where} defines an anonymous simple type; define it under `types` and use its "
                "name.",
                path,
            )
            return None
        if not present:
            return ("simple", None, None)
        supertype = definition["is_a"]
        if not isinstance(supertype, str):
            report.add(
                "E_WRONG_TYPE",
                f"`is_a` in {lower_first(where)} is {describe_value(supertype)}; give a type name.",
                path + ("is_a",),
            )
            return None
        return ("simple", supertype, path + ("is_a",))
    kind = present[0]
    inner = definition[kind]
    inner_path = path + (kind,)
    if kind == "list":
        node = _parse(report, inner, inner_path, False, f"The element type of {lower_first(where)}")
        return None if node is None else ("list", node)
    if kind == "tuple":
        if not isinstance(inner, list):
            report.add(
                "E_WRONG_TYPE",
                f"`tuple` in {lower_first(where)} is {describe_value(inner)}; give a list of "
                "types.",
                inner_path,
            )
            return None
        nodes = [
            _parse(report, t, inner_path + (i,), False, f"Element {i + 1} of {lower_first(where)}")
            for i, t in enumerate(inner)
        ]
        return None if any(n is None for n in nodes) else ("tuple", nodes)
    if kind == "mapping":
        if isinstance(inner, dict):
            nodes = {
                prop: _parse(
                    report,
                    t,
                    inner_path + (prop,),
                    False,
                    f"Property `{as_yaml(prop)}` of {lower_first(where)}",
                )
                for prop, t in inner.items()
            }
            return None if any(n is None for n in nodes.values()) else ("mapping", nodes)
        if isinstance(inner, list) and len(inner) == 2:
            key = _parse(
                report, inner[0], inner_path + (0,), False, f"The key type of {lower_first(where)}"
            )
            value = _parse(
                report,
                inner[1],
                inner_path + (1,),
                False,
                f"The value type of {lower_first(where)}",
            )
            return None if key is None or value is None else ("kv", key, value, inner_path + (0,))
        report.add(
            "E_WRONG_TYPE",
            f"`mapping` in {lower_first(where)} is {describe_value(inner)}"
            + (f" of {len(inner)} items" if isinstance(inner, list) else "")
            + "; give `{property: type, ...}` or `[key type, value type]`.",
            inner_path,
        )
        return None
    # union
    if not isinstance(inner, list) or not inner:
        report.add(
            "E_WRONG_TYPE",
            f"`union` in {lower_first(where)} is "
            + ("an empty list" if isinstance(inner, list) else describe_value(inner))
            + "; give a list of at least one type.",
            inner_path,
        )
        return None
    members = [
        (
            _parse(report, t, inner_path + (i,), False, f"Member {i + 1} of {lower_first(where)}"),
            inner_path + (i,),
        )
        for i, t in enumerate(inner)
    ]
    return None if any(n is None for n, _ in members) else ("union", members)


def _references(node: Any, found: list) -> None:
    """Every type name a parsed definition mentions, with the path of the mention."""
    kind = node[0]
    if kind == "ref":
        found.append((node[1], node[2]))
    elif kind == "simple":
        if node[1] is not None:
            found.append((node[1], node[2]))
    elif kind == "list":
        _references(node[1], found)
    elif kind == "tuple":
        for child in node[1]:
            _references(child, found)
    elif kind == "mapping":
        for child in node[1].values():
            _references(child, found)
    elif kind == "kv":
        _references(node[1], found)
        _references(node[2], found)
    elif kind == "union":
        for child, _ in node[1]:
            _references(child, found)


class _Builder:
    def __init__(self, report: Report, registry: TypeRegistry, parsed: dict[str, Any]) -> None:
        self.report = report
        self.registry = registry
        self.parsed = parsed
        self.done: set[str] = set()
        self.names = Suggester([*registry.types, *parsed])

    def named(self, name: str) -> Type | None:
        if name not in self.done:
            self.done.add(name)
            node = self.parsed[name]
            self.registry.types[name] = None if node is None else self.build(node, name, name)
        return self.registry.types[name]

    def lookup(self, name: str, path: tuple, context: str) -> Type | None | bool:
        if name in self.parsed:
            return self.named(name)
        if name in self.registry.types:
            return self.registry.types[name]
        self.report.add(
            "E_TYPE_UNDEFINED_REFERENCE",
            f"The definition of type `{context}` refers to the undefined type `{show(name)}`; "
            + self.advice(name, context),
            path,
        )
        return False

    def advice(self, name: str, context: str) -> str:
        found = self.names.suggest(name)
        if found is None or found == context:  # a type cannot be made of itself
            return "define it under `types`."
        return f"did you mean `{found}`?"

    def build(self, node: Any, name: str | None, context: str) -> Type | None:
        kind = node[0]
        if kind == "ref":
            found = self.lookup(node[1], node[2], context)
            return found if isinstance(found, Type) else None
        if kind == "simple":
            supertype = None
            if node[1] is not None:
                found = self.lookup(node[1], node[2], context)
                if not isinstance(found, Type):
                    return None
                if not isinstance(found, SimpleType):
                    self.report.add(
                        "E_TYPE_NON_SIMPLE_SUPERTYPE",
                        f"Type `{context}` is_a `{node[1]}`, which is a structured type; `is_a` "
                        "needs a simple type.",
                        node[2],
                    )
                    return None
                supertype = found
            return SimpleType(name or "", supertype)
        if kind == "list":
            element = self.build(node[1], None, context)
            return None if element is None else ListType(element, name)
        if kind == "tuple":
            elements = [self.build(child, None, context) for child in node[1]]
            return None if any(e is None for e in elements) else TupleType(elements, name)
        if kind == "mapping":
            properties = {prop: self.build(child, None, context) for prop, child in node[1].items()}
            if any(t is None for t in properties.values()):
                return None
            return MappingType(properties, name)
        if kind == "kv":
            key = self.build(node[1], None, context)
            value = self.build(node[2], None, context)
            if key is None or value is None:
                return None
            if key != STRING and key != INTEGER:
                self.report.add(
                    "E_TYPE_BAD_KEY_TYPE",
                    f"The key type of a mapping in type `{context}` is `{key}`; keys must be "
                    "`string` or `integer`.",
                    node[3],
                )
                return None
            return KeyValueMappingType(key, value, name)
        # union
        members = []
        broken = False
        seen: dict[Type, tuple] = {}
        for child, path in node[1]:
            member = self.build(child, None, context)
            if member is None:
                broken = True
                continue
            if member in seen:
                self.report.add(
                    "W_UNION_DUPLICATE_MEMBERS",
                    f"The union in type `{context}` lists `{member}` more than once; remove the "
                    "repetition.",
                    path,
                )
            seen[member] = path
            members.append(member)
        return None if broken else UnionType(members, name)


def build_registry(report: Report, definitions: Any, path: tuple = ("types",)) -> TypeRegistry:
    """Check the `types` section and build the registry (builtins included)."""
    registry = TypeRegistry()
    if definitions is None:
        return registry
    if not isinstance(definitions, dict):
        report.add(
            "E_WRONG_TYPE",
            f"`types` is {describe_value(definitions)}; it maps type names to definitions "
            "(`types: {name: definition}`).",
            path,
        )
        registry.complete = False
        return registry
    parsed: dict[str, Any] = {}
    for name, definition in definitions.items():
        key_path = path + (name,)
        if not check_name(report, name, key_path, "type"):
            continue
        if name in BUILTIN_TYPES:
            report.add(
                "E_TYPE_BUILTIN_REDEFINED",
                f"`{name}` is a builtin type and cannot be redefined; give your type another name.",
                key_path,
                at_key=True,
            )
            continue
        parsed[name] = _parse(
            report, definition, key_path, True, f"The definition of type `{name}`"
        )

    edges: dict[str, list] = {}
    for name, node in parsed.items():
        if node is None:
            continue
        mentions: list = []
        _references(node, mentions)
        edges[name] = [
            (target, mention_path) for target, mention_path in mentions if target in parsed
        ]
    for cycle, mention_path in find_cycles(list(parsed), edges):
        report.add(
            "E_TYPE_CYCLE",
            "Type definitions refer to each other in a cycle: "
            + " > ".join(cycle)
            + "; break the cycle.",
            mention_path,
        )
        for member in cycle:
            parsed[member] = None

    # Dependencies first, so that building never recurses through long chains of names.
    depends_on = {name: [target for target, _ in edges.get(name, ())] for name in parsed}
    builder = _Builder(report, registry, parsed)
    for name in topological_order(list(parsed), depends_on):
        builder.named(name)
    return registry
