"""The type system: builtin and defined types, identity, inference from literals, compatibility.

Identity: simple types by name; named structured types by name; anonymous ones by structure
(enumerated mappings and unions ignore order, tuples don't); a named type never equals an
anonymous one. Types are immutable and hashable; identity is precomputed in `key`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class Type:
    __slots__ = ("name", "key", "_hash")

    def __init__(self, name: str | None, key: tuple) -> None:
        self.name = name
        self.key = key
        self._hash = hash(key)

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Type) and self.key == other.key)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self}>"

    def describe(self) -> str:
        """The structure, even for a named type (`str()` gives just the name)."""
        return str(self)


class SimpleType(Type):
    __slots__ = ("supertype",)

    def __init__(self, name: str, supertype: SimpleType | None = None) -> None:
        super().__init__(name, ("simple", name))
        self.supertype = supertype

    def is_subtype_of(self, other: Type) -> bool:
        current = self.supertype
        while current is not None:
            if current == other:
                return True
            current = current.supertype
        return False

    def __str__(self) -> str:
        return self.name or ""


def _named_key(name: str | None, anonymous: tuple) -> tuple:
    return ("named", name) if name is not None else anonymous


class ListType(Type):
    __slots__ = ("element",)

    def __init__(self, element: Type, name: str | None = None) -> None:
        super().__init__(name, _named_key(name, ("list", element.key)))
        self.element = element

    def describe(self) -> str:
        return f"list[{self.element}]"

    def __str__(self) -> str:
        return self.name or self.describe()


class TupleType(Type):
    __slots__ = ("elements",)

    def __init__(self, elements: Iterable[Type], name: str | None = None) -> None:
        elements = tuple(elements)
        super().__init__(name, _named_key(name, ("tuple", tuple(e.key for e in elements))))
        self.elements = elements

    def describe(self) -> str:
        return "tuple[" + ", ".join(str(e) for e in self.elements) + "]"

    def __str__(self) -> str:
        return self.name or self.describe()


class MappingType(Type):
    """An enumerated mapping: fixed property names, each with its type."""

    __slots__ = ("properties",)

    def __init__(self, properties: Mapping[Any, Type], name: str | None = None) -> None:
        properties = dict(properties)
        anonymous = ("mapping", frozenset((k, v.key) for k, v in properties.items()))
        super().__init__(name, _named_key(name, anonymous))
        self.properties = properties

    def describe(self) -> str:
        return "{" + ", ".join(f"{k}: {v}" for k, v in self.properties.items()) + "}"

    def __str__(self) -> str:
        return self.name or self.describe()


class KeyValueMappingType(Type):
    """A mapping with one key type (string or integer) and one value type."""

    __slots__ = ("key_type", "value_type")

    def __init__(self, key_type: Type, value_type: Type, name: str | None = None) -> None:
        anonymous = ("kvmapping", key_type.key, value_type.key)
        super().__init__(name, _named_key(name, anonymous))
        self.key_type = key_type
        self.value_type = value_type

    def describe(self) -> str:
        return f"mapping[{self.key_type}, {self.value_type}]"

    def __str__(self) -> str:
        return self.name or self.describe()


class UnionType(Type):
    __slots__ = ("members",)

    def __init__(self, members: Iterable[Type], name: str | None = None) -> None:
        members = frozenset(members)
        super().__init__(name, _named_key(name, ("union", frozenset(m.key for m in members))))
        self.members = members

    def describe(self) -> str:
        return " | ".join(sorted(str(m) for m in self.members))

    def __str__(self) -> str:
        return self.name or f"union[{self.describe()}]"


ANY = SimpleType("any")
STRING = SimpleType("string")
NUMBER = SimpleType("number")
INTEGER = SimpleType("integer", NUMBER)
BOOLEAN = SimpleType("boolean")
NULL = SimpleType("null")

BUILTIN_TYPES: dict[str, Type] = {t.name: t for t in (ANY, STRING, INTEGER, NUMBER, BOOLEAN, NULL)}
# The names every group has without defining them, in this order (public: the plugin registry
# lists the same types).
BUILTIN_TYPE_NAMES: tuple[str, ...] = tuple(BUILTIN_TYPES)

STRUCTURED = (ListType, TupleType, MappingType, KeyValueMappingType)


# How many levels deep `compatible` follows two types (unions of unions of ... through names);
# deeper is `TypesTooDeep`, reported as a cap, instead of exhausting the stack.
MAX_COMPARE_DEPTH = 100


class TypesTooDeep(Exception):
    """Two types nest more than `MAX_COMPARE_DEPTH` levels deep to be compared."""


def compatible_or_none(arg: Type, param: Type) -> bool | None:
    """Whether a value of type `arg` may be passed where `param` is expected, or None when the
    types nest too deeply to be compared.

    Anything fits `any`; a simple type fits itself and its supertypes (`integer` fits `number`); a
    union argument fits when every member does, a union parameter when one member takes it; two
    differently named structured types never fit; otherwise structure decides (a tuple fits a
    list whose element type takes each of its elements; an enumerated mapping fits
    `mapping[string, V]` when `V` takes each of its values).
    """
    try:
        return _compatible(arg, param, 0)
    except TypesTooDeep:
        return None


TOO_DEEP_ADVICE = (
    f"the types nest more than {MAX_COMPARE_DEPTH} levels deep (unions of unions ...) to be "
    "compared; flatten the type definitions."
)


def _compatible(arg: Type, param: Type, depth: int) -> bool:
    if param is ANY or arg == param:
        return True
    if depth >= MAX_COMPARE_DEPTH:
        raise TypesTooDeep
    depth += 1
    if isinstance(arg, UnionType):
        return all(_compatible(member, param, depth) for member in arg.members)
    if isinstance(param, UnionType):
        return any(_compatible(arg, member, depth) for member in param.members)
    if isinstance(arg, SimpleType):
        return isinstance(param, SimpleType) and arg.is_subtype_of(param)
    if not isinstance(param, STRUCTURED):
        return False
    if arg.name is not None and param.name is not None:
        return False  # two differently named structured types
    return _structurally_compatible(arg, param, depth)


def _structurally_compatible(arg: Type, param: Type, depth: int) -> bool:
    if isinstance(param, ListType):
        if isinstance(arg, TupleType):
            return all(_compatible(element, param.element, depth) for element in arg.elements)
        if isinstance(arg, ListType):
            return _compatible(arg.element, param.element, depth)
        return False
    if isinstance(param, TupleType):
        return (
            isinstance(arg, TupleType)
            and len(arg.elements) == len(param.elements)
            and all(
                _compatible(a, p, depth) for a, p in zip(arg.elements, param.elements, strict=True)
            )
        )
    if isinstance(param, MappingType):
        return (
            isinstance(arg, MappingType)
            and arg.properties.keys() == param.properties.keys()
            and all(_compatible(t, param.properties[k], depth) for k, t in arg.properties.items())
        )
    if isinstance(param, KeyValueMappingType):
        if isinstance(arg, MappingType):
            return param.key_type == STRING and all(
                _compatible(t, param.value_type, depth) for t in arg.properties.values()
            )
        if isinstance(arg, KeyValueMappingType):
            return _compatible(arg.key_type, param.key_type, depth) and _compatible(
                arg.value_type, param.value_type, depth
            )
    return False


def union_of(types: Iterable[Type]) -> Type:
    distinct = list(dict.fromkeys(types))
    return distinct[0] if len(distinct) == 1 else UnionType(distinct)


def infer_literal(value: Any) -> Type:
    """The type of a literal value (no reference resolution: `$x` is a string here)."""
    value_class = value.__class__
    if value_class is str:
        return STRING
    if value_class is bool:
        return BOOLEAN
    if value_class is int:
        return INTEGER
    if value_class is float:
        return NUMBER
    if value is None:
        return NULL
    if value_class is list or value_class is tuple:
        return TupleType([infer_literal(item) for item in value])
    if value_class is dict:
        return infer_mapping(value, {k: infer_literal(v) for k, v in value.items()})
    return _infer_subclass(value)


def _infer_subclass(value: Any) -> Type:
    # Subclasses of the plain types (mapping input may carry them); anything else is `any`.
    if isinstance(value, str):
        return STRING
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, (list, tuple)):
        return TupleType([infer_literal(item) for item in value])
    if isinstance(value, Mapping):
        return infer_mapping(value, {k: infer_literal(v) for k, v in value.items()})
    return ANY


def infer_mapping(value: Mapping, value_types: Mapping[Any, Type]) -> Type:
    """String keys -> enumerated mapping; integer keys -> mapping[integer, V]; else `any`."""
    if all(isinstance(key, str) for key in value):
        return MappingType(value_types)
    if all(isinstance(key, int) and not isinstance(key, bool) for key in value):
        return KeyValueMappingType(INTEGER, union_of(value_types.values()))
    return ANY
