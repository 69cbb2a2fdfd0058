"""Messages say what is wrong and how to fix it, in the user's terms (YAML spellings, names)."""

from __future__ import annotations

import pytest

from entrypoints.taskgraph import validate_document

TASKS = "tasks: {t: {plugin: a.b, inputs: [{x: any}], outputs: {o: any}}, none: {plugin: a.b}}\n"

# (document, code, a fragment the message must contain, a fragment it must not contain)
CASES = [
    (
        TASKS + "graph: {s0x: {t: [1]}, s: {t: [$s0.out]}}\n",
        "E_REF_UNRESOLVABLE",
        "did you mean `$s0x.out`?",
        "declare a parameter",
    ),
    (
        TASKS + "graph: {s: {t: [$zz.q]}}\n",
        "E_REF_UNRESOLVABLE",
        "only steps and artifact inputs have outputs",
        "declare a parameter",
    ),
    (
        TASKS + "graph: {s0: {t: [1]}, s: {t: [$s0.]}}\n",
        "E_REF_UNKNOWN_OUTPUT",
        "`$s0.` ends with a `.`",
        "no output ``",
    ),
    (
        TASKS + "parameters: {p: 1}\ngraph: {s: {t: [$p.]}}\n",
        "E_REF_PARAM_WITH_OUTPUT",
        "write `$p`",
        None,
    ),
    (TASKS + "graph: {s: {none: [1]}}\n", "E_TOO_MANY_POSITIONAL_ARGS", "1 is given", "1 are"),
    (
        "types: {MyType: {union: []}}\n" + TASKS + "graph: {s: {none: []}}\n",
        "E_WRONG_TYPE",
        "type `MyType`",
        "type `mytype`",
    ),
    (
        "types: {X: {list: string, tuple: [string]}}\n" + TASKS + "graph: {s: {none: []}}\n",
        "E_TYPE_TOO_MANY_STRUCTURES",
        "combines `list` and `tuple`",
        None,
    ),
    (
        "parameters: {p: {type: integer, default: [1, true, null]}}\n"
        + TASKS
        + "graph: {s: {none: []}}\n",
        "E_PARAM_DEFAULT_TYPE_MISMATCH",
        "`[1, true, null]`",
        "True",
    ),
    (
        TASKS + "graph: {s: {task: t, args: {x: 1}}}\n",
        "E_WRONG_TYPE",
        "keyword arguments go under `kwargs`",
        "quote",
    ),
    (
        TASKS + "graph: {null: {none: []}}\n",
        "E_NON_STRING_KEY",
        'quote it ("null")',
        "None",
    ),
    (
        TASKS + "graph: {s: {t: {true: 1}}}\n",
        "E_NON_STRING_KEY",
        'quote it ("true")',
        "True",
    ),
    (
        TASKS + "artifact_inputs: {' ': {o: any}}\ngraph: {s: {none: []}}\n",
        "E_EMPTY_NAME",
        "An artifact input name",
        "A artifact",
    ),
    (
        TASKS + "graph: {s: {none: []}}\nartifact_outputs: {x: {contents: $s0, task: {name: H, "
        "args: csv}}}\n",
        "E_WRONG_TYPE",
        "`args: {format: csv}`",
        None,
    ),
]


@pytest.mark.parametrize(("text", "code", "present", "absent"), CASES)
def test_message(text, code, present, absent):
    result = validate_document(text)
    messages = [issue.message for issue in result.issues if issue.code == code]
    assert messages, [(issue.code, issue.message) for issue in result.issues]
    assert any(present in message for message in messages), messages
    if absent is not None:
        assert not any(absent in message for message in messages), messages
