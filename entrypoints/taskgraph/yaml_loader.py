"""YAML text -> plain Python values plus the positions of every node, safely.

The libyaml event parser (`yaml.CSafeLoader`) drives one loop that builds the values and, beside
them, a position tree. Nothing but the standard YAML tags is ever constructed. Refused here:
anchors and aliases (alias bombs), other tags, duplicate keys (the first occurrence stays), several
documents, and texts over the caps.

Position tree: the root is ``(start, end, child)``; a mapping's child is a dict ``key -> (key_start,
key_end, value_start, value_end, child)``; a sequence's child is a list of ``(start, end, child)``;
scalars have ``child = None``. Offsets count code points from the start of the text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .limits import DEFAULT_LIMITS, Limits
from .names import show

Loader = yaml.CSafeLoader

_TAG = "tag:yaml.org,2002:"
STR_TAG = _TAG + "str"
SEQ_TAG = _TAG + "seq"
MAP_TAG = _TAG + "map"
_MERGE_TAG = _TAG + "merge"
_VALUE_TAG = _TAG + "value"
_BOOL_TAG = _TAG + "bool"
_SEQ_TAGS = {SEQ_TAG, _TAG + "omap", _TAG + "pairs"}
_MAP_TAGS = {MAP_TAG, _TAG + "set"}
_YAML11_WORDS = {"yes", "no", "on", "off"}

_IMPLICIT = Resolver.yaml_implicit_resolvers
_constructor = SafeConstructor()
_CONSTRUCT = {
    _TAG + "null": _constructor.construct_yaml_null,
    _TAG + "bool": _constructor.construct_yaml_bool,
    _TAG + "int": _constructor.construct_yaml_int,
    _TAG + "float": _constructor.construct_yaml_float,
    _TAG + "timestamp": _constructor.construct_yaml_timestamp,
    _TAG + "binary": _constructor.construct_yaml_binary,
}

_UNHASHABLE = (list, dict, set)
_NO_KEY = object()  # a mapping frame waiting for its next key
_SKIP = object()  # a key that cannot be used (complex, or a refused merge)
_MERGE = object()  # the `<<` merge key


class LoaderIssue(NamedTuple):
    code: str
    message: str
    path: tuple
    start: int
    end: int


class Loaded:
    """A loaded text: its value, position tree, loader issues and whether it is usable."""

    __slots__ = ("text", "value", "root", "issues", "fatal", "shift")

    def __init__(self, text: str) -> None:
        self.text = text
        # Offsets in `root` and `issues` are relative to the text after a byte order mark.
        self.shift = 1 if text.startswith("\ufeff") else 0
        self.value: Any = None
        self.root: tuple | None = None
        self.issues: list[LoaderIssue] = []
        # `fatal`: nothing usable came out (syntax error, cap exceeded, several documents).
        self.fatal = False


def load_text(text: str, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Parse one YAML text. Never raises."""
    loaded = Loaded(text)
    if len(text) > limits.max_bytes // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limits.max_bytes:
            loaded.fatal = True
            loaded.issues.append(
                LoaderIssue(
                    "E_LIMIT_SIZE",
                    f"The text is {size:,} bytes; at most {limits.max_bytes:,} bytes are allowed. "
                    "Split the work into smaller entrypoints or move data into parameters.",
                    (),
                    0,
                    0,  # placed on the first line, see `loader_issues`
                )
            )
            return loaded
    if loaded.shift:
        text = text[loaded.shift :]
    try:
        parser = Loader(text)
    except UnicodeEncodeError as exc:
        loaded.fatal = True
        loaded.issues.append(
            LoaderIssue(
                "E_YAML_SYNTAX",
                f"The text contains an invalid character (U+{ord(text[exc.start]):04X}, a lone "
                "surrogate); remove it.",
                (),
                exc.start,
                exc.start + 1,
            )
        )
        return loaded
    except Exception as exc:  # noqa: BLE001 - whatever the parser refuses is a syntax issue
        loaded.fatal = True
        loaded.issues.append(
            LoaderIssue("E_YAML_SYNTAX", f"The text cannot be read: {exc}", (), 0, 0)
        )
        return loaded
    try:
        _build(parser, loaded, limits.max_depth)
    except yaml.MarkedYAMLError as exc:
        _syntax_error(loaded, exc)
    except yaml.reader.ReaderError as exc:
        index = len(text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "ignore"))
        reason = exc.reason
        if isinstance(exc.character, int):
            what = f"#x{exc.character:04x}"
        else:
            what = repr(exc.character)
        _fatal(
            loaded,
            "E_YAML_SYNTAX",
            f"Unacceptable character {what}: {reason}; remove it.",
            index,
            index + 1,
        )
    except Exception as exc:  # noqa: BLE001 - never let a hostile text raise
        _fatal(loaded, "E_YAML_SYNTAX", f"The text is not valid YAML: {exc}", 0, 0)
    finally:
        parser.dispose()
    return loaded


