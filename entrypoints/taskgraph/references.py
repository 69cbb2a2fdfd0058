"""References (`$name`, `$name.output`): syntax, resolution, and the types they contribute.

A reference is a string value that starts with `$`, is not exactly `$` and does not start with
`$$` (an escaped literal). Nothing is interpolated inside longer strings. References are found at
any depth inside argument values (list items, mapping values), never in mapping keys.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .declarations import ParamInfo, Producer
from .names import Suggester, did_you_mean, show
from .report import Report
from .types import STRING, TupleType, Type, infer_literal, infer_mapping

# What the graph editor writes where an input is not connected yet: a reference to nothing, so it
# is an error (as in Dioptra) with its own message.
PLACEHOLDER = "$?"


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and value[:1] == "$" and value != "$" and value[:2] != "$$"


def unescape(value: str) -> str:
    """`$$x` -> `$x` (the first `$` is dropped); other strings are unchanged."""
    return value[1:] if value[:2] == "$$" else value


def split_reference(text: str) -> tuple[str, str | None]:
    """`$a.b.c` -> ("a", "b.c"); `$a` -> ("a", None). Split at the first dot."""
    name, dot, output = text[1:].partition(".")
    return name, (output if dot else None)


class Use(NamedTuple):
    """A resolved mention of a step, parameter or artifact input (an edge of the graph model)."""

    kind: str  # "step" | "parameter" | "artifact_input"
    name: str
    text: str
    path: tuple


class Scope:
    """What references can name. `complete` is false when some namespace could not be read, in
    which case an unknown name is not reported (it may be declared in the unreadable part)."""

    def __init__(
        self,
        report: Report,
        step_producers: dict[str, Producer | None],
        params: dict[str, ParamInfo],
        artifact_inputs: dict[str, Producer],
        ambiguous: set[str],
        complete: bool,
    ) -> None:
        self.report = report
        self.steps = step_producers
        self.params = params
        self.artifact_inputs = artifact_inputs
        self.ambiguous = ambiguous
        self.complete = complete
        self._suggester: Suggester | None = None

    def suggester(self) -> Suggester:
        if self._suggester is None:
            self._suggester = Suggester([*self.steps, *self.params, *self.artifact_inputs])
        return self._suggester

    def resolve(self, text: str, path: tuple, where: str, uses: list[Use]) -> Type | None:
        """The type `text` contributes, or None (unknown, or an error that was reported)."""
        name, output = split_reference(text)
        if name in self.ambiguous:
            return None
        if name in self.steps:
            uses.append(Use("step", name, text, path))
            producer = self.steps[name]
            if producer is None or producer.outputs is None:
                return None
            return self._output(producer, "step", text, name, output, path, where)
        if name in self.params:
            uses.append(Use("parameter", name, text, path))
            # `$p.` too: Dioptra's runner cannot resolve it (and its validator crashes on it).
            if output is not None:
                problem = "ends with a `.`" if not output else f"names the output `{show(output)}`"
                self.report.add(
                    "E_REF_PARAM_WITH_OUTPUT",
                    f"{where}: `{show(text)}` {problem}, but `{name}` is a parameter, which has "
                    f"no outputs; write `${name}`.",
                    path,
                )
                return None
            return self.params[name].type
        if name in self.artifact_inputs:
            uses.append(Use("artifact_input", name, text, path))
            producer = self.artifact_inputs[name]
            if producer.outputs is None:
                return None
            return self._output(producer, "artifact input", text, name, output, path, where)
        if self.complete and text == PLACEHOLDER:
            self.report.add(
                "E_REF_UNRESOLVABLE",
                f"{where}: not connected yet (`{PLACEHOLDER}` is a placeholder); connect it in "
                "the graph, or write a value or a reference.",
                path,
            )
        elif self.complete:
            found = self.suggester().suggest(name)
            if found is not None:
                advice = f"did you mean `${found}{'' if output is None else '.' + output}`?"
            elif output is None:
                advice = f"declare a parameter `{show(name)}` or fix the name."
            else:
                advice = "fix the name (only steps and artifact inputs have outputs)."
            self.report.add(
                "E_REF_UNRESOLVABLE",
                f"{where}: `{show(text)}` names no step, parameter or artifact input; {advice}",
                path,
            )
        return None

    def _output(
        self,
        producer: Producer,
        kind: str,
        text: str,
        name: str,
        output: str | None,
        path: tuple,
        where: str,
    ) -> Type | None:
        outputs = producer.outputs or []
        artifact = kind == "artifact input"
        if output is None:
            if len(outputs) == 1:
                return outputs[0].type
            if not outputs:
                if not artifact:
                    self.report.add(
                        "E_REF_STEP_NO_OUTPUT",
                        f"{where}: `{show(text)}` refers to step `{name}`, whose task "
                        f"`{show(producer.name)}` "
                        f"produces no output; remove the reference (use `dependencies: [{name}]` "
                        "to run "
                        "after it).",
                        path,
                    )
                return None
            listed = ", ".join(f"`${name}.{o.name}`" for o in outputs)
            self.report.add(
                "E_REF_ARTIFACT_OUTPUT_NAME_REQUIRED" if artifact else "E_REF_OUTPUT_NAME_REQUIRED",
                f"{where}: `{show(text)}` is ambiguous: {kind} `{name}` has {len(outputs)} "
                "outputs; "
                f"name one: {listed}.",
                path,
            )
            return None
        for candidate in outputs:
            if candidate.name == output:
                return candidate.type
        if outputs:
            advice = did_you_mean(
                output,
                [o.name for o in outputs],
                "its outputs are " + ", ".join(f"`{o.name}`" for o in outputs) + ".",
                prefix=f"${name}.",
            )
        else:
            advice = (
                f"it has no outputs; write `${name}`."
                if artifact
                else "its task produces no output."
            )
        if output:
            problem = f"{kind} `{name}` has no output `{show(output)}`"
        else:
            problem = f"`{show(text)}` ends with a `.` but names no output of {kind} `{name}`"
            if len(outputs) == 1:
                advice = f"write `${name}` or `${name}.{outputs[0].name}`."
        self.report.add(
            "E_REF_ARTIFACT_UNKNOWN_OUTPUT" if artifact else "E_REF_UNKNOWN_OUTPUT",
            f"{where}: {problem}; {advice}",
            path,
        )
        return None

    def argument_type(self, value: Any, path: tuple, where: str, uses: list[Use]) -> Type | None:
        """Infer an argument's type, resolving references inside it (and reporting their errors).

        None means "do not check": a reference inside failed or has an unknown type.
        """
        value_class = value.__class__
        if value_class is str:
            if value[:1] == "$" and is_reference(value):
                return self.resolve(value, path, where, uses)
            return STRING
        if value_class is list:
            elements = [
                self.argument_type(item, path + (i,), where, uses) for i, item in enumerate(value)
            ]
            if any(element is None for element in elements):
                return None
            return TupleType(elements)
        if value_class is dict:
            properties = {
                key: self.argument_type(item, path + (key,), where, uses)
                for key, item in value.items()
            }
            if any(t is None for t in properties.values()):
                return None
            return infer_mapping(value, properties)
        return infer_literal(value)
