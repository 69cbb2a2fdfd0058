"""Verdicts of NIST Dioptra's own validator, pinned without importing Dioptra.

A differential run fed the same Python mappings to `dioptra.task_engine.validation.validate`
(dioptra-platform 1.2.2; 1.1.0 differs only in refusing every artifact task name) and to
`validate_document`, and compared the verdicts (valid = no issue of severity error). This file
keeps:

* `FIXED`: each class where we disagreed with Dioptra without a reason in the spec, now fixed;
* `DELIBERATE`: each class where the spec makes us differ on purpose (or where Dioptra's validator
  crashes instead of answering), with our verdict and the reason;
* `AGREED`: the documents of that run on which both validators agree (Dioptra's unit-test shapes,
  type compatibility probes, artifact sections ...), with Dioptra's verdict.
"""

from __future__ import annotations

import copy

import pytest

from entrypoints.taskgraph import validate_document


def with_(base: dict, sections: dict) -> dict:
    """`base` with some top-level sections replaced (a fresh copy)."""
    document = copy.deepcopy(base)
    document.update(copy.deepcopy(sections))
    return document


def verdict(document) -> tuple[bool, list[str]]:
    result = validate_document(copy.deepcopy(document))
    return result.valid, [issue.code for issue in result.errors]


ONE_TASK = {"tasks": {"t": {"plugin": "a.b.t", "outputs": {"o": "any"}}}, "graph": {"s": {"t": []}}}

# (name, document, Dioptra's verdict, the code we now report or None)
FIXED = [
    # Task names: Dioptra's schema takes any string (its tests use `taskalias1:v2`); we refused
    # anything but letters, digits and underscores.
    (
        "task name with a colon",
        {"tasks": {"alias:v2": {"plugin": "a.b.c"}}, "graph": {"s": {"alias:v2": []}}},
        True,
        None,
    ),
    (
        "task name with a comma, mixed style",
        {"tasks": {"alias,v3": {"plugin": "a.b.c"}}, "graph": {"s": {"task": "alias,v3"}}},
        True,
        None,
    ),
    (
        "task name with a dash",
        {
            "tasks": {"my-task": {"plugin": "a.b.c"}},
            "graph": {"s": {"my-task": [], "dependencies": []}},
        },
        True,
        None,
    ),
    (
        "task name with a space, a dot, a dollar",
        {
            "tasks": {
                "a b": {"plugin": "a.b.c"},
                "a.b": {"plugin": "a.b.d"},
                "$t": {"plugin": "a.b.e"},
            },
            "graph": {"s1": {"task": "a b"}, "s2": {"a.b": {}}, "s3": {"$t": []}},
        },
        True,
        None,
    ),
    (
        "a task named dependencies, called in mixed style",
        {"tasks": {"dependencies": {"plugin": "a.b.c"}}, "graph": {"s": {"task": "dependencies"}}},
        True,
        None,
    ),
    (
        "a blank task name in mixed style is still refused",
        {"tasks": {"t": {"plugin": "a.b.c"}}, "graph": {"s": {"task": " "}}},
        False,
        "E_TASK_NAME_INVALID",
    ),
    (
        "an empty task name in mixed style is still refused",
        {"tasks": {"t": {"plugin": "a.b.c"}}, "graph": {"s": {"task": ""}}},
        False,
        "E_TASK_NAME_INVALID",
    ),
    # An artifact task's `args` is a list or a mapping (Dioptra: a mapping); a lone value was read
    # as one positional argument.
    (
        "artifact task args null",
        with_(
            ONE_TASK,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": None}}}},
        ),
        False,
        "E_WRONG_TYPE",
    ),
    (
        "artifact task args a string",
        with_(
            ONE_TASK,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": "csv"}}}},
        ),
        False,
        "E_WRONG_TYPE",
    ),
    (
        "artifact task args a number",
        with_(
            ONE_TASK,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": 1}}}},
        ),
        False,
        "E_WRONG_TYPE",
    ),
    (
        "artifact task args a mapping",
        with_(
            ONE_TASK,
            {
                "artifact_outputs": {
                    "x": {"contents": "$s", "task": {"name": "H", "args": {"f": 1}}}
                }
            },
        ),
        True,
        None,
    ),
    # `$p.`: Dioptra's validator crashes on it (KeyError) and its runner cannot resolve it
    # (UnresolvableReferenceError); we read it as `$p`. Now it is a parameter with an output name,
    # like `$step.` and `$artifact.` (which Dioptra refuses).
    (
        "parameter reference with an empty output name",
        with_(
            ONE_TASK,
            {
                "parameters": {"p": 1},
                "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "any"}]}},
                "graph": {"s": {"t": ["$p."]}},
            },
        ),
        None,
        "E_REF_PARAM_WITH_OUTPUT",
    ),
    (
        "step reference with an empty output name",
        with_(
            ONE_TASK,
            {
                "tasks": {
                    "t": {"plugin": "a.b.t", "inputs": [{"x": "any"}], "outputs": {"o": "any"}}
                },
                "graph": {"s": {"t": [1]}, "s2": {"t": ["$s."]}},
            },
        ),
        False,
        "E_REF_UNKNOWN_OUTPUT",
    ),
    (
        "artifact input reference with an empty output name",
        with_(
            ONE_TASK,
            {
                "artifact_inputs": {"a": {"o": "any"}},
                "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "any"}]}},
                "graph": {"s": {"t": ["$a."]}},
            },
        ),
        False,
        "E_REF_ARTIFACT_UNKNOWN_OUTPUT",
    ),
    # Repeated output names in an artifact input: Dioptra does not check them (and its type check
    # takes the first); the spec asks unique names of tasks only. Now a warning.
    (
        "artifact input repeating an output name",
        with_(
            ONE_TASK,
            {
                "artifact_inputs": {"a": [{"o": "any"}, {"o": "string"}]},
                "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "any"}]}},
                "graph": {"s": {"t": ["$a.o"]}},
            },
        ),
        True,
        None,
    ),
    (
        "artifact input repeating an output name: the first one's type is used",
        with_(
            ONE_TASK,
            {
                "artifact_inputs": {"a": [{"o": "integer"}, {"o": "string"}]},
                "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "string"}]}},
                "graph": {"s": {"t": ["$a.o"]}},
            },
        ),
        False,
        "E_ARG_TYPE_MISMATCH",
    ),
]


@pytest.mark.parametrize(("name", "document", "dioptra", "code"), FIXED, ids=[f[0] for f in FIXED])
def test_fixed_disagreements(name, document, dioptra, code):
    valid, codes = verdict(document)
    if dioptra is not None:
        assert valid is dioptra, codes
    if code is None:
        assert valid, codes
    else:
        assert not valid
        assert code in codes, codes


def test_repeated_artifact_input_output_is_a_warning():
    document = FIXED[14][1]
    result = validate_document(copy.deepcopy(document))
    assert [issue.code for issue in result.issues] == ["W_ARTIFACT_INPUT_DUPLICATE_OUTPUT_NAMES"]
    assert "`$a.o` refers to the first one" in result.issues[0].message