def _fatal(loaded: Loaded, code: str, message: str, start: int, end: int) -> None:
    loaded.fatal = True
    loaded.value = None
    loaded.root = None
    loaded.issues.append(LoaderIssue(code, message, (), start, end))


def _syntax_error(loaded: Loaded, exc: yaml.MarkedYAMLError) -> None:
    mark = exc.problem_mark or exc.context_mark
    index = mark.index if mark is not None else 0
    index = max(0, min(index, len(loaded.text)))
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.problem} ({exc.context})"
    message = f"The text is not valid YAML: {problem}."
    hint = _syntax_hint(problem)
    if hint:
        message += " " + hint
    _fatal(loaded, "E_YAML_SYNTAX", message, index, min(index + 1, len(loaded.text)))


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "Put a space after each `:` and quote values that contain `: `."
    if "tab" in problem and "indentation" in problem:
        return "Indent with spaces, not tabs."
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "Close the bracket and separate items with commas."
    if "could not find expected ':'" in problem:
        return "Each entry of a mapping needs `key: value`."
    return "Check indentation, quotes and brackets around this position."


def _path(stack: list) -> tuple:
    """The document path of the node being built at the top of `stack`."""
    path = []
    for frame in stack:
        if frame[0]:
            key = frame[3]
            if key is _NO_KEY or key is _SKIP or key is _MERGE:
                continue
            path.append(key)
        else:
            path.append(len(frame[1]))
    return tuple(path)


def _scalar_value(loaded: Loaded, stack: list, ev: Any, value: str, tag: str | None) -> Any:
    """Construct a scalar that is not a plain, untagged string."""
    implicit = tag is None or tag == "!"
    if implicit:
        if not ev.implicit[0]:
            return value
        resolvers = _IMPLICIT.get(value[0] if value else "")
        if resolvers is None:
            return value
        for candidate, regexp in resolvers:
            if regexp.match(value):
                tag = candidate
                break
        else:
            return value
        if tag == _BOOL_TAG and value.lower() in _YAML11_WORDS:
            word = "true" if value.lower() in ("yes", "on") else "false"
            _issue(
                loaded,
                stack,
                ev,
                "W_YAML11_BOOLEAN",
                f"The unquoted `{value}` is read as the boolean {word}; quote it ('{value}') if "
                f"you mean the text, or write {word}.",
            )
    if tag == STR_TAG:
        return value
    construct = _CONSTRUCT.get(tag)
    shown = show(value)
    if construct is not None:
        try:
            return construct(ScalarNode(tag, value))
        except Exception:  # noqa: BLE001 - e.g. `!!int abc`, bad base64, impossible dates
            name = tag[len(_TAG) :]
            if implicit:
                # Looks like a number or a date but is not one (too many digits, no such day).
                code = "E_YAML_SYNTAX"
                message = f"`{shown}` cannot be read as {name}; quote it to keep it as text."
            else:
                code = "E_YAML_TAG"
                message = f"`{shown}` is not a valid {name}; fix the value or drop `!!{name}`."
            _issue(loaded, stack, ev, code, message)
            return value
    if tag == _MERGE_TAG:
        return _MERGE
    if tag == _VALUE_TAG:
        message = f"A plain `{shown}` is YAML's value indicator; quote it to use it as text."
    elif tag in _SEQ_TAGS or tag in _MAP_TAGS:
        message = f"The tag `{show(tag)}` needs a collection, not a scalar; remove the tag."
    else:
        message = (
            f"The tag `{show(tag)}` is not allowed; only YAML's standard tags are. Remove the "
            "tag (quote the value if it starts with `!`)."
        )
    _issue(loaded, stack, ev, "E_YAML_TAG", message)
    return value


