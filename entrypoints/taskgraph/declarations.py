"""The declaration sections: `parameters`, `artifact_inputs`, `tasks` and `artifact_tasks`.

Each is checked and turned into small records. A record part that could not be understood is
`None` ("unknown"), which later checks take as "do not judge" so that one mistake is reported once.
"""

from __future__ import annotations

from typing import Any

from .names import (
    check_name,
    describe_value,
    did_you_mean,
    is_json_scalar,
    show,
    show_value,
    upper_first,
)
from .report import Report
from .type_registry import TypeRegistry
from .types import TOO_DEEP_ADVICE, Type, compatible_or_none, infer_literal

_MISSING = object()

# Our extension: a function task whose signature is unknown (its arguments are not checked).
UNCHECKED_INPUTS_KEY = "unchecked_inputs"


class ParamInfo:
    __slots__ = ("name", "type", "has_default", "default")

    def __init__(self, name: str, type_: Type | None, has_default: bool, default: Any) -> None:
        self.name = name
        self.type = type_
        self.has_default = has_default
        self.default = default


class Output:
    __slots__ = ("name", "type")

    def __init__(self, name: Any, type_: Type | None) -> None:
        self.name = name
        self.type = type_


class Input:
    __slots__ = ("name", "type", "required")

    def __init__(self, name: Any, type_: Type | None, required: bool) -> None:
        self.name = name
        self.type = type_
        self.required = required


class Producer:
    """Something with outputs: a task or an artifact input.

    `outputs is None` means unknown (broken declaration). `single` means the outputs were declared
    as one mapping (the whole value is that output) rather than a list (an iterable to unpack).
    """

    __slots__ = ("name", "outputs", "single")

    def __init__(self, name: Any, outputs: list[Output] | None, single: bool) -> None:
        self.name = name
        self.outputs = outputs
        self.single = single

    def output_names(self) -> list:
        return [output.name for output in self.outputs or ()]


class TaskInfo(Producer):
    """`inputs is None` means the signature is unknown: arguments are not checked."""

    __slots__ = ("inputs",)

    def __init__(
        self, name: Any, inputs: list[Input] | None, outputs: list[Output] | None, single: bool
    ) -> None:
        super().__init__(name, outputs, single)
        self.inputs = inputs


def _section(report: Report, document: dict, key: str, what: str) -> dict | None:
    """A mapping section, or None (absent or reported as malformed)."""
    if key not in document:
        return None
    value = document[key]
    if isinstance(value, dict):
        return value
    report.add(
        "E_WRONG_TYPE",
        f"`{key}` is {describe_value(value)}; it maps {what} (write `{key}: {{}}` or remove it).",
        (key,),
    )
    return None


def _entry_shape(item: Any) -> str:
    """What a value that should be one `name: type` entry is, for messages."""
    return f"a mapping of {len(item)} entries" if isinstance(item, dict) else describe_value(item)


def _type_name(
    report: Report, registry: TypeRegistry, value: Any, path: tuple, code: str, owner: str
) -> Type | None:
    """Look up a type given by name; report shape or undefined-name problems."""
    if not isinstance(value, str):
        report.add(
            "E_WRONG_TYPE",
            f"The type of {owner} is {describe_value(value)}; give a type name.",
            path,
        )
        return None
    if not registry.knows(value):
        report.add(
            code,
            f"The type `{show(value)}` of {owner} is not defined; "
            + did_you_mean(
                value, registry.suggester(), "define it under `types` or use a builtin type."
            ),
            path,
        )
        return None
    return registry.get(value)


def parse_parameters(
    report: Report, document: dict, registry: TypeRegistry
) -> tuple[dict[str, ParamInfo], bool]:
    """Returns the parameters and whether the section could be read completely."""
    params: dict[str, ParamInfo] = {}
    section = _section(
        report, document, "parameters", "parameter names to defaults or {type, default}"
    )
    if section is None:
        return params, "parameters" not in document
    for name, value in section.items():
        path = ("parameters", name)
        if not check_name(report, name, path, "parameter", "E_PARAM_NAME_DOT"):
            continue
        if isinstance(value, dict):
            params[name] = _parameter_mapping(report, registry, name, value, path)
        elif isinstance(value, list) or is_json_scalar(value):
            params[name] = ParamInfo(name, infer_literal(value), True, value)
        else:
            report.add(
                "E_WRONG_TYPE",
                f"The default of parameter `{name}` is {describe_value(value)}; quote it to make "
                "it "
                "a string, or write `{type: ..., default: ...}`.",
                path,
            )
            params[name] = ParamInfo(name, None, True, value)
    return params, True


