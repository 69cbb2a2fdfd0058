"""The command-line tools: import_resources, export_resources and lint_entrypoints, their output
and exit statuses."""

import io
import json
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command

from entrypoints.models import Entrypoint
from tests.factories import make_group, make_user
from tests.workflows.archives import EXAMPLE, example_files, git_repo, tar_gz
from tests.workflows.test_export import describe

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def lint(*args) -> tuple[int, str]:
    """Exit status and output of ``lint_entrypoints``."""
    out = io.StringIO()
    try:
        call_command("lint_entrypoints", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def broken(tmp_path):
    """The example folder with a bad reference and an unknown type."""
    folder = tmp_path / "resources"
    shutil.copytree(EXAMPLE, folder)
    hello = folder / "entrypoints" / "hello-world.yaml"
    hello.write_text(hello.read_text().replace("$name", "$nme"))
    config = folder / "dioptra.toml"
    config.write_text(config.read_text().replace('type = "model" } ]', 'type = "modle" } ]'))
    return folder


def test_import_reports_what_it_did_per_resource(lab):
    out, _ = run("import_resources", str(EXAMPLE), "--group", "lab")
    assert "created   plugin 'greetings' (id " in out
    assert "created   entrypoint 'Hello World' (id " in out
    assert out.splitlines()[-1].startswith("Imported into 'lab' from ")
    out, _ = run("import_resources", str(EXAMPLE), "--group", "lab", "--on-conflict", "update")
    assert out.count("unchanged") == 7


def test_import_from_an_archive_and_a_git_url(lab, tmp_path):
    archive = tmp_path / "resources.tar.gz"
    archive.write_bytes(tar_gz(example_files()))
    run("import_resources", str(archive), "--group", "lab")
    commit = git_repo(tmp_path / "repo", example_files())
    other = make_group("other")
    out, _ = run("import_resources", f"file://{tmp_path}/repo#main", "--group", "other")
    assert out.endswith(f"from {commit}.\n")
    assert describe(other) == describe(lab)


def test_a_failed_import_lists_each_problem_and_changes_nothing(lab, broken):
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problems") as caught:
        call_command("import_resources", str(broken), "--group", "lab", stderr=err)
    assert caught.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "dioptra.toml:54:39: error IMPORT_UNKNOWN_TYPE: Unknown parameter type 'modle': "
        "not in plugin_param_types, not a builtin type and not a type of the group.",
        "entrypoints/hello-world.yaml:6:13: error E_REF_UNRESOLVABLE: Step `greet`: "
        "`$nme` names no step, parameter or artifact input; did you mean `$name`?",
    ]
    assert not Entrypoint.objects.filter(group=lab).exists()


def test_import_with_another_config_overwrite_and_an_author(lab, writer, tmp_path):
    folder = tmp_path / "nested"
    shutil.copytree(EXAMPLE, folder / "resources")
    (folder / "resources" / "dioptra.toml").rename(folder / "resources" / "other.toml")
    config = "resources/other.toml"
    out, _ = run("import_resources", str(folder), "--group", "lab", "--config", config)
    assert out.count("created") == 7
    ids = set(Entrypoint.objects.filter(group=lab).values_list("pk", flat=True))
    out, _ = run(
        "import_resources",
        str(folder),
        "--group=lab",
        f"--config={config}",
        "--on-conflict=overwrite",
        "--user=writer",
    )
    assert out.count("replaced") == 7
    replaced = Entrypoint.objects.alive().filter(group=lab)
    assert not ids & set(replaced.values_list("pk", flat=True))
    assert {e.creator for e in replaced} == {writer}


def test_import_usage_errors(lab, tmp_path):
    for args, message in (
        ((str(EXAMPLE), "--group", "nope"), "no group named 'nope'"),
        ((str(tmp_path / "missing"), "--group", "lab"), "does not exist"),
        ((str(EXAMPLE), "--group", "lab", "--user", "ghost"), "no user named 'ghost'"),
    ):
        with pytest.raises(CommandError, match=message) as caught:
            run("import_resources", *args)
        assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="invalid choice: 'merge'"):
        run("import_resources", str(EXAMPLE), "--group", "lab", "--on-conflict", "merge")
    assert not Entrypoint.objects.filter(group=lab).exists()


def test_export_to_a_folder_or_an_archive_and_back(lab, tmp_path):
    run("import_resources", str(EXAMPLE), "--group", "lab")
    out, _ = run("export_resources", "--group", "lab", str(tmp_path / "out"))
    assert out == f"Wrote 7 files to {tmp_path / 'out'}.\n"
    assert (tmp_path / "out" / "plugins" / "greetings" / "util" / "case.py").is_file()
    copy = make_group("copy")
    run("import_resources", str(tmp_path / "out"), "--group", "copy")
    assert describe(copy) == describe(lab)

    run("export_resources", "--group", "lab", "Hello World", str(tmp_path / "hello.tar.gz"))
    with tarfile.open(tmp_path / "hello.tar.gz") as archive:
        assert "hello/entrypoints/hello-world.yaml" in archive.getnames()
        assert not any("regression" in name for name in archive.getnames())