def test_task_names_are_checked_against_the_declared_tasks_only():
    document = {"tasks": {"my-task": {"plugin": "a.b.c"}}, "graph": {"s": {"my_task": []}}}
    result = validate_document(document)
    assert [issue.code for issue in result.errors] == ["E_UNKNOWN_TASK"]
    assert "did you mean `my-task`?" in result.errors[0].message


# (name, document, our verdict, the codes we report, why we differ from Dioptra)
DELIBERATE = [
    (
        "artifact input named like a parameter",
        with_(ONE_TASK, {"parameters": {"p": 1}, "artifact_inputs": {"p": {"o": "any"}}}),
        False,
        ["E_NAME_COLLISION"],
        "spec 5: a name shared by an artifact input and a parameter or step is an error",
    ),
    (
        "artifact input named like a step",
        with_(ONE_TASK, {"artifact_inputs": {"s": {"o": "any"}}}),
        False,
        ["E_NAME_COLLISION"],
        "spec 5",
    ),
    (
        "unresolvable reference in artifact task arguments",
        with_(
            ONE_TASK,
            {
                "artifact_outputs": {
                    "x": {"contents": "$s", "task": {"name": "H", "args": {"f": "$nope"}}}
                }
            },
        ),
        False,
        ["E_REF_UNRESOLVABLE"],
        "spec 7: references inside artifact arguments resolve like step arguments",
    ),
    (
        "parameter reference with an empty output name in artifact contents",
        with_(
            ONE_TASK,
            {
                "parameters": {"p": 1},
                "artifact_outputs": {"x": {"contents": "$p.", "task": {"name": "H"}}},
            },
        ),
        False,
        ["E_REF_PARAM_WITH_OUTPUT"],
        "spec 5: a parameter must not carry an output name (Dioptra's runner cannot resolve it)",
    ),
    (
        "reference inside a mapping argument that has a `task` key",
        {
            "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "any"}], "outputs": {"o": "any"}}},
            "graph": {"s": {"t": [{"task": "$s"}]}},
        },
        False,
        ["E_STEP_CYCLE"],
        "spec 5: references are found at any depth (Dioptra's validator skips such mappings, its "
        "runner does not)",
    ),
    (
        "empty union",
        with_(ONE_TASK, {"types": {"u": {"union": []}}}),
        False,
        ["E_WRONG_TYPE"],
        "spec 2: `{union: []}` is an error",
    ),
    (
        "is_a an empty name",
        with_(ONE_TASK, {"types": {"a": {"is_a": ""}}}),
        False,
        ["E_TYPE_UNDEFINED_REFERENCE"],
        "spec 2: an unknown referenced type is an error",
    ),
    (
        "artifact input without outputs",
        with_(ONE_TASK, {"artifact_inputs": {"a": []}}),
        False,
        ["E_ARTIFACT_INPUT_NO_OUTPUTS"],
        "issue codes: E_ARTIFACT_INPUT_NO_OUTPUTS (Dioptra crashes when it is referenced)",
    ),
    (
        "artifact input name with a dot",
        with_(ONE_TASK, {"artifact_inputs": {"a.b": {"o": "any"}}}),
        False,
        ["E_ARTIFACT_INPUT_NAME_DOT"],
        "spec 1: artifact input names must not contain `.`",
    ),
    (
        "blank artifact input name",
        with_(ONE_TASK, {"artifact_inputs": {" ": {"o": "any"}}}),
        False,
        ["E_EMPTY_NAME"],
        "spec 1: names are non-empty, non-blank strings",
    ),
    (
        "non-string artifact input name",
        with_(ONE_TASK, {"artifact_inputs": {1: {"o": "any"}}}),
        False,
        ["E_NON_STRING_KEY"],
        "spec 1 and 9",
    ),
    (
        "empty artifact output name",
        with_(ONE_TASK, {"artifact_outputs": {"": {"contents": "$s", "task": {"name": "H"}}}}),
        False,
        ["E_EMPTY_NAME"],
        "spec 1",
    ),
    (
        "non-string keyword of an artifact task",
        with_(
            ONE_TASK,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": {1: 2}}}}},
        ),
        False,
        ["E_NON_STRING_KEY"],
        "spec 9: non-string keys where names are expected",
    ),
    (
        "blank artifact task name",
        with_(ONE_TASK, {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": ""}}}}),
        False,
        ["E_WRONG_TYPE"],
        "spec 7: it can never name an attached artifact task (Dioptra 1.1.0 refuses it too)",
    ),
    (
        "artifact task with positional args and kwargs",
        with_(
            ONE_TASK,
            {
                "artifact_outputs": {
                    "x": {
                        "contents": "$s",
                        "task": {"name": "H", "args": ["csv"], "kwargs": {"index": False}},
                    }
                }
            },
        ),
        True,
        [],
        "spec 7: the seed's three invocation styles",
    ),
    (
        "artifact_tasks section",
        with_(
            ONE_TASK,
            {
                "artifact_tasks": {"H": {"plugin": "a.b.H"}},
                "artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H"}}},
            },
        ),
        True,
        [],
        "spec 1: our extension",
    ),
    # Dioptra's validator raises instead of reporting these; we report them.
    (
        "builtin type redefined",
        with_(ONE_TASK, {"types": {"any": None}}),
        False,
        ["E_TYPE_BUILTIN_REDEFINED"],
        "spec 2: an error, never a crash",
    ),
    (
        "key type not string or integer",
        with_(ONE_TASK, {"types": {"a": {"mapping": ["any", "string"]}}}),
        False,
        ["E_TYPE_BAD_KEY_TYPE"],
        "spec 2",
    ),
    (
        "is_a a structured type",
        with_(ONE_TASK, {"types": {"a": {"is_a": "b"}, "b": {"list": "string"}}}),
        False,
        ["E_TYPE_NON_SIMPLE_SUPERTYPE"],
        "spec 2",
    ),
    (
        "unresolvable reference in a mapping argument with a `task` key",
        {
            "tasks": {"t": {"plugin": "a.b.t", "inputs": [{"x": "any"}]}},
            "graph": {"s": {"t": [{"task": "x", "other": "$nothing"}]}},
        },
        False,
        ["E_REF_UNRESOLVABLE"],
        "spec 5",
    ),
]


@pytest.mark.parametrize(
    ("name", "document", "valid", "codes", "why"), DELIBERATE, ids=[d[0] for d in DELIBERATE]
)
def test_deliberate_differences(name, document, valid, codes, why):
    assert verdict(document) == (valid, codes)


# The agreement table (generated from the differential run; the verdicts are Dioptra's).

