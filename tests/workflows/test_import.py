"""Resource import in Dioptra's format: what is created, the conflict rules, and refusals that
change nothing and say where the problem is."""

import io

import pytest

from entrypoints.models import Entrypoint
from entrypoints.services import entrypoint_create
from jobs.services import queue_create
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.services import parameter_type_create, plugin_create, plugin_file_create
from tests.factories import make_user
from tests.workflows.archives import example_files
from workflows import problems as codes
from workflows.resource_import import ImportFailed, resources_import
from workflows.sources import from_files

pytestmark = pytest.mark.django_db

NAMES = {
    "plugin_param_types": ["points", "model"],
    "plugins": ["greetings", "regression", "text_artifacts"],
    "entrypoints": ["Hello World", "train_and_score"],
}


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


def source(files: dict[str, bytes]):
    return from_files((name, io.BytesIO(data)) for name, data in files.items())


def changed(files: dict[str, bytes], path: str, old: str, new: str) -> dict[str, bytes]:
    text = files[path].decode()
    assert old in text, f"{old!r} not in {path}"
    return {**files, path: text.replace(old, new, 1).encode()}


def run(writer, lab, files, **options):
    return resources_import(user=writer, group=lab, source=source(files), **options)


def refusal(writer, lab, files, **options) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        run(writer, lab, files, **options)
    return caught.value


def counts(group) -> tuple[int, int, int, int]:
    return (
        PluginParameterType.objects.alive().filter(group=group, is_builtin=False).count(),
        Plugin.objects.alive().filter(group=group).count(),
        PluginFile.objects.alive().filter(group=group).count(),
        Entrypoint.objects.alive().filter(group=group).count(),
    )


def actions(result) -> dict[str, str]:
    return {outcome.name: outcome.action for outcome in result.outcomes}


def test_the_example_imports_every_resource(writer, lab):
    result = run(writer, lab, example_files())
    answer = result.to_dict()
    assert answer["message"] == "successfully imported" and len(answer["hash"]) == 64
    assert {kind: list(found) for kind, found in answer["resources"].items()} == NAMES
    assert set(actions(result).values()) == {"created"}

    hello = Entrypoint.objects.get(group=lab, name="Hello World")
    assert hello.valid and hello.issues == []
    # The user's text, comments included, without the wrapper key and dedented.
    assert hello.task_graph.startswith("greet:\n  hello:\n    greeting: $greeting\n")
    assert "shout: [$greet]  # positional: the greeting from the step above\n" in hello.task_graph
    assert hello.artifact_graph.startswith("loud_text:\n  contents: $loud\n")
    assert hello.description == "Greets, shouts, and keeps the result as a text artifact."

    train = Entrypoint.objects.get(group=lab, name="train_and_score")
    assert train.valid, train.issues
    assert [(p["name"], p["parameterType"], p["defaultValue"]) for p in train.parameters] == [
        ("seed", "integer", "7"),
        ("architecture", "string", "least-squares"),
        ("verbose", "boolean", "false"),
    ]
    string = PluginParameterType.objects.get(group=lab, name="string")
    assert train.artifact_parameters == [
        {"name": "previous_report", "outputParams": [{"name": "text", "parameterType": string.pk}]}
    ]
    regression = Plugin.objects.get(group=lab, name="regression")
    greetings = Plugin.objects.get(group=lab, name="greetings")
    assert regression.history.count() == 1  # one snapshot for the plugin and all its files
    assert [f["filename"] for f in greetings.manifest["files"]] == ["tasks.py", "util/case.py"]
    points = PluginParameterType.objects.get(group=lab, name="points")
    assert points.structure == {"list": {"tuple": ["number", "number"]}}
    (fit,) = [
        t for t in regression.manifest["files"][0]["tasks"]["functions"] if t["name"] == "fit"
    ]
    assert fit["inputParams"] == [
        {"name": "points", "parameterType": points.pk, "required": True},
        {"name": "architecture", "parameterType": string.pk, "required": False},
    ]


def test_fail_refuses_every_taken_name_and_changes_nothing(writer, lab):
    run(writer, lab, example_files())
    before = counts(lab)
    failed = refusal(writer, lab, example_files())
    assert failed.status == 409
    assert [p.code for p in failed.problems] == [codes.NAME_TAKEN] * 7
    lines = {p.message.split(" already")[0]: p.line for p in failed.problems}
    assert lines["Entrypoint 'Hello World'"] == 75 and lines["Plugin 'greetings'"] == 16
    assert counts(lab) == before