def _parameter_mapping(
    report: Report, registry: TypeRegistry, name: str, value: dict, path: tuple
) -> ParamInfo:
    for key in value:
        if key not in ("type", "default"):
            report.add(
                "E_UNKNOWN_KEY",
                f"`{show(key)}` is not allowed in parameter `{name}`; "
                + did_you_mean(key, ("type", "default"), "only `type` and `default` are."),
                path + (key,),
                at_key=True,
            )
    if "type" not in value and "default" not in value:
        report.add(
            "E_MISSING_KEY",
            f"Parameter `{name}` gives neither `type` nor `default`; give at least one.",
            path,
            at_key=True,
        )
        return ParamInfo(name, None, False, None)
    default = value.get("default", _MISSING)
    has_default = default is not _MISSING
    if "type" not in value:
        return ParamInfo(name, infer_literal(default), True, default)
    declared = _type_name(
        report,
        registry,
        value["type"],
        path + ("type",),
        "E_PARAM_UNDEFINED_TYPE",
        f"parameter `{name}`",
    )
    if declared is not None and has_default:
        found = infer_literal(default)
        fits = compatible_or_none(found, declared)
        if fits is None:
            report.add(
                "E_LIMIT_DEPTH",
                f"The default of parameter `{name}` cannot be checked against `{declared}`: "
                + TOO_DEEP_ADVICE,
                path + ("default",),
            )
        elif not fits:
            report.add(
                "E_PARAM_DEFAULT_TYPE_MISMATCH",
                f"The default `{show_value(default)}` of parameter `{name}` is of type "
                f"`{found}`, which does not fit its type `{declared}`; change the default or the "
                "type.",
                path + ("default",),
            )
    return ParamInfo(name, declared, has_default, None if not has_default else default)


def _outputs(
    report: Report,
    registry: TypeRegistry,
    value: Any,
    path: tuple,
    owner: str,
    undefined_code: str,
    empty_ok: bool,
    artifact_input: str | None = None,
) -> tuple[list[Output] | None, bool]:
    """`{name: type}` (single) or a list of them. Returns (outputs or None if broken, single)."""
    single = isinstance(value, dict)
    items = [(value, path)] if single else None
    if isinstance(value, list):
        items = [(item, path + (i,)) for i, item in enumerate(value)]
    if items is None:
        report.add(
            "E_WRONG_TYPE",
            f"The outputs of {owner} are {describe_value(value)}; give `{{name: type}}` or a list "
            "of them.",
            path,
        )
        return None, False
    outputs: list[Output] | None = []
    seen: set = set()
    for item, item_path in items:
        if not isinstance(item, dict) or len(item) != 1:
            report.add(
                "E_WRONG_TYPE",
                f"An output of {owner} is {_entry_shape(item)}; each output is one `name: type` "
                "entry (list several as `[{a: T}, {b: U}]`).",
                item_path,
            )
            outputs = None
            continue
        # Like Dioptra, output (and input) names are not restricted beyond being unique.
        out_name, out_type = next(iter(item.items()))
        if out_name in seen:
            if artifact_input is None:
                code, advice = "E_TASK_DUPLICATE_OUTPUT_NAMES", "output names must be unique."
            else:
                # Dioptra does not check these names: a warning; `$input.name` takes the first.
                code = "W_ARTIFACT_INPUT_DUPLICATE_OUTPUT_NAMES"
                advice = (
                    f"`${artifact_input}.{show(out_name)}` refers to the first one; rename the "
                    "others."
                )
            report.add(
                code,
                f"{upper_first(owner)} declares the output `{show(out_name)}` twice; " + advice,
                item_path + (out_name,),
                at_key=True,
            )
        seen.add(out_name)
        type_ = _type_name(
            report,
            registry,
            out_type,
            item_path + (out_name,),
            undefined_code,
            f"output `{out_name}` of {owner}",
        )
        if outputs is not None:
            outputs.append(Output(out_name, type_))
    if not items and not empty_ok:
        return None, single
    return outputs, single