TYPES = {
    "L": {"list": "integer"},
    "Tu": {"tuple": ["integer", "string"]},
    "Tu0": {"tuple": []},
    "M": {"mapping": {"a": "integer"}},
    "KV": {"mapping": ["string", "integer"]},
    "KVI": {"mapping": ["integer", "integer"]},
    "KVN": {"mapping": ["integer", "number"]},
    "U": {"union": ["integer", "string"]},
    "LU": {"list": {"union": ["integer", "string", "null"]}},
    "E": {"mapping": {}},
    "LL": {"list": {"list": "integer"}},
    "MM": {"mapping": {"a": {"mapping": {"b": "integer"}}}},
    "LI": {"list": "integer"},
    "LN": {"list": "number"},
    "UL": {"union": [{"list": "integer"}, "string"]},
}

BASE_VALID_PARAMETERS = {
    "tasks": {
        "add": {
            "plugin": "org.example.add",
            "inputs": [{"n1": "number"}, {"n2": "number"}, {"n3": "number"}],
        }
    },
    "graph": {"step1": {"add": [1, 2, 3]}},
}

BASE_INVALID_PARAMETERS = {
    "tasks": {"add": {"plugin": "org.example.add"}},
    "graph": {"step1": {"add": []}},
}

BASE_INVALID_TASKS = {"graph": {"step1": {"add": []}}}

BASE_GRAPH = {
    "tasks": {
        "0in": {"plugin": "org.example.task0in"},
        "1in": {"plugin": "org.example.task1in", "inputs": [{"in1": "number"}]},
        "2in": {"plugin": "org.example.task1in", "inputs": [{"in1": "number"}, {"in2": "number"}]},
    }
}

BASE_INVALID_GRAPH = {
    "tasks": {
        "add": {"plugin": "org.example.add"},
        "2arg": {
            "plugin": "org.example.task2arg",
            "inputs": [{"arg1": "number"}, {"arg2": "string"}],
        },
    }
}

BASE_STEP_REFS = {
    "types": {
        "str_to_num": {"mapping": ["string", "number"]},
        "str_to_list_num": {"mapping": ["string", {"list": "number"}]},
    },
    "tasks": {
        "1out": {"plugin": "org.example.task1out", "outputs": {"out": "number"}},
        "2out": {
            "plugin": "org.example.task2out",
            "outputs": [{"out1": "number"}, {"out2": "number"}],
        },
        "1in": {"plugin": "org.example.task1in", "inputs": [{"in": "number"}]},
        "2in": {"plugin": "org.example.task2in", "inputs": [{"in1": "number"}, {"in2": "number"}]},
        "2inmap": {
            "plugin": "org.example.task2inmap",
            "inputs": [{"in1": "number"}, {"in2": "str_to_num"}],
        },
        "2inmaplist": {
            "plugin": "org.example.task2inmaplist",
            "inputs": [{"in1": "number"}, {"in2": "str_to_list_num"}],
        },
    },
}

BASE_ARTIFACT_INPUT_REFS = {
    "tasks": {"consume": {"plugin": "org.example.consume", "inputs": [{"value": "string"}]}}
}

BASE_PARAM_REFS = {
    "parameters": {"param1": 1.23, "param2": {"type": "string"}},
    "types": {"nestedthing": {"tuple": [{"mapping": {"bar": {"list": "string"}}}]}},
    "tasks": {
        "1innum": {"plugin": "org.example.task1", "inputs": [{"in": "number"}]},
        "1innestedthing": {"plugin": "org.example.task2", "inputs": [{"foo": "nestedthing"}]},
    },
}

BASE_INVALID_REFS = {
    "parameters": {"param1": "number", "param2": "number"},
    "tasks": {
        "task1": {
            "plugin": "org.example.task1",
            "inputs": [{"arg1": "number"}],
            "outputs": {"value": "number"},
        },
        "task2": {
            "plugin": "org.example.task2",
            "inputs": [{"in": "number"}],
            "outputs": {"value": "number"},
        },
        "task3": {
            "plugin": "org.example.task3",
            "outputs": [{"value1": "number"}, {"value2": "number"}],
        },
        "task4": {"plugin": "org.example.task4"},
    },
}

BASE_CYCLE = {
    "types": {"str_to_list_num": {"mapping": ["string", {"list": "number"}]}},
    "tasks": {
        "task1": {
            "plugin": "org.example.task1",
            "inputs": [{"in": "number"}],
            "outputs": {"value": "number"},
        },
        "task2": {
            "plugin": "org.example.task2",
            "inputs": [{"foo": "number"}],
            "outputs": [{"value": "number"}],
        },
        "task3": {
            "plugin": "org.example.task3",
            "inputs": [{"bar": "str_to_list_num"}],
            "outputs": [{"value1": "number"}, {"value2": "number"}],
        },
    },
}

BASE_DEPS = {"tasks": {"task1": {"plugin": "org.example.foo"}}}

BASE_OPTIONAL = {
    "tasks": {
        "allopt": {
            "plugin": "org.example.taskallopt",
            "inputs": [
                {"name": "in1", "type": "number", "required": False},
                {"name": "in2", "type": "number", "required": False},
            ],
        },
        "1stopt": {
            "plugin": "org.example.task1stopt",
            "inputs": [
                {"name": "in1", "type": "number", "required": False},
                {"name": "in2", "type": "number", "required": True},
            ],
        },
        "2ndopt": {
            "plugin": "org.example.task2ndopt",
            "inputs": [
                {"name": "in1", "type": "number", "required": True},
                {"name": "in2", "type": "number", "required": False},
            ],
        },
    }
}

BASE_TYPES = {"tasks": {"foo": {"plugin": "org.example.foo"}}, "graph": {"step1": {"foo": []}}}

BASE_PARAMS = {
    "types": {
        "L": {"list": "integer"},
        "Tu": {"tuple": ["integer", "string"]},
        "Tu0": {"tuple": []},
        "M": {"mapping": {"a": "integer"}},
        "KV": {"mapping": ["string", "integer"]},
        "KVI": {"mapping": ["integer", "integer"]},
        "KVN": {"mapping": ["integer", "number"]},
        "U": {"union": ["integer", "string"]},
        "LU": {"list": {"union": ["integer", "string", "null"]}},
        "E": {"mapping": {}},
        "LL": {"list": {"list": "integer"}},
        "MM": {"mapping": {"a": {"mapping": {"b": "integer"}}}},
        "LI": {"list": "integer"},
        "LN": {"list": "number"},
        "UL": {"union": [{"list": "integer"}, "string"]},
    },
    "tasks": {"f": {"plugin": "a.b.f"}},
    "graph": {"s": {"f": []}},
}

BASE_ARTIFACT_OUTPUTS = {
    "parameters": {"p": 1},
    "artifact_inputs": {"ai": {"z": "any"}},
    "tasks": {
        "t": {"plugin": "a.b.t", "outputs": {"o": "any"}},
        "n": {"plugin": "a.b.n"},
        "two": {"plugin": "a.b.two", "outputs": [{"a": "any"}, {"b": "any"}]},
    },
    "graph": {"s": {"t": []}, "n": {"n": []}, "m": {"two": []}},
}

