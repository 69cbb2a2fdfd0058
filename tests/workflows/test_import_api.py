"""``POST /api/v1/workflows/resourceImport``: every source type, the permission matrix, refusals.

Uploaded files carry their paths in their names. Django's test client keeps only the last part
of a file name, so that source type is sent here as Dioptra's client encodes it, and through a
live server by the light client.
"""

import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from entrypoints.models import Entrypoint
from plugins_app.models import PluginParameterType
from tests.api.matrix import ACTORS, CREATE
from tests.factories import PASSWORD, make_user
from tests.workflows.archives import EXAMPLE, example_files, git_repo, member, tar_gz

URL = "/api/v1/workflows/resourceImport"


def archive_body(group, data=None, **fields):
    upload = SimpleUploadedFile("resources.tar.gz", data or tar_gz(example_files()))
    return {"group": group.pk, "sourceType": "upload_archive", "archiveFile": upload, **fields}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(actor, as_actor, lab):
    response = as_actor(actor).post(URL, archive_body(lab), format="multipart")
    assert response.status_code == CREATE[actor], response.content
    if response.status_code == 403:
        assert "lab" in response.json()["detail"]
    if response.status_code == 400:
        assert list(response.json()) == ["group"]


@pytest.mark.django_db
def test_an_archive_imports_with_dioptras_answer_and_a_report(as_actor, lab):
    response = as_actor("writer").post(URL + "/", archive_body(lab), format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "successfully imported" and len(body["hash"]) == 64
    assert set(body["resources"]["entrypoints"]) == {"Hello World", "train_and_score"}
    assert {row["action"] for row in body["report"]} == {"created"}

    again = as_actor("writer").post(URL, archive_body(lab), format="multipart")
    assert again.status_code == 409
    assert {i["code"] for i in again.json()["issues"]} == {"IMPORT_NAME_TAKEN"}
    updated = as_actor("writer").post(
        URL, archive_body(lab, resolveNameConflictsStrategy="update"), format="multipart"
    )
    assert {row["action"] for row in updated.json()["report"]} == {"unchanged"}


@pytest.mark.django_db
def test_a_git_repository_by_path_or_file_url(as_actor, lab, tmp_path):
    commit = git_repo(tmp_path / "repo", example_files(), branch="trunk")
    client = as_actor("writer")
    for url, strategy in (
        (str(tmp_path / "repo"), "fail"),
        (f"file://{tmp_path}/repo#trunk", "update"),
    ):
        body = {
            "group": lab.pk,
            "sourceType": "git",
            "gitUrl": url,
            "resolveNameConflictsStrategy": strategy,
        }
        response = client.post(URL, body, format="multipart")
        assert response.status_code == 200, response.content
        assert response.json()["hash"] == commit
    missing = client.post(
        URL, {"group": lab.pk, "sourceType": "git", "gitUrl": f"{tmp_path}/nowhere"}, format="json"
    )
    assert missing.status_code == 400 and "gitUrl" in missing.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        tar_gz({"../../etc/cron.d/evil": b"* * * * * root boom"}),
        tar_gz(
            {}, members=[(member("plugins/p/t.py", tarfile.SYMTYPE, linkname="/etc/passwd"), None)]
        ),
        b"\x1f\x8b not really gzip",
    ],
    ids=["path traversal", "link", "not an archive"],
)
def test_a_malicious_archive_is_refused_naming_the_field(as_actor, lab, hostile):
    response = as_actor("writer").post(URL, archive_body(lab, hostile), format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["archiveFile"]
    assert not Entrypoint.objects.filter(group=lab).exists()


@pytest.mark.django_db
def test_a_bomb_is_refused(as_actor, lab, settings):
    settings.RESOURCE_IMPORT_LIMITS = {**settings.RESOURCE_IMPORT_LIMITS, "max_read_bytes": 10**6}
    bomb = tar_gz({**example_files(), "data/zeros.bin": bytes(50 * 10**6)})
    response = as_actor("writer").post(URL, archive_body(lab, bomb), format="multipart")
    assert response.status_code == 400
    assert "more than 1000000 bytes" in response.json()["archiveFile"][0]


@pytest.mark.django_db
def test_a_broken_entrypoint_answers_every_issue_with_its_position(as_actor, lab):
    files = example_files()
    files["entrypoints/hello-world.yaml"] = files["entrypoints/hello-world.yaml"].replace(
        b"$name", b"$nme"
    )
    response = as_actor("writer").post(URL, archive_body(lab, tar_gz(files)), format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Nothing was imported: 1 problem.")
    (issue,) = body["issues"]
    assert issue | {"message": "..."} == {
        "code": "E_REF_UNRESOLVABLE",
        "severity": "error",
        "message": "...",
        "file": "entrypoints/hello-world.yaml",
        "line": 6,
        "column": 13,
        "endLine": 6,
        "endColumn": 17,
        "category": "semantic",
        "type": "SEMANTIC",
        "source": "taskGraph",
        "path": ["greet", "hello", "name"],
    }
    assert not Entrypoint.objects.filter(group=lab).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"sourceType": "git"}, "gitUrl"),
        ({"sourceType": "upload_files"}, "files"),
        ({"sourceType": "upload_archive", "gitUrl": "https://example.org/r.git"}, "sourceType"),
        ({"sourceType": "git", "archiveFile": SimpleUploadedFile("a.tar.gz", b"x")}, "gitUrl"),
        ({"sourceType": "ftp"}, "sourceType"),
        (
            {"sourceType": "upload_archive", "resolveNameConflictsStrategy": "merge"},
            "resolveNameConflictsStrategy",
        ),
    ],
)
def test_malformed_requests(as_actor, lab, fields, error_field):
    body = archive_body(lab) if fields["sourceType"] == "upload_archive" else {"group": lab.pk}
    response = as_actor("writer").post(URL, {**body, **fields}, format="multipart")
    assert response.status_code == 400
    assert error_field in response.json()


