"""Checks on an entrypoint's parameter lists that make a request malformed (400), not invalid.

Each check answers in DRF's nested error shape for a list (the dictionary form DRF 3.18 uses):
the index of each item with problems -> its field errors, ``{1: {"defaultValue": ["..."]}}``,
so the API can return it as is; ``flat`` names each problem's place
(``parameters[1].defaultValue: ...``) for the admin and scripts.
"""

from collections.abc import Sequence

from entrypoints.taskgraph import ENTRYPOINT_PARAMETER_TYPES, convert_parameter_value

DUPLICATE_NAME = "Names must be unique in this list; {name!r} is used more than once."
BAD_PARAMETER_TYPE = "{value!r} is not a valid choice; expected one of: {choices}."
BAD_DEFAULT = "The default value {value!r} does not convert to {type}: {reason}"

ItemErrors = dict[int, dict]


def _duplicate_names(items: Sequence[dict]) -> ItemErrors:
    """An error on every item after the first that repeats a name."""
    errors: ItemErrors = {}
    seen: set = set()
    for index, item in enumerate(items):
        name = item.get("name")
        if name in seen:
            errors[index] = {"name": [DUPLICATE_NAME.format(name=name)]}
        seen.add(name)
    return errors


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
    for index, parameter in enumerate(parameters):
        parameter_type = parameter.get("parameterType")
        if parameter_type not in ENTRYPOINT_PARAMETER_TYPES:
            choices = ", ".join(ENTRYPOINT_PARAMETER_TYPES)
            message = BAD_PARAMETER_TYPE.format(value=parameter_type, choices=choices)
            errors.setdefault(index, {})["parameterType"] = [message]
        elif check_defaults and (
            message := default_value_problem(parameter_type, parameter.get("defaultValue"))
        ):
            errors.setdefault(index, {})["defaultValue"] = [message]
    return dict(sorted(errors.items()))


def artifact_parameter_errors(artifact_parameters: Sequence[dict]) -> ItemErrors:
    """Duplicate artifact parameter names, and duplicate output names within one."""
    errors = _duplicate_names(artifact_parameters)
    for index, artifact in enumerate(artifact_parameters):
        if outputs := _duplicate_names(artifact.get("outputParams") or []):
            errors.setdefault(index, {})["outputParams"] = outputs
    return dict(sorted(errors.items()))


def flat(field: str, errors) -> list[str]:
    """One message per problem, naming its place: ``parameters[1].defaultValue: ...``."""
    if isinstance(errors, dict):
        return [
            message
            for key, value in errors.items()
            for message in flat(
                f"{field}[{key}]" if isinstance(key, int) else f"{field}.{key}", value
            )
        ]
    return [f"{field}: {message}" for message in errors]
