"""The demo of ``make run`` runs out of the box: ``load_demo`` queues a first job of the seed's
hello world and of the digits classifier, the real worker runs them (metrics, a text and a
NumPy artifact), and the other demo entrypoints run too, one reading hello world's artifact."""

import io

import pytest
from django.core.management import call_command

from access.demo import demo_admin
from jobs import services
from jobs.models import Artifact, Experiment, Job, JobStatus, Queue

pytestmark = pytest.mark.django_db(transaction=True)


def run_queued() -> None:
    call_command("runworker", batch=True, verbosity=0)


def log_of(job: Job) -> list[str]:
    return [record.message for record in job.log_records.all()]


def test_every_demo_entrypoint_runs_with_the_worker():
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    call_command("load_demo", stdout=io.StringIO())
    run_queued()
    digits, hello = Job.objects.order_by("entrypoint__name")
    assert (digits.entrypoint.name, hello.entrypoint.name) == ("digits_classifier", "hello_world")
    assert [(j.status, j.message) for j in (digits, hello)] == [("finished", "")] * 2

    accuracy = digits.metrics.filter(name="test_accuracy").order_by("step")
    assert [m.step for m in accuracy] == list(range(1, 16))
    assert accuracy.last().value > 0.9
    (matrix,) = digits.artifacts.all()
    assert (matrix.name, matrix.task) == ("confusion_matrix", "NumpyArrayArtifactTask")
    with matrix.file.open("rb") as stored:
        counts = np.load(io.BytesIO(stored.read()))
    assert counts.shape == (10, 10) and counts.trace() / counts.sum() > 0.9
    assert any(line.startswith("epoch done epoch=15 ") for line in log_of(digits))

    (saved,) = hello.artifacts.all()
    with saved.file.open("rb") as stored:
        assert stored.read() == b"Hello, World!"
    assert log_of(hello) == ["Hello, World!"]

    experiment, queue = Experiment.objects.get(name="demo"), Queue.objects.get(name="default")
    shout = services.job_create(
        user=demo_admin(),
        experiment=experiment,
        entrypoint=experiment.entrypoints.get(name="shout_saved_message"),
        queue=queue,
        artifact_values={"artifact_name": {"id": saved.pk}},
    )
    training = services.job_create(
        user=demo_admin(),
        experiment=experiment,
        entrypoint=experiment.entrypoints.get(name="model_training"),
        queue=queue,
    )
    run_queued()
    for job in (shout, training):
        job.refresh_from_db()
        assert (job.status, job.message) == (JobStatus.FINISHED, "")
    assert log_of(shout) == ["HELLO, WORLD!"]
    assert Artifact.objects.count() == 2

    call_command("load_demo", stdout=io.StringIO())  # again: nothing new is queued
    assert Job.objects.count() == 4
