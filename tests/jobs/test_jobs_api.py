"""``/api/v1/jobs``: reading, moving and deleting jobs; their status, parameters, log and
metrics, as Dioptra's client reads them; the permission matrix of each."""

import pytest

from jobs import services
from jobs.models import Job, JobStatus, JobStep
from tests.api.matrix import ACTORS, LIST, READ, WRITE
from tests.api.mixins import PinnedQueryCountTests, ResourceTagsAPITests, ids_of, make_tag
from tests.factories import make_group
from tests.jobs.factories import make_artifact, make_job
from tests.jobs.test_experiments_api import JOB_FIELDS

URL = "/api/v1/jobs"


def started(job):
    """``job`` claimed by a worker, with a finished and a running step."""
    services.job_claim(job=job, worker_id="w")
    JobStep.objects.create(
        job=job, position=0, name="a", state="finished", started_on=job.started_on, seconds=0.5
    )
    JobStep.objects.create(
        job=job, position=1, name="b", state="started", started_on=job.started_on
    )
    return job


class TestJobQueryCounts(PinnedQueryCountTests):
    list_url = URL
    # The paging count, the page (group, creator, queue, experiment, entrypoint snapshot
    # joined), its tags, its steps, its artifacts.
    list_queries = 5
    # The job (as joined above), its tags, its steps, its artifacts.
    detail_queries = 4

    def make_rich_object(self, group):
        job = started(make_job(group))
        job.tags.add(make_tag(group))
        return job


class TestJobTagsAPI(ResourceTagsAPITests):
    def detail_url(self, obj):
        return f"{URL}/{obj.pk}"

    def make_object(self, group, name=None):
        return make_job(group)


@pytest.mark.django_db
class TestJobMatrix:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, actor, as_actor, lab):
        job = make_job(lab)
        response = as_actor(actor).get(URL, {"pageLength": 1000})
        assert response.status_code == LIST[actor]
        if response.status_code == 200:
            assert (job.pk in ids_of(response)) == (READ[actor] == 200)

    @pytest.mark.parametrize(
        "path", ["", "/status", "/parameters", "/artifactParameters", "/log", "/metrics", "/config"]
    )
    @pytest.mark.parametrize("actor", ACTORS)
    def test_reads(self, actor, path, as_actor, lab):
        job = make_job(lab)
        response = as_actor(actor).get(f"{URL}/{job.pk}{path}")
        assert response.status_code == READ[actor], response.content

    @pytest.mark.parametrize(
        "path, body",
        [
            ("/cancel", None),
            ("/rerun", None),
            ("/log", {"data": [{"severity": "INFO", "loggerName": "me", "message": "hi"}]}),
            ("/metrics", {"name": "accuracy", "value": 0.5}),
        ],
    )
    @pytest.mark.parametrize("actor", ACTORS)
    def test_writes(self, actor, path, body, as_actor, lab):
        job = make_job(lab)
        response = as_actor(actor).post(f"{URL}/{job.pk}{path}", body, format="json")
        assert response.status_code == WRITE[actor], response.content
        if response.status_code != 200:
            assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
            assert Job.objects.count() == 1
            assert not job.log_records.exists() and not job.metrics.exists()

    @pytest.mark.parametrize("actor", ACTORS)
    def test_delete(self, actor, as_actor, lab):
        job = make_job(lab)
        response = as_actor(actor).delete(f"{URL}/{job.pk}")
        assert response.status_code == WRITE[actor]
        job.refresh_from_db()
        assert (job.deleted_on is not None) == (response.status_code == 200)
        if response.status_code == 200:
            assert response.json() == {"id": [job.pk], "status": "Success"}
            assert job.status == JobStatus.CANCELLED

    def test_jobs_cannot_be_created_or_replaced_here(self, as_actor, lab):
        job = make_job(lab)
        writer = as_actor("writer")
        assert writer.post(URL, {}, format="json").status_code == 405
        assert writer.put(f"{URL}/{job.pk}", {}, format="json").status_code == 405

    def test_other_groups_jobs_are_not_found(self, as_actor):
        job = make_job(make_group("elsewhere"))
        writer = as_actor("writer")
        for path in ("", "/status", "/log", "/metrics", "/parameters"):
            assert writer.get(f"{URL}/{job.pk}{path}").status_code == 404
        assert writer.post(f"{URL}/{job.pk}/cancel").status_code == 404
        assert job.pk not in ids_of(writer.get(URL))