@pytest.mark.django_db
def test_uploaded_files_in_dioptras_wire_format(as_actor, lab):
    """The body Dioptra's client sends for ``import_resources(group, select_files_in_directory(
    folder, recursive=True))``: its own multipart encoder, file names with their folders."""
    from dioptra.client import select_files_in_directory
    from dioptra.client.sessions import to_multipart_encoder

    files = select_files_in_directory(EXAMPLE, recursive=True)
    data = {"group": str(lab.pk), "sourceType": "upload_files"}
    encoder = to_multipart_encoder(data=data, files={"files": files})
    body = encoder.to_string()
    for file in files:
        file.stream.close()
    response = as_actor("writer").post(URL, body, content_type=encoder.content_type)
    assert response.status_code == 200, response.content
    assert {row["action"] for row in response.json()["report"]} == {"created"}
    assert len(response.json()["resources"]["plugins"]) == 3


@pytest.mark.django_db(transaction=True)
def test_a_folder_through_the_light_client(live_server, settings, lab):
    from entrypoints_client import APIError, Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("writer", lab="write")
    with Client(live_server.url) as light:
        light.login("writer", PASSWORD)
        answer = light.workflows.import_resources(lab.pk, EXAMPLE)
        assert set(answer["resources"]["plugins"]) == {"greetings", "regression", "text_artifacts"}
        taken = pytest.raises(APIError, light.workflows.import_resources, lab.pk, EXAMPLE).value
        assert taken.status == 409 and len(taken.issues) == 7
        assert taken.issues[0]["file"] == "dioptra.toml" and taken.issues[0]["line"]
        replaced = light.workflows.import_resources(
            lab.pk, EXAMPLE, resolve_name_conflicts_strategy="overwrite"
        )
        assert {row["action"] for row in replaced["report"]} == {"replaced"}


@pytest.mark.django_db(transaction=True)
def test_every_source_of_the_light_client(live_server, settings, lab, tmp_path):
    """A git URL with its branch, an archive ``File``, chosen files, and a wrong kind of source."""
    from entrypoints_client import Client, File, select_files_in_directory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("writer", lab="write")
    commit = git_repo(tmp_path / "repo", example_files(), branch="trunk")
    nested = tmp_path / "nested"
    (nested / "conf").mkdir(parents=True)
    (nested / "conf" / "resources.toml").write_bytes(
        b'[[plugin_param_types]]\nname = "score"\nstructure = { list = "number" }\n'
    )
    archive = tmp_path / "resources.tar.gz"
    archive.write_bytes(tar_gz(example_files()))
    with Client(live_server.url) as light:
        light.login("writer", PASSWORD)
        answer = light.workflows.import_resources(lab.pk, f"file://{tmp_path}/repo#trunk")
        assert answer["hash"] == commit and len(answer["report"]) == 7
        with archive.open("rb") as stream:
            updated = light.workflows.import_resources(
                lab.pk, File("resources.tar.gz", stream), resolve_name_conflicts_strategy="update"
            )
        assert {row["action"] for row in updated["report"]} == {"unchanged"}
        files = select_files_in_directory(nested, recursive=True)
        try:
            chosen = light.workflows.import_resources(
                lab.pk, files, config_path="conf/resources.toml"
            )
        finally:
            for file in files:
                file.stream.close()
        assert chosen["resources"]["plugin_param_types"] == {
            "score": PluginParameterType.objects.get(group=lab, name="score").pk
        }
        with pytest.raises(TypeError, match="dict"):
            light.workflows.import_resources(lab.pk, {"not": "a source"})


@pytest.mark.django_db
def test_the_browsable_apis_form_with_its_empty_fields(as_actor, lab):
    """An HTML form sends every field: empty file inputs and texts are read as not given."""
    body = archive_body(lab, gitUrl="", files="", configPath="", csrfmiddlewaretoken="x")
    response = as_actor("writer").post(URL, body, format="multipart")
    assert response.status_code == 200, response.content
    assert len(response.json()["report"]) == 7


@pytest.mark.django_db
def test_too_many_uploaded_files_answer_a_clear_400(as_actor, lab, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"f{n}.py", b"") for n in range(3)]
    body = {"group": lab.pk, "sourceType": "upload_files", "files": files}
    response = as_actor("writer").post(URL, body, format="multipart")
    assert response.status_code == 400
    assert "one .tar.gz archive" in response.json()["detail"]
