"""Binding a call's arguments to a task's declared inputs, and checking their types."""

from __future__ import annotations

from .declarations import Input
from .names import did_you_mean, show
from .references import Scope, Use
from .report import Report
from .structure import Argument, Invocation
from .types import TOO_DEEP_ADVICE, Type, compatible_or_none


def check_call(
    report: Report,
    scope: Scope,
    call: Invocation,
    where: str,
    uses: list[Use],
    inputs: list[Input] | None,
) -> None:
    """Type each argument of `call`, resolving the references in it (recorded in `uses`), then
    bind the arguments to `inputs` and check their types. `inputs` None (or a call whose shape is
    broken): the arguments are not bound."""
    types = {
        id(argument): scope.argument_type(argument.value, argument.path, where, uses)
        for argument in call.arguments()
    }
    if not call.usable or inputs is None:
        return
    pairs = bind(report, inputs, call, where, call.task)
    check_argument_types(report, pairs, types, where, call.task)


def bind(
    report: Report, inputs: list[Input], call: Invocation, where: str, task: str
) -> list[tuple[Input, Argument]]:
    """Report binding problems; return the (input, argument) pairs that did bind."""
    pairs: list[tuple[Input, Argument]] = []
    positional = call.positional
    count = len(inputs)
    if len(positional) > count:
        extra = positional[count]
        takes = (
            "takes no arguments"
            if not count
            else f"takes {count} argument{'s' if count != 1 else ''} ("
            + ", ".join(f"`{show(i.name)}`" for i in inputs)
            + ")"
        )
        hint = ""
        if len(positional) == 1 and positional[0].value is None and call.task_at_key:
            hint = f" An empty value is one null argument: write `{show(task)}: []` to pass none."
        report.add(
            "E_TOO_MANY_POSITIONAL_ARGS",
            f"{where}: task `{show(task)}` {takes}, but {len(positional)} "
            f"{'is' if len(positional) == 1 else 'are'} given positionally; "
            f"remove the extra ones.{hint}",
            extra.path,
        )
    position_of = {declared.name: index for index, declared in enumerate(inputs)}
    pairs.extend(zip(inputs, positional, strict=False))
    given = {declared.name for declared in inputs[: len(positional)]}
    for argument in call.keywords:
        index = position_of.get(argument.name)
        if index is None:
            names = [i.name for i in inputs]
            report.add(
                "E_UNKNOWN_KEYWORD_ARG",
                f"{where}: task `{show(task)}` has no input `{show(argument.name)}`; "
                + did_you_mean(
                    argument.name,
                    names,
                    ("its inputs are " + ", ".join(f"`{show(n)}`" for n in names) + ".")
                    if names
                    else "it takes no arguments.",
                ),
                argument.path,
            )
        elif index < len(positional):
            report.add(
                "E_ARG_ASSIGNED_TWICE",
                f"{where}: input `{show(argument.name)}` of task `{show(task)}` is given both as "
                f"positional argument {index + 1} and by keyword; keep one.",
                argument.path,
            )
        else:
            given.add(argument.name)
            pairs.append((inputs[index], argument))
    for declared in inputs:
        if declared.required and declared.name not in given:
            report.add(
                "E_MISSING_REQUIRED_ARG",
                f"{where}: task `{show(task)}` needs the input `{show(declared.name)}`, which is "
                "not "
                f"given; pass it (e.g. `{show(declared.name)}: ...`).",
                call.task_path,
                at_key=call.task_at_key,
            )
    return pairs


def check_argument_types(
    report: Report,
    pairs: list[tuple[Input, Argument]],
    types: dict[int, Type | None],
    where: str,
    task: str,
) -> None:
    """Each bound argument's inferred type must fit its input (unknown types are not judged)."""
    for declared, argument in pairs:
        expected = declared.type
        found = types.get(id(argument))
        if expected is None or found is None:
            continue
        fits = compatible_or_none(found, expected)
        if fits:
            continue
        if argument.name is None:
            which = f"argument {argument.index + 1} (`{show(declared.name)}`)"
        else:
            which = f"keyword argument `{show(argument.name)}`"
        if fits is None:
            report.add(
                "E_LIMIT_DEPTH",
                f"{where}: {which} of task `{show(task)}` cannot be checked against `{expected}`: "
                + TOO_DEEP_ADVICE,
                argument.path,
            )
            continue
        expected_text = str(expected)
        if expected.name is not None and expected.describe() != expected.name:
            expected_text += f" ({expected.describe()})"
        report.add(
            "E_ARG_TYPE_MISMATCH",
            f"{where}: {which} of task `{show(task)}` expects `{expected_text}`, but the value is "
            f"`{found}`; pass a value of type `{expected}`.",
            argument.path,
        )
