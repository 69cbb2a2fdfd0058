"""``/api/v1/experiments``: the shared matrices, the entrypoints sub-collection, and jobs created
under an experiment (every refusal answers 400 naming its field, before anything is queued)."""

import pytest
from django_tasks_db.models import DBTaskResult

from jobs.models import Experiment, Job
from tests.api.matrix import ACTORS, READ, WRITE
from tests.api.mixins import GroupOwnedAPITests, ResourceTagsAPITests, unique_name
from tests.api.shapes import RESOURCE_FIELDS
from tests.entrypoints.factories import make_entrypoint
from tests.factories import make_group
from tests.jobs.factories import make_experiment, make_queue, runnable

JOB_FIELDS = [
    *RESOURCE_FIELDS,
    "description",
    "queue",
    "experiment",
    "entrypoint",
    "values",
    "artifactValues",
    "timeout",
    "status",
    "artifacts",
    "message",
    "startedOn",
    "finishedOn",
    "rerunOf",
    "steps",
]


class TestExperimentAPI(GroupOwnedAPITests):
    list_url = "/api/v1/experiments"
    model = Experiment
    # The paging count, the page (group and creator joined), its tags (their groups joined),
    # its entrypoints (their groups joined).
    list_queries = 4
    # The experiment (group and creator joined), its tags, its entrypoints.
    detail_queries = 3

    def make_object(self, group, name=None):
        return make_experiment(group, name)

    def make_rich_object(self, group):
        experiment = super().make_rich_object(group)
        experiment.entrypoints.add(make_entrypoint(group))
        return experiment

    def create_payload(self, group):
        return {"group": group.pk, "name": unique_name("experiment"), "description": "Runs."}

    def update_payload(self, obj):
        return {"name": obj.name + "_renamed", "description": "Renamed."}


class TestExperimentTagsAPI(ResourceTagsAPITests):
    def detail_url(self, obj):
        return f"/api/v1/experiments/{obj.pk}"

    def make_object(self, group, name=None):
        return make_experiment(group, name)