BASE_ARTIFACT_INPUTS = {
    "parameters": {"p": 1},
    "tasks": {
        "t": {"plugin": "a.b.t", "outputs": {"o": "any"}},
        "n": {"plugin": "a.b.n"},
        "two": {"plugin": "a.b.two", "outputs": [{"a": "any"}, {"b": "any"}]},
    },
    "graph": {"s": {"t": []}},
}

BASE_TASK_FORMS = {"graph": {"s": {"task": "t"}}}

# (document, Dioptra's verdict: True = no error issue)
AGREED = [
    # invalid_description
    (None, False),
    (1, False),
    (True, False),
    ("foo", False),
    ({}, False),
    ([], False),
    ({"graph": {}}, False),
    ({"tasks": {}}, False),
    ({"foo": "bar"}, False),
    (["foo"], False),
    (
        {
            "tasks": {"add": {"plugin": "org.example.add"}},
            "graph": {"step1": {"add": []}},
            "extra": "property",
        },
        False,
    ),
    # valid_parameters: the base document with parameters varied
    (with_(BASE_VALID_PARAMETERS, {"parameters": {}}), True),
    (with_(BASE_VALID_PARAMETERS, {"parameters": {"arg1": None}}), True),
    (with_(BASE_VALID_PARAMETERS, {"parameters": {"arg1": "default_value"}}), True),
    (with_(BASE_VALID_PARAMETERS, {"parameters": {"arg1": {"default": None}}}), True),
    (with_(BASE_VALID_PARAMETERS, {"parameters": {"arg1": {"default": "default_value"}}}), True),
    (with_(BASE_VALID_PARAMETERS, {"parameters": {"arg1": {"type": "integer"}}}), True),
    (
        with_(
            BASE_VALID_PARAMETERS,
            {"parameters": {"arg1": {"default": "default_value", "type": "string"}}},
        ),
        True,
    ),
    # invalid_parameters: the base document with parameters varied
    (with_(BASE_INVALID_PARAMETERS, {"parameters": None}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": 1}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": [1]}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": "foo"}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": {"foo.bar": 1}}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": {"arg1": {"foo": 1}}}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": {1: {"default": "foo"}}}), False),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": {"foo": {"type": None}}}), False),
    (
        with_(
            BASE_INVALID_PARAMETERS,
            {"parameters": {"foo": {"type": "badtype", "default": "value"}}},
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_PARAMETERS,
            {"parameters": {"foo": {"type": "integer", "default": "value"}}},
        ),
        False,
    ),
    (with_(BASE_INVALID_PARAMETERS, {"parameters": {"step1": "integer"}}), False),
    # singles
    (
        {
            "tasks": {"taskalias1:v2": {"plugin": "org.example.task1"}},
            "graph": {"step2_choice": {"taskalias1:v2": []}},
        },
        True,
    ),
    (
        {
            "tasks": {"taskalias3,v3": {"plugin": "org.example.task3"}},
            "graph": {"step3_choice": {"task": "taskalias3,v3"}},
        },
        True,
    ),
    (
        {"tasks": {"my-task": {"plugin": "org.example.task3"}}, "graph": {"s": {"my-task": []}}},
        True,
    ),
    (
        {
            "tasks": {"my task": {"plugin": "org.example.task3"}},
            "graph": {"s": {"task": "my task"}},
        },
        True,
    ),
    ({"tasks": {"$t": {"plugin": "org.example.task3"}}, "graph": {"s": {"$t": []}}}, True),
    ({"tasks": {"a.b": {"plugin": "org.example.task3"}}, "graph": {"s": {"a.b": []}}}, True),
    (
        {
            "tasks": {"dependencies": {"plugin": "org.example.task3"}},
            "graph": {"s": {"task": "dependencies"}},
        },
        True,
    ),
    ({"tasks": {"task": {"plugin": "org.example.task3"}}, "graph": {"s": {"task": "task"}}}, True),
    ({"tasks": {"args": {"plugin": "org.example.task3"}}, "graph": {"s": {"args": []}}}, True),
    ({"tasks": {"t": {"plugin": "org.example.task3"}}, "graph": {"s": {"task": ""}}}, False),
    (
        {
            "tasks": {
                "nameout": {"plugin": "org.example.nameout", "outputs": {"name": "string"}},
                "nameoutarr": {"plugin": "org.example.nameout", "outputs": [{"name": "string"}]},
                "1in": {"plugin": "org.example.1in", "inputs": [{"name": "in", "type": "string"}]},
            },
            "graph": {
                "singleout": {"nameout": []},
                "arrayout": {"nameoutarr": []},
                "in_1": {"1in": "$singleout"},
                "in_2": {"1in": "$arrayout"},
                "in_3": {"1in": "$singleout.name"},
                "in_4": {"1in": "$arrayout.name"},
            },
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": [1]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": {"x": 1}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": [1.0]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": {"x": 1.0}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "number"}]}},
            "graph": {"s": {"f": [1]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "number"}]}},
            "graph": {"s": {"f": {"x": 1}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "number"}]}},
            "graph": {"s": {"f": [True]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "number"}]}},
            "graph": {"s": {"f": {"x": True}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": [True]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": {"x": True}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "string"}]}},
            "graph": {"s": {"f": [None]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "string"}]}},
            "graph": {"s": {"f": {"x": None}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "null"}]}},
            "graph": {"s": {"f": [None]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "null"}]}},
            "graph": {"s": {"f": {"x": None}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}]}},
            "graph": {"s": {"f": [{1: 2}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}]}},
            "graph": {"s": {"f": {"x": {1: 2}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": [[1, 2]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": {"x": [1, 2]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": [[]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": {"x": []}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": [[1, "a"]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": {"x": [1, "a"]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": [[1, "a"]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": {"x": [1, "a"]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": [[1]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": {"x": [1]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": [[]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": {"x": []}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": [{"a": 1}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": {"x": {"a": 1}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": [{"a": 1, "b": 2}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": {"x": {"a": 1, "b": 2}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": [{}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": {"x": {}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": [{"a": 1}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": {"x": {"a": 1}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": [{}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": {"x": {}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": [{1: 1}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": {"x": {1: 1}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{1: 1, 2: 2}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {1: 1, 2: 2}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{1: 1, 2: "x"}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {1: 1, 2: "x"}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{"a": 1}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {"a": 1}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": [1]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": {"x": 1}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": ["x"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": {"x": "x"}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": [None]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": {"x": None}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": [1.5]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": {"x": 1.5}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LU"}]}},
            "graph": {"s": {"f": [[1, "x", None]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LU"}]}},
            "graph": {"s": {"f": {"x": [1, "x", None]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LU"}]}},
            "graph": {"s": {"f": [[1.5]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LU"}]}},
            "graph": {"s": {"f": {"x": [1.5]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": [{}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": {"x": {}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": [[]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": {"x": []}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu0"}]}},
            "graph": {"s": {"f": [[]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu0"}]}},
            "graph": {"s": {"f": {"x": []}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu0"}]}},
            "graph": {"s": {"f": [{}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu0"}]}},
            "graph": {"s": {"f": {"x": {}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": [{"a": 1}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": {"x": {"a": 1}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": [[1]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": {"x": [1]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": [{"a": "x"}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": {"x": {"a": "x"}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{True: 1}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {True: 1}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LL"}]}},
            "graph": {"s": {"f": [[[1], [2, 3]]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LL"}]}},
            "graph": {"s": {"f": {"x": [[1], [2, 3]]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LL"}]}},
            "graph": {"s": {"f": [[[1], 2]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LL"}]}},
            "graph": {"s": {"f": {"x": [[1], 2]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "MM"}]}},
            "graph": {"s": {"f": [{"a": {"b": 1}}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "MM"}]}},
            "graph": {"s": {"f": {"x": {"a": {"b": 1}}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "MM"}]}},
            "graph": {"s": {"f": [{"a": {"b": "x"}}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "MM"}]}},
            "graph": {"s": {"f": {"x": {"a": {"b": "x"}}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": [{"a": 1, 2: 3}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": {"x": {"a": 1, 2: 3}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}]}},
            "graph": {"s": {"f": [{1: "a", "b": 2}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}]}},
            "graph": {"s": {"f": {"x": {1: "a", "b": 2}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": [{1: 1, 2: 2.5}]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVI"}]}},
            "graph": {"s": {"f": {"x": {1: 1, 2: 2.5}}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVN"}]}},
            "graph": {"s": {"f": [{1: 1, 2: 2.5}]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KVN"}]}},
            "graph": {"s": {"f": {"x": {1: 1, 2: 2.5}}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]}},
            "graph": {"s": {"f": [[1, 2.5]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]}},
            "graph": {"s": {"f": {"x": [1, 2.5]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LN"}]}},
            "graph": {"s": {"f": [[1, 2.5]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LN"}]}},
            "graph": {"s": {"f": {"x": [1, 2.5]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": [[1, 2]]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": {"x": [1, 2]}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": ["x"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": {"x": "x"}}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": [["x"]]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "UL"}]}},
            "graph": {"s": {"f": {"x": ["x"]}}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "L"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "L"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "L"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "LI"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LI"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "LI"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LI"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "L"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": {
                "L": {"list": "integer"},
                "Tu": {"tuple": ["integer", "string"]},
                "Tu0": {"tuple": []},
                "M": {"mapping": {"a": "integer"}},
                "KV": {"mapping": ["string", "integer"]},
                "KVI": {"mapping": ["integer", "integer"]},
                "KVN": {"mapping": ["integer", "number"]},
                "U": {"union": ["integer", "string"]},
                "LU": {"list": {"union": ["integer", "string", "null"]}},
                "E": {"mapping": {}},
                "LL": {"list": {"list": "integer"}},
                "MM": {"mapping": {"a": {"mapping": {"b": "integer"}}}},
                "LI": {"list": "integer"},
                "LN": {"list": "number"},
                "UL": {"union": [{"list": "integer"}, "string"]},
                "Anon": {"list": "integer"},
            },
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Anon"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": {
                "L": {"list": "integer"},
                "Tu": {"tuple": ["integer", "string"]},
                "Tu0": {"tuple": []},
                "M": {"mapping": {"a": "integer"}},
                "KV": {"mapping": ["string", "integer"]},
                "KVI": {"mapping": ["integer", "integer"]},
                "KVN": {"mapping": ["integer", "number"]},
                "U": {"union": ["integer", "string"]},
                "LU": {"list": {"union": ["integer", "string", "null"]}},
                "E": {"mapping": {}},
                "LL": {"list": {"list": "integer"}},
                "MM": {"mapping": {"a": {"mapping": {"b": "integer"}}}},
                "LI": {"list": "integer"},
                "LN": {"list": "number"},
                "UL": {"union": [{"list": "integer"}, "string"]},
                "Anon": {"list": "integer"},
            },
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "L"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "Anon"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": {
                "L": {"list": "integer"},
                "Tu": {"tuple": ["integer", "string"]},
                "Tu0": {"tuple": []},
                "M": {"mapping": {"a": "integer"}},
                "KV": {"mapping": ["string", "integer"]},
                "KVI": {"mapping": ["integer", "integer"]},
                "KVN": {"mapping": ["integer", "number"]},
                "U": {"union": ["integer", "string"]},
                "LU": {"list": {"union": ["integer", "string", "null"]}},
                "E": {"mapping": {}},
                "LL": {"list": {"list": "integer"}},
                "MM": {"mapping": {"a": {"mapping": {"b": "integer"}}}},
                "LI": {"list": "integer"},
                "LN": {"list": "number"},
                "UL": {"union": [{"list": "integer"}, "string"]},
                "Anon": {"list": "integer"},
            },
            "parameters": {"p": {"type": "L"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "Anon"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "U"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "U"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "U"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "U"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "U"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "U"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "integer"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "U"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "integer"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "integer"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "integer"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "U"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "integer"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "U"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "Tu"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "Tu"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "Tu"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "M"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "M"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "M"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "M"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "KV"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "KV"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "KV"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "KV"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "KV"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "KV"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "M"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "KV"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "M"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "E"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "E"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "KV"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "E"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "KV"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LN"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "LN"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "LI"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LN"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "LI"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LI"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "LN"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "LI"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "LN"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "LI"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "LN"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu0"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "Tu0"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "L"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu0"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "L"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu0"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "Tu0"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "Tu0"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "E"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        False,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "E"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]}},
            "graph": {"s": {"f": ["$p"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "tasks": {
                "g": {"plugin": "a.b.g", "outputs": {"o": "E"}},
                "f": {"plugin": "a.b.f", "inputs": [{"x": "E"}]},
            },
            "graph": {"s0": {"g": []}, "s": {"f": ["$s0"]}},
        },
        True,
    ),
    (
        {
            "types": TYPES,
            "parameters": {"p": {"type": "E"}},
            "tasks": {"f": {"plugin": "a.b.f", "inputs": [{"x": "any"}, {"y": "E"}]}},
            "graph": {"s": {"f": [["$p"], "$p"]}},
        },
        True,
    ),
    # invalid_tasks: the base document with tasks varied
    (with_(BASE_INVALID_TASKS, {"tasks": None}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": 1}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": "foo"}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": []}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": 1}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {1: "add"}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {1: {"plugin": "org.example.add"}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": []}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {"foo": True}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {True: "foo"}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {"plugin": ""}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {"plugin": "abc"}}}), False),
    (with_(BASE_INVALID_TASKS, {"tasks": {"add": {"plugin": "org.example.add."}}}), False),
    (
        with_(BASE_INVALID_TASKS, {"tasks": {"add": {"plugin": "org.example.add", "foo": 123}}}),
        False,
    ),
    (
        with_(
            BASE_INVALID_TASKS,
            {"tasks": {"add": {"plugin": "org.example.add", "outputs": {"value": "badtype"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_TASKS,
            {"tasks": {"add": {"plugin": "org.example.add", "inputs": [{"value": "badtype"}]}}},
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_TASKS,
            {
                "tasks": {
                    "add": {
                        "plugin": "org.example.add",
                        "outputs": [{"value": "number"}, {"value": "number"}],
                    }
                }
            },
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_TASKS,
            {
                "tasks": {
                    "add": {
                        "plugin": "org.example.add",
                        "inputs": [{"value": "number"}, {"value": "number"}],
                    }
                }
            },
        ),
        False,
    ),
    # graph: the base document with graph varied
    (with_(BASE_GRAPH, {"graph": {"step1": {"0in": []}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"0in": {}}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": 1}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": [1]}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": {"in1": 1}}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"2in": [1, 2]}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"2in": {"in1": 1, "in2": 2}}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"task": "0in"}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"task": "1in", "args": 1}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"task": "1in", "args": [1]}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"task": "2in", "args": [1, 2]}}}), True),
    (
        with_(BASE_GRAPH, {"graph": {"step1": {"task": "2in", "kwargs": {"in1": 1, "in2": 2}}}}),
        True,
    ),
    (
        with_(BASE_GRAPH, {"graph": {"step1": {"task": "2in", "args": 1, "kwargs": {"in2": 2}}}}),
        True,
    ),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": [1]}, "step2": {"2in": [3, 4]}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"0in": None}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": None}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"task": "1in", "args": None}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": 1.5}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": True}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": "1"}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"1in": [[1]]}}}), False),
    (with_(BASE_GRAPH, {"graph": {"step1": {"0in": {}, "dependencies": []}}}), True),
    (with_(BASE_GRAPH, {"graph": {"step1": {"dependencies": [], "0in": {}}}}), True),
    # invalid_graph: the base document with graph varied
    (with_(BASE_INVALID_GRAPH, {"graph": None}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": 1}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": "foo"}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": []}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": 1}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {1: "step1"}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {1: {"add": []}}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": [1]}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": {"sub": 1}}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": {"task": "sub"}}}), False),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": {"add": [], "2arg": [1, "foo"]}}}), False),
    (
        with_(
            BASE_INVALID_GRAPH,
            {"graph": {"step1": {"dependencies": ["step2"]}, "step2": {"add": 1}}},
        ),
        False,
    ),
    (with_(BASE_INVALID_GRAPH, {"graph": {"step1": {"task": "add", "foo": "bar"}}}), False),
    (
        with_(
            BASE_INVALID_GRAPH,
            {"graph": {"step1": {"task": "2arg", "args": [1, "foo"], "kwargs": {"arg1": 1}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_GRAPH,
            {
                "graph": {
                    "step1": {
                        "task": "2arg",
                        "args": [1, "foo"],
                        "kwargs": {"arg1": 1, "arg2": "foo"},
                    }
                }
            },
        ),
        False,
    ),
    # step_refs: the base document with graph varied
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": "$step1"}}}), True),
    (
        with_(
            BASE_STEP_REFS,
            {
                "graph": {
                    "step1": {"1out": []},
                    "step2": {"2in": ["$step1", "$step3.out2"]},
                    "step3": {"2out": []},
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {
                "graph": {
                    "step1": {"1out": []},
                    "step2": {"1out": []},
                    "step3": {"2inmap": ["$step1", {"arg1": "$step2"}]},
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {
                "graph": {
                    "step1": {"1out": []},
                    "step2": {"2inmaplist": {"in1": "$step1", "in2": {"subarg1": ["$step3.out2"]}}},
                    "step3": {"2out": []},
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {
                "graph": {
                    "step1": {"1out": []},
                    "step2": {
                        "task": "2in",
                        "args": ["$step1.out"],
                        "kwargs": {"in2": "$step3.out1"},
                    },
                    "step3": {"2out": []},
                }
            },
        ),
        True,
    ),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": "$step1."}}}), False),
    (
        with_(
            BASE_STEP_REFS, {"graph": {"step1": {"2out": []}, "step2": {"1in": "$step1.out1.x"}}}
        ),
        False,
    ),
    (
        with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": "$step1.out.x"}}}),
        False,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {"graph": {"step1": {"1out": []}, "step2": {"2inmap": [1, {1: "$step1"}]}}},
        ),
        False,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {"graph": {"step1": {"1out": []}, "step2": {"2inmap": [1, {"a": "$$step1"}]}}},
        ),
        False,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {"graph": {"step1": {"1out": []}, "step2": {"2inmap": [1, {"$step1": 1}]}}},
        ),
        True,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {"graph": {"step1": {"1out": []}, "step2": {"2inmap": [1, {"task": "$step1"}]}}},
        ),
        True,
    ),
    (
        with_(
            BASE_STEP_REFS,
            {
                "graph": {
                    "step1": {"1out": []},
                    "step2": {"2inmap": [1, {"task": "x", "args": ["$nothing"]}]},
                }
            },
        ),
        False,
    ),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": ["$step1"]}}}), True),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"2in": [True, 1]}}}), False),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"2in": [None, 1]}}}), False),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": "$"}}}), False),
    (with_(BASE_STEP_REFS, {"graph": {"step1": {"1out": []}, "step2": {"1in": "$$"}}}), False),
    # artifact_input_refs: the base document with artifact_inputs, graph varied
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": []},
                "graph": {"step1": {"consume": "$artifact.value"}},
            },
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": [{"first": "string"}, {"second": "string"}]},
                "graph": {"step1": {"consume": "$artifact"}},
            },
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": {"value": "string"}},
                "graph": {"step1": {"consume": "$artifact"}},
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": [{"value": "string"}]},
                "graph": {"step1": {"consume": "$artifact"}},
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": {"value": "string"}},
                "graph": {"step1": {"consume": "$artifact.value"}},
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": [{"value": "string"}]},
                "graph": {"step1": {"consume": "$artifact.value"}},
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": [{"first": "string"}, {"second": "string"}]},
                "graph": {"step1": {"consume": "$artifact.second"}},
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": {"value": "integer"}},
                "graph": {"step1": {"consume": "$artifact"}},
            },
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": {"value": "string"}},
                "graph": {"step1": {"consume": "$artifact."}},
            },
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_INPUT_REFS,
            {
                "artifact_inputs": {"artifact": {"value": "string"}},
                "graph": {"step1": {"consume": "$artifact.other"}},
            },
        ),
        False,
    ),
    # param_refs: the base document with graph varied
    (with_(BASE_PARAM_REFS, {"graph": {"step1": {"1innum": "$param1"}}}), True),
    (
        with_(
            BASE_PARAM_REFS,
            {"graph": {"step1": {"1innestedthing": {"foo": [{"bar": ["$param2"]}]}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_PARAM_REFS, {"graph": {"step1": {"1innestedthing": {"foo": [{"bar": "$param2"}]}}}}
        ),
        False,
    ),
    (with_(BASE_PARAM_REFS, {"graph": {"step1": {"1innum": "$param2"}}}), False),
    # invalid_refs: the base document with graph varied
    (with_(BASE_INVALID_REFS, {"graph": {"step1": {"task1": "$step2"}}}), False),
    (
        with_(
            BASE_INVALID_REFS, {"graph": {"step1": {"task1": 1}, "step2": {"task2": "$step1.foo"}}}
        ),
        False,
    ),
    (
        with_(
            BASE_INVALID_REFS,
            {"graph": {"step1": {"task1": {"arg1": "$step3"}}, "step3": {"task3": []}}},
        ),
        False,
    ),
    (with_(BASE_INVALID_REFS, {"graph": {"step1": {"task1": "$param3"}}}), False),
    (with_(BASE_INVALID_REFS, {"graph": {"step1": {"task1": "$param1.value"}}}), False),
    (
        with_(BASE_INVALID_REFS, {"graph": {"step1": {"task4": []}, "step2": {"task1": "$step1"}}}),
        False,
    ),
    (
        with_(
            BASE_INVALID_REFS,
            {"graph": {"step1": {"task4": []}, "step2": {"task1": "$step1.value1"}}},
        ),
        False,
    ),
    # cycle: the base document with graph varied
    (with_(BASE_CYCLE, {"graph": {"step1": {"task1": "$step1"}}}), False),
    (
        with_(
            BASE_CYCLE,
            {
                "graph": {
                    "step1": {"task1": ["$step2"]},
                    "step2": {"task2": {"foo": "$step1.value"}},
                }
            },
        ),
        False,
    ),
    (
        with_(
            BASE_CYCLE,
            {
                "graph": {
                    "step1": {"task": "task1", "args": ["$step3.value2"]},
                    "step2": {"task2": {"foo": "$step1"}},
                    "step3": {"task3": {"bar": {"baz": ["$step2.value"]}}},
                }
            },
        ),
        False,
    ),
    (with_(BASE_CYCLE, {"graph": {"step1": {"task1": 1, "dependencies": ["step1"]}}}), False),
    (
        with_(
            BASE_CYCLE,
            {
                "graph": {
                    "step1": {"task1": 1, "dependencies": ["step3"]},
                    "step2": {"task2": 2, "dependencies": ["step1"]},
                    "step3": {"task3": [{"abc": [1]}], "dependencies": ["step2"]},
                }
            },
        ),
        False,
    ),
    # deps: the base document with graph varied
    (
        with_(
            BASE_DEPS,
            {"graph": {"step1": {"task1": [], "dependencies": ["step2"]}, "step2": {"task1": []}}},
        ),
        True,
    ),
    (
        with_(
            BASE_DEPS,
            {
                "graph": {
                    "step1": {"task1": [], "dependencies": ["step2", "step3"]},
                    "step2": {"task1": [], "dependencies": ["step3"]},
                    "step3": {"task1": []},
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_DEPS,
            {"graph": {"step1": {"task1": [], "dependencies": "step2"}, "step2": {"task1": []}}},
        ),
        True,
    ),
    (with_(BASE_DEPS, {"graph": {"step1": {"task1": [], "dependencies": ["step2"]}}}), False),
    (
        with_(
            BASE_DEPS,
            {
                "graph": {
                    "step1": {"task1": [], "dependencies": ["step2", "step3"]},
                    "step2": {"task1": []},
                }
            },
        ),
        False,
    ),
    (with_(BASE_DEPS, {"graph": {"step1": {"task1": [], "dependencies": 1}}}), False),
    (
        with_(
            BASE_DEPS,
            {"graph": {"step1": {"task1": [], "dependencies": "$step2"}, "step2": {"task1": []}}},
        ),
        False,
    ),
    (
        with_(
            BASE_DEPS,
            {
                "graph": {
                    "step1": {"task1": [], "dependencies": ["step2", "step2"]},
                    "step2": {"task1": []},
                }
            },
        ),
        True,
    ),
    # optional: the base document with graph varied
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": {}}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": 1}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": {"in2": 2}}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": [1, 2]}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": {"in1": 1, "in2": 2}}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"1stopt": {"in2": 2}}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"task": "1stopt", "kwargs": {"in2": 2}}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"1stopt": [1, 2]}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"2ndopt": 1}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"2ndopt": [1]}}}), True),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"2ndopt": {"in1": 1}}}}), True),
    (
        with_(
            BASE_OPTIONAL, {"graph": {"step1": {"task": "2ndopt", "args": 1, "kwargs": {"in2": 2}}}}
        ),
        True,
    ),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"1stopt": 1}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"1stopt": {"in1": 1}}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"task": "1stopt", "args": [1]}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"task": "1stopt", "kwargs": {"in1": 1}}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"2ndopt": {"in2": 1}}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"task": "2ndopt", "kwargs": {"in2": 1}}}}), False),
    (with_(BASE_OPTIONAL, {"graph": {"step1": {"allopt": None}}}), False),
    # types: the base document with types varied
    (with_(BASE_TYPES, {"types": {"A": {"is_a": "A"}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"list": "A"}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"tuple": ["A"]}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"mapping": ["string", "A"]}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"union": ["A"]}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"is_a": "B"}, "B": {"is_a": "A"}}}), False),
    (
        with_(
            BASE_TYPES,
            {
                "types": {
                    "A": {"list": "B"},
                    "B": {"mapping": ["string", {"tuple": ["number", "C"]}]},
                    "C": {"union": ["string", "boolean", "A"]},
                }
            },
        ),
        False,
    ),
    (
        with_(
            BASE_TYPES,
            {
                "types": {
                    "A": None,
                    "B": None,
                    "C": None,
                    "dupe_union": {"union": ["A", "B", "C", "C", "A"]},
                }
            },
        ),
        True,
    ),
    (with_(BASE_TYPES, {"types": {"A": {"tuple": []}}}), True),
    (with_(BASE_TYPES, {"types": {"A": {"mapping": {}}}}), True),
    (with_(BASE_TYPES, {"types": {"A": {}}}), True),
    (with_(BASE_TYPES, {"types": {"A": {"is_a": "integer"}, "B": {"is_a": "A"}}}), True),
    (with_(BASE_TYPES, {"types": {"A": {"list": {"is_a": "string"}}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"list": {}}}}), False),
    (
        with_(
            BASE_TYPES, {"types": {"A": {"mapping": ["string", "integer"], "union": ["string"]}}}
        ),
        False,
    ),
    (with_(BASE_TYPES, {"types": {"A": {"is_a": "string", "list": "string"}}}), False),
    (
        with_(BASE_TYPES, {"types": {"A": {"union": ["string", "integer"], "is_a": "string"}}}),
        False,
    ),
    (with_(BASE_TYPES, {"types": {"A": {"is_a": None}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"union": ["string", {"union": ["integer"]}]}}}), True),
    (with_(BASE_TYPES, {"types": {"A": "string"}}), False),
    (with_(BASE_TYPES, {"types": {"A": 1}}), False),
    (with_(BASE_TYPES, {"types": {"A": []}}), False),
    (with_(BASE_TYPES, {"types": {"string": {"is_a": "string"}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"mapping": ["integer", "string"]}}}), True),
    (with_(BASE_TYPES, {"types": {"A": {"mapping": ["string", "string", "string"]}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"mapping": {"x": {"is_a": "string"}}}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"union": ["B"]}, "B": {"list": "C"}}}), False),
    (with_(BASE_TYPES, {"types": {"A": {"union": ["null", "null"]}}}), True),
    (
        with_(BASE_TYPES, {"types": {"A": {"union": [{"list": "string"}, {"list": "string"}]}}}),
        True,
    ),
    (
        with_(
            BASE_TYPES,
            {
                "types": {
                    "A": {
                        "union": [
                            {"mapping": {"a": "string", "b": "integer"}},
                            {"mapping": {"b": "integer", "a": "string"}},
                        ]
                    }
                }
            },
        ),
        True,
    ),
    # params: the base document with parameters varied
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "L", "default": [1, 2]}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "L", "default": [1, "a"]}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "U", "default": None}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "M", "default": {"a": 1}}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "KVI", "default": {1: 2}}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "number", "default": 1}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "integer", "default": 1.5}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "Tu", "default": [1, "x"]}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "null", "default": None}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "string"}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"default": {"a": 1}}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"default": {1: 1}}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": [1, 2]}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": []}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "any", "default": [1]}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "E", "default": {}}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "LL", "default": [[1]]}}}), True),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "LL", "default": [1]}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "string", "default": 1}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "boolean", "default": 0}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"default": None, "type": "U"}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "", "default": 1}}}), False),
    (with_(BASE_PARAMS, {"parameters": {"p": {"type": "KV", "default": {"a": 1, "b": 2}}}}), True),
    # artifact_outputs: the base document with artifact_outputs varied
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": {}}), True),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": None}), False),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {
                "artifact_outputs": {
                    "x": {"contents": "$s.o", "task": {"name": "H", "args": {"a": 1}}}
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$n", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$m", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$m.a", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$m.c", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$p", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$p.q", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$q", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$$s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": None}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H", "args": {}}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {
                "artifact_outputs": {
                    "x": {"contents": "$s", "task": {"name": "H", "args": {"f": "$p"}}}
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {
                "artifact_outputs": {
                    "x": {"contents": "$s", "task": {"name": "H", "args": {"f": "$s"}}}
                }
            },
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": None}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"a.b": {"contents": "$s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"s": {"contents": "$s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"p": {"contents": "$s", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s.", "task": {"name": "H"}}}},
        ),
        False,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$ai", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$ai.z", "task": {"name": "H"}}}},
        ),
        True,
    ),
    (
        with_(
            BASE_ARTIFACT_OUTPUTS,
            {"artifact_outputs": {"x": {"contents": "$s", "task": {"name": "H"}, "extra": 1}}},
        ),
        False,
    ),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": {"x": None}}), False),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": {"x": []}}), False),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": {"x": {}}}), False),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": []}), False),
    (with_(BASE_ARTIFACT_OUTPUTS, {"artifact_outputs": "x"}), False),
    # artifact_inputs: the base document with artifact_inputs varied
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {}}), True),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": None}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": []}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": {"o": "any"}}}), True),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": [{"o": "any"}]}}), True),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": {}}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": None}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": {"o": "nope"}}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": [{"o": "any"}, {"o": "any"}]}}), True),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": {"o": "any", "p": "any"}}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": [{"o": "any"}, {}]}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": {"o": None}}}), False),
    (with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": "any"}}), False),
    (
        with_(BASE_ARTIFACT_INPUTS, {"artifact_inputs": {"a": [{"name": "o", "type": "any"}]}}),
        False,
    ),
    # task_forms: the base document with tasks varied
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": []}}}), True),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": None}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": {}}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{"name": "x"}]}}}), False),
    (
        with_(
            BASE_TASK_FORMS,
            {
                "tasks": {
                    "t": {
                        "plugin": "a.b",
                        "inputs": [{"name": "x", "type": "any", "required": "yes"}],
                    }
                }
            },
        ),
        False,
    ),
    (
        with_(
            BASE_TASK_FORMS,
            {
                "tasks": {
                    "t": {"plugin": "a.b", "inputs": [{"name": "x", "type": "any", "extra": 1}]}
                }
            },
        ),
        False,
    ),
    (
        with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{"name": "string"}]}}}),
        False,
    ),
    (
        with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{"type": "any"}]}}}),
        False,
    ),
    (
        with_(
            BASE_TASK_FORMS,
            {"tasks": {"t": {"plugin": "a.b", "inputs": [{"x": "any", "y": "any"}]}}},
        ),
        False,
    ),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{}]}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": ["x"]}}}), False),
    (
        with_(
            BASE_TASK_FORMS,
            {"tasks": {"t": {"plugin": "a.b", "inputs": [{"name": 1, "type": "any"}]}}},
        ),
        False,
    ),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{1: "any"}]}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{"x": None}]}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": None}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": []}}}), True),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": {}}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": [{}]}}}), False),
    (
        with_(
            BASE_TASK_FORMS,
            {"tasks": {"t": {"plugin": "a.b", "outputs": [{"a": "any", "b": "any"}]}}},
        ),
        False,
    ),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": {1: "any"}}}}), True),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": "any"}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": [{"a": None}]}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b.", "inputs": []}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": ".a.b"}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a..b"}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "ab"}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "abc"}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b c"}}}), True),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": 1}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": None}}}), False),
    (
        with_(
            BASE_TASK_FORMS,
            {
                "tasks": {
                    "t": {
                        "plugin": "a.b",
                        "inputs": [{"name": "x", "type": "any", "required": None}],
                    }
                }
            },
        ),
        False,
    ),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "inputs": [{"": "any"}]}}}), False),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "a.b", "outputs": {"": "any"}}}}), True),
    (
        with_(
            BASE_TASK_FORMS,
            {
                "tasks": {
                    "t": {
                        "plugin": "a.b",
                        "inputs": [{"name": "x", "type": "any"}, {"x": "string"}],
                    }
                }
            },
        ),
        False,
    ),
    (with_(BASE_TASK_FORMS, {"tasks": {"t": {"plugin": "...", "inputs": []}}}), False),
]


@pytest.mark.parametrize("index", range(len(AGREED)))
def test_agrees_with_dioptra(index):
    document, dioptra = AGREED[index]
    valid, codes = verdict(document)
    assert valid is dioptra, (document, codes)


def test_mapping_and_text_agree_on_the_table():
    import yaml

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    for document, dioptra in AGREED:
        if not isinstance(document, dict):
            continue
        text = yaml.dump(document, Dumper=NoAliases, sort_keys=False)
        assert validate_document(text).valid is dioptra, text
