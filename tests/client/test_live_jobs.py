"""The light client's experiments, jobs and artifacts methods against a live server and a worker:
the README's script (create an entrypoint, run a job, wait, download its artifact) and the rest.

The worker is django-tasks-db's, run in a thread beside the live server as in ``tests/compat``.
"""

import contextlib
import io
import math
import shutil

import pytest
from django.core.management import call_command

from entrypoints_client import APIError, WaitTimeout, iter_all
from tests.client.conftest import FAST_HASHER, error_of, ids
from tests.client.readme import readme_script
from tests.compat import test_dioptra_client as compat
from tests.compat.client_flow import ARTIFACT_GRAPH, ARTIFACTS_PY, HELLO_JOB_PY, TASK_GRAPH
from tests.workflows.archives import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)
PARAMETERS = [
    {"name": "greeting", "defaultValue": "Hello", "parameterType": "string"},
    {"name": "name", "defaultValue": "World", "parameterType": "string"},
]


@pytest.fixture
def hello(client, seed):
    """The seed's hello_world entrypoint whose plugin logs, attached to an experiment."""
    string = seed.string_type
    plugin = client.plugins.create(seed.group_id, "hello_job")
    client.plugins.files.create(
        plugin["id"],
        "tasks.py",
        HELLO_JOB_PY,
        function_tasks=[
            {
                "name": "hello_world",
                "inputParams": [
                    {"name": "greeting", "parameterType": string},
                    {"name": "name", "parameterType": string},
                ],
                "outputParams": [{"name": "message", "parameterType": string}],
            }
        ],
    )
    artifacts = client.plugins.create(seed.group_id, "job_artifacts")
    client.plugins.files.create(
        artifacts["id"],
        "artifacts.py",
        ARTIFACTS_PY,
        artifact_tasks=[
            {
                "name": "StringArtifactTask",
                "outputParams": [{"name": "value", "parameterType": string}],
            }
        ],
    )
    entrypoint = client.entrypoints.create(
        group_id=seed.group_id,
        name="hello_job",
        task_graph=TASK_GRAPH,
        artifact_graph=ARTIFACT_GRAPH,
        parameters=PARAMETERS,
        queues=[seed.queue_id],
        plugins=[plugin["id"]],
        artifact_plugins=[artifacts["id"]],
    )
    experiment = client.experiments.create(
        seed.group_id, "greetings", entrypoints=[entrypoint["id"]]
    )
    return entrypoint, experiment


serialized_requests = compat.serialized_requests  # the fixture, for this module