def test_export_refusals(lab, tmp_path):
    with pytest.raises(CommandError, match="no entrypoint named 'ghost'") as caught:
        run("export_resources", "--group", "lab", "ghost", str(tmp_path / "x"))
    assert caught.value.returncode == 2 and not (tmp_path / "x").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder") as caught:
        run("export_resources", "--group", "lab", str(tmp_path / "full"))
    assert caught.value.returncode == 2
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    with pytest.raises(CommandError, match="no group named 'nope'") as caught:
        run("export_resources", "--group", "nope", str(tmp_path / "y"))
    assert caught.value.returncode == 2


def test_lint_a_valid_folder(lab):
    status, out = lint(str(EXAMPLE), "--group", "lab")
    assert (status, out) == (0, f"{EXAMPLE}: valid (0 errors, 0 warnings)\n")
    status, out = lint(str(EXAMPLE), "--group", "lab", "--format", "json")
    assert (status, json.loads(out)) == (0, {"valid": True, "files": []})
    assert lint(str(EXAMPLE), "--group", "lab", "--format", "github") == (0, "")


def test_lint_prints_file_line_column_and_exits_1(lab, broken):
    status, out = lint(str(broken), "--group", "lab")
    assert status == 1
    assert out.splitlines() == [
        f"{broken}/dioptra.toml:54:39: error IMPORT_UNKNOWN_TYPE: Unknown parameter type 'modle': "
        "not in plugin_param_types, not a builtin type and not a type of the group.",
        f"{broken}/entrypoints/hello-world.yaml:6:13: error E_REF_UNRESOLVABLE: Step `greet`: "
        "`$nme` names no step, parameter or artifact input; did you mean `$name`?",
        f"{broken}: invalid (2 errors, 0 warnings)",
    ]


def test_lint_json_and_github_formats(lab, broken):
    status, out = lint(str(broken), "--group", "lab", "--format", "json")
    body = json.loads(out)
    assert status == 1 and body["valid"] is False
    files = {entry["file"]: entry for entry in body["files"]}
    (issue,) = files[f"{broken}/entrypoints/hello-world.yaml"]["issues"]
    assert (issue["code"], issue["line"], issue["column"], issue["endColumn"]) == (
        "E_REF_UNRESOLVABLE",
        6,
        13,
        17,
    )

    status, out = lint(str(broken), "--group", "lab", "--format", "github")
    assert status == 1
    assert (
        f"::error file={broken}/entrypoints/hello-world.yaml,line=6,col=13,endLine=6,"
        "endColumn=17,title=E_REF_UNRESOLVABLE::Step `greet`: `$nme` names no step"
    ) in out


def test_lint_one_file_with_the_config_that_lists_it(lab, broken):
    status, out = lint(str(broken / "entrypoints" / "hello-world.yaml"), "--group", "lab")
    assert status == 1
    assert "E_REF_UNRESOLVABLE" in out and "modle" not in out  # only this file's problems
    status, out = lint(str(broken / "entrypoints" / "train.yaml"), "--group", "lab")
    assert status == 0, out


def test_lint_a_file_no_config_lists_against_the_groups_plugins(lab, tmp_path):
    run("import_resources", str(EXAMPLE), "--group", "lab")
    lone = tmp_path / "lone.yaml"
    lone.write_text("graph:\n  loud:\n    shout:\n      message: hi\n")
    status, out = lint(str(lone), "--group", "lab")
    assert status == 0
    assert "warning IMPORT_NOT_LISTED: No dioptra.toml lists this file" in out
    status, out = lint(str(lone), "--group", "lab", "--format", "github")
    assert status == 0  # warnings do not fail a build
    assert out.startswith(
        f"::warning file={lone},line=1,col=1,title=IMPORT_NOT_LISTED::No dioptra.toml"
    )
    status, out = lint(str(lone), "--group", "lab", "--format", "json")
    assert status == 0 and json.loads(out)["valid"] is True
    lone.write_text("graph:\n  loud:\n    shout:\n      messge: hi\n")
    status, out = lint(str(lone), "--group", "lab")
    assert status == 1 and f"{lone}:4:15: error E_UNKNOWN_KEYWORD_ARG" in out


def test_lint_usage_errors(lab, tmp_path):
    with pytest.raises(CommandError, match="does not exist") as caught:
        lint(str(tmp_path / "missing"), "--group", "lab")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="no group"):
        lint(str(EXAMPLE), "--group", "nope")
