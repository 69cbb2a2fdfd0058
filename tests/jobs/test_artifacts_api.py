"""``/api/v1/artifacts``: reading, describing and downloading what jobs wrote (a directory as a
``tar_gz`` or ``zip`` archive, or one path inside it), Dioptra's filters, the matrices."""

import io
import tarfile
import zipfile

import pytest

from jobs import services
from tests.api.matrix import ACTORS, LIST, READ, WRITE
from tests.api.mixins import PinnedQueryCountTests, ResourceTagsAPITests, ids_of, make_tag
from tests.api.shapes import RESOURCE_FIELDS
from tests.entrypoints.factories import make_artifact_plugin
from tests.factories import make_group
from tests.jobs.factories import make_artifact, make_job
from tests.plugins.factories import builtin

URL = "/api/v1/artifacts"


@pytest.fixture
def text_artifact(lab, tmp_path):
    return make_artifact(make_job(lab), tmp_path)


def make_folder_artifact(group, tmp_path):
    folder = tmp_path / "written" / "model"
    (folder / "weights").mkdir(parents=True)
    (folder / "weights" / "w.bin").write_bytes(b"\x00\x01")
    (folder / "README.txt").write_text("read me")
    return services.artifact_create(
        job=make_job(group),
        name="model",
        task="DirectoryArtifactTask",
        plugin_snapshot=None,
        path=folder,
        is_dir=True,
    )


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


class TestArtifactQueryCounts(PinnedQueryCountTests):
    list_url = URL
    # The paging count, the page (group and creator joined), its tags, the plugin snapshots
    # holding its artifact tasks.
    list_queries = 4
    # The artifact (group and creator joined), its tags, its task's plugin snapshot.
    detail_queries = 3

    @pytest.fixture(autouse=True)
    def folder(self, tmp_path):
        self.tmp_path = tmp_path

    def make_rich_object(self, group):
        artifact = make_artifact(make_job(group), self.tmp_path)
        artifact.tags.add(make_tag(group))
        return artifact


class TestArtifactTagsAPI(ResourceTagsAPITests):
    @pytest.fixture(autouse=True)
    def folder(self, tmp_path):
        self.tmp_path = tmp_path

    def detail_url(self, obj):
        return f"{URL}/{obj.pk}"

    def make_object(self, group, name=None):
        return make_artifact(make_job(group), self.tmp_path)


@pytest.mark.django_db
class TestArtifactMatrix:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, actor, as_actor, text_artifact):
        response = as_actor(actor).get(URL, {"pageLength": 1000})
        assert response.status_code == LIST[actor]
        if response.status_code == 200:
            assert (text_artifact.pk in ids_of(response)) == (READ[actor] == 200)

    @pytest.mark.parametrize("path", ["", "/files", "/contents", "/snapshots"])
    @pytest.mark.parametrize("actor", ACTORS)
    def test_reads(self, actor, path, as_actor, text_artifact):
        response = as_actor(actor).get(f"{URL}/{text_artifact.pk}{path}")
        assert response.status_code == READ[actor]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_describe(self, actor, as_actor, text_artifact):
        response = as_actor(actor).put(
            f"{URL}/{text_artifact.pk}", {"description": "the greeting"}, format="json"
        )
        assert response.status_code == WRITE[actor]
        text_artifact.refresh_from_db()
        assert (text_artifact.description == "the greeting") == (response.status_code == 200)
        if response.status_code == 200:
            assert text_artifact.history.count() == 2

    def test_artifacts_are_made_by_jobs_only(self, as_actor, text_artifact):
        writer = as_actor("writer")
        assert writer.post(URL, {}, format="json").status_code == 405
        assert writer.delete(f"{URL}/{text_artifact.pk}").status_code == 405

    def test_other_groups_artifacts_are_not_found(self, as_actor, tmp_path):
        artifact = make_artifact(make_job(make_group("elsewhere")), tmp_path)
        writer = as_actor("writer")
        for path in ("", "/files", "/contents"):
            assert writer.get(f"{URL}/{artifact.pk}{path}").status_code == 404


