"""Graph edits as text edits: `(texts, operation) -> texts`, the way a careful person would type.

The graph editor never rebuilds the YAML: each operation finds the nodes it touches by their
positions (PyYAML's compose marks, in code points) and splices only those spans, so comments,
key order, quoting, blank lines and every other step stay as they were. Block and flow YAML and
the three invocation styles (positional, keyword, mixed) are handled in place; a new step is
written in keyword style. Every function takes and returns whole texts; nothing is validated
here beyond "the text must load" (the caller judges the result with the engine).

An input that is not connected is written as the placeholder `"$?"` (`references.PLACEHOLDER`,
quoted, as `?` ends a plain text inside `[...]`): an unresolvable reference, reported with its
own message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from .limits import DEFAULT_LIMITS, Limits
from .references import PLACEHOLDER
from .yaml_loader import load_text

UNCONNECTED = json.dumps(PLACEHOLDER)  # its text: quoted

try:  # the C loader when there is one: the same marks, faster
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

INDENT = 2
DEPENDENCIES = "dependencies"
MIXED_KEYS = ("task", "args", "kwargs")


class EditError(ValueError):
    """The operation cannot be applied to this text; the message says why, for the user."""


@dataclass(frozen=True)
class Texts:
    task_graph: str
    artifact_graph: str = ""


# Reading positions --------------------------------------------------------------------------------


@dataclass
class _Doc:
    text: str
    steps: yaml.MappingNode  # the step mapping (inside a `graph:` wrapper if there is one)

    def entries(self) -> list[tuple[yaml.Node, yaml.Node]]:
        return list(self.steps.value)

    def step(self, name: str) -> tuple[yaml.Node, yaml.Node]:
        for key, value in self.steps.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                return key, value
        raise EditError(f"There is no step `{name}` in the task graph.")

    def names(self) -> list[str]:
        return [k.value for k, _ in self.steps.value if isinstance(k, yaml.ScalarNode)]


def _compose(text: str, limits: Limits, what: str = "task graph") -> yaml.Node | None:
    loaded = load_text(text, limits)
    if loaded.fatal or any(issue.code.startswith("E_YAML") for issue in loaded.issues):
        raise EditError(
            f"The {what} must parse before the graph can change it; fix its YAML first."
        )
    return yaml.compose(text, Loader=_Loader)


def _read(text: str, limits: Limits = DEFAULT_LIMITS) -> _Doc:
    root = _compose(text, limits)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        # An empty text: a block mapping to append to.
        return _Doc(text, yaml.MappingNode("tag:yaml.org,2002:map", [], flow_style=False))
    if not isinstance(root, yaml.MappingNode):
        raise EditError("The task graph must be a mapping of step names to steps.")
    if len(root.value) == 1 and _scalar(root.value[0][0]) == "graph":
        inner = root.value[0][1]
        if isinstance(inner, yaml.MappingNode):
            return _Doc(text, inner)
    return _Doc(text, root)


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style


def _find(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in mapping.value:
        if _scalar(k) == key:
            return k, v
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Where the line holding ``index`` ends: its `\n`, or the `\r` of its `\r\n`."""
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > index and text[end - 1] == "\r" else end


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


