"""A plugin file's task declarations as the rows of its page's form, and back.

Posted as ``task-<t>-name|kind``, ``task-<t>-in-<i>-name|type|required`` and
``task-<t>-out-<o>-name|type``, indexes increasing in page order; rows are added by the server
and removed in the page, so a removed row simply is not posted (no management form). A type is
a parameter type id of the plugin's group, or ``new:<name>`` for a type the signature analysis
suggests and the group lacks: saving creates it (``newtype-<name>`` carries its description and
suggested structure as JSON).

The rows become the API's tasks body (``{functions: [...], artifacts: [...]}``), checked by the
API's own serializer; its refusals are put back on the rows they are about.
"""

import json
import re
from dataclasses import dataclass, field

from plugins_app.manifest import TASK_KINDS

NEW = "new:"
TASK_KEY = re.compile(r"^task-(\d+)-name$")
SIDE_LABELS = {"inputParams": "input", "outputParams": "output"}


@dataclass
class ParamRow:
    index: int
    name: str
    type: str  # a type id as text, or "new:<name>"
    required: bool = True


@dataclass
class TaskRow:
    index: int
    name: str
    kind: str = "functions"
    inputs: list[ParamRow] = field(default_factory=list)
    outputs: list[ParamRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def next_input(self) -> int:
        return max((p.index for p in self.inputs), default=-1) + 1

    @property
    def next_output(self) -> int:
        return max((p.index for p in self.outputs), default=-1) + 1


@dataclass
class NewType:
    """A type the analysis suggests that the group does not have yet."""

    name: str
    description: str
    structure: object

    @property
    def value(self) -> str:
        return NEW + self.name

    def as_json(self) -> str:
        return json.dumps({"description": self.description, "structure": self.structure})


def _indexes(data, pattern: re.Pattern) -> list[int]:
    return sorted({int(m.group(1)) for key in data.keys() if (m := pattern.match(key))})


def rows_from_post(data) -> tuple[list[TaskRow], dict[str, NewType]]:
    """The task rows and suggested new types a page posted."""
    rows = []
    for t in _indexes(data, TASK_KEY):
        prefix = f"task-{t}-"
        kind = data.get(prefix + "kind", "functions")
        row = TaskRow(
            index=t,
            name=data.get(prefix + "name", "").strip(),
            kind=kind if kind in TASK_KINDS else "functions",
        )
        for side, attribute in (("in", "inputs"), ("out", "outputs")):
            pattern = re.compile(rf"^{re.escape(prefix)}{side}-(\d+)-name$")
            for i in _indexes(data, pattern):
                key = f"{prefix}{side}-{i}-"
                getattr(row, attribute).append(
                    ParamRow(
                        index=i,
                        name=data.get(key + "name", "").strip(),
                        type=data.get(key + "type", ""),
                        required=side == "out" or data.get(key + "required") == "on",
                    )
                )
        rows.append(row)
    new_types = {}
    for key, value in data.items():
        if key.startswith("newtype-"):
            try:
                found = json.loads(value)
                name = key.removeprefix("newtype-")
                new_types[name] = NewType(
                    name, str(found.get("description") or ""), found.get("structure")
                )
            except (ValueError, AttributeError):
                continue
    return rows, new_types


def rows_from_tasks(tasks) -> list[TaskRow]:
    """The rows of a stored tasks declaration (type ids)."""
    rows = []
    for kind in TASK_KINDS:
        for task in (tasks or {}).get(kind, []):
            rows.append(
                TaskRow(
                    index=len(rows),
                    name=task["name"],
                    kind=kind,
                    inputs=[
                        ParamRow(i, p["name"], str(p["parameterType"]), p.get("required", True))
                        for i, p in enumerate(task.get("inputParams", []))
                    ],
                    outputs=[
                        ParamRow(i, p["name"], str(p["parameterType"]))
                        for i, p in enumerate(task.get("outputParams", []))
                    ],
                )
            )
    return rows


def rows_from_analysis(
    analysed: list[dict], type_ids: dict[str, int], *, start: int = 0
) -> tuple[list[TaskRow], dict[str, NewType]]:
    """Function task rows from the signature analysis (``plugins_app.signatures``), types
    resolved by name among the group's (``type_ids``); the ones it lacks become new types."""
    new_types: dict[str, NewType] = {}
    for task in analysed:
        for missing in task["missing_types"]:
            if missing["name"] not in type_ids:
                new_types[missing["name"]] = NewType(
                    missing["name"], missing["description"], missing["structure"]
                )

    def type_of(name: str) -> str:
        if name in type_ids:
            return str(type_ids[name])
        if name not in new_types:  # named by a structure only: defined on its own, simple
            new_types[name] = NewType(name, "", None)
        return NEW + name

    rows = [
        TaskRow(
            index=start + n,
            name=task["name"],
            inputs=[
                ParamRow(i, p["name"], type_of(p["type"]), p["required"])
                for i, p in enumerate(task["inputs"])
            ],
            outputs=[
                ParamRow(i, p["name"], type_of(p["type"])) for i, p in enumerate(task["outputs"])
            ],
        )
        for n, task in enumerate(analysed)
    ]
    return rows, new_types


def new_types_used(rows: list[TaskRow], new_types: dict[str, NewType]) -> list[NewType]:
    """The suggested types some row still uses (the others are dropped), in name order."""
    used = {p.type.removeprefix(NEW) for r in rows for p in [*r.inputs, *r.outputs]}
    return [new_types[name] for name in sorted(used & set(new_types))]


def tasks_body(rows: list[TaskRow], type_ids: dict[str, int]) -> dict:
    """The API's tasks body; ``type_ids`` resolves ``new:<name>`` (types created meanwhile).
    A type that is neither a number nor a known new type is sent as it is, for the API's
    serializer to refuse."""

    def type_id(value: str):
        if value.startswith(NEW):
            return type_ids.get(value.removeprefix(NEW), value)
        return int(value) if value.isdigit() else value

    return {
        kind: [
            {
                "name": row.name,
                "inputParams": [
                    {"name": p.name, "parameterType": type_id(p.type), "required": p.required}
                    for p in row.inputs
                ],
                "outputParams": [
                    {"name": p.name, "parameterType": type_id(p.type)} for p in row.outputs
                ],
            }
            for row in rows
            if row.kind == kind
        ]
        for kind in TASK_KINDS
    }


def put_errors_on_rows(rows: list[TaskRow], errors) -> list[str]:
    """Spread the API serializer's ``tasks`` errors over the rows they are about; returns the
    ones about no single row."""
    by_kind = {kind: [r for r in rows if r.kind == kind] for kind in TASK_KINDS}
    general = []
    if isinstance(errors, list):
        return [str(e) for e in errors]
    for kind, found in errors.items():
        if kind not in by_kind or not isinstance(found, list):
            general += [f"{kind}: {e}" for e in _flat(found)]
            continue
        if all(isinstance(item, str) for item in found):  # about the list: duplicate names
            general += [str(e) for e in found]
            continue
        for row, item in zip(by_kind[kind], found, strict=False):
            row.errors += _row_messages(item)
    return general


def _row_messages(item) -> list[str]:
    messages = []
    for key, value in (item or {}).items():
        if (
            key in SIDE_LABELS
            and isinstance(value, list)
            and any(isinstance(v, dict) for v in value)
        ):
            for n, param in enumerate(value, start=1):
                for name, errors in (param or {}).items():
                    messages += [f"{SIDE_LABELS[key]} {n}, {name}: {e}" for e in _flat(errors)]
        else:
            label = SIDE_LABELS.get(key, key)
            messages += [f"{label}: {e}" for e in _flat(value)]
    return messages


def _flat(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _flat(value)]
    return [str(errors)]