def test_update_writes_new_snapshots_keeps_ids_and_leaves_the_unchanged_alone(writer, lab):
    first = run(writer, lab, example_files())
    ids = {o.name: o.id for o in first.outcomes}
    hello = Entrypoint.objects.get(group=lab, name="Hello World")
    queue = queue_create(user=writer, group=lab, name="gpu")
    hello.queues.add(queue)

    files = changed(example_files(), "plugins/regression/model.py", "3.0 * x", "2.0 * x")
    files["plugins/regression/extra.py"] = b"EXTRA = 1\n"
    del files["plugins/greetings/util/case.py"]
    second = run(writer, lab, files, on_conflict="update")

    assert {o.name: o.id for o in second.outcomes} == ids
    assert actions(second) == {
        "points": "unchanged",
        "model": "unchanged",
        "greetings": "updated",
        "regression": "updated",
        "text_artifacts": "unchanged",
        "Hello World": "updated",  # it pins the new snapshot of greetings
        "train_and_score": "updated",
    }
    regression = Plugin.objects.get(pk=ids["regression"])
    assert regression.history.count() == 2
    assert [f["filename"] for f in regression.manifest["files"]] == ["extra.py", "model.py"]
    greetings = Plugin.objects.get(pk=ids["greetings"])
    assert [f["filename"] for f in greetings.manifest["files"]] == ["tasks.py"]
    assert Plugin.objects.get(pk=ids["text_artifacts"]).history.count() == 1
    hello.refresh_from_db()
    assert hello.history.count() == 2 and list(hello.queues.all()) == [queue]
    assert hello.plugin_snapshot_ids == [greetings.history.latest().history_id]

    third = run(writer, lab, files, on_conflict="update")
    assert set(actions(third).values()) == {"unchanged"}
    assert hello.history.count() == 2


def test_overwrite_deletes_and_creates_anew(writer, lab):
    first = {o.name: o.id for o in run(writer, lab, example_files()).outcomes}
    second = run(writer, lab, example_files(), on_conflict="overwrite")
    assert set(actions(second).values()) == {"replaced"}
    for outcome in second.outcomes:
        assert outcome.id != first[outcome.name]
    assert Entrypoint.objects.get(pk=first["Hello World"]).deleted_on is not None
    assert Plugin.objects.get(pk=first["greetings"]).deleted_on is not None
    assert counts(lab) == (2, 3, 4, 2)


def test_overwrite_that_a_database_rule_refuses_undoes_everything(writer, lab):
    run(writer, lab, example_files())
    other = plugin_create(user=writer, group=lab, name="other")
    points = PluginParameterType.objects.get(group=lab, name="points")
    task = {"name": "t", "inputParams": [{"name": "p", "parameterType": points.pk}]}
    plugin_file_create(user=writer, plugin=other, filename="t.py", tasks={"functions": [task]})
    before = counts(lab)
    failed = refusal(writer, lab, example_files(), on_conflict="overwrite")
    assert failed.status == 409
    (problem,) = failed.problems
    assert problem.code == codes.WRITE_REFUSED and "'points'" in problem.message
    assert "other/t.py" in problem.message
    assert counts(lab) == before  # the entrypoints and plugins deleted first are back


@pytest.mark.parametrize(
    "path, old, new, code, line, column",
    [
        # A YAML error: positions in the whole file.
        (
            "entrypoints/train.yaml",
            "      seed: $seed",
            "      seed: [$seed",
            "E_YAML_SYNTAX",
            6,
            10,
        ),
        # The engine's issues, from the cut-out section back to the file.
        (
            "entrypoints/hello-world.yaml",
            "shout: [$greet]",
            "shoot: [$greet]",
            "E_UNKNOWN_TASK",
            8,
            5,
        ),
        ("entrypoints/hello-world.yaml", "name: $name", "name: $nme", "E_REF_UNRESOLVABLE", 6, 13),
        (
            "entrypoints/train.yaml",
            "points: $data.testing",
            "points: $data.tests",
            "E_REF_UNKNOWN_OUTPUT",
            13,
            15,
        ),
        (
            "entrypoints/hello-world.yaml",
            "name: TextArtifactTask",
            "name: TextTask",
            "E_UNKNOWN_ARTIFACT_TASK",
            15,
            13,
        ),
        ("entrypoints/hello-world.yaml", "graph:", "grahp:", codes.BAD_ENTRYPOINT_FILE, 2, 1),
    ],
)
def test_a_broken_entrypoint_file_imports_nothing(writer, lab, path, old, new, code, line, column):
    failed = refusal(writer, lab, changed(example_files(), path, old, new))
    assert failed.status == 400
    found = [(p.code, p.file, p.line, p.column) for p in codes.errors(failed.problems)]
    assert (code, path, line, column) in found, failed.problems
    assert counts(lab) == (0, 0, 0, 0)
    assert path in str(failed)