def _content_end(text: str, node: yaml.Node) -> int:
    """Where a node's own text ends: block collections' marks run on to the next token, past
    newlines and comments that are not theirs."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            while end > node.start_mark.index and text[end - 1] in " \n\r":
                end -= 1
        return end
    if node.flow_style or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    return _content_end(text, last[1] if isinstance(node, yaml.MappingNode) else last)


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


# Writing values -----------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[^\s#:,\[\]{}&*!|>'\"%@`?-][^#,\[\]{}]*$")


def scalar_text(value, *, flow: bool = True, like: str | None = None) -> str:
    """A value as YAML text: plain when it reads back as the same string, else quoted (in the
    quotes of ``like``, the text it replaces, when that was quoted)."""
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    quote = like[:1] if like and like[:1] in "'\"" else ""
    plain_ok = bool(_PLAIN.match(value)) and ": " not in value and not value.endswith(":")
    if plain_ok and value == value.strip():
        # It must read back the same in block and in flow context (`[...]` stops at `?`).
        try:
            plain_ok = yaml.safe_load(value) == value and yaml.safe_load(f"[{value}]") == [value]
        except yaml.YAMLError:
            plain_ok = False
    if plain_ok and not quote:
        return value
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def reference(step: str, output: str | None = None) -> str:
    return f"${step}" if output is None else f"${step}.{output}"


# Where a step's arguments live --------------------------------------------------------------------


@dataclass
class _Call:
    """A step's invocation: its style and the nodes of its arguments."""

    style: str  # positional | keyword | mixed
    body: yaml.MappingNode  # the step's mapping
    task: str | None
    positional: yaml.Node | None  # a sequence, or one scalar (a single positional argument)
    keywords: yaml.MappingNode | None
    task_value: yaml.Node | None  # the node after the task key (styles positional/keyword)


def _call(body: yaml.Node, name: str) -> _Call:
    if not isinstance(body, yaml.MappingNode):
        raise EditError(f"Step `{name}` is not a mapping; edit its YAML by hand.")
    if _find(body, "task") is not None:
        args = _find(body, "args")
        kwargs = _find(body, "kwargs")
        return _Call(
            "mixed",
            body,
            _scalar(_find(body, "task")[1]),
            args[1] if args else None,
            kwargs[1] if kwargs and isinstance(kwargs[1], yaml.MappingNode) else None,
            None,
        )
    for key, value in body.value:
        if _scalar(key) != DEPENDENCIES:
            if isinstance(value, yaml.MappingNode):
                return _Call("keyword", body, _scalar(key), None, value, value)
            if _is_null(value):  # `task:` and nothing: no arguments yet
                return _Call("keyword", body, _scalar(key), None, None, value)
            return _Call("positional", body, _scalar(key), value, None, value)
    raise EditError(f"Step `{name}` names no task.")


def _item_indent(text: str, mapping: yaml.MappingNode, parent_key: yaml.Node) -> int:
    """The column a new entry of a block mapping goes to."""
    if mapping.value:
        return _column(text, mapping.value[0][0].start_mark.index)
    return _column(text, parent_key.start_mark.index) + INDENT


def _add_entry(
    text: str, mapping: yaml.MappingNode, key_node: yaml.Node, key: str, value: str
) -> str:
    """Add ``key: value`` to a mapping, in its own style (block: a new line; flow: before `}`)."""
    entry = f"{scalar_text(key)}: {value}"
    if mapping.flow_style:
        close = mapping.end_mark.index - 1
        inner = text[mapping.start_mark.index + 1 : close]
        if not inner.strip():
            return _splice(
                text, mapping.start_mark.index, mapping.end_mark.index, "{" + entry + "}"
            )
        before = close
        while text[before - 1] in " \t":
            before -= 1
        return _splice(text, before, before, ", " + entry)
    indent = _item_indent(text, mapping, key_node)
    if not mapping.value:
        # An empty block mapping is a null scalar in YAML; callers never pass one.
        raise EditError("Cannot add to an empty mapping here.")
    at = _line_end(text, _content_end(text, mapping))
    return _splice(text, at, at, _newline(text) + " " * indent + entry)


def _set_node(text: str, node: yaml.Node, value: str) -> str:
    """Replace a value node's own text (a nested block collection included) with ``value``."""
    return _splice(text, node.start_mark.index, _content_end(text, node), value)


