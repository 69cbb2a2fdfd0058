"""validate_entrypoint, build_document and parameter conversion."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest

from entrypoints.taskgraph import (
    ENTRYPOINT_PARAMETER_TYPES,
    ArtifactInputSpec,
    EntrypointContext,
    Limits,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    build_document,
    convert_parameter_value,
    validate_document,
    validate_entrypoint,
)

from .helpers import codes, only, position, span

TASKS = {
    "load": TaskSpec(
        "io.files.load",
        [("location", "string", True)],
        [("training", "dataset"), ("testing", "dataset")],
    ),
    "train": TaskSpec(
        "ml.fit.train",
        [
            ("architecture", "string", True),
            ("dataset", "dataset", True),
            ("epochs", "integer", False),
        ],
        [("model", "model")],
    ),
    "notify": TaskSpec("util.misc.notify", None, []),
}
TYPES = {"dataset": None, "model": None}
GRAPH = "dataset:\n  load: [$location]\nmodel:\n  train: [le_net, $dataset.training, $epochs]\n"


def context(**overrides) -> StaticContext:
    values = {
        "tasks": TASKS,
        "types": TYPES,
        "parameters": [
            ParameterSpec("location", "string", "/data"),
            ParameterSpec("epochs", "integer", "3"),
        ],
    }
    values.update(overrides)
    return StaticContext(**values)


class OnlyThese:
    """An object with only the given attributes; the name of every attribute read is logged."""

    def __init__(self, log: list[str], **attributes) -> None:
        object.__setattr__(self, "_state", (log, attributes))

    def __getattribute__(self, name: str):
        log, attributes = object.__getattribute__(self, "_state")
        log.append(name)
        try:
            return attributes[name]
        except KeyError:
            raise AttributeError(name) from None


def test_validate_entrypoint_reads_exactly_what_the_protocol_names():
    full = context(
        artifact_tasks={"Saver": TaskSpec("art.save.Saver", None)},
        artifact_inputs=[ArtifactInputSpec("weights", [("model", "model")])],
    )
    log: list[str] = []

    def bare(spec):
        return OnlyThese(log, **{f.name: getattr(spec, f.name) for f in fields(spec)})

    protocol = set(EntrypointContext.__annotations__)
    assert {f.name for f in fields(StaticContext)} == protocol
    only_the_protocol = OnlyThese(
        log,
        tasks={name: bare(spec) for name, spec in full.tasks.items()},
        artifact_tasks={name: bare(spec) for name, spec in full.artifact_tasks.items()},
        types=full.types,
        parameters=[bare(spec) for spec in full.parameters],
        artifact_inputs=[bare(spec) for spec in full.artifact_inputs],
    )
    artifacts = "m:\n  contents: $model\n  task: {name: Saver}\n"
    result = validate_entrypoint(GRAPH, artifacts, context=only_the_protocol)
    assert result.valid and result == validate_entrypoint(GRAPH, artifacts, context=full)
    specs = (TaskSpec, ParameterSpec, ArtifactInputSpec)
    assert {name for name in log if not name.startswith("__")} == protocol | {
        f.name for spec in specs for f in fields(spec)
    }


def test_valid_entrypoint():
    result = validate_entrypoint(GRAPH, None, context=context())
    assert result.valid and result.issues == []


def test_build_document_is_the_full_document():
    document = build_document(
        GRAPH,
        "m:\n  contents: $model\n  task: {name: Saver}\n",
        context=context(
            artifact_tasks={"Saver": TaskSpec("art.save.Saver", None)},
            artifact_inputs=[
                ArtifactInputSpec("weights", [("model", "model")]),
                ArtifactInputSpec("splits", [("a", "dataset"), ("b", "dataset")]),
            ],
        ),
    )
    assert document["types"] == TYPES
    assert document["parameters"] == {
        "location": {"type": "string", "default": "/data"},
        "epochs": {"type": "integer", "default": 3},
    }
    assert document["artifact_inputs"] == {
        "weights": {"model": "model"},
        "splits": [{"a": "dataset"}, {"b": "dataset"}],
    }
    assert document["tasks"]["load"] == {
        "plugin": "io.files.load",
        "inputs": [{"location": "string"}],
        "outputs": [{"training": "dataset"}, {"testing": "dataset"}],
    }
    assert document["tasks"]["train"]["inputs"][2] == {
        "name": "epochs",
        "type": "integer",
        "required": False,
    }
    assert document["tasks"]["train"]["outputs"] == {"model": "model"}
    assert document["tasks"]["notify"] == {"plugin": "util.misc.notify", "unchecked_inputs": True}
    assert document["artifact_tasks"] == {"Saver": {"plugin": "art.save.Saver"}}
    assert document["graph"]["model"] == {"train": ["le_net", "$dataset.training", "$epochs"]}
    assert document["artifact_outputs"] == {"m": {"contents": "$model", "task": {"name": "Saver"}}}
    assert validate_document(document).valid


@pytest.mark.parametrize(
    ("kind", "default", "engine_type", "value"),
    [
        ("string", "hello", "string", "hello"),
        ("integer", "42", "integer", 42),
        ("float", "0.5", "number", 0.5),
        ("boolean", "TRUE", "boolean", True),
        ("boolean", "false", "boolean", False),
    ],
)
def test_parameters_enter_typed_with_converted_defaults(kind, default, engine_type, value):
    document = build_document(
        "s:\n  notify: []\n", None, context=context(parameters=[ParameterSpec("p", kind, default)])
    )
    assert document["parameters"]["p"] == {"type": engine_type, "default": value}


def test_list_and_mapping_parameters_take_the_type_of_their_default():
    parameters = [
        ParameterSpec("sizes", "list", "[1, 2]"),
        ParameterSpec("options", "mapping", '{"a": "b"}'),
        ParameterSpec("anything", "list", None),
        ParameterSpec("untyped", "string", None),
    ]
    tasks = {
        "takes": TaskSpec(
            "x.y.takes",
            [
                ("numbers", "integers", True),
                ("options", "any", True),
                ("x", "string", True),
                ("y", "string", True),
            ],
        ),
    }
    types = {"integers": {"list": "integer"}}
    document = build_document(
        "s:\n  takes: [$sizes, $options, $anything, $untyped]\n",
        None,
        context=StaticContext(tasks=tasks, types=types, parameters=parameters),
    )
    assert document["parameters"] == {
        "sizes": {"default": [1, 2]},
        "options": {"default": {"a": "b"}},
        "anything": {"type": "any"},
        "untyped": {"type": "string"},
    }
    result = validate_entrypoint(
        "s:\n  takes: [$sizes, $options, $anything, $untyped]\n",
        None,
        context=StaticContext(tasks=tasks, types=types, parameters=parameters),
    )
    # `any` fits only `any`: the untyped list parameter does not fit `string`
    assert codes(result) == ["E_ARG_TYPE_MISMATCH"]
    assert result.issues[0].path == ["s", "takes", 2]


@pytest.mark.parametrize(
    ("kind", "default"),
    [
        ("integer", "3.5"),
        ("float", "fast"),
        ("boolean", "yes"),
        ("list", '{"a": 1}'),
        ("mapping", "[1]"),
        ("list", "[1,"),
    ],
)
def test_defaults_that_do_not_convert(kind, default):
    ctx = context(
        parameters=[ParameterSpec("location", "string", "/data"), ParameterSpec("p", kind, default)]
    )
    result = validate_entrypoint("s:\n  load: [$location]\n", None, context=ctx)
    issue = only(result, "E_PARAM_DEFAULT_CONVERSION")
    assert codes(result) == ["E_PARAM_DEFAULT_CONVERSION"]
    assert (issue.source, issue.path, issue.line) == (
        "context",
        ["parameters", 1, "defaultValue"],
        None,
    )
    # the verdict equals that of the document the server builds
    assert not validate_document(
        build_document("s:\n  load: [$location]\n", None, context=ctx)
    ).valid


def test_context_issues_point_into_the_request():
    ctx = context(
        parameters=[ParameterSpec("a.b", "string", "x"), ParameterSpec("n", "vector", None)],
        artifact_inputs=[
            ArtifactInputSpec("weights", [("model", "modle")]),
            ArtifactInputSpec("empty", []),
        ],
        tasks={**TASKS, "bad": TaskSpec("nodots", [("x", "strng", True)])},
    )
    result = validate_entrypoint("s:\n  load: [x]\n", None, context=ctx)
    found = {(issue.code, tuple(issue.path)) for issue in result.issues}
    assert found == {
        ("E_PARAM_NAME_DOT", ("parameters", 0, "name")),
        ("E_PARAM_UNDEFINED_TYPE", ("parameters", 1, "parameterType")),
        (
            "E_ARTIFACT_INPUT_UNDEFINED_TYPE",
            ("artifactParameters", 0, "outputParams", 0, "parameterType"),
        ),
        ("E_ARTIFACT_INPUT_NO_OUTPUTS", ("artifactParameters", 1, "name")),
        ("E_PLUGIN_ID_NO_DOT", ("tasks", "bad", "plugin")),
        ("E_TASK_INPUT_UNDEFINED_TYPE", ("tasks", "bad", "inputs", 0, "x")),
    }
    assert all(issue.source == "context" and issue.line is None for issue in result.issues)


def test_ambiguous_task_names_both_plugins_and_suppresses_binding():
    tasks = {**TASKS, "load": [TASKS["load"], TaskSpec("other.io.load", [])]}
    result = validate_entrypoint(GRAPH, None, context=context(tasks=tasks))
    issue = only(result, "E_AMBIGUOUS_TASK")
    assert codes(result) == ["E_AMBIGUOUS_TASK"]
    assert "io.files.load" in issue.message and "other.io.load" in issue.message
    assert position(issue) == span(GRAPH, "load")
    assert not validate_document(build_document(GRAPH, None, context=context(tasks=tasks))).valid


def test_tasks_with_unknown_signature_take_any_arguments():
    result = validate_entrypoint("s:\n  notify: [1, 2, {a: $location}]\n", None, context=context())
    assert result.valid
    assert validate_document(
        build_document("s:\n  notify: [1, 2]\n", None, context=context())
    ).valid


def test_unknown_task_suggests_attaching_a_plugin():
    issue = only(validate_entrypoint("s:\n  lod: [x]\n", None, context=context()), "E_UNKNOWN_TASK")
    assert "did you mean `load`?" in issue.message
    issue = only(validate_entrypoint("s:\n  xyz: [x]\n", None, context=context()), "E_UNKNOWN_TASK")
    assert "attach the plugin" in issue.message


def test_no_plugins_attached_means_unknown_tasks_not_an_empty_section():
    result = validate_entrypoint("s:\n  load: [x]\n", None, context=StaticContext())
    assert codes(result) == ["E_UNKNOWN_TASK"]


def test_artifact_inputs_are_referenced_like_steps():
    ctx = context(
        artifact_inputs=[
            ArtifactInputSpec("weights", [("model", "model")]),
            ArtifactInputSpec("pair", [("a", "dataset"), ("b", "dataset")]),
        ]
    )
    graph = "m:\n  train: [x, $pair.a]\n"
    assert validate_entrypoint(graph, None, context=ctx).valid
    result = validate_entrypoint("m:\n  train: [x, $pair]\n", None, context=ctx)
    assert codes(result) == ["E_REF_ARTIFACT_OUTPUT_NAME_REQUIRED"]
    result = validate_entrypoint("weights:\n  train: [x, $pair.a]\n", None, context=ctx)
    issue = only(result, "E_NAME_COLLISION")
    assert (issue.source, position(issue)) == ("taskGraph", (1, 1, 1, 8))


def test_parameter_and_step_collision_points_at_the_step():
    result = validate_entrypoint("location:\n  load: [x]\n", None, context=context())
    issue = only(result, "E_PARAM_STEP_NAME_COLLISION")
    assert (issue.source, issue.path, position(issue)) == ("taskGraph", ["location"], (1, 1, 1, 9))


# ---- the texts: unwrapping, empty texts, sources ----------------------------------------------


def test_empty_task_graph_is_an_empty_section_at_1_1():
    for text in ("", "  \n", "# nothing yet\n"):
        result = validate_entrypoint(text, None, context=context())
        issue = only(result, "E_EMPTY_SECTION")
        assert (issue.source, issue.line, issue.column) == ("taskGraph", 1, 1)


def test_wrapped_empty_graph_points_at_the_graph_key():
    issue = only(validate_entrypoint("graph: {}\n", None, context=context()), "E_EMPTY_SECTION")
    assert (issue.path, position(issue)) == (["graph"], (1, 1, 1, 6))


def test_graph_is_unwrapped_only_when_every_value_under_it_is_a_mapping():
    # Here `graph` is a step calling the task `load`.
    result = validate_entrypoint("graph:\n  load: [$location]\n", None, context=context())
    assert result.valid
    wrapped = validate_entrypoint("graph:\n  s:\n    load: [$location]\n", None, context=context())
    assert wrapped.valid


def test_graph_with_other_top_level_keys_is_not_unwrapped():
    # `graph` is then a step that calls a task named `s`
    result = validate_entrypoint(
        "graph:\n  s:\n    load: [x]\nother:\n  load: [x]\n", None, context=context()
    )
    issue = only(result, "E_UNKNOWN_TASK")
    assert (issue.path, "`s`" in issue.message) == (["graph", "s"], True)


def test_artifact_graph_unwrapping_rules():
    ctx = context(artifact_tasks={"Saver": TaskSpec("a.b.Saver", None)})
    body = "m:\n  contents: $model\n  task: {name: Saver}\n"
    for text in (
        body,
        "artifact_outputs:\n  " + body.replace("\n", "\n  ").rstrip() + "\n",
        "artifacts:\n  " + body.replace("\n", "\n  ").rstrip() + "\n",
    ):
        assert validate_entrypoint(GRAPH, text, context=ctx).valid, text
    # an output named `artifacts` (its value has `contents`) is not a wrapper
    result = validate_entrypoint(
        GRAPH, "artifacts:\n  contents: $model\n  task: {name: Saver}\n", context=ctx
    )
    assert result.valid


@pytest.mark.parametrize("artifact_graph", [None, "", "   \n", "# none\n", "artifact_outputs:\n"])
def test_blank_artifact_graph_means_no_outputs(artifact_graph):
    result = validate_entrypoint(GRAPH, artifact_graph, context=context())
    assert result.valid and result.issues == []
    assert "artifact_outputs" not in build_document(GRAPH, artifact_graph, context=context())


def test_issue_sources_and_paths_refer_to_the_texts_as_typed():
    graph = "graph:\n  s:\n    load: [$nope]\n"
    artifacts = "artifact_outputs:\n  m:\n    contents: $s.nothing\n    task: {name: Saver}\n"
    ctx = context(artifact_tasks={"Saver": TaskSpec("a.b.Saver", None)})
    result = validate_entrypoint(graph, artifacts, context=ctx)
    [a, t] = result.issues  # sorted by source: artifactGraph before taskGraph
    assert (a.source, a.code, a.path, position(a)) == (
        "artifactGraph",
        "E_REF_UNKNOWN_OUTPUT",
        ["artifact_outputs", "m", "contents"],
        span(artifacts, "$s.nothing"),
    )
    assert (t.source, t.code, t.path, position(t)) == (
        "taskGraph",
        "E_REF_UNRESOLVABLE",
        ["graph", "s", "load", 0],
        span(graph, "$nope"),
    )


def test_syntax_errors_in_one_text_do_not_cascade_into_the_other():
    ctx = context(artifact_tasks={"Saver": TaskSpec("a.b.Saver", None)})
    result = validate_entrypoint(
        "s: [unclosed\n", "m:\n  contents: $s\n  task: {name: Saver}\n", context=ctx
    )
    assert codes(result) == ["E_YAML_SYNTAX"]
    assert result.issues[0].source == "taskGraph"
    result = validate_entrypoint(GRAPH, "m: {contents: $model, task: {name: Saver}\n", context=ctx)
    assert [(i.source, i.code) for i in result.issues] == [("artifactGraph", "E_YAML_SYNTAX")]


def test_caps_apply_per_text():
    big = "# " + "x" * 300 + "\n" + GRAPH
    result = validate_entrypoint(big, None, context=context(), limits=Limits(max_bytes=200))
    assert [(i.source, i.code) for i in result.issues] == [("taskGraph", "E_LIMIT_SIZE")]


def test_yaml_warnings_come_from_the_text():
    result = validate_entrypoint("s:\n  load: [on]\n", None, context=context())
    assert [(i.source, i.code) for i in result.issues] == [
        ("taskGraph", "E_ARG_TYPE_MISMATCH"),
        ("taskGraph", "W_YAML11_BOOLEAN"),
    ]


@pytest.mark.parametrize(
    ("graph", "artifacts"),
    [
        (GRAPH, None),
        ("s:\n  load: [1]\n", None),
        ("", None),
        ("s:\n  lod: []\n", None),
        ("s: [", None),
        (GRAPH, "m:\n  contents: $model\n  task: {name: Nope}\n"),
        (GRAPH, "m:\n  contents: model\n  task: {name: Saver}\n"),
        ("graph:\n  a:\n    train: [x, $b]\n  b:\n    train: [x, $a]\n", None),
        (GRAPH + "dataset:\n  load: [x]\n", None),
        (GRAPH, "m:\n  contents: &a $model\n  task: {name: Saver}\n"),
        ("s:\n  load: !secret [x]\n", None),
        ("s:\n  load: [yes]\n", "m:\n  contents: $model\n  task: {name: Saver}\n"),
    ],
)
def test_verdict_equals_that_of_the_built_document(graph, artifacts):
    ctx = context(artifact_tasks={"Saver": TaskSpec("a.b.Saver", None)})
    assert (
        validate_entrypoint(graph, artifacts, context=ctx).valid
        == validate_document(build_document(graph, artifacts, context=ctx)).valid
    )


def test_a_broken_context_does_not_raise():
    class Weird:
        tasks = {"t": 42}
        artifact_tasks = None
        types = ["not", "a", "mapping"]
        parameters = [object()]
        artifact_inputs = [None]

    result = validate_entrypoint("s:\n  t: []\n", None, context=Weird())
    assert not result.valid


# ---- conversion --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("string", " spaced ", " spaced "),
        ("integer", "-7", -7),
        ("integer", "1_000", 1000),
        ("float", "1e3", 1000.0),
        ("float", "3", 3.0),
        ("boolean", "True", True),
        ("boolean", "fAlSe", False),
        ("list", '[1, "a", null]', [1, "a", None]),
        ("mapping", '{"a": [1]}', {"a": [1]}),
    ],
)
def test_convert_parameter_value(kind, text, value):
    assert convert_parameter_value(kind, text) == value


def test_convert_nan_is_a_float():
    assert math.isnan(convert_parameter_value("float", "nan"))


@pytest.mark.parametrize(
    ("kind", "text", "fragment"),
    [
        ("integer", "2.5", "not an integer"),
        ("float", "x", "not a number"),
        ("boolean", "1", "true or false"),
        ("list", "{}", "not a list"),
        ("mapping", "[]", "not a mapping"),
        ("list", "[", "not valid JSON"),
        ("vector", "1", "unknown parameter type"),
    ],
)
def test_convert_errors_are_value_errors_with_clear_messages(kind, text, fragment):
    with pytest.raises(ValueError, match=fragment):
        convert_parameter_value(kind, text)


def test_entrypoint_parameter_types():
    assert ENTRYPOINT_PARAMETER_TYPES == (
        "string",
        "float",
        "integer",
        "boolean",
        "list",
        "mapping",
    )


def test_builtin_types_listed_in_the_context_are_not_redefinitions():
    types = {**TYPES, "string": None, "integer": None, "any": None}
    result = validate_entrypoint(GRAPH, None, context=context(types=types))
    assert result.valid and result.issues == []


def test_ambiguity_from_qualified_task_keys():
    tasks = {
        "alpha.io.load": TaskSpec("alpha.io.load", [("location", "string", True)]),
        "beta.io.load": TaskSpec("beta.io.load", [("location", "string", True)]),
        "alpha.ml.train": TASKS["train"],
    }
    result = validate_entrypoint(
        "s:\n  load: [x]\nt:\n  train: [x, $s]\n", None, context=context(tasks=tasks)
    )
    issue = only(result, "E_AMBIGUOUS_TASK")
    assert "alpha.io.load" in issue.message and "beta.io.load" in issue.message
    assert codes(result) == ["E_AMBIGUOUS_TASK"]


def test_a_text_with_yaml_errors_is_kept_as_text_in_the_built_document():
    text = GRAPH + "dataset:\n  load: [x]\n"
    document = build_document(text, None, context=context())
    assert document["graph"] == text
    assert [i.code for i in validate_document(document).issues] == ["E_WRONG_TYPE"]