def test_issues_from_the_parameters_point_into_the_toml(writer, lab):
    files = changed(
        example_files(),
        "dioptra.toml",
        '{ name = "seed", type = "integer", default_value = 7 }',
        '{ name = "seed", type = "integer", default_value = "seven" }',
    )
    failed = refusal(writer, lab, files)
    (problem,) = failed.problems
    assert (problem.code, problem.file, problem.line) == (codes.BAD_PARAMETER, "dioptra.toml", 89)
    assert "params[0].default_value" in problem.message and "seven" in problem.message


def test_config_problems_are_all_reported_with_their_lines(writer, lab):
    files = example_files()
    files = changed(
        files,
        "dioptra.toml",
        'type = "points", required = true },\n    { name = "architecture"',
        'type = "pointz", required = true },\n    { name = "architecture"',
    )
    files = changed(
        files,
        "dioptra.toml",
        'plugins = [ "regression", "greetings" ]',
        'plugins = [ "regression", "greeting" ]',
    )
    files = changed(
        files,
        "dioptra.toml",
        'path = "entrypoints/train.yaml"',
        'path = "entrypoints/missing.yaml"',
    )
    files = changed(
        files, "dioptra.toml", 'path = "plugins/text_artifacts"', 'path = "../text_artifacts"'
    )
    failed = refusal(writer, lab, files)
    found = {(p.code, p.line) for p in failed.problems}
    assert found >= {
        (codes.UNKNOWN_TYPE, 51),
        (codes.BAD_PATH, 66),
        (codes.NOT_FOUND, 85),
        (codes.UNKNOWN_PLUGIN, 94),
    }, failed.problems
    assert counts(lab) == (0, 0, 0, 0)


def test_unknown_plugins_and_task_files_are_named(writer, lab):
    files = changed(
        example_files(), "dioptra.toml", 'plugins = [ "greetings" ]', 'plugins = [ "greeting" ]'
    )
    files = changed(files, "dioptra.toml", 'filename = "text.py"', 'filename = "texts.py"')
    problems = {(p.code, p.line): p.message for p in refusal(writer, lab, files).problems}
    assert "'greeting'" in problems[(codes.UNKNOWN_PLUGIN, 81)]
    assert "'texts.py'" in problems[(codes.UNKNOWN_FILE, 69)]


@pytest.mark.parametrize(
    "toml, code, line",
    [
        ("[[plugins]\npath = 'x'\n", codes.CONFIG_SYNTAX, 1),
        ("[[entrypoints]]\npath = 'e.yaml'\n", codes.CONFIG_SCHEMA, 1),
        ("[[plugins]]\npath = 'p'\ncolour = 'red'\n", codes.CONFIG_SCHEMA, 1),
        ("[[plugin_param_types]]\nname = 'string'\n", codes.BAD_NAME, 2),
        ("[[plugin_param_types]]\nname = 'a'\nstructure = { list = 'b' }\n", codes.BAD_TYPE, 3),
        (
            "[[plugin_param_types]]\nname = 'a'\nstructure = { list = 'b' }\n"
            "[[plugin_param_types]]\nname = 'b'\nstructure = { list = 'a' }\n",
            codes.BAD_TYPE,
            3,
        ),
        ("[[entrypoints]]\npath = 'e.yaml'\nname = ' padded'\n", codes.BAD_NAME, 3),
        ("[[plugins]]\npath = 'not-an-identifier'\n", codes.BAD_NAME, 2),
        ("[[plugins]]\npath = 'nowhere'\n", codes.NOT_FOUND, 2),
    ],
)
def test_bad_configurations(writer, lab, toml, code, line):
    failed = refusal(writer, lab, {"dioptra.toml": toml.encode(), "e.yaml": b"graph:\n"})
    assert (code, line) in {(p.code, p.line) for p in failed.problems}, failed.problems