@pytest.mark.django_db
class TestJobReads:
    def test_shape_status_and_steps(self, as_actor, lab):
        job = started(make_job(lab, values={"name": "Ada"}))
        reader = as_actor("reader")
        body = reader.get(f"{URL}/{job.pk}").json()
        assert list(body) == JOB_FIELDS
        assert body["status"] == "started" and body["startedOn"] is not None
        assert [(s["name"], s["state"], s["seconds"]) for s in body["steps"]] == [
            ("a", "finished", 0.5),
            ("b", "started", None),
        ]
        assert reader.get(f"{URL}/{job.pk}/status").json() == {"id": job.pk, "status": "started"}

    def test_parameters_are_the_converted_values(self, as_actor, lab):
        job = make_job(lab, values={"name": "Ada"})
        answer = as_actor("reader").get(f"{URL}/{job.pk}/parameters").json()
        assert answer == {"greeting": "Hello", "name": "Ada"}

    def test_filters(self, as_actor, lab):
        first, second = make_job(lab), make_job(lab)
        services.job_cancel(user=None, job=second)
        reader = as_actor("reader")

        def ids(**query):
            return ids_of(reader.get(URL, query))

        assert ids(experiment=first.experiment_id) == [first.pk]
        assert ids(entrypoint=second.entrypoint_id) == [second.pk]
        assert ids(queue=first.queue_id) == [first.pk]
        assert ids(status="cancelled") == [second.pk]
        assert ids(search="status:queued") == [first.pk]
        assert ids(sortBy="id", descending="true") == [second.pk, first.pk]
        assert reader.get(URL, {"status": "lost"}).status_code == 400
        assert reader.get(URL, {"sortBy": "nope"}).status_code == 422

    def test_artifacts_are_listed_as_refs(self, as_actor, lab, tmp_path):
        job = make_job(lab)
        artifact = make_artifact(job, tmp_path)
        body = as_actor("reader").get(f"{URL}/{job.pk}").json()
        assert body["artifacts"] == [
            {
                "id": artifact.pk,
                "group": {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
                "url": f"/api/v1/artifacts/{artifact.pk}",
            }
        ]

    def test_every_status_change_is_a_snapshot(self, as_actor, lab):
        job = make_job(lab)
        writer = as_actor("writer")
        writer.post(f"{URL}/{job.pk}/cancel")
        snapshots = writer.get(f"{URL}/{job.pk}/snapshots").json()["data"]
        assert [s["status"] for s in snapshots] == ["queued", "cancelled"]
        assert [s["latestSnapshot"] for s in snapshots] == [False, True]
        first = writer.get(f"{URL}/{job.pk}/snapshots/{snapshots[0]['snapshot']}").json()
        assert first["status"] == "queued" and first["entrypoint"]["id"] == job.entrypoint_id

    def test_config_is_the_document_that_runs(self, as_actor, lab):
        job = make_job(lab)
        document = as_actor("reader").get(f"{URL}/{job.pk}/config").json()
        assert set(document) >= {"graph", "tasks", "parameters"}
        assert document["parameters"]["name"] == {"type": "string", "default": "World"}


@pytest.mark.django_db
class TestCancelResetRerun:
    def test_cancel_then_rerun(self, as_actor, lab):
        job = make_job(lab)
        writer = as_actor("writer")
        cancelled = writer.post(f"{URL}/{job.pk}/cancel").json()
        assert (cancelled["status"], cancelled["message"]) == ("cancelled", "Cancelled by writer.")
        again = writer.post(f"{URL}/{job.pk}/cancel")
        assert (
            again.status_code == 400 and "only a queued or running job" in again.json()["status"][0]
        )
        rerun = writer.post(f"{URL}/{job.pk}/rerun").json()
        assert rerun["id"] != job.pk and rerun["rerunOf"] == job.pk
        assert rerun["status"] == "queued" and rerun["entrypoint"] == cancelled["entrypoint"]

    def test_reset_a_failed_job(self, as_actor, lab):
        job = make_job(lab)
        services.job_claim(job=job, worker_id="w")
        services.job_finish(job=job, attempt=1, status="failed", message="boom")
        answer = as_actor("writer").post(f"{URL}/{job.pk}/reset").json()
        assert (answer["status"], answer["message"], answer["startedOn"]) == ("queued", "", None)


@pytest.mark.django_db
class TestLog:
    def test_post_then_page_through_in_order_with_a_severity_filter(self, as_actor, lab):
        job = make_job(lab)
        writer = as_actor("writer")
        records = [
            {"severity": severity, "loggerName": "hello.tasks", "message": f"{severity} {i}"}
            for i, severity in enumerate(["INFO", "WARNING", "ERROR", "INFO", "DEBUG"])
        ]
        posted = writer.post(f"{URL}/{job.pk}/log", {"data": records}, format="json")
        assert posted.status_code == 200
        assert [r["message"] for r in posted.json()] == [r["message"] for r in records]
        assert set(posted.json()[0]) == {"severity", "loggerName", "message", "createdOn"}
        page = writer.get(f"{URL}/{job.pk}/log", {"pageLength": 2}).json()
        assert page["totalNumResults"] == 5 and page["isComplete"] is False
        assert [r["message"] for r in page["data"]] == ["INFO 0", "WARNING 1"]
        second = writer.get(page["next"]).json()
        assert [r["message"] for r in second["data"]] == ["ERROR 2", "INFO 3"]
        filtered = writer.get(f"{URL}/{job.pk}/log?severity=ERROR&severity=WARNING").json()
        assert [r["message"] for r in filtered["data"]] == ["WARNING 1", "ERROR 2"]
        searched = writer.get(f"{URL}/{job.pk}/log", {"search": "info"}).json()
        assert [r["message"] for r in searched["data"]] == ["INFO 0", "INFO 3"]

    @pytest.mark.parametrize(
        "body",
        [
            {"data": []},
            {"data": [{"severity": "LOUD", "loggerName": "x", "message": "m"}]},
            {"data": [{"severity": "INFO", "message": "m"}]},
            {"data": [{"severity": "INFO", "loggerName": "x", "message": "m", "extra": 1}]},
            {"records": []},
            [],
        ],
    )
    def test_bad_records_are_refused_and_nothing_is_written(self, body, as_actor, lab):
        job = make_job(lab)
        response = as_actor("writer").post(f"{URL}/{job.pk}/log", body, format="json")
        assert response.status_code == 400
        assert not job.log_records.exists()

    def test_an_unknown_severity_filter_is_400(self, as_actor, lab):
        job = make_job(lab)
        assert as_actor("reader").get(f"{URL}/{job.pk}/log?severity=LOUD").status_code == 400


@pytest.mark.django_db
class TestMetrics:
    def test_latest_per_name_and_the_series(self, as_actor, lab):
        job = make_job(lab)
        writer = as_actor("writer")
        for name, value, step in [
            ("loss", 0.9, 0),
            ("loss", 0.5, 1),
            ("loss", 0.7, 1),  # the same step again: the later value is the latest
            ("accuracy", "nan", None),
            ("accuracy", "-inf", 3),
        ]:
            body = {"name": name, "value": value} | ({} if step is None else {"step": step})
            answer = writer.post(f"{URL}/{job.pk}/metrics", body, format="json")
            assert answer.status_code == 200, answer.content
        latest = writer.get(f"{URL}/{job.pk}/metrics").json()
        assert [(m["name"], m["value"], m["step"]) for m in latest] == [
            ("accuracy", "-inf", 3),
            ("loss", 0.7, 1),
        ]
        series = writer.get(f"{URL}/{job.pk}/metrics/loss/snapshots").json()
        assert [(m["value"], m["step"]) for m in series["data"]] == [(0.9, 0), (0.5, 1), (0.7, 1)]
        assert series["totalNumResults"] == 3
        nan = writer.get(f"{URL}/{job.pk}/metrics/accuracy/snapshots").json()["data"][0]
        assert nan["value"] == "nan"

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "_", "value": 1},
            {"name": "1st", "value": 1},
            {"name": "has space", "value": 1},
            {"name": "ok", "value": "high"},
            {"name": "ok", "value": True},
            {"name": "ok", "value": 1, "step": -1},
            {"name": "ok"},
        ],
    )
    def test_bad_metrics_are_refused(self, body, as_actor, lab):
        job = make_job(lab)
        response = as_actor("writer").post(f"{URL}/{job.pk}/metrics", body, format="json")
        assert response.status_code == 400
        assert not job.metrics.exists()
