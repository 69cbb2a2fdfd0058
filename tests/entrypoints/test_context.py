"""``build_context``: the engine's context from plugin manifests and an entrypoint's lists."""

from types import SimpleNamespace

from entrypoints.context import build_context, plugin_task_id, type_definitions
from entrypoints.taskgraph import (
    ArtifactInputSpec,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    validate_entrypoint,
)

TYPES = {
    "1": {"id": 1, "name": "string", "structure": None, "snapshotId": 1},
    "7": {"id": 7, "name": "images", "structure": {"list": "image"}, "snapshotId": 20},
    "8": {"id": 8, "name": "image", "structure": None, "snapshotId": 21},
}


def pinned(name, files, types=TYPES):
    return SimpleNamespace(name=name, manifest={"files": files, "types": types})


def file(filename, functions=(), artifacts=()):
    return {
        "id": 1,
        "filename": filename,
        "snapshotId": 1,
        "tasks": {"functions": list(functions), "artifacts": list(artifacts)},
    }


def task(name, inputs=(), outputs=(), **extra):
    return {
        "name": name,
        "inputParams": [{"name": n, "parameterType": t, "required": r} for n, t, r in inputs],
        "outputParams": [{"name": n, "parameterType": t} for n, t in outputs],
        **extra,
    }


def context(
    plugins=(), artifact_plugins=(), parameters=(), artifact_parameters=(), artifact_types=None
):
    return build_context(
        plugins=list(plugins),
        artifact_plugins=list(artifact_plugins),
        parameters=list(parameters),
        artifact_parameters=list(artifact_parameters),
        artifact_types=artifact_types or {},
    )


def test_plugin_ids_name_plugin_module_path_and_task():
    assert plugin_task_id("vision", "tasks.py", "load") == "vision.tasks.load"
    assert plugin_task_id("vision", "sub/pkg/ops.py", "load") == "vision.sub.pkg.ops.load"


def test_function_tasks_from_plugins_with_type_names():
    plugin = pinned(
        "vision",
        [
            file(
                "sub/ops.py",
                functions=[
                    task(
                        "load",
                        inputs=[("path", 1, True), ("limit", 1, False)],
                        outputs=[("data", 7)],
                    )
                ],
            )
        ],
    )
    spec = context(plugins=[plugin]).tasks["load"]
    assert spec.plugin_id == "vision.sub.ops.load"
    assert list(spec.inputs) == [("path", "string", True), ("limit", "string", False)]
    assert list(spec.outputs) == [("data", "images")]


def test_artifact_tasks_come_only_from_artifact_plugins():
    both = pinned("mixed", [file("m.py", functions=[task("f")], artifacts=[task("Saver")])])
    built = context(plugins=[both])
    assert set(built.tasks) == {"f"} and dict(built.artifact_tasks) == {}
    built = context(artifact_plugins=[both])
    assert dict(built.tasks) == {} and set(built.artifact_tasks) == {"Saver"}


def test_artifact_task_without_inputs_has_an_unknown_signature():
    plugin = pinned(
        "a",
        [
            file(
                "a.py",
                artifacts=[
                    task("Plain", outputs=[("value", 1)]),
                    {"name": "Bare", "outputParams": []},
                    task("Typed", inputs=[("fmt", 1, True)]),
                ],
            )
        ],
    )
    artifact_tasks = context(artifact_plugins=[plugin]).artifact_tasks
    assert artifact_tasks["Plain"].inputs is None
    assert artifact_tasks["Bare"].inputs is None
    assert list(artifact_tasks["Typed"].inputs) == [("fmt", "string", True)]


def test_a_task_offered_by_two_plugins_is_ambiguous():
    one = pinned("one", [file("t.py", functions=[task("greet")])])
    two = pinned("two", [file("t.py", functions=[task("greet")])])
    offered = context(plugins=[one, two]).tasks["greet"]
    assert [spec.plugin_id for spec in offered] == ["one.t.greet", "two.t.greet"]
    result = validate_entrypoint("s:\n  greet: []\n", "", context=context(plugins=[one, two]))
    assert [issue.code for issue in result.issues] == ["E_AMBIGUOUS_TASK"]


def test_the_context_holds_the_engines_own_specs():
    # The engine reads only what its `EntrypointContext` protocol names, from these types.
    plugin = pinned("p", [file("p.py", functions=[task("f")], artifacts=[task("Saver")])])
    built = context(
        plugins=[plugin],
        artifact_plugins=[plugin],
        parameters=[{"name": "n", "parameterType": "integer", "defaultValue": "3"}],
        artifact_parameters=[{"name": "prev", "outputParams": [{"name": "v", "parameterType": 1}]}],
        artifact_types=TYPES,
    )
    assert isinstance(built, StaticContext)
    assert [type(spec) for spec in [*built.tasks.values(), *built.artifact_tasks.values()]] == [
        TaskSpec,
        TaskSpec,
    ]
    assert [type(spec) for spec in built.parameters] == [ParameterSpec]
    assert [type(spec) for spec in built.artifact_inputs] == [ArtifactInputSpec]


def test_types_are_the_non_builtin_definitions_newest_snapshot_first():
    assert type_definitions([TYPES]) == {"image": None, "images": {"list": "image"}}
    newer = {"7": {**TYPES["7"], "structure": {"list": "string"}, "snapshotId": 30}}
    assert type_definitions([newer, TYPES])["images"] == {"list": "string"}
    assert type_definitions([TYPES, newer])["images"] == {"list": "string"}


def test_parameters_and_artifact_inputs():
    built = context(
        parameters=[
            {"name": "n", "parameterType": "integer", "defaultValue": "3"},
            {"name": "s", "parameterType": "string", "defaultValue": None},
        ],
        artifact_parameters=[
            {
                "name": "prev",
                "outputParams": [
                    {"name": "v", "parameterType": 7},
                    {"name": "w", "parameterType": 1},
                ],
            }
        ],
        artifact_types=TYPES,
    )
    assert [(p.name, p.parameter_type, p.default_value) for p in built.parameters] == [
        ("n", "integer", "3"),
        ("s", "string", None),
    ]
    [artifact] = built.artifact_inputs
    assert (artifact.name, list(artifact.outputs)) == ("prev", [("v", "images"), ("w", "string")])
    assert built.types == {"image": None, "images": {"list": "image"}}


def test_a_context_from_manifests_validates_the_seed_style_graph():
    plugin = pinned(
        "hello",
        [
            file(
                "tasks.py",
                functions=[
                    task(
                        "hello_world",
                        inputs=[("greeting", 1, True), ("name", 1, True)],
                        outputs=[("message", 1)],
                    )
                ],
            )
        ],
    )
    built = context(
        plugins=[plugin],
        parameters=[
            {"name": "greeting", "parameterType": "string", "defaultValue": "Hello"},
            {"name": "name", "parameterType": "string", "defaultValue": "World"},
        ],
    )
    graph = "message:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
    assert validate_entrypoint(graph, "", context=built).valid