def _null_value_span(text: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
    """Where to write the value of ``key:`` with nothing after it."""
    at = key.end_mark.index
    colon = text.index(":", at)
    return colon + 1, colon + 1


def _set_keyword(text: str, call: _Call, name: str, input_name: str, value: str) -> str:
    found = _find(call.keywords, input_name) if call.keywords is not None else None
    if found is not None:
        key, node = found
        if _is_null(node):
            start, end = _null_value_span(text, key, node)
            return _splice(text, start, end, " " + value)
        return _set_node(text, node, value)
    if call.keywords is not None and (call.keywords.value or call.keywords.flow_style):
        return _add_entry(text, call.keywords, _task_key(call), input_name, value)
    if call.style == "mixed":
        return _add_entry(
            text,
            call.body,
            call.body.value[0][0],
            "kwargs",
            "{" + f"{scalar_text(input_name)}: {value}" + "}",
        )
    # `task:` with nothing (a null): write a flow mapping after the colon.
    key = _task_key(call)
    start, end = _null_value_span(text, key, call.task_value)
    return _splice(text, start, end, " {" + f"{scalar_text(input_name)}: {value}" + "}")


def _task_key(call: _Call) -> yaml.Node:
    for key, _ in call.body.value:
        if _scalar(key) == call.task:
            return key
    return call.body.value[0][0]


def _set_positional(text: str, call: _Call, index: int, value: str, name: str) -> str:
    node = call.positional
    if isinstance(node, yaml.SequenceNode):
        if index < len(node.value):
            return _set_node(text, node.value[index], value)
        if index > len(node.value):
            raise EditError(
                f"Step `{name}` passes {len(node.value)} positional argument(s); give the ones "
                "before this input first, or use keywords."
            )
        if node.flow_style:
            close = node.end_mark.index - 1
            if not text[node.start_mark.index + 1 : close].strip():
                return _splice(text, node.start_mark.index, node.end_mark.index, f"[{value}]")
            return _splice(text, close, close, f", {value}")
        indent = _column(text, node.value[0].start_mark.index) - 2
        at = _line_end(text, _content_end(text, node))
        return _splice(text, at, at, _newline(text) + " " * indent + f"- {value}")
    if node is None:
        if call.style == "mixed":
            return _add_entry(text, call.body, call.body.value[0][0], "args", f"[{value}]")
        raise EditError(f"Step `{name}` has no arguments to change.")
    # One scalar argument: it is argument 0.
    if index == 0:
        if _is_null(node):
            start, end = _null_value_span(text, _task_key(call), node)
            return _splice(text, start, end, " " + value)
        return _set_node(text, node, value)
    if index == 1:
        old = text[node.start_mark.index : _content_end(text, node)]
        return _set_node(text, node, f"[{old}, {value}]")
    raise EditError(f"Step `{name}` passes one positional argument; use keywords for this input.")


def set_argument(
    texts: Texts,
    *,
    step: str,
    input_name: str,
    value: str,
    inputs: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Texts:
    """Give ``step``'s input ``input_name`` the YAML text ``value``, in the step's own style:
    a keyword where it passes keywords, the input's position (``inputs``: the task's inputs in
    order) where it passes positional arguments."""
    doc = _read(texts.task_graph, limits)
    _, body = doc.step(step)
    call = _call(body, step)
    text = texts.task_graph
    positional_count = (
        len(call.positional.value)
        if isinstance(call.positional, yaml.SequenceNode)
        else (0 if call.positional is None else 1)
    )
    index = list(inputs).index(input_name) if input_name in inputs else None
    if call.style == "keyword":
        text = _set_keyword(text, call, step, input_name, value)
    elif call.style == "positional":
        if index is None:
            raise EditError(f"`{input_name}` is not an input of task `{call.task}`.")
        text = _set_positional(text, call, index, value, step)
    elif index is not None and index < positional_count:
        text = _set_positional(text, call, index, value, step)
    else:
        text = _set_keyword(text, call, step, input_name, value)
    return Texts(text, texts.artifact_graph)


def connect(
    texts: Texts,
    *,
    step: str,
    input_name: str,
    source: str,
    output: str | None = None,
    inputs: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Texts:
    """Wire ``source`` (a step, parameter or artifact input; ``output`` for one of several
    outputs) to ``step``'s input: the reference replaces what the input had."""
    return set_argument(
        texts,
        step=step,
        input_name=input_name,
        value=scalar_text(reference(source, output)),
        inputs=inputs,
        limits=limits,
    )


# References ---------------------------------------------------------------------------------------


def _values(node: yaml.Node):
    """Every scalar value node inside ``node`` (never mapping keys), depth first."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _values(item)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _values(value)


def _refers_to(value: str, name: str) -> bool:
    return value == f"${name}" or value.startswith(f"${name}.")


def _argument_nodes(body: yaml.Node):
    """The scalar values of a step's arguments (not its task name or dependencies)."""
    if not isinstance(body, yaml.MappingNode):
        return
    for key, value in body.value:
        if _scalar(key) in (DEPENDENCIES, "task") and _find(body, "task") is not None:
            continue
        if _scalar(key) == DEPENDENCIES:
            continue
        yield from _values(value)


def _replace_all(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(spans, reverse=True):
        text = _splice(text, start, end, new)
    return text


def _node_text(text: str, node: yaml.Node) -> str:
    return text[node.start_mark.index : node.end_mark.index]


def disconnect(
    texts: Texts,
    *,
    step: str,
    source: str,
    output: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Texts:
    """Turn ``step``'s references to ``source`` (to its ``output`` only, when given) into
    placeholders."""
    doc = _read(texts.task_graph, limits)
    _, body = doc.step(step)
    wanted = None if output is None else reference(source, output)
    spans = [
        (node.start_mark.index, node.end_mark.index, UNCONNECTED)
        for node in _argument_nodes(body)
        if _refers_to(node.value, source) and (wanted is None or node.value == wanted)
    ]
    if not spans:
        raise EditError(f"Step `{step}` does not use `{reference(source, output)}`.")
    return Texts(_replace_all(texts.task_graph, spans), texts.artifact_graph)


def _dependencies(doc: _Doc, step: str) -> tuple[yaml.MappingNode, tuple | None, list[str]]:
    _, body = doc.step(step)
    if not isinstance(body, yaml.MappingNode):
        raise EditError(f"Step `{step}` is not a mapping; edit its YAML by hand.")
    found = _find(body, DEPENDENCIES)
    names: list[str] = []
    if found is not None:
        value = found[1]
        if isinstance(value, yaml.SequenceNode):
            names = [v.value for v in value.value if isinstance(v, yaml.ScalarNode)]
        elif isinstance(value, yaml.ScalarNode) and value.value:
            names = [value.value]
    return body, found, names


def _flow_list(names: Sequence[str]) -> str:
    return "[" + ", ".join(scalar_text(n) for n in names) + "]"


def _write_dependencies(text: str, body, found, step_key, names: list[str]) -> str:
    if found is None:
        return _add_entry(text, body, step_key, DEPENDENCIES, _flow_list(names))
    key, value = found
    if names:
        if _is_null(value):
            start, end = _null_value_span(text, key, value)
            return _splice(text, start, end, " " + _flow_list(names))
        return _set_node(text, value, _flow_list(names))
    return _remove_entry(text, body, key, value)


def _remove_entry(text: str, mapping: yaml.MappingNode, key: yaml.Node, value: yaml.Node) -> str:
    """Remove ``key: value`` from a mapping (block: its lines; flow: the entry and a comma)."""
    if mapping.flow_style:
        start, end = key.start_mark.index, _content_end(text, value)
        after = text[end:]
        stripped = after.lstrip(" \t")
        if stripped.startswith(","):
            end += len(after) - len(stripped) + 1
            end += len(text[end:]) - len(text[end:].lstrip(" \t"))
        else:
            before = text[:start].rstrip(" \t")
            if before.endswith(","):
                start = len(before) - 1
        return _splice(text, start, end, "")
    return _remove_lines(text, key.start_mark.index, _content_end(text, value))


def _comment_start(text: str, index: int) -> int:
    """The start of the comment lines directly above the line holding ``index`` (at its
    indentation), else of that line. Comments that open the text are its header, no step's."""
    line_start = start = _line_start(text, index)
    column = index - start
    while start > 0:
        above = _line_start(text, start - 1)
        line = text[above:start].rstrip("\r\n")
        if not line.strip().startswith("#") or len(line) - len(line.lstrip()) != column:
            break
        start = above
    return line_start if start == 0 else start


def _remove_lines(text: str, first: int, last: int) -> str:
    """Remove the whole lines from the one holding ``first`` to the one holding ``last``; of the
    blank lines around them, one stays."""
    start, end = _line_start(text, first), _line_end(text, last)
    if end < len(text):
        end = text.index("\n", end) + 1
    elif start > 0:
        start -= 1  # the last line has no newline: take the one before it
        if start > 0 and text[start - 1] == "\r":
            start -= 1
    blank_before = start == 0 or text[_line_start(text, start - 1) : start].strip() == ""
    blank_after = end >= len(text) or text[end : _line_end(text, end)].strip() == ""
    if blank_before and blank_after and end < len(text):
        following = text.find("\n", end)
        end = len(text) if following < 0 else following + 1
    result = _splice(text, start, end, "")
    if end >= len(text) and result.strip() and text.endswith("\n"):
        result = result.rstrip() + _newline(text)  # no blank lines left at the end
    return result


def add_dependency(texts: Texts, *, step: str, on: str, limits: Limits = DEFAULT_LIMITS) -> Texts:
    """``step`` runs after ``on`` (an explicit `dependencies` entry)."""
    doc = _read(texts.task_graph, limits)
    if on not in doc.names():
        raise EditError(f"There is no step `{on}` in the task graph.")
    if on == step:
        raise EditError("A step cannot depend on itself.")
    body, found, names = _dependencies(doc, step)
    if on in names:
        raise EditError(f"Step `{step}` already depends on `{on}`.")
    key, _ = doc.step(step)
    text = _write_dependencies(texts.task_graph, body, found, key, [*names, on])
    return Texts(text, texts.artifact_graph)


def remove_dependency(
    texts: Texts, *, step: str, on: str, limits: Limits = DEFAULT_LIMITS
) -> Texts:
    doc = _read(texts.task_graph, limits)
    body, found, names = _dependencies(doc, step)
    if on not in names:
        raise EditError(f"Step `{step}` has no dependency on `{on}`.")
    key, _ = doc.step(step)
    text = _write_dependencies(texts.task_graph, body, found, key, [n for n in names if n != on])
    return Texts(text, texts.artifact_graph)


# Steps --------------------------------------------------------------------------------------------


def _artifact_contents(text: str, limits: Limits) -> list[yaml.ScalarNode]:
    """The scalar values of the artifact graph (its `contents` and task arguments)."""
    if not text.strip():
        return []
    root = _compose(text, limits, "artifact output graph")
    return list(_values(root)) if root is not None else []


def rename_step(texts: Texts, *, old: str, new: str, limits: Limits = DEFAULT_LIMITS) -> Texts:
    """Rename a step and every reference to it (`$old`, `$old.output`, `dependencies`, the
    artifact graph's references); `$$old` is an escaped text, not a reference, and stays."""
    new = new.strip()
    if not new or "." in new or new.startswith("$"):
        raise EditError("A step name must not be empty, contain `.` or start with `$`.")
    doc = _read(texts.task_graph, limits)
    if new != old and new in doc.names():
        raise EditError(f"There is already a step `{new}`.")
    key, _ = doc.step(old)
    text = texts.task_graph
    spans = [
        (key.start_mark.index, key.end_mark.index, scalar_text(new, like=_node_text(text, key)))
    ]
    for _, body in doc.entries():
        for node in _argument_nodes(body):
            if _refers_to(node.value, old):
                renamed = "$" + new + node.value[len(old) + 1 :]
                spans.append(
                    (
                        node.start_mark.index,
                        node.end_mark.index,
                        scalar_text(renamed, like=_node_text(text, node)),
                    )
                )
        if isinstance(body, yaml.MappingNode) and (found := _find(body, DEPENDENCIES)):
            for node in _values(found[1]):
                if node.value == old:
                    spans.append(
                        (
                            node.start_mark.index,
                            node.end_mark.index,
                            scalar_text(new, like=_node_text(text, node)),
                        )
                    )
    artifact = texts.artifact_graph
    artifact_spans = [
        (
            node.start_mark.index,
            node.end_mark.index,
            scalar_text("$" + new + node.value[len(old) + 1 :], like=_node_text(artifact, node)),
        )
        for node in _artifact_contents(artifact, limits)
        if _refers_to(node.value, old)
    ]
    return Texts(_replace_all(text, spans), _replace_all(artifact, artifact_spans))


def references_to(texts: Texts, *, step: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Where other steps and the artifact graph use ``step``, in words (a delete's warning)."""
    doc = _read(texts.task_graph, limits)
    doc.step(step)
    found = []
    for key, body in doc.entries():
        if _scalar(key) == step:
            continue
        for node in _argument_nodes(body):
            if _refers_to(node.value, step):
                found.append(f"step `{_scalar(key)}` uses `{node.value}`")
        if isinstance(body, yaml.MappingNode) and (deps := _find(body, DEPENDENCIES)):
            if any(n.value == step for n in _values(deps[1])):
                found.append(f"step `{_scalar(key)}` depends on it")
    found += [
        f"the artifact output graph uses `{node.value}`"
        for node in _artifact_contents(texts.artifact_graph, limits)
        if _refers_to(node.value, step)
    ]
    return found


def _keyword_use(doc: _Doc, step: str):
    """A keyword argument (of another step) whose value is a reference to ``step``."""
    for _, body in doc.entries():
        if not isinstance(body, yaml.MappingNode):
            continue
        try:
            call = _call(body, "")
        except EditError:
            continue
        for key, value in call.keywords.value if call.keywords is not None else []:
            if isinstance(value, yaml.ScalarNode) and _refers_to(value.value, step):
                return call.keywords, key, value
    return None


def _drop_keyword_uses(text: str, step: str, limits: Limits) -> str:
    """Remove the keyword arguments that pass ``step``'s output, one at a time (each removal
    moves the positions after it); a mapping left empty becomes `{}`."""
    while (found := _keyword_use(_read(text, limits), step)) is not None:
        mapping, key, value = found
        if len(mapping.value) > 1 or mapping.flow_style:
            text = _remove_entry(text, mapping, key, value)
            continue
        # The only argument of a block mapping: `task:` + its lines become `task: {}`.
        start = _line_start(text, mapping.start_mark.index)
        while start > 0 and text[start - 1] in "\r\n":
            start -= 1
        text = _splice(text, start, _content_end(text, value), " {}")
    return text


def delete_step(
    texts: Texts, *, step: str, drop_arguments: bool = False, limits: Limits = DEFAULT_LIMITS
) -> Texts:
    """Remove a step; references to it become placeholders (``drop_arguments``: keyword
    arguments passing it are removed instead) and dependencies on it are dropped."""
    if drop_arguments:
        doc = _read(texts.task_graph, limits)
        doc.step(step)
        texts = Texts(_drop_keyword_uses(texts.task_graph, step, limits), texts.artifact_graph)
    doc = _read(texts.task_graph, limits)
    key, body = doc.step(step)
    text = texts.task_graph
    spans = []
    dependency_edits = []
    for other_key, other in doc.entries():
        if other is body:
            continue
        for node in _argument_nodes(other):
            if _refers_to(node.value, step):
                spans.append((node.start_mark.index, node.end_mark.index, UNCONNECTED))
        if isinstance(other, yaml.MappingNode) and (deps := _find(other, DEPENDENCIES)):
            if any(n.value == step for n in _values(deps[1])):
                dependency_edits.append(_scalar(other_key))
    if doc.steps.flow_style:
        text = _replace_all(text, spans)
        doc = _read(text, limits)
        key, body = doc.step(step)
        text = _remove_entry(text, doc.steps, key, body)
    else:
        # Placeholders first (they lie outside the step), then the step's lines with the
        # comment lines right above it (they are about it).
        first, last = _comment_start(text, key.start_mark.index), _content_end(text, body)
        shift = sum(len(new) - (end - start) for start, end, new in spans if start < first)
        text = _remove_lines(_replace_all(text, spans), first + shift, last + shift)
    result = Texts(text, texts.artifact_graph)
    for name in dependency_edits:
        result = remove_dependency(result, step=name, on=step, limits=limits)
    artifact = result.artifact_graph
    artifact_spans = [
        (node.start_mark.index, node.end_mark.index, UNCONNECTED)
        for node in _artifact_contents(artifact, limits)
        if _refers_to(node.value, step)
    ]
    return Texts(result.task_graph, _replace_all(artifact, artifact_spans))


def unique_step_name(texts: Texts, base: str, limits: Limits = DEFAULT_LIMITS) -> str:
    names = set(_read(texts.task_graph, limits).names())
    if base not in names:
        return base
    n = 2
    while f"{base}_{n}" in names:
        n += 1
    return f"{base}_{n}"


def add_step(
    texts: Texts,
    *,
    task: str,
    inputs: Sequence[str] = (),
    values: Mapping[str, str] | None = None,
    name: str | None = None,
    after: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Texts, str]:
    """Insert a step calling ``task`` in keyword style, each of ``inputs`` given its YAML text from
    ``values`` or the placeholder; after the step ``after`` (else at the end). Returns the texts
    and the new step's name (``name``, or the task's name made unique)."""
    doc = _read(texts.task_graph, limits)
    name = name or unique_step_name(texts, task, limits)
    if name in doc.names():
        raise EditError(f"There is already a step `{name}`.")
    values = values or {}
    arguments = [(i, values.get(i, UNCONNECTED)) for i in inputs]
    text = texts.task_graph
    nl = _newline(text)
    if doc.steps.flow_style:
        args = "{" + ", ".join(f"{scalar_text(k)}: {v}" for k, v in arguments) + "}"
        entry = f"{scalar_text(name)}: {{{scalar_text(task)}: {args}}}"
        close = doc.steps.end_mark.index - 1
        inner = text[doc.steps.start_mark.index + 1 : close]
        glue = ", " if inner.strip() else ""
        return Texts(_splice(text, close, close, glue + entry), texts.artifact_graph), name
    entries = doc.entries()
    indent = _column(text, entries[0][0].start_mark.index) if entries else 0
    step_indent = INDENT
    for _, body in entries:
        if isinstance(body, yaml.MappingNode) and body.value and not body.flow_style:
            step_indent = _column(text, body.value[0][0].start_mark.index) - indent
            break
    pad, inner_pad = " " * (indent + step_indent), " " * (indent + 2 * step_indent)
    lines = [" " * indent + f"{scalar_text(name)}:"]
    if arguments:
        lines.append(f"{pad}{scalar_text(task)}:")
        lines += [f"{inner_pad}{scalar_text(k)}: {v}" for k, v in arguments]
    else:
        lines.append(f"{pad}{scalar_text(task)}: {{}}")
    block = nl.join(lines)
    if after is not None:
        _, body = doc.step(after)
        at = _line_end(text, _content_end(text, body))
        return Texts(_splice(text, at, at, nl + block), texts.artifact_graph), name
    if not entries:
        head = text.rstrip()
        joined = (head + nl if head else "") + block + nl
        return Texts(joined, texts.artifact_graph), name
    at = _line_end(text, _content_end(text, entries[-1][1]))
    rest = text[at:]
    return Texts(
        text[:at] + nl + nl + block + (rest if rest.strip() else nl), texts.artifact_graph
    ), name
