"""``GET /tags/{id}/resources`` (Dioptra's ``tags.get_resources_for_tag``): the URLs of what a
tag labels, paged, optionally of one ``resourceType``."""

import pytest

from entrypoints import services as entrypoint_services
from jobs.services import queue_create
from plugins_app.services import plugin_delete
from tags.services import tag_create
from tests.entrypoints.factories import make_entrypoint
from tests.plugins.factories import make_file, make_plugin, make_type


@pytest.mark.django_db
class TestTagResources:
    @pytest.fixture
    def labelled(self, lab):
        tag = tag_create(user=None, group=lab, name="mnist")
        plugin = make_plugin(lab)
        file = make_file(plugin, "tasks.py")
        objects = {
            "entry_point": make_entrypoint(lab, plugins=[]),
            "queue": queue_create(user=None, group=lab, name="q"),
            "plugin": plugin,
            "plugin_file": file,
            "plugin_task_parameter_type": make_type(lab),
        }
        for obj in objects.values():
            obj.tags.add(tag)
        unlabelled = queue_create(user=None, group=lab, name="other")
        assert unlabelled.tags.count() == 0
        return tag, objects

    def test_lists_the_urls_of_what_the_tag_labels(self, as_actor, labelled):
        tag, objects = labelled
        response = as_actor("reader").get(f"/api/v1/tags/{tag.pk}/resources")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["totalNumResults"] == 5 and body["isComplete"] is True
        plugin, file = objects["plugin"], objects["plugin_file"]
        assert body["data"] == [
            f"/api/v1/entrypoints/{objects['entry_point'].pk}",
            f"/api/v1/plugins/{plugin.pk}",
            f"/api/v1/plugins/{plugin.pk}/files/{file.pk}",
            f"/api/v1/pluginParameterTypes/{objects['plugin_task_parameter_type'].pk}",
            f"/api/v1/queues/{objects['queue'].pk}",
        ]

    def test_resource_type_and_paging(self, as_actor, labelled):
        tag, objects = labelled
        client = as_actor("reader")
        url = f"/api/v1/tags/{tag.pk}/resources/"
        body = client.get(url, {"resourceType": "queue"}).json()
        assert body["data"] == [f"/api/v1/queues/{objects['queue'].pk}"]
        assert client.get(url, {"resourceType": "experiment"}).json()["data"] == []
        page = client.get(url, {"index": 1, "pageLength": 2}).json()
        assert page["totalNumResults"] == 5 and len(page["data"]) == 2
        assert "prev" in page and "next" in page

    def test_deleted_objects_are_left_out(self, as_actor, labelled):
        tag, objects = labelled
        entrypoint_services.entrypoint_delete(user=None, entrypoint=objects["entry_point"])
        plugin_delete(user=None, plugin=objects["plugin"])  # and its files
        data = as_actor("reader").get(f"/api/v1/tags/{tag.pk}/resources").json()["data"]
        assert [url.split("/")[3] for url in data] == ["pluginParameterTypes", "queues"]

    def test_other_groups_tags_answer_404(self, as_actor, labelled):
        tag, _ = labelled
        assert as_actor("outsider").get(f"/api/v1/tags/{tag.pk}/resources").status_code == 404
        assert as_actor("anonymous").get(f"/api/v1/tags/{tag.pk}/resources").status_code == 401


@pytest.mark.django_db
def test_experiments_jobs_and_artifacts_are_tagged_resources_too(as_actor, lab, tmp_path, settings):
    from tests.jobs.factories import make_artifact, make_job

    settings.MEDIA_ROOT = tmp_path / "media"
    tag = tag_create(user=None, group=lab, name="run")
    job = make_job(lab)
    artifact = make_artifact(job, tmp_path)
    for obj in (job, job.experiment, artifact):
        obj.tags.add(tag)
    body = as_actor("reader").get(f"/api/v1/tags/{tag.pk}/resources").json()
    assert body["data"] == [
        f"/api/v1/artifacts/{artifact.pk}",
        f"/api/v1/experiments/{job.experiment_id}",
        f"/api/v1/jobs/{job.pk}",
    ]
    only_jobs = as_actor("reader").get(f"/api/v1/tags/{tag.pk}/resources", {"resourceType": "job"})
    assert only_jobs.json()["data"] == [f"/api/v1/jobs/{job.pk}"]