def parse_artifact_inputs(
    report: Report, document: dict, registry: TypeRegistry
) -> tuple[dict[str, Producer], bool]:
    inputs: dict[str, Producer] = {}
    section = _section(report, document, "artifact_inputs", "artifact input names to their outputs")
    if section is None:
        return inputs, "artifact_inputs" not in document
    for name, value in section.items():
        path = ("artifact_inputs", name)
        if not check_name(report, name, path, "artifact input", "E_ARTIFACT_INPUT_NAME_DOT"):
            continue
        if value == {} or value == [] or value is None:
            report.add(
                "E_ARTIFACT_INPUT_NO_OUTPUTS",
                f"Artifact input `{name}` declares no outputs; give `{{output: type}}` or a list "
                "of them.",
                path,
                at_key=True,
            )
            inputs[name] = Producer(name, None, False)
            continue
        outputs, single = _outputs(
            report,
            registry,
            value,
            path,
            f"artifact input `{name}`",
            "E_ARTIFACT_INPUT_UNDEFINED_TYPE",
            False,
            artifact_input=name,
        )
        inputs[name] = Producer(name, outputs, single)
    return inputs, True


def parse_tasks(
    report: Report, document: dict, registry: TypeRegistry, key: str, *, required: bool
) -> tuple[dict[str, TaskInfo], bool]:
    """`tasks` or `artifact_tasks`. Returns the tasks and whether the section is usable."""
    tasks: dict[str, TaskInfo] = {}
    kind = "task" if key == "tasks" else "artifact task"
    if key not in document:
        if required:
            return tasks, False
        return tasks, True
    section = document[key]
    if section is None or section == {}:
        if required:
            report.add(
                "E_EMPTY_SECTION",
                f"`{key}` is empty; declare at least one {kind} (`name: {{plugin: "
                "pkg.module.function}`).",
                (key,),
                at_key=True,
            )
            return tasks, False
        if section is None:
            _section(report, document, key, f"{kind} names to declarations")
            return tasks, False
        return tasks, True
    if not isinstance(section, dict):
        _section(report, document, key, f"{kind} names to declarations")
        return tasks, False
    for name, value in section.items():
        path = (key, name)
        if not check_name(report, name, path, kind):
            continue
        tasks[name] = _task(report, registry, name, value, path, kind)
    return tasks, True


_TASK_KEYS = ("plugin", "inputs", "outputs", UNCHECKED_INPUTS_KEY)


def _task(
    report: Report, registry: TypeRegistry, name: str, value: Any, path: tuple, kind: str
) -> TaskInfo:
    owner = f"{kind} `{name}`"
    if not isinstance(value, dict):
        report.add(
            "E_WRONG_TYPE",
            f"The declaration of {owner} is {describe_value(value)}; write "
            "`{plugin: pkg.module.function, inputs: [...], outputs: ...}`.",
            path,
        )
        return TaskInfo(name, None, None, False)
    for key in value:
        if key not in _TASK_KEYS:
            report.add(
                "E_UNKNOWN_KEY",
                f"`{show(key)}` is not allowed in {owner}; "
                + did_you_mean(key, _TASK_KEYS[:3], "use `plugin`, `inputs` and `outputs`."),
                path + (key,),
                at_key=True,
            )
    if "plugin" not in value:
        report.add(
            "E_MISSING_KEY",
            f"{upper_first(owner)} has no `plugin`; add `plugin: pkg.module.function`.",
            path,
            at_key=True,
        )
    else:
        _check_plugin_id(report, value["plugin"], path + ("plugin",), owner)
    inputs = _inputs(report, registry, value, path, owner)
    if "outputs" in value:
        outputs, single = _outputs(
            report,
            registry,
            value["outputs"],
            path + ("outputs",),
            owner,
            "E_TASK_OUTPUT_UNDEFINED_TYPE",
            True,
        )
    else:
        outputs, single = [], False
    return TaskInfo(name, inputs, outputs, single)


