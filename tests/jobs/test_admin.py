"""Experiments, jobs and artifacts in the admin: pages render, writes go through the services."""

import pytest
from django.test import Client

from jobs.models import Experiment, Job
from tests.factories import make_user
from tests.jobs.factories import make_artifact, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(lab):
    client = Client()
    client.force_login(make_user("root", superuser=True))
    return client


def test_changelists_and_change_pages_render(admin_client, lab, tmp_path):
    job = make_job(lab)
    artifact = make_artifact(job, tmp_path)
    for url in (
        "/admin/jobs/experiment/",
        f"/admin/jobs/experiment/{job.experiment_id}/change/",
        "/admin/jobs/job/",
        f"/admin/jobs/job/{job.pk}/change/",
        "/admin/jobs/artifact/",
        f"/admin/jobs/artifact/{artifact.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_cancel_action_goes_through_the_service(admin_client, lab):
    job = make_job(lab)
    response = admin_client.post(
        "/admin/jobs/job/", {"action": "job_cancel", "_selected_action": [job.pk]}, follow=True
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.message) == ("cancelled", "Cancelled by root.")
    assert job.history.latest().history_user.username == "root"


def test_an_experiment_is_made_with_one_snapshot(admin_client, lab):
    response = admin_client.post(
        "/admin/jobs/experiment/add/", {"group": lab.pk, "name": "mnist", "description": "d"}
    )
    assert response.status_code == 302, response.content
    experiment = Experiment.objects.get(name="mnist")
    assert experiment.history.count() == 1 and experiment.creator.username == "root"
    assert not Job.objects.exists()