def _issue(loaded: Loaded, stack: list, ev: Any, code: str, message: str) -> None:
    loaded.issues.append(
        LoaderIssue(code, message, _path(stack), ev.start_mark.index, ev.end_mark.index)
    )


def _collection_tag_issue(
    loaded: Loaded, stack: list, ev: Any, allowed: set[str], kind: str
) -> str:
    tag = ev.tag
    if tag is None or tag == "!" or tag in allowed:
        return tag or ""
    start = ev.start_mark.index
    loaded.issues.append(
        LoaderIssue(
            "E_YAML_TAG",
            f"The tag `{show(tag)}` is not allowed on a {kind}; only YAML's standard tags are. "
            "Remove it.",
            _path(stack),
            start,
            start + 1,
        )
    )
    return ""


def _anchor_issue(loaded: Loaded, stack: list, ev: Any) -> None:
    start = ev.start_mark.index
    loaded.issues.append(
        LoaderIssue(
            "E_YAML_ALIAS",
            f"The anchor `&{ev.anchor}` is refused (anchors and aliases can blow up a document); "
            "write the value out where it is needed.",
            _path(stack),
            start,
            min(start + 1 + len(ev.anchor), len(loaded.text)),
        )
    )


def _build(parser: Any, loaded: Loaded, max_depth: int) -> None:  # noqa: C901 - one hot loop
    """Consume the events and build values plus positions (an explicit stack, no recursion)."""
    get_event = parser.get_event
    issues = loaded.issues
    # A frame: [is_mapping, value, positions, key, key_start, key_end, start, tag, merges]
    stack: list[list] = []
    documents = 0
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is ScalarEvent:
            value = ev.value
            tag = ev.tag
            if tag is None and ev.implicit[0] and value and value[0] not in _IMPLICIT:
                val = value
            elif tag is None and not ev.implicit[0]:
                val = value
            else:
                val = _scalar_value(loaded, stack, ev, value, tag)
            if ev.anchor is not None:
                _anchor_issue(loaded, stack, ev)
            start = ev.start_mark.index
            end = ev.end_mark.index
            child = None
            if val is _MERGE and not (stack and stack[-1][0] and stack[-1][3] is _NO_KEY):
                issues.append(
                    LoaderIssue(
                        "E_YAML_TAG",
                        f"A plain `{value}` is YAML's merge key; quote it ('{value}') to use it "
                        "as text.",
                        _path(stack),
                        start,
                        end,
                    )
                )
                val = value
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            is_map = cls is MappingStartEvent
            start = ev.start_mark.index
            if len(stack) >= max_depth:
                _fatal(
                    loaded,
                    "E_LIMIT_DEPTH",
                    f"Nesting is deeper than {max_depth} levels; flatten this value "
                    "(or pass it as a parameter).",
                    start,
                    min(start + 1, len(loaded.text)),
                )
                return
            if ev.anchor is not None:
                _anchor_issue(loaded, stack, ev)
            if is_map:
                tag = _collection_tag_issue(loaded, stack, ev, _MAP_TAGS, "mapping")
                stack.append([True, {}, {}, _NO_KEY, 0, 0, start, tag, None])
            else:
                tag = _collection_tag_issue(loaded, stack, ev, _SEQ_TAGS, "sequence")
                stack.append([False, [], [], None, 0, 0, start, tag, None])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            start = frame[6]
            end = ev.end_mark.index
            val = frame[1]
            child = frame[2]
            if frame[0]:
                if frame[8] is not None:
                    val, child = _apply_merges(val, child, frame[8])
                if frame[7] == _TAG + "set":
                    val = set(val)
            elif frame[7] in (_TAG + "omap", _TAG + "pairs"):
                val = _pairs(loaded, stack, frame)
        elif cls is AliasEvent:
            start = ev.start_mark.index
            end = ev.end_mark.index
            issues.append(
                LoaderIssue(
                    "E_YAML_ALIAS",
                    f"The alias `*{ev.anchor}` is refused (anchors and aliases can blow up a "
                    "document); write the value out where it is needed.",
                    _path(stack),
                    start,
                    end,
                )
            )
            val = None
            child = None
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                start = ev.start_mark.index
                end = max(ev.end_mark.index, start)
                _fatal(
                    loaded,
                    "E_MULTIPLE_DOCUMENTS",
                    "The text holds more than one YAML document; keep one (remove this `---`).",
                    start,
                    end,
                )
                return
            continue
        elif cls is StreamEndEvent:
            return
        elif cls is DocumentEndEvent or cls is StreamStartEvent:
            continue
        else:  # pragma: no cover - libyaml emits no other events
            continue

        # Attach the finished node to its parent.
        if not stack:
            loaded.value = val
            loaded.root = (start, end, child)
            continue
        top = stack[-1]
        if not top[0]:
            top[1].append(val)
            top[2].append((start, end, child))
            continue
        key = top[3]
        if key is _NO_KEY:
            if val is _MERGE:
                top[3] = _MERGE
            else:
                if val.__class__ in _UNHASHABLE:
                    issues.append(
                        LoaderIssue(
                            "E_YAML_SYNTAX",
                            "A mapping key must be a scalar, not a list or a mapping; use a "
                            "string key.",
                            _path(stack),
                            start,
                            end,
                        )
                    )
                    val = _SKIP
                top[3] = val
            top[4] = start
            top[5] = end
            continue
        top[3] = _NO_KEY
        if key is _SKIP:
            continue
        if key is _MERGE:
            _add_merge(loaded, stack, top, val, child, start, end)
            continue
        mapping = top[1]
        if key in mapping:
            first = top[2][key][0]
            issues.append(
                LoaderIssue(
                    "E_DUPLICATE_KEY",
                    f"The key `{show(key)}` is repeated; its first occurrence (line "
                    f"{_line_of(loaded.text, first)}) is kept and this one is ignored. Rename or "
                    "remove one of them.",
                    _path(stack) + (key,),
                    top[4],
                    top[5],
                )
            )
            continue
        mapping[key] = val
        top[2][key] = (top[4], top[5], start, end, child)