@pytest.fixture
def worker(settings, tmp_path, serialized_requests):
    """A worker running jobs for the whole test (artifacts stored under ``tmp_path``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with compat.db_worker(serialized_requests) as errors:
        yield
    assert not errors


def test_run_a_job_wait_and_download_its_artifact(client, seed, hello, worker, tmp_path):
    entrypoint, experiment = hello
    job = client.experiments.jobs.create(
        experiment["id"], entrypoint["id"], seed.queue_id, values={"name": "Ada"}, timeout="5m"
    )
    assert job["status"] == "queued"
    finished = client.jobs.wait(job["id"], timeout=120, poll_interval=0.2)
    assert finished["status"] == "finished", client.jobs.get_logs_by_id(job["id"], page_length=100)
    assert client.jobs.get_status(job["id"])["status"] == "finished"
    assert client.experiments.jobs.get_status(experiment["id"], job["id"])["status"] == "finished"
    assert client.jobs.get_parameters(job["id"]) == {"greeting": "Hello", "name": "Ada"}
    assert "graph" in str(client.jobs.get_config(job["id"]))

    (artifact_ref,) = finished["artifacts"]
    path = client.artifacts.download(artifact_ref["id"], tmp_path)
    assert path.parent == tmp_path and path.read_text() == "Hello, Ada!"
    named = client.artifacts.download(artifact_ref["id"], tmp_path / "out" / "greeting.txt")
    assert named.read_text() == "Hello, Ada!" and not list(tmp_path.rglob("*.part"))
    assert (
        client.artifacts.get_contents(artifact_ref["id"], output_dir=tmp_path).read_text()
        == "Hello, Ada!"
    )
    (listed,) = client.artifacts.get_files(artifact_ref["id"])
    assert listed["isDir"] is False
    artifact = client.artifacts.get_by_id(artifact_ref["id"])
    assert artifact["job"] == job["id"]
    assert artifact["id"] in [a["id"] for a in client.artifacts.iter_all(group_id=seed.group_id)]
    assert client.artifacts.snapshots.get(artifact["id"])["data"]

    messages = [
        r["message"] for r in iter_all(client.jobs.get_logs_by_id, job["id"], page_length=2)
    ]
    assert any("Hello, Ada!" in m for m in messages)
    client.jobs.append_logs_by_id(
        job["id"], [{"severity": "WARNING", "loggerName": "t", "message": "noted"}]
    )
    warnings = client.jobs.get_logs_by_id(job["id"], severity=["WARNING"])["data"]
    assert [r["message"] for r in warnings][-1] == "noted"

    client.jobs.append_metric_by_id(job["id"], "accuracy", 0.5, metric_step=1)
    client.jobs.append_metric_by_id(job["id"], "accuracy", math.nan, metric_step=2)
    assert [(m["name"], m["value"]) for m in client.jobs.get_metrics_by_id(job["id"])] == [
        ("accuracy", "nan")
    ]
    series = client.jobs.get_metrics_snapshots_by_id(job["id"], "accuracy")["data"]
    assert [m["value"] for m in series] == [0.5, "nan"]


def test_experiments_and_jobs_collections(client, seed, hello):
    entrypoint, experiment = hello
    experiments = client.experiments
    assert experiments.get_by_id(experiment["id"])["name"] == "greetings"
    assert [e["id"] for e in experiments.iter_all(group_id=seed.group_id)] == [experiment["id"]]
    modified = experiments.modify_by_id(
        experiment["id"], "greetings", "renamed", [entrypoint["id"]]
    )
    assert modified["description"] == "renamed"
    assert [e["id"] for e in experiments.entrypoints.get(experiment["id"])] == [entrypoint["id"]]
    assert len(experiments.snapshots.get(experiment["id"])["data"]) == 2

    refused = pytest.raises(
        APIError,
        experiments.jobs.create,
        experiment["id"],
        entrypoint["id"],
        seed.queue_id,
        values={"nmae": "x"},
    ).value
    assert refused.status == 400 and "values" in refused.field_errors

    job = experiments.jobs.create(experiment["id"], entrypoint["id"], seed.queue_id)
    assert [j["id"] for j in experiments.jobs.iter_all(experiment["id"])] == [job["id"]]
    assert experiments.jobs.get_by_id(experiment["id"], job["id"])["id"] == job["id"]
    assert [j["id"] for j in client.jobs.get(group_id=seed.group_id)["data"]] == [job["id"]]
    # No worker runs: the wait gives up, saying where the job stands.
    waited = pytest.raises(
        WaitTimeout, client.jobs.wait, job["id"], timeout=0.3, poll_interval=0.1
    ).value
    assert waited.job["status"] == "queued" and "queued" in str(waited)
    assert client.jobs.cancel(job["id"])["status"] == "cancelled"
    assert client.jobs.wait(job["id"], timeout=5)["status"] == "cancelled"
    tag = client.tags.create(seed.group_id, "runs")
    assert [t["id"] for t in client.jobs.tags.append(job["id"], ids=[tag["id"]])] == [tag["id"]]
    assert client.jobs.snapshots.get(job["id"])["data"]
    assert client.jobs.delete_by_id(job["id"])["status"] == "Success"
    assert pytest.raises(APIError, client.jobs.get_by_id, job["id"]).value.status == 404


def test_status_changes_reruns_metrics_and_artifact_edits(client, seed, hello, worker, tmp_path):
    """The methods the other tests leave out, each against the running worker."""
    entrypoint, experiment = hello
    experiments, jobs, artifacts = client.experiments, client.jobs, client.artifacts
    job = experiments.jobs.create(experiment["id"], entrypoint["id"], seed.queue_id)
    assert jobs.wait(job["id"], timeout=120, poll_interval=0.2)["status"] == "finished"
    assert ids(experiments.get(group_id=seed.group_id)["data"]) == [experiment["id"]]
    assert ids(experiments.jobs.get(experiment["id"])["data"]) == [job["id"]]

    jobs.append_metric_by_id(job["id"], "loss", 0.25)
    (row,) = experiments.get_metrics_by_id(experiment["id"])["data"]
    assert row["id"] == job["id"] and [m["name"] for m in row["metrics"]] == ["loss"]
    assert jobs.get_artifact_parameters(job["id"]) == {}  # it reads none
    (saved,) = jobs.get_by_id(job["id"])["artifacts"]
    reader = client.entrypoints.create(
        group_id=seed.group_id,
        name="hello_reader",
        task_graph=TASK_GRAPH,
        parameters=PARAMETERS,
        artifact_parameters=[
            {
                "name": "previous",
                "outputParams": [{"name": "value", "parameterType": seed.string_type}],
            }
        ],
        queues=[seed.queue_id],
        plugins=[p["id"] for p in entrypoint["plugins"]],
        artifact_plugins=[p["id"] for p in entrypoint["artifactPlugins"]],
    )
    experiments.entrypoints.create(experiment["id"], [reader["id"]])
    reading = experiments.jobs.create(
        experiment["id"],
        reader["id"],
        seed.queue_id,
        artifact_values={"previous": {"id": saved["id"]}},
    )
    inputs = jobs.get_artifact_parameters(reading["id"])
    assert inputs["previous"]["artifact_id"] == saved["id"]
    assert inputs["previous"]["artifact_task"]["task_name"] == "StringArtifactTask"
    assert jobs.wait(reading["id"], timeout=120, poll_interval=0.2)["status"] == "finished"

    queued = experiments.jobs.set_status(experiment["id"], job["id"], "queued")
    assert queued == {"id": job["id"], "status": "queued"}
    assert jobs.wait(job["id"], timeout=120, poll_interval=0.2)["status"] == "finished"
    assert jobs.reset(job["id"])["status"] == "queued"
    assert jobs.wait(job["id"], timeout=120, poll_interval=0.2)["status"] == "finished"
    running = error_of(experiments.jobs.set_status, experiment["id"], job["id"], "running")
    assert running.status == 400 and "status" in running.field_errors
    again = jobs.rerun(job["id"])
    assert again["id"] != job["id"]
    assert jobs.wait(again["id"], timeout=120, poll_interval=0.2)["status"] == "finished"

    listed = artifacts.get(group_id=seed.group_id, page_length=100)["data"]
    artifact = next(a for a in listed if a["id"] == saved["id"])
    edited = artifacts.modify_by_id(artifact["id"], description="kept")
    assert edited["description"] == "kept"
    first, *_ = artifacts.snapshots.get(artifact["id"])["data"]
    contents = artifacts.snapshots.get_contents(
        artifact["id"], first["snapshot"], output_dir=tmp_path
    )
    assert contents.read_text() == "Hello, World!"
    # Jobs store their artifacts themselves: the API has no way to add one by hand.
    assert error_of(artifacts.create, seed.group_id, job["id"], "file:///x").status == 405
    made = error_of(experiments.jobs.create_artifact, experiment["id"], job["id"], "file:///x")
    assert made.status in (404, 405)

    related = experiments.entrypoints
    both = [entrypoint["id"], reader["id"]]
    removed = related.delete_by_id(experiment["id"], entrypoint["id"])
    assert removed == {"id": [entrypoint["id"]], "status": "Success"}
    assert ids(related.get(experiment["id"])) == [reader["id"]]
    assert ids(related.create(experiment["id"], [entrypoint["id"]])) == both
    assert ids(related.modify_by_id(experiment["id"], [reader["id"]])) == [reader["id"]]
    assert related.delete(experiment["id"]) == {"id": [reader["id"]], "status": "Success"}
    assert related.get(experiment["id"]) == []
    unknown = error_of(related.create, experiment["id"], [10**9])
    assert unknown.status == 400 and unknown.field_errors
    assert experiments.delete_by_id(experiment["id"])["status"] == "Success"
    assert error_of(experiments.get_by_id, experiment["id"]).status == 404


def test_the_readme_script_runs_as_written(
    live_server, settings, serialized_requests, tmp_path, monkeypatch
):
    """The README's client script as it stands, against the demo data of ``make run``."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())  # before the worker shares the connection
    monkeypatch.setenv("ENTRYPOINTS_API_URL", live_server.url)
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "dioptra-resources")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with compat.db_worker(serialized_requests) as errors, contextlib.redirect_stdout(printed):
        exec(compile(readme_script(), "README.md", "exec"), {})
    assert not errors
    assert printed.getvalue() == "finished Hello, Ada!\n"
    assert (tmp_path / "greeting.txt").read_text() == "Hello, Ada!"