def _check_plugin_id(report: Report, plugin: Any, path: tuple, owner: str) -> None:
    if not isinstance(plugin, str):
        report.add(
            "E_WRONG_TYPE",
            f"The plugin of {owner} is {describe_value(plugin)}; give a dotted id such as "
            "`pkg.module.function`.",
            path,
        )
    elif "." not in plugin:
        report.add(
            "E_PLUGIN_ID_NO_DOT",
            f"The plugin id `{show(plugin)}` of {owner} has no `.`; give the module and the "
            "function, e.g. `pkg.module.function`.",
            path,
        )
    elif any(not part for part in plugin.split(".")):
        report.add(
            "E_PLUGIN_ID_EMPTY_COMPONENT",
            f"The plugin id `{show(plugin)}` of {owner} has an empty component (`..`, or a "
            "leading or trailing `.`); remove the extra dots.",
            path,
        )


def _inputs(
    report: Report, registry: TypeRegistry, value: dict, path: tuple, owner: str
) -> list[Input] | None:
    if value.get(UNCHECKED_INPUTS_KEY) is True and "inputs" not in value:
        return None
    if "inputs" not in value:
        return []
    raw = value["inputs"]
    path = path + ("inputs",)
    if not isinstance(raw, list):
        report.add(
            "E_WRONG_TYPE",
            f"The inputs of {owner} are {describe_value(raw)}; give a list of `{{name: type}}` or "
            "`{name: ..., type: ..., required: false}` items.",
            path,
        )
        return None
    inputs: list[Input] | None = []
    seen: set = set()
    for i, item in enumerate(raw):
        parsed = _input(report, registry, item, path + (i,), owner)
        if parsed is None:
            inputs = None
            continue
        found, name_path, name_at_key = parsed
        if found.name in seen:
            report.add(
                "E_TASK_DUPLICATE_INPUT_NAMES",
                f"{upper_first(owner)} declares the input `{show(found.name)}` twice; "
                "input "
                "names must be unique.",
                name_path,
                at_key=name_at_key,
            )
            inputs = None
        seen.add(found.name)
        if inputs is not None:
            inputs.append(found)
    return inputs


def _input(
    report: Report, registry: TypeRegistry, item: Any, path: tuple, owner: str
) -> tuple[Input, tuple, bool] | None:
    if isinstance(item, dict) and "name" in item:
        for key in item:
            if key not in ("name", "type", "required"):
                report.add(
                    "E_UNKNOWN_KEY",
                    f"`{show(key)}` is not allowed in an input of {owner}; "
                    + did_you_mean(
                        key, ("name", "type", "required"), "use `name`, `type` and `required`."
                    ),
                    path + (key,),
                    at_key=True,
                )
        name = item["name"]
        if not isinstance(name, str):
            report.add(
                "E_WRONG_TYPE",
                f"An input name of {owner} is {describe_value(name)}; give a string.",
                path + ("name",),
            )
            return None
        required = item.get("required", True)
        if not isinstance(required, bool):
            report.add(
                "E_WRONG_TYPE",
                f"`required` of input `{name}` of {owner} is {describe_value(required)}; write "
                "true or false.",
                path + ("required",),
            )
            required = True
        if "type" not in item:
            hint = "add one (e.g. `type: any`)"
            if len(item) == 1:
                hint = (
                    f"`{{name: {name}}}` is read as the long form; for an input called `name` "
                    "write "
                    f"`{{name: name, type: {name}}}`"
                )
            report.add("E_MISSING_KEY", f"Input `{name}` of {owner} has no `type`; {hint}.", path)
            return Input(name, None, required), path + ("name",), False
        type_ = _type_name(
            report,
            registry,
            item["type"],
            path + ("type",),
            "E_TASK_INPUT_UNDEFINED_TYPE",
            f"input `{name}` of {owner}",
        )
        return Input(name, type_, required), path + ("name",), False
    if not isinstance(item, dict) or len(item) != 1:
        report.add(
            "E_WRONG_TYPE",
            f"An input of {owner} is {_entry_shape(item)}; write `{{name: type}}` or "
            "`{name: ..., type: ..., required: false}`.",
            path,
        )
        return None
    name, type_value = next(iter(item.items()))
    type_ = _type_name(
        report,
        registry,
        type_value,
        path + (name,),
        "E_TASK_INPUT_UNDEFINED_TYPE",
        f"input `{name}` of {owner}",
    )
    return Input(name, type_, True), path + (name,), True