def _line_of(text: str, index: int) -> int:
    """1-based line of `index`; lines end at \n, \r\n or \r."""
    head = text[:index]
    return 1 + head.count("\n") + head.count("\r") - head.count("\r\n")


def _add_merge(
    loaded: Loaded, stack: list, top: list, val: Any, child: Any, start: int, end: int
) -> None:
    sources = []
    if isinstance(val, dict):
        sources.append((val, child))
    elif isinstance(val, list) and all(isinstance(item, dict) for item in val):
        sources.extend((item, entry[2]) for item, entry in zip(val, child, strict=True))
    else:
        loaded.issues.append(
            LoaderIssue(
                "E_YAML_SYNTAX",
                "A merge key `<<` needs a mapping or a list of mappings; quote '<<' to use it as "
                "a key.",
                _path(stack),
                start,
                end,
            )
        )
        return
    if top[8] is None:
        top[8] = []
    top[8].extend(sources)


def _apply_merges(mapping: dict, positions: dict, sources: list) -> tuple[dict, dict]:
    """Merge keys as PyYAML does: merged entries come first, explicit keys win."""
    merged: dict = {}
    merged_positions: dict = {}
    for source, source_positions in sources:
        for key, value in source.items():
            if key not in merged:
                merged[key] = value
                merged_positions[key] = source_positions[key]
    for key, value in mapping.items():
        merged[key] = value
        merged_positions[key] = positions[key]
    return merged, merged_positions


def _pairs(loaded: Loaded, stack: list, frame: list) -> list:
    pairs = []
    for item, entry in zip(frame[1], frame[2], strict=True):
        if isinstance(item, dict) and len(item) == 1:
            pairs.append(next(iter(item.items())))
        else:
            loaded.issues.append(
                LoaderIssue(
                    "E_YAML_TAG",
                    f"The tag `{frame[7]}` needs a list of one-key mappings; remove the tag.",
                    _path(stack),
                    entry[0],
                    entry[1],
                )
            )
            return frame[1]
    return pairs