def test_plugin_files_must_be_module_paths_in_utf8(writer, lab):
    files = {
        **example_files(),
        "plugins/regression/my-model.py": b"",
        "plugins/regression/latin1.py": "caf\xe9 = 1\n".encode("latin-1"),
        "plugins/regression/.hidden/skipped.py": b"not python at all (",
        "plugins/regression/notes.txt": b"ignored",
    }
    problems = {(p.code, p.file) for p in refusal(writer, lab, files).problems}
    assert problems == {
        (codes.BAD_NAME, "plugins/regression/my-model.py"),
        (codes.UNREADABLE, "plugins/regression/latin1.py"),
    }


def test_types_resolve_in_any_order_and_to_the_groups_own(writer, lab):
    parameter_type_create(user=writer, group=lab, name="pixels", structure={"list": "integer"})
    toml = b"""
[[plugin_param_types]]
name = "batch"
structure = { list = "image" }

[[plugin_param_types]]
name = "image"
structure = { list = "pixels" }

[[plugins]]
path = "p"
  [[plugins.tasks.functions]]
  filename = "t.py"
  name = "load"
  input_params = []
  output_params = [ { name = "images", type = "batch" } ]

[[entrypoints]]
path = "e.yaml"
name = "load images"
plugins = ["p"]
"""
    files = {
        "dioptra.toml": toml,
        "p/t.py": b"def load(): ...\n",
        "e.yaml": b"graph:\n  x:\n    load: []\n",
    }
    result = run(writer, lab, files)
    assert actions(result) == {
        "image": "created",
        "batch": "created",
        "p": "created",
        "load images": "created",
    }
    assert Entrypoint.objects.get(name="load images").valid


def test_an_archive_of_one_folder_and_a_config_elsewhere(writer, lab):
    nested = {f"repo/{name}": data for name, data in example_files().items()}
    assert len(run(writer, lab, nested).outcomes) == 7
    moved = {
        ("conf/resources.toml" if n == "dioptra.toml" else n): d for n, d in example_files().items()
    }
    moved = changed(
        moved, "conf/resources.toml", 'path = "plugins/greetings"', 'path = "../plugins/greetings"'
    )
    failed = refusal(writer, lab, moved, config_path="conf/resources.toml", on_conflict="fail")
    # Paths are relative to the config's folder: the other plugins and files are now missing.
    assert {p.code for p in failed.problems} == {codes.NOT_FOUND, codes.UNKNOWN_PLUGIN}
    assert not any("greetings" in p.message for p in failed.problems)


def test_an_entrypoint_pinned_elsewhere_keeps_its_snapshot_after_overwrite(writer, lab):
    run(writer, lab, example_files())
    greetings = Plugin.objects.get(group=lab, name="greetings")
    mine = entrypoint_create(
        user=writer, group=lab, name="mine", task_graph="", plugins=[greetings]
    )
    pinned = list(mine.plugin_snapshot_ids)
    run(writer, lab, example_files(), on_conflict="overwrite")
    mine.refresh_from_db()
    assert mine.plugin_snapshot_ids == pinned and mine.deleted_on is None


def test_nul_characters_are_refused_where_they_are_on_every_database(writer, lab):
    files = changed(example_files(), "dioptra.toml", '"(x, y) pairs."', '"(x, y)\\u0000 pairs."')
    files["plugins/regression/binary.py"] = b"x = 1\ny = '\x00'\n"
    problems = refusal(writer, lab, files).problems
    assert {(p.code, p.file, p.line, p.column, p.message) for p in problems} == {
        (
            codes.UNREADABLE,
            "dioptra.toml",
            7,
            1,
            "`plugin_param_types[0].description` holds a NUL character: what an import reads "
            "is text.",
        ),
        (
            codes.UNREADABLE,
            "plugins/regression/binary.py",
            2,
            6,
            "'plugins/regression/binary.py' holds a NUL character: what an import reads is text.",
        ),
    }
    assert counts(lab) == (0, 0, 0, 0)