@pytest.mark.django_db
class TestExperimentShape:
    def test_read_shape_is_dioptras(self, as_actor, lab):
        entrypoint = make_entrypoint(lab, "hello")
        experiment = make_experiment(lab, "mnist", entrypoints=[entrypoint], description=None)
        body = as_actor("reader").get(f"/api/v1/experiments/{experiment.pk}").json()
        assert list(body) == [*RESOURCE_FIELDS, "name", "description", "entrypoints"]
        assert body["description"] is None
        assert body["entrypoints"] == [
            {
                "id": entrypoint.pk,
                "name": "hello",
                "group": {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"},
                "url": f"/api/v1/entrypoints/{entrypoint.pk}",
            }
        ]

    def test_create_and_put_set_the_entrypoints_omitted_ones_are_cleared(self, as_actor, lab):
        writer = as_actor("writer")
        first, second = make_entrypoint(lab), make_entrypoint(lab)
        created = writer.post(
            "/api/v1/experiments",
            {"group": lab.pk, "name": "e", "entrypoints": [first.pk, second.pk]},
            format="json",
        ).json()
        assert [e["id"] for e in created["entrypoints"]] == sorted(
            [first.pk, second.pk], key=lambda pk: {first.pk: first.name, second.pk: second.name}[pk]
        )
        url = f"/api/v1/experiments/{created['id']}"
        assert writer.put(url, {"name": "e"}, format="json").json()["entrypoints"] == []

    def test_foreign_or_invisible_entrypoints_are_400_naming_the_field(self, as_actor, lab):
        writer = as_actor("writer")
        invisible = make_entrypoint(make_group("elsewhere"))
        foreign = make_entrypoint(make_group("public"))
        for ids in ([invisible.pk], [foreign.pk]):
            response = writer.post(
                "/api/v1/experiments",
                {"group": lab.pk, "name": unique_name(), "entrypoints": ids},
                format="json",
            )
            assert response.status_code == 400
            assert list(response.json()) == ["entrypoints"]
        assert not Experiment.objects.exists()

    def test_snapshots_show_todays_entrypoints(self, as_actor, lab):
        writer = as_actor("writer")
        experiment = make_experiment(lab, "e")
        writer.put(f"/api/v1/experiments/{experiment.pk}", {"name": "e2"}, format="json")
        entrypoint = make_entrypoint(lab)
        experiment.entrypoints.add(entrypoint)
        body = writer.get(f"/api/v1/experiments/{experiment.pk}/snapshots").json()
        assert [s["name"] for s in body["data"]] == ["e", "e2"]
        assert [s["latestSnapshot"] for s in body["data"]] == [False, True]
        assert [s["entrypoints"][0]["id"] for s in body["data"]] == [entrypoint.pk] * 2


@pytest.mark.django_db
class TestExperimentEntrypoints:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_get(self, actor, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        experiment = make_experiment(lab, entrypoints=[entrypoint])
        response = as_actor(actor).get(f"/api/v1/experiments/{experiment.pk}/entrypoints")
        assert response.status_code == READ[actor]
        if response.status_code == 200:
            assert [e["id"] for e in response.json()] == [entrypoint.pk]

    @pytest.mark.parametrize("actor", ACTORS)
    def test_append_replace_remove(self, actor, as_actor, lab):
        kept, new = make_entrypoint(lab), make_entrypoint(lab)
        experiment = make_experiment(lab, entrypoints=[kept])
        url = f"/api/v1/experiments/{experiment.pk}/entrypoints"
        client = as_actor(actor)
        response = client.post(url, {"ids": [new.pk]}, format="json")
        assert response.status_code == WRITE[actor]
        if response.status_code != 200:
            assert list(experiment.entrypoints.all()) == [kept]
            return
        assert {e["id"] for e in response.json()} == {kept.pk, new.pk}
        assert client.put(url, {"ids": [new.pk]}, format="json").json()[0]["id"] == new.pk
        removed = client.delete(f"{url}/{new.pk}")
        assert removed.json() == {"id": [new.pk], "status": "Success"}
        assert client.get(url).json() == []

    def test_entrypoints_of_other_groups_are_400(self, as_actor, lab):
        experiment = make_experiment(lab)
        response = as_actor("writer").post(
            f"/api/v1/experiments/{experiment.pk}/entrypoints",
            {"ids": [make_entrypoint(make_group("public")).pk]},
            format="json",
        )
        assert response.status_code == 400 and "ids" in response.json()


@pytest.mark.django_db
class TestExperimentJobs:
    def url(self, experiment) -> str:
        return f"/api/v1/experiments/{experiment.pk}/jobs"

    @pytest.mark.parametrize("actor", ACTORS)
    def test_create_matrix(self, actor, as_actor, lab, django_capture_on_commit_callbacks):
        experiment, entrypoint, queue = runnable(lab)
        with django_capture_on_commit_callbacks(execute=True):
            response = as_actor(actor).post(
                self.url(experiment),
                {"entrypoint": entrypoint.pk, "queue": queue.pk, "values": {"name": "Ada"}},
                format="json",
            )
        assert response.status_code == WRITE[actor], response.content
        assert Job.objects.exists() == (response.status_code == 200)
        assert DBTaskResult.objects.exists() == (response.status_code == 200)

    def test_created_job_reads_as_dioptras(self, as_actor, actors, lab):
        experiment, entrypoint, queue = runnable(lab)
        response = as_actor("writer").post(
            self.url(experiment),
            {
                "entrypoint": entrypoint.pk,
                "queue": queue.pk,
                "values": {"name": "Ada"},
                "timeout": "1h",
                "description": "first try",
            },
            format="json",
        )
        body = response.json()
        assert list(body) == JOB_FIELDS
        job = Job.objects.get()
        snapshot = entrypoint.history.get().history_id
        group = {"id": lab.pk, "name": "lab", "url": f"/api/v1/groups/{lab.pk}"}
        assert body["entrypoint"] == {
            "id": entrypoint.pk,
            "snapshotId": snapshot,
            "name": entrypoint.name,
            "group": group,
            "url": f"/api/v1/entrypoints/{entrypoint.pk}/snapshots/{snapshot}",
        }
        assert body["queue"]["snapshotId"] == queue.history.get().history_id
        assert body["experiment"]["name"] == experiment.name
        assert (body["values"], body["timeout"], body["status"]) == (
            {"name": "Ada"},
            "1h",
            "queued",
        )
        assert (body["description"], body["artifacts"], body["steps"]) == ("first try", [], [])
        assert body["user"]["id"] == actors["writer"].pk
        assert response["ETag"] == f'"{body["snapshot"]}"' and body["id"] == job.pk

    def test_refusals_name_their_fields(self, as_actor, lab):
        experiment, entrypoint, queue = runnable(lab)
        lonely = make_entrypoint(lab)  # no queue, not in the experiment
        elsewhere = make_queue(make_group("elsewhere"))
        writer = as_actor("writer")
        cases = [
            ({"queue": queue.pk}, {"entrypoint"}),
            ({"entrypoint": lonely.pk, "queue": queue.pk}, {"entrypoint", "queue"}),
            ({"entrypoint": entrypoint.pk, "queue": elsewhere.pk}, {"queue"}),
            ({"entrypoint": entrypoint.pk, "queue": queue.pk, "values": {"x": "1"}}, {"values"}),
            ({"entrypoint": entrypoint.pk, "queue": queue.pk, "timeout": "soon"}, {"timeout"}),
            (
                {"entrypoint": entrypoint.pk, "queue": queue.pk, "entrypointSnapshot": 987654},
                {"entrypointSnapshot"},
            ),
            (
                {
                    "entrypoint": entrypoint.pk,
                    "queue": queue.pk,
                    "artifactValues": {"a": {"id": 1}},
                },
                {"artifactValues"},
            ),
            (
                {"entrypoint": entrypoint.pk, "queue": queue.pk, "swaps": [{"swap_name": "a"}]},
                {"swaps"},
            ),
            ({"entrypoint": entrypoint.pk, "queue": queue.pk, "extra": 1}, {"extra"}),
            ({"entrypoint": True, "queue": queue.pk}, {"entrypoint"}),
        ]
        for body, fields in cases:
            response = writer.post(self.url(experiment), body, format="json")
            assert response.status_code == 400, body
            assert set(response.json()) == fields, (body, response.json())
        lonely_answer = writer.post(
            self.url(experiment), {"entrypoint": lonely.pk, "queue": queue.pk}, format="json"
        ).json()
        assert (
            "a job will not be runnable without at least one attached queue"
            in (lonely_answer["queue"][0])
        )
        assert not Job.objects.exists()

    def test_dioptras_client_body_with_nulls_is_accepted(self, as_actor, lab):
        experiment, entrypoint, queue = runnable(lab)
        response = as_actor("writer").post(
            self.url(experiment),
            {
                "entrypoint": entrypoint.pk,
                "queue": queue.pk,
                "entrypointSnapshot": entrypoint.history.get().history_id,
                "values": None,
                "artifactValues": None,
                "timeout": None,
                "description": None,
                "swaps": [],
            },
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["timeout"] == "24h"

    def test_list_get_delete_and_status_under_the_experiment(self, as_actor, lab):
        experiment, entrypoint, queue = runnable(lab)
        other, *_ = runnable(lab)
        writer = as_actor("writer")
        created = writer.post(
            self.url(experiment), {"entrypoint": entrypoint.pk, "queue": queue.pk}, format="json"
        ).json()
        listed = writer.get(self.url(experiment)).json()
        assert [j["id"] for j in listed["data"]] == [created["id"]]
        assert writer.get(self.url(other)).json()["data"] == []
        one = f"{self.url(experiment)}/{created['id']}"
        assert writer.get(one).json()["id"] == created["id"]
        assert writer.get(f"{self.url(other)}/{created['id']}").status_code == 404
        assert writer.get(f"{one}/status").json() == {"id": created["id"], "status": "queued"}
        cancelled = writer.put(f"{one}/status", {"status": "cancelled"}, format="json")
        assert cancelled.json() == {"id": created["id"], "status": "cancelled"}
        refused = writer.put(f"{one}/status", {"status": "finished"}, format="json")
        assert refused.status_code == 400 and "status" in refused.json()
        reset = writer.put(f"{one}/status", {"status": "queued"}, format="json")
        assert reset.status_code == 400  # a cancelled job is rerun, not reset
        assert writer.delete(one).json() == {"id": [created["id"]], "status": "Success"}
        assert writer.get(one).status_code == 404

    def test_mlflow_run_is_not_provided(self, as_actor, lab):
        experiment, entrypoint, queue = runnable(lab)
        writer = as_actor("writer")
        job = writer.post(
            self.url(experiment), {"entrypoint": entrypoint.pk, "queue": queue.pk}, format="json"
        ).json()
        assert writer.get(f"{self.url(experiment)}/{job['id']}/mlflowRun").status_code == 404
        assert writer.get(f"/api/v1/jobs/{job['id']}/mlflowRun").status_code == 404


@pytest.mark.django_db
class TestExperimentMetrics:
    def test_the_latest_metrics_of_each_job(self, as_actor, lab):
        from jobs import services
        from tests.jobs.factories import make_job

        job = make_job(lab)
        other = services.job_create(
            user=None,
            experiment=job.experiment,
            entrypoint=job.entrypoint,
            queue=job.queue,
            values={"name": "Bo"},
        )
        services.job_metric_append(job=job, name="loss", value=0.9, step=0)
        services.job_metric_append(job=job, name="loss", value=0.4, step=1)
        url = f"/api/v1/experiments/{job.experiment_id}/metrics"
        response = as_actor("reader").get(url, {"experiment_id": job.experiment_id})
        rows = response.json()["data"]
        assert [(r["id"], [(m["name"], m["value"]) for m in r["metrics"]]) for r in rows] == [
            (job.pk, [("loss", 0.4)]),
            (other.pk, []),
        ]
        assert as_actor("outsider").get(url).status_code == 404

    def test_the_query_count_does_not_grow_with_the_jobs(
        self, as_actor, lab, django_assert_num_queries
    ):
        from jobs import services
        from tests.jobs.factories import make_job

        job = make_job(lab)
        for _ in range(3):
            extra = services.job_create(
                user=None, experiment=job.experiment, entrypoint=job.entrypoint, queue=job.queue
            )
            services.job_metric_append(job=extra, name="loss", value=1.0)
        reader = as_actor("reader")
        # The experiment (and its tags, entrypoints), the paging count, the page of jobs, the
        # latest steps per metric, their values.
        with django_assert_num_queries(7):
            response = reader.get(f"/api/v1/experiments/{job.experiment_id}/metrics")
        assert len(response.json()["data"]) == 4