@pytest.mark.django_db
class TestArtifactReads:
    def test_shape_is_dioptras_with_the_task_from_its_plugin_snapshot(
        self, as_actor, lab, tmp_path
    ):
        plugin = make_artifact_plugin(lab)
        artifact = make_artifact(make_job(lab), tmp_path, plugin=plugin)
        body = as_actor("reader").get(f"{URL}/{artifact.pk}").json()
        assert list(body) == [
            *RESOURCE_FIELDS,
            "name",
            "description",
            "job",
            "task",
            "artifactUri",
            "isDir",
            "fileSize",
            "fileUrl",
        ]
        snapshot = plugin.history.order_by("-history_id").first()
        plugin_file = snapshot.manifest["files"][0]
        string = builtin(lab, "string")
        assert body["task"] == {
            "name": "TextArtifact",
            "outputParams": [
                {
                    "name": "value",
                    "parameterType": {
                        "id": string.pk,
                        "name": "string",
                        "group": {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
                        "url": f"/api/v1/pluginParameterTypes/{string.pk}",
                    },
                }
            ],
            "pluginResourceId": plugin.pk,
            "pluginResourceSnapshotId": snapshot.history_id,
            "pluginFileResourceId": plugin_file["id"],
            "pluginFileResourceSnapshotId": plugin_file["snapshotId"],
        }
        assert (body["job"], body["isDir"], body["fileSize"]) == (artifact.job_id, False, 11)
        assert body["fileUrl"] == f"/api/v1/artifacts/{artifact.pk}/contents"
        assert body["artifactUri"] == artifact.file.name

    def test_a_task_no_plugin_declares_reads_as_empty(self, as_actor, lab, tmp_path):
        artifact = make_folder_artifact(lab, tmp_path)
        assert as_actor("reader").get(f"{URL}/{artifact.pk}").json()["task"] == {}

    def test_filters(self, as_actor, lab, tmp_path):
        text = make_artifact(make_job(lab), tmp_path)
        folder = make_folder_artifact(lab, tmp_path)
        reader = as_actor("reader")
        string = builtin(lab, "string")
        assert ids_of(reader.get(URL, {"outputParams": str(string.pk)})) == [text.pk]
        assert ids_of(reader.get(URL, {"outputParams": f"{string.pk}, 1"})) == []
        assert ids_of(reader.get(URL, {"job": folder.job_id})) == [folder.pk]
        assert ids_of(reader.get(URL, {"search": "task:Directory*"})) == [folder.pk]
        assert ids_of(reader.get(URL, {"sortBy": "job", "descending": "1"})) == [folder.pk, text.pk]
        assert reader.get(URL, {"outputParams": "a,b"}).status_code == 400

    def test_files_of_a_file_and_of_a_directory(self, as_actor, lab, tmp_path, text_artifact):
        reader = as_actor("reader")
        assert reader.get(f"{URL}/{text_artifact.pk}/files").json() == [
            {
                "relativePath": "",
                "isDir": False,
                "fileSize": 11,
                "fileUrl": f"/api/v1/artifacts/{text_artifact.pk}/contents",
            }
        ]
        folder = make_folder_artifact(lab, tmp_path)
        listing = reader.get(f"{URL}/{folder.pk}/files").json()
        assert [(f["relativePath"], f["fileSize"]) for f in listing] == [
            ("README.txt", 7),
            ("weights/w.bin", 2),
        ]
        assert (
            listing[1]["fileUrl"] == f"/api/v1/artifacts/{folder.pk}/contents?path=weights%2Fw.bin"
        )


@pytest.mark.django_db
class TestContents:
    def test_a_file_downloads_as_it_is(self, as_actor, text_artifact):
        response = as_actor("reader").get(f"{URL}/{text_artifact.pk}/contents")
        assert response.status_code == 200
        assert body_of(response) == b"Hello, Ada!"
        assert response["Content-Disposition"] == 'attachment; filename="message.txt"'
        assert response["Content-Type"] == "text/plain"
        for query in ({"path": "x"}, {"fileType": "zip"}):
            refused = as_actor("reader").get(f"{URL}/{text_artifact.pk}/contents", query)
            assert refused.status_code == 400 and list(refused.json()) == list(query)

    def test_a_directory_as_tar_gz_or_zip(self, as_actor, lab, tmp_path):
        folder = make_folder_artifact(lab, tmp_path)
        reader = as_actor("reader")
        tar_answer = reader.get(f"{URL}/{folder.pk}/contents")
        assert tar_answer["Content-Type"] == "application/gzip"
        with tarfile.open(fileobj=io.BytesIO(body_of(tar_answer))) as tar:
            assert sorted(tar.getnames()) == [
                "model",
                "model/README.txt",
                "model/weights",
                "model/weights/w.bin",
            ]
        zip_answer = reader.get(f"{URL}/{folder.pk}/contents", {"fileType": "zip"})
        assert zip_answer["Content-Disposition"] == 'attachment; filename="model.zip"'
        with zipfile.ZipFile(io.BytesIO(body_of(zip_answer))) as archive:
            assert archive.read("model/weights/w.bin") == b"\x00\x01"

    def test_a_path_inside_a_directory(self, as_actor, lab, tmp_path):
        folder = make_folder_artifact(lab, tmp_path)
        reader = as_actor("reader")
        one = reader.get(f"{URL}/{folder.pk}/contents", {"path": "README.txt"})
        assert body_of(one) == b"read me"
        sub = reader.get(f"{URL}/{folder.pk}/contents", {"path": "weights", "fileType": "zip"})
        with zipfile.ZipFile(io.BytesIO(body_of(sub))) as archive:
            assert archive.namelist() == ["weights/", "weights/w.bin"]
        sub_tar = reader.get(f"{URL}/{folder.pk}/contents", {"path": "weights/"})
        with tarfile.open(fileobj=io.BytesIO(body_of(sub_tar))) as tar:
            assert tar.extractfile("weights/w.bin").read() == b"\x00\x01"
        assert reader.get(f"{URL}/{folder.pk}/contents", {"path": "nope"}).status_code == 404
        for bad in ("../../etc/passwd", "..", "/"):
            answer = reader.get(f"{URL}/{folder.pk}/contents", {"path": bad})
            assert answer.status_code == 400, bad
        assert reader.get(f"{URL}/{folder.pk}/contents", {"fileType": "rar"}).status_code == 400

    def test_snapshot_contents(self, as_actor, text_artifact):
        snapshot = text_artifact.history.get().history_id
        reader = as_actor("reader")
        answer = reader.get(f"{URL}/{text_artifact.pk}/snapshots/{snapshot}/contents")
        assert body_of(answer) == b"Hello, Ada!"
        assert reader.get(f"{URL}/{text_artifact.pk}/snapshots/987654/contents").status_code == 404
