"""Checks on an entrypoint's parameter lists that make a request malformed (400), not invalid.

Each check answers in DRF's nested error shape for a list, one dict per item and ``{}`` for
items without problems (``[{}, {"defaultValue": ["..."]}]``), so the API can return it as is;
``flat`` names each problem's item (``parameters[1].defaultValue: ...``) for the admin and
scripts.
"""

from collections.abc import Sequence

from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES, convert_parameter_value

DUPLICATE_NAME = "Names must be unique in this list; {name!r} is used more than once."
BAD_PARAMETER_TYPE = "{value!r} is not a valid choice; expected one of: {choices}."
BAD_DEFAULT = "The default value {value!r} does not convert to {type}: {reason}"

ItemErrors = list[dict]


def _duplicate_names(items: Sequence[dict]) -> ItemErrors:
    """An error on every item after the first that repeats a name."""
    errors: ItemErrors = []
    seen: set = set()
    for item in items:
        name = item.get("name")
        errors.append({"name": [DUPLICATE_NAME.format(name=name)]} if name in seen else {})
        seen.add(name)
    return errors


def has_errors(errors) -> bool:
    """Whether a nested error structure holds any message."""
    if isinstance(errors, dict):
        return any(has_errors(value) for value in errors.values())
    if isinstance(errors, list):
        return any(isinstance(item, str) or has_errors(item) for item in errors)
    return False


def default_value_problem(parameter_type: str, default_value: str | None) -> str | None:
    """Why ``default_value`` does not convert to ``parameter_type`` (``None`` if it does)."""
    if default_value is None:
        return None
    try:
        convert_parameter_value(parameter_type, default_value)
    except (TypeError, ValueError) as error:
        return BAD_DEFAULT.format(value=default_value, type=parameter_type, reason=error)
    return None


def parameter_errors(parameters: Sequence[dict], *, check_defaults: bool = True) -> ItemErrors:
    """Duplicate names, unknown types and (optionally) defaults that do not convert."""
    errors = _duplicate_names(parameters)
    for item_errors, parameter in zip(errors, parameters, strict=True):
        parameter_type = parameter.get("parameterType")
        if parameter_type not in ENTRYPOINT_PARAMETER_TYPES:
            choices = ", ".join(ENTRYPOINT_PARAMETER_TYPES)
            message = BAD_PARAMETER_TYPE.format(value=parameter_type, choices=choices)
            item_errors["parameterType"] = [message]
        elif check_defaults and (
            message := default_value_problem(parameter_type, parameter.get("defaultValue"))
        ):
            item_errors["defaultValue"] = [message]
    return errors


def artifact_parameter_errors(artifact_parameters: Sequence[dict]) -> ItemErrors:
    """Duplicate artifact parameter names, and duplicate output names within one."""
    errors = _duplicate_names(artifact_parameters)
    for item_errors, artifact in zip(errors, artifact_parameters, strict=True):
        outputs = _duplicate_names(artifact.get("outputParams") or [])
        if has_errors(outputs):
            item_errors["outputParams"] = outputs
    return errors


def flat(field: str, errors) -> list[str]:
    """One message per problem, naming its place: ``parameters[1].defaultValue: ...``."""
    if isinstance(errors, dict):
        return [m for name, value in errors.items() for m in flat(f"{field}.{name}", value)]
    messages = []
    for index, item in enumerate(errors):
        if isinstance(item, str):
            messages.append(f"{field}: {item}")
        else:
            messages += flat(f"{field}[{index}]", item)
    return messages
