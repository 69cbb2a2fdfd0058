"""Export in Dioptra's format, and the round trip: export, then import into an empty group."""

import io
import tarfile
import tomllib

import jsonschema
import pytest

from entrypoints.models import Entrypoint
from entrypoints.services import entrypoint_create
from plugins_app.models import Plugin, PluginParameterType
from plugins_app.services import parameter_type_create, plugin_file_update
from tests.factories import make_group, make_user
from tests.workflows.archives import example_files
from tests.workflows.test_import import source
from workflows.config import schema
from workflows.resource_export import as_tar_gz, resources_export
from workflows.resource_import import resources_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write", copy="write")


def describe(group) -> dict:
    """Everything the format carries, by name (ids differ between groups)."""
    names = {t.pk: t.name for t in PluginParameterType.objects.filter(group=group)}

    def typed(params):
        return [{**p, "parameterType": names[p["parameterType"]]} for p in params]

    return {
        "types": {
            t.name: (t.description, t.structure)
            for t in PluginParameterType.objects.alive().filter(group=group, is_builtin=False)
        },
        "plugins": {
            p.name: (
                p.description,
                {
                    f["filename"]: (
                        f["contents"],
                        {
                            kind: [
                                {
                                    **task,
                                    **{s: typed(task[s]) for s in ("inputParams", "outputParams")},
                                }
                                for task in tasks
                            ]
                            for kind, tasks in f["tasks"].items()
                        },
                    )
                    for f in p.manifest["files"]
                },
            )
            for p in Plugin.objects.alive().filter(group=group)
        },
        "entrypoints": {
            e.name: {
                "description": e.description,
                "task_graph": e.task_graph,
                "artifact_graph": e.artifact_graph,
                "parameters": e.parameters,
                "artifact_parameters": [
                    {**a, "outputParams": typed(a["outputParams"])} for a in e.artifact_parameters
                ],
                "plugins": [Plugin.history.get(history_id=s).name for s in e.plugin_snapshot_ids],
                "artifact_plugins": [
                    Plugin.history.get(history_id=s).name for s in e.artifact_plugin_snapshot_ids
                ],
                "valid": e.valid,
            }
            for e in Entrypoint.objects.alive().filter(group=group)
        },
    }


def test_export_then_import_into_an_empty_group_gives_equal_resources(writer, lab):
    resources_import(user=writer, group=lab, source=source(example_files()))
    image = parameter_type_create(
        user=writer, group=lab, name="image", description="pixels", structure={"list": "integer"}
    )
    batch = parameter_type_create(user=writer, group=lab, name="batch", structure={"list": "image"})
    text = PluginParameterType.objects.get(group=lab, name="string")
    regression = Plugin.objects.get(group=lab, name="regression")
    entrypoint_create(
        user=writer,
        group=lab,
        name="no newline, ünïcode and no artifacts",
        description=None,
        task_graph="# first, a comment\ndata:\n  load_points: [3]  # seed\nsay: {load_points: [4]}",
        parameters=[
            {"name": "unused", "parameterType": "mapping", "defaultValue": '{"a": [1, 2]}'}
        ],
        artifact_parameters=[
            {
                "name": "images",
                "outputParams": [
                    {"name": "b", "parameterType": batch.pk},
                    {"name": "t", "parameterType": text.pk},
                ],
            }
        ],
        plugins=[regression],
    )
    assert image.pk  # used only through batch's structure

    files = resources_export(group=lab)
    config = tomllib.loads(files["dioptra.toml"].decode())
    jsonschema.validate(config, schema())
    assert (
        "# Split reproducible points into training and testing sets."
        in files["entrypoints/train_and_score.yaml"].decode()
    )

    copy = make_group("copy")
    result = resources_import(user=writer, group=copy, source=source(files))
    assert {o.action for o in result.outcomes} == {"created"}
    original, imported = describe(lab), describe(copy)
    assert imported == original
    assert all(e["valid"] for e in imported["entrypoints"].values())


def test_an_export_of_named_entrypoints_holds_what_they_run(writer, lab):
    resources_import(user=writer, group=lab, source=source(example_files()))
    hello = Entrypoint.objects.get(group=lab, name="Hello World")
    greetings = Plugin.objects.get(group=lab, name="greetings")
    tasks_py = greetings.files.get(filename="tasks.py")
    plugin_file_update(
        user=writer,
        plugin_file=tasks_py,
        filename="tasks.py",
        contents=tasks_py.contents + "\n# changed after the entrypoint pinned it\n",
        tasks=tasks_py.tasks,
    )

    files = resources_export(group=lab, entrypoints=[hello])
    assert sorted(files) == [
        "dioptra.toml",
        "entrypoints/hello-world.yaml",
        "plugins/greetings/tasks.py",
        "plugins/greetings/util/case.py",
        "plugins/text_artifacts/text.py",
    ]
    # The snapshot the entrypoint pins, not the plugin's newer one.
    assert b"changed after" not in files["plugins/greetings/tasks.py"]
    config = tomllib.loads(files["dioptra.toml"].decode())
    assert "plugin_param_types" not in config  # only builtin types are used
    assert [e["name"] for e in config["entrypoints"]] == ["Hello World"]


def test_the_archive_form_reads_back(writer, lab):
    resources_import(user=writer, group=lab, source=source(example_files()))
    files = resources_export(group=lab)
    with tarfile.open(
        fileobj=io.BytesIO(as_tar_gz(files, folder="export")), mode="r:gz"
    ) as archive:
        names = archive.getnames()
        assert names == [f"export/{path}" for path in files]
        assert archive.extractfile("export/dioptra.toml").read() == files["dioptra.toml"]


def test_toml_strings_survive_any_character(writer, lab):
    tricky = 'quote " backslash \\ tab \t newline \n DEL \x7f bell \x07 emoji 🎈'
    parameter_type_create(user=writer, group=lab, name="tricky", description=tricky)
    config = tomllib.loads(resources_export(group=lab)["dioptra.toml"].decode())
    assert config["plugin_param_types"] == [{"name": "tricky", "description": tricky}]
