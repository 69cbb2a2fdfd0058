"""Entrypoint files of the import format: ``graph:`` and ``artifacts:`` in one YAML file.

Each section becomes an entrypoint text without its wrapper key. Dioptra re-dumps the YAML
(losing comments); here the section's own lines are cut out and dedented, so comments, quoting
and key order stay as the user wrote them, and every position the engine reports in a section
maps back to its line and column in the file. Only a section written in flow style or on the
key's line (``graph: {a: ...}``) is re-dumped; its issues then point at its key.

The file is read as a stream of YAML events (never composed whole), so no nesting depth or
alias can make reading it expensive before the engine, with its caps, judges each section.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

SECTIONS = ("graph", "artifacts")
NOT_A_MAPPING = "An entrypoint file is a mapping with the keys graph: and artifacts:."
UNKNOWN_KEY = "Unknown top-level key {key!r}; an entrypoint file has graph: and artifacts:."
DUPLICATE_KEY = "The key {key!r} appears twice; keep one."
ONE_DOCUMENT = "An entrypoint file holds one YAML document."
MAX_DEPTH = 64
TOO_DEEP = f"The file nests more than {MAX_DEPTH} levels deep."
NOT_DUMPABLE = "The {key}: section cannot be read: {error}"


@dataclass
class Section:
    """One section's text and where it sits in the file (1-based lines and columns)."""

    text: str
    first_line: int  # the file line of the text's line 1
    indent: int  # columns cut from each line
    key_line: int
    key_column: int
    exact: bool = True  # False: re-dumped, positions point at the key

    def position(self, line: int | None, column: int | None) -> tuple[int, int]:
        """Where a position of the section's text is in the file."""
        if not self.exact or line is None:
            return self.key_line, self.key_column
        return self.first_line + line - 1, (column or 1) + self.indent


@dataclass
class FileProblem:
    message: str
    line: int
    column: int


@dataclass
class _Value:
    key: str
    key_mark: yaml.Mark
    start: yaml.events.Event
    end_mark: yaml.Mark | None = None


def split_sections(text: str) -> tuple[dict[str, Section], list[FileProblem]]:
    """The sections of an entrypoint file and the problems of its layout.

    ``yaml.YAMLError`` when the file is not YAML at all (the caller lets the engine word it).
    """
    values, problems = _top_level_values(text)
    if problems:
        return {}, problems
    lines = text.splitlines(keepends=True)
    sections: dict[str, Section] = {}
    for value in values:
        if value.key not in SECTIONS:
            problems.append(_at(value.key_mark, UNKNOWN_KEY.format(key=value.key)))
        elif value.key in sections:
            problems.append(_at(value.key_mark, DUPLICATE_KEY.format(key=value.key)))
        else:
            section = _cut(lines, value) or _redumped(text, value, problems)
            if section is not None:
                sections[value.key] = section
    return sections, problems


def _at(mark: yaml.Mark, message: str) -> FileProblem:
    return FileProblem(message, mark.line + 1, mark.column + 1)


def _top_level_values(text: str) -> tuple[list[_Value], list[FileProblem]]:
    """The file's top-level keys with the first event and the end of each value."""
    values: list[_Value] = []
    depth = 0  # open collections; the file's own mapping is depth 1
    documents = 0
    key = None  # the key whose value comes next
    current = None  # the value being read
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return [], [_at(event.start_mark, ONE_DOCUMENT)]
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if depth == 0:
            if isinstance(event, yaml.ScalarEvent) and event.value == "" and not event.style:
                return [], []  # an empty file: an entrypoint with empty texts
            if not isinstance(event, yaml.MappingStartEvent):
                return [], [_at(event.start_mark, NOT_A_MAPPING)]
            depth = 1
            continue
        if current is None:  # in the file's mapping: a key, its value's start, or the end
            if isinstance(event, yaml.MappingEndEvent):
                depth = 0
                continue
            if key is None:
                if not isinstance(event, yaml.ScalarEvent):
                    return [], [_at(event.start_mark, NOT_A_MAPPING)]
                key = event
                continue
            current, key = _Value(key.value, key.start_mark, event), None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return [], [_at(event.start_mark, TOO_DEEP)]
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if depth == 1:
            current.end_mark = event.end_mark
            values.append(current)
            current = None
    return values, []


def _cut(lines: list[str], value: _Value) -> Section | None:
    """The section's own lines, dedented; ``None`` when it is not a block on later lines."""
    start = value.start
    key_line, key_column = value.key_mark.line + 1, value.key_mark.column + 1
    if isinstance(start, yaml.ScalarEvent) and start.value == "" and not start.style:
        return Section("", key_line, 0, key_line, key_column)  # `graph:` with nothing under it
    block = isinstance(start, yaml.MappingStartEvent) and not start.flow_style and not start.tag
    if not block or start.start_mark.line <= value.key_mark.line:
        return None
    # From the line after the key (comments above the first step belong to the section) to the
    # end of the block, without blank lines around it nor the comments of the next key.
    first, indent = value.key_mark.line + 1, start.start_mark.column
    end = value.end_mark.line + (1 if value.end_mark.column > 0 else 0)
    while first < start.start_mark.line and not lines[first].strip():
        first += 1
    own = lines[first:end]
    while own and _outside(own[-1], indent):
        own.pop()
    cut = []
    for line in own:
        if line[:indent].strip() == "":
            cut.append(line[indent:] if len(line) > indent else line.lstrip(" \t"))
        elif _outside(line, indent):
            cut.append(line.lstrip(" \t"))
        else:
            return None  # content left of the block's column: not a plain block
    return Section("".join(cut), first + 1, indent, key_line, key_column)


def _outside(line: str, indent: int) -> bool:
    """A blank line, or a comment left of the section's column."""
    stripped = line.lstrip(" \t")
    return not stripped.strip() or (stripped.startswith("#") and len(line) - len(stripped) < indent)


def _redumped(text: str, value: _Value, problems: list[FileProblem]) -> Section | None:
    """A section in flow style or on its key's line, dumped as Dioptra does."""
    try:
        loaded = yaml.load(text, Loader=yaml.CSafeLoader)[value.key]
        dumped = yaml.safe_dump(
            loaded, sort_keys=False, default_flow_style=False, allow_unicode=True
        )
    except yaml.YAMLError as error:
        reason = str(error).splitlines()[0]
        problems.append(_at(value.key_mark, NOT_DUMPABLE.format(key=value.key, error=reason)))
        return None
    line, column = value.key_mark.line + 1, value.key_mark.column + 1
    text = "" if loaded is None else (loaded if isinstance(loaded, str) else dumped)
    return Section(text, line, 0, line, column, exact=False)
