"""The job pages through Django's test client: the list and its filters, a job's page and its
live fragments, the log's tail, metric charts, artifact downloads, cancel, reset and rerun, and
who may do what (other groups' jobs are missing, readers see no buttons and are refused)."""

import io
import math
import re
import tarfile
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import metric_plot, services
from jobs.models import Job, JobStatus, JobStep
from tests.entrypoints.factories import make_artifact_plugin, make_entrypoint
from tests.factories import make_group, make_user
from tests.jobs.factories import make_artifact, make_experiment, make_job, make_queue
from tests.pages import HTMX, MATRIX_ACTORS, READ, WRITE, flashes, text, wrote

pytestmark = pytest.mark.django_db


def detail(job) -> str:
    return reverse("jobs:detail", args=[job.pk])


def url(name: str, job, query: str = "") -> str:
    return reverse(f"jobs:{name}", args=[job.pk]) + (f"?{query}" if query else "")


def run(job, *, status=JobStatus.FINISHED, steps=(("message", "finished", 0.25, ""),), message=""):
    """Make ``job`` as a worker would leave it: claimed, its steps recorded, ended."""
    services.job_claim(job=job, worker_id="worker-test")
    now = timezone.now()
    JobStep.objects.bulk_create(
        JobStep(job=job, position=i, name=name, state=state, started_on=now, seconds=s, error=e)
        for i, (name, state, s, e) in enumerate(steps)
    )
    if status != JobStatus.STARTED:
        services.job_finish(job=job, attempt=job.attempt, status=status, message=message)
    job.refresh_from_db()
    return job


@pytest.fixture
def writer(lab):
    return make_user("author", lab="write")


@pytest.fixture
def job(lab, writer):
    return make_job(lab, user=writer)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# The list ----------------------------------------------------------------------------------------


class TestList:
    def test_the_list_shows_the_jobs_of_the_users_groups_only(self, lab, writer, job, as_user):
        other = make_job(make_group("elsewhere"))
        page = as_user(writer).get(reverse("jobs:list"))
        assert page.status_code == 200
        shown = text(page)
        assert f"#{job.pk}" in shown and f"#{other.pk}" not in shown
        assert job.entrypoint.name in shown and job.experiment.name in shown
        assert job.queue.name in shown and "queued" in shown and "author" in shown
        assert reverse("entrypoints:edit", args=[job.entrypoint_id]) in page.content.decode()

    def test_each_filter_narrows_the_list(self, lab, writer, job, as_user):
        second = make_job(lab, user=writer)
        run(second, status=JobStatus.FAILED, message="boom")
        client = as_user(writer)
        for query, expected in (
            (f"experiment={job.experiment_id}", job),
            (f"entrypoint={second.entrypoint_id}", second),
            (f"queue={job.queue_id}", job),
            ("status=failed", second),
            ("status=active", job),
        ):
            rows = re.findall(
                r'href="/jobs/(\d+)/"', client.get(f"/jobs/?{query}").content.decode()
            )
            assert rows == [str(expected.pk)], query

    def test_bad_filter_values_are_ignored_with_a_message_never_a_500(
        self, lab, writer, job, as_user
    ):
        other = make_job(make_group("elsewhere"))
        client = as_user(writer)
        for query in (
            "experiment=abc",
            f"experiment={other.experiment_id}",
            "status=exploded",
            "queue=99999999999999999999",
            "entrypoint=-1&page=zzz",
            "group=%00",
        ):
            page = client.get(f"/jobs/?{query}")
            assert page.status_code == 200, query
            assert "Some filters were ignored" in text(page), query
            assert f"#{job.pk}" in text(page), query

    def test_htmx_gets_the_results_which_poll_while_a_job_is_live(self, lab, writer, job, as_user):
        client = as_user(writer)
        fragment = client.get("/jobs/?status=active", **HTMX).content.decode()
        assert fragment.lstrip().startswith('<section id="results"')
        assert 'hx-trigger="every 2s"' in fragment and "status=active" in fragment
        run(job)
        fragment = client.get("/jobs/", **HTMX).content.decode()
        assert "hx-trigger" not in fragment  # nothing is live: the poll stops

    def test_a_long_list_is_paged(self, lab, writer, job, as_user):
        for _ in range(25):
            services.job_rerun(user=writer, job=job)
        page = as_user(writer).get("/jobs/?page=2")
        assert "Page 2 of 2 · 26 jobs" in text(page)
        assert re.findall(r'href="/jobs/(\d+)/"', page.content.decode()) == [str(job.pk)]

    def test_the_list_query_count_does_not_grow(
        self, lab, writer, job, as_user, django_assert_max_num_queries
    ):
        for _ in range(20):
            run(services.job_rerun(user=writer, job=job))
        client = as_user(writer)
        # session, user, count, page; the filters' experiments, entrypoints, queues, groups
        with django_assert_max_num_queries(8):
            assert client.get("/jobs/").status_code == 200
        with django_assert_max_num_queries(4):  # htmx: the results only
            assert client.get("/jobs/", **HTMX).status_code == 200

    def test_the_entrypoint_page_lists_its_recent_jobs(self, lab, writer, job, as_user):
        for _ in range(5):
            services.job_rerun(user=writer, job=job)
        page = as_user(writer).get(reverse("entrypoints:edit", args=[job.entrypoint_id]))
        recent = page.content.decode().split('id="recent-jobs"')[1].split("</section>")[0]
        assert len(re.findall(r'href="/jobs/\d+/"', recent)) == 5
        assert f'href="/jobs/{job.pk}/"' not in recent  # the oldest of six
        assert f"/jobs/?entrypoint={job.entrypoint_id}" in recent and "All 6 jobs" in recent

    def test_a_new_entrypoint_page_has_no_recent_jobs(self, lab, writer, as_user):
        page = as_user(writer).get(reverse("entrypoints:new"))
        assert page.status_code == 200 and 'id="recent-jobs"' not in page.content.decode()

    def test_the_queue_pages_still_work(self, lab, writer, as_user):
        make_queue(lab, "gpu")
        assert "gpu" in text(as_user(writer).get("/queues/"))


# Who may do what ---------------------------------------------------------------------------------


class TestPermissions:
    @pytest.mark.parametrize("actor", MATRIX_ACTORS)
    def test_reading_a_job(self, actors, actor, job, client):
        if actors[actor]:
            client.force_login(actors[actor])
        for path in (detail(job), url("log", job), url("log-text", job)):
            assert client.get(path, **HTMX).status_code == READ[actor], (actor, path)

    @pytest.mark.parametrize("actor", MATRIX_ACTORS)
    def test_cancelling_a_job(self, actors, actor, job, client):
        if actors[actor]:
            client.force_login(actors[actor])
        response = client.post(url("cancel", job))
        assert response.status_code == WRITE[actor]
        job.refresh_from_db()
        assert job.status == ("cancelled" if wrote(response) else "queued")

    def test_readers_see_no_buttons_and_are_refused_every_write(self, lab, job, client):
        client.force_login(make_user("reader", lab="read"))
        assert 'id="cancel-job"' not in client.get(detail(job)).content.decode()
        run(job)
        page = client.get(detail(job)).content.decode()
        assert not re.search(
            r'id="(cancel|rerun|reset)-job"|action="/jobs/\d+/(cancel|reset|rerun)', page
        )
        for name in ("cancel", "reset", "rerun"):
            refused = client.post(url(name, job))
            assert refused.status_code == 403
            assert "Your role in group 'lab' is read" in text(refused)
        assert Job.objects.count() == 1 and Job.objects.get().status == "finished"

    def test_another_groups_job_and_artifact_are_missing(self, job, tmp_path, client):
        artifact = make_artifact(job, tmp_path)
        client.force_login(make_user("outsider", elsewhere="write"))
        for path in (
            detail(job),
            url("live", job),
            url("log", job, "after=0"),
            reverse("jobs:artifact-download", args=[artifact.pk]),
        ):
            assert client.get(path, **HTMX).status_code == 404, path
        for name in ("cancel", "reset", "rerun"):
            assert client.post(url(name, job)).status_code == 404


# The job's page ----------------------------------------------------------------------------------


class TestJobPage:
    def test_a_queued_job_polls_and_offers_cancel_and_rerun(self, writer, job, as_user):
        page = as_user(writer).get(detail(job)).content.decode()
        assert 'id="cancel-job"' in page and 'id="rerun-job"' in page
        assert 'id="reset-job"' not in page
        poll = re.search(r'<div id="job-poll"[^>]*>', page).group(0)
        assert 'hx-trigger="every 1500ms"' in poll and url("live", job) in poll
        assert "Waiting for a worker on queue" in text(as_user(writer).get(detail(job)))

    def test_a_finished_job_shows_what_ran_and_stops_polling(self, writer, job, as_user):
        run(job)
        response = as_user(writer).get(detail(job))
        page = response.content.decode()
        assert "hx-trigger" not in re.search(r'<div id="job-poll"[^>]*>', page).group(0)
        assert 'id="cancel-job"' not in page and 'id="reset-job"' in page
        snapshot = job.entrypoint_snapshot_id
        link = f"/entrypoints/{job.entrypoint_id}/?snapshot={snapshot}"
        assert link in page and "(the latest)" in text(response)
        rows = text(response).split("Parameters")[1]
        assert "greeting string Hello default" in rows and "name string Ada" in rows

    def test_the_graph_colours_each_step_by_its_state_with_its_duration(self, lab, writer, as_user):
        two_steps = (
            "first:\n  hello_world:\n    greeting: $greeting\n    name: $name\n"
            "second:\n  hello_world:\n    greeting: $first\n    name: $name\n"
            "third:\n  hello_world:\n    greeting: $second\n    name: $name\n"
        )
        entrypoint = make_entrypoint(lab, user=writer, task_graph=two_steps)
        queue = make_queue(lab)
        entrypoint.queues.add(queue)
        experiment = make_experiment(lab, entrypoints=[entrypoint])
        job = services.job_create(
            user=writer, experiment=experiment, entrypoint=entrypoint, queue=queue
        )
        run(
            job,
            status=JobStatus.FAILED,
            steps=[("first", "finished", 1.5, ""), ("second", "failed", 0.02, "ValueError: no")],
            message="Step `second` failed: ValueError: no",
        )
        page = as_user(writer).get(detail(job)).content.decode()
        nodes = {
            name: classes
            for classes, name in re.findall(r'<g class="node step ([^"]*)" data-step="(\w+)"', page)
        }
        assert nodes == {
            "first": "state-finished",
            "second": "state-failed",
            "third": "state-pending",
        }
        assert "✓ 1.50 s" in page and "✗ failed after 20 ms" in page and "not run" in page
        assert "Step second: failed after 20 ms\nValueError: no" in page
        assert "The job failed." in text(as_user(writer).get(detail(job)))
        assert 'class="graph-legend state-legend"' in page

    def test_metrics_are_drawn_with_their_gaps(self, writer, job, as_user):
        run(job)
        for step, value in enumerate([0.5, 0.25, float("nan"), 0.125, 0.1]):
            services.job_metric_append(job=job, name="loss", value=value, step=step)
        page = as_user(writer).get(detail(job))
        chart = re.search(r'<svg class="metric-chart".*?</svg>', page.content.decode()).group(0)
        line = re.search(r'<path class="line" d="([^"]+)"', chart).group(1)
        assert line.count("M") == 2 and line.count("L") == 2  # 0-1, gap, 3-4
        assert "loss 0.1 at step 4 · 5 values, 0.1 to 0.5, 1 not drawn" in text(page)

    def test_a_job_without_metrics_or_artifacts_says_so(self, writer, job, as_user):
        run(job)
        shown = text(as_user(writer).get(detail(job)))
        assert "No metrics were recorded." in shown and "This run stored no artifacts." in shown

    def test_the_page_links_reruns_both_ways(self, writer, job, as_user):
        run(job)
        new = services.job_rerun(user=writer, job=job)
        client = as_user(writer)
        assert f'href="/jobs/{new.pk}/"' in client.get(detail(job)).content.decode()
        assert f'href="/jobs/{job.pk}/"' in client.get(detail(new)).content.decode()

    def test_an_older_snapshot_links_to_the_comparison(self, writer, job, as_user):
        from entrypoints import services as entrypoint_services

        entrypoint = job.entrypoint
        entrypoint_services.entrypoint_update(
            user=writer,
            entrypoint=entrypoint,
            name=entrypoint.name,
            description="changed",
            task_graph=entrypoint.task_graph,
            artifact_graph=entrypoint.artifact_graph,
            parameters=entrypoint.parameters,
            artifact_parameters=entrypoint.artifact_parameters,
            queues=list(entrypoint.queues.all()),
            plugin_snapshot_ids=entrypoint.plugin_snapshot_ids,
            artifact_plugin_snapshot_ids=entrypoint.artifact_plugin_snapshot_ids,
        )
        page = as_user(writer).get(detail(job)).content.decode()
        compare = reverse("entrypoints:compare", args=[entrypoint.pk])
        assert f"{compare}?a={job.entrypoint_snapshot_id}" in page

    def test_a_bad_id_is_a_404(self, writer, as_user):
        assert as_user(writer).get("/jobs/999999/").status_code == 404


class TestLiveFragments:
    def keys(self, page: str) -> str:
        return re.search(r'<div id="job-poll"[^>]*hx-get="[^"?]+\?([^"]+)"', page).group(1)

    def test_an_unchanged_job_gets_only_the_next_poll_and_its_times(self, writer, job, as_user):
        client = as_user(writer)
        keys = self.keys(client.get(detail(job)).content.decode()).replace("&amp;", "&")
        fragment = client.get(url("live", job, keys), **HTMX).content.decode()
        assert fragment.lstrip().startswith('<div id="job-poll"')
        assert 'id="job-run"' in fragment  # its times, always
        for part in ("job-actions", "job-graph", "job-metrics", "job-artifacts"):
            assert f'id="{part}"' not in fragment, part

    def test_what_changed_is_swapped_in_and_the_poll_stops_once_ended(self, writer, job, as_user):
        client = as_user(writer)
        keys = self.keys(client.get(detail(job)).content.decode()).replace("&amp;", "&")
        run(job, status=JobStatus.STARTED, steps=[("message", "started", None, "")])
        fragment = client.get(url("live", job, keys), **HTMX).content.decode()
        assert 'id="job-actions" class="head-actions" hx-swap-oob="true"' in fragment
        assert 'id="job-graph"' in fragment and "state-started" in fragment
        assert "hx-trigger" in fragment.split(">")[0]  # still polling
        services.job_metric_append(job=job, name="loss", value=1.0, step=1)
        services.job_metric_append(job=job, name="loss", value=0.5, step=2)
        services.job_finish(job=job, attempt=job.attempt, status="finished")
        fragment = client.get(url("live", job, keys), **HTMX).content.decode()
        assert "hx-trigger" not in fragment.split(">")[0]
        assert 'id="job-metrics"' in fragment and "metric-chart" in fragment

    def test_without_htmx_the_live_url_leads_to_the_page(self, writer, job, as_user):
        response = as_user(writer).get(url("live", job))
        assert response.status_code == 302 and response.url == detail(job)


class TestLog:
    def log(self, job, *records):
        return services.job_log_append(job=job, records=list(records))

    def test_the_page_shows_the_log_in_order(self, writer, job, as_user):
        self.log(job, ("INFO", "plugin", "first"), ("ERROR", "plugin", "Traceback\n  second"))
        page = as_user(writer).get(detail(job)).content.decode()
        assert page.index("first") < page.index("Traceback\n  second")
        assert 'class="log-line sev-error"' in page

    def test_a_poll_brings_only_the_records_after_the_last_one_seen(self, writer, job, as_user):
        seen = self.log(job, ("INFO", "plugin", "old"))[-1]
        self.log(job, ("INFO", "plugin", "new one"), ("DEBUG", "plugin", "quiet"))
        client = as_user(writer)
        fragment = client.get(url("log", job, f"after={seen.pk}"), **HTMX).content.decode()
        assert "old" not in fragment and "new one" in fragment and "quiet" in fragment
        last = job.log_records.order_by("pk").last().pk
        tail = re.search(r'<li id="log-tail"[^>]*>', fragment).group(0)
        assert f"after={last}" in tail and 'hx-trigger="every 1500ms"' in tail

    def test_the_severity_filter_and_the_search(self, writer, job, as_user):
        self.log(
            job,
            ("DEBUG", "plugin", "detail"),
            ("INFO", "plugin", "progress"),
            ("WARNING", "stderr", "careful"),
            ("ERROR", "plugin", "broken"),
        )
        client = as_user(writer)
        fragment = client.get(url("log", job, "severity=WARNING"), **HTMX).content.decode()
        assert fragment.lstrip().startswith('<ol id="log-list"')
        assert re.findall(r'<span class="msg">(\w+)</span>', fragment) == ["careful", "broken"]
        assert "severity=WARNING" in re.search(r'<li id="log-tail"[^>]*>', fragment).group(0)
        fragment = client.get(url("log", job, "q=PROG"), **HTMX).content.decode()
        assert re.findall(r'<span class="msg">(\w+)</span>', fragment) == ["progress"]
        page = client.get(detail(job) + "?severity=ERROR")  # the form without JavaScript
        assert "broken" in text(page) and "careful" not in text(page)
        fragment = client.get(url("log", job, "severity=bogus&q=care"), **HTMX).content.decode()
        assert re.findall(r'<span class="msg">(\w+)</span>', fragment) == ["careful"]  # q stays

    def test_the_tail_stops_once_the_job_has_ended_and_hurries_when_behind(
        self, writer, job, as_user, monkeypatch
    ):
        from jobs import views

        run(job)
        self.log(job, *[("INFO", "plugin", f"line {i}") for i in range(5)])
        monkeypatch.setattr(views, "LOG_BATCH", 3)
        client = as_user(writer)
        fragment = client.get(url("log", job, "after=0"), **HTMX).content.decode()
        assert fragment.count('class="log-line') == 3
        assert 'hx-trigger="load"' in fragment  # two more are waiting
        last = job.log_records.order_by("pk").last().pk
        fragment = client.get(url("log", job, f"after={last}"), **HTMX).content.decode()
        assert "hx-trigger" not in fragment and 'id="log-tail"' in fragment

    def test_bad_after_values_are_refused_in_words(self, writer, job, as_user):
        response = as_user(writer).get(url("log", job, "after=ten"), **HTMX)
        assert response.status_code == 400 and b"whole number" in response.content
        response = as_user(writer).get(url("log", job, "after=99999999999999999999"), **HTMX)
        assert response.status_code == 200 and 'class="log-line' not in response.content.decode()

    def test_the_whole_log_downloads_as_text(self, writer, job, as_user):
        self.log(job, ("INFO", "plugin", "hello"), ("ERROR", "stderr", "oops\nmore"))
        response = as_user(writer).get(url("log-text", job))
        body = b"".join(response.streaming_content).decode()
        assert response["Content-Disposition"] == f'attachment; filename="job-{job.pk}.log"'
        assert re.search(r"INFO {5}plugin: hello\n.*ERROR {4}stderr: oops\nmore\n", body, re.S)

    def test_many_records_show_the_newest_and_say_how_many_are_not(
        self, writer, job, as_user, monkeypatch
    ):
        from jobs import views

        monkeypatch.setattr(views, "LOG_SHOWN", 2)
        self.log(job, *[("INFO", "plugin", f"line {i}") for i in range(5)])
        shown = text(as_user(writer).get(detail(job)))
        assert "3 earlier records not shown" in shown
        assert "line 3" in shown and "line 4" in shown and "line 2" not in shown


class TestWrites:
    def test_cancel_without_javascript_redirects_with_a_message(self, writer, job, as_user):
        response = as_user(writer).post(url("cancel", job))
        assert response.status_code == 302 and response.url == detail(job)
        assert flashes(response) == [f"Job {job.pk} cancelled."]
        job.refresh_from_db()
        assert (job.status, job.message) == ("cancelled", "Cancelled by author.")

    def test_cancel_with_htmx_answers_the_live_parts(self, writer, job, as_user):
        response = as_user(writer).post(url("cancel", job), **HTMX)
        fragment = response.content.decode()
        assert response.status_code == 200
        assert "hx-trigger" not in fragment.split(">")[0]  # ended: no more polls
        assert "status-chip status-cancelled" in fragment and "Cancelled by author." in fragment

    def test_cancelling_an_ended_job_is_refused_in_words(self, writer, job, as_user):
        run(job)
        client = as_user(writer)
        response = client.post(url("cancel", job), **HTMX)
        assert response.status_code == 400
        assert "only a queued or running job can be cancelled" in text(response)
        response = client.post(url("cancel", job))
        assert response.status_code == 302
        assert "only a queued or running job can be cancelled" in flashes(response)[0]

    def test_rerun_makes_a_new_job_and_goes_to_it(self, writer, job, as_user):
        run(job)
        client = as_user(writer)
        response = client.post(url("rerun", job))
        new = Job.objects.get(rerun_of=job)
        assert response.status_code == 302 and response.url == detail(new)
        assert (new.values, new.status, new.creator) == (job.values, "queued", writer)
        response = client.post(url("rerun", job), **HTMX)
        newest = Job.objects.filter(rerun_of=job).latest("pk")
        assert response.status_code == 204 and response["HX-Redirect"] == detail(newest)

    def test_rerun_of_a_job_whose_queue_is_gone_is_refused(self, writer, job, as_user):
        services.queue_delete(user=writer, queue=job.queue)
        response = as_user(writer).post(url("rerun", job))
        assert response.status_code == 302 and response.url == detail(job)
        assert "cannot run again" in flashes(response)[0]
        assert Job.objects.count() == 1

    def test_reset_queues_a_finished_job_again(self, writer, job, as_user):
        run(job)
        response = as_user(writer).post(url("reset", job), **HTMX)
        assert response.status_code == 204 and response["HX-Redirect"] == detail(job)
        job.refresh_from_db()
        assert job.status == "queued"

    def test_get_is_not_a_write(self, writer, job, as_user):
        assert as_user(writer).get(url("cancel", job)).status_code == 405


# Artifacts ---------------------------------------------------------------------------------------


class TestArtifacts:
    def directory(self, job, tmp_path):
        folder = tmp_path / "images"
        (folder / "sub").mkdir(parents=True)
        (folder / "a.txt").write_text("A")
        (folder / "sub" / "b.txt").write_text("B")
        return services.artifact_create(
            job=job,
            name="images",
            task="TextArtifact",
            plugin_snapshot=make_artifact_plugin(job.group).history.latest(),
            path=folder,
            is_dir=True,
        )

    def download(self, client, artifact, query=""):
        response = client.get(
            reverse("jobs:artifact-download", args=[artifact.pk]) + (f"?{query}" if query else "")
        )
        return response, b"".join(
            response.streaming_content
        ) if response.status_code == 200 else b""

    def test_the_page_lists_the_artifacts_with_their_downloads(
        self, writer, job, as_user, tmp_path
    ):
        run(job)
        make_artifact(job, tmp_path)
        folder = self.directory(job, tmp_path)
        page = as_user(writer).get(detail(job))
        shown = text(page)
        assert "message #" in shown and "images #" in shown and "2 files" in shown
        download = reverse("jobs:artifact-download", args=[folder.pk])
        assert f"{download}?format=zip" in page.content.decode()
        assert f"{download}?path=sub/b.txt" in page.content.decode()

    def test_a_file_downloads_as_it_is(self, writer, job, as_user, tmp_path):
        artifact = make_artifact(job, tmp_path, text="Hello, Ada!")
        response, body = self.download(as_user(writer), artifact)
        assert body == b"Hello, Ada!"
        assert 'filename="message.txt"' in response["Content-Disposition"]

    def test_a_directory_downloads_as_an_archive_or_one_file(self, writer, job, as_user, tmp_path):
        folder = self.directory(job, tmp_path)
        client = as_user(writer)
        _, body = self.download(client, folder)
        with tarfile.open(fileobj=io.BytesIO(body)) as tar:
            assert sorted(tar.getnames()) == [
                "images",
                "images/a.txt",
                "images/sub",
                "images/sub/b.txt",
            ]
        _, body = self.download(client, folder, "format=zip")
        assert sorted(zipfile.ZipFile(io.BytesIO(body)).namelist()) == [
            "images/",
            "images/a.txt",
            "images/sub/",
            "images/sub/b.txt",
        ]
        assert self.download(client, folder, "path=sub/b.txt")[1] == b"B"

    def test_bad_downloads_say_why(self, writer, job, as_user, tmp_path):
        client = as_user(writer)
        file = make_artifact(job, tmp_path)
        folder = self.directory(job, tmp_path)
        response, _ = self.download(client, folder, "format=rar")
        assert response.status_code == 400 and b"tar_gz, zip" in response.content
        response, _ = self.download(client, file, "format=zip")
        assert response.status_code == 400 and b"directory artifacts only" in response.content
        response, _ = self.download(client, folder, "path=../etc/passwd")
        assert response.status_code == 400
        response, _ = self.download(client, folder, "path=nope.txt")
        assert response.status_code == 404


# The chart ---------------------------------------------------------------------------------------


class TestMetricChart:
    def test_one_value_and_no_values(self):
        one = metric_plot.metric_svg("acc", [(0, 0.5)])
        assert one.count("<circle") == 1 and "last 0.5 at step 0" in one
        none = metric_plot.metric_svg("acc", [(0, None), (1, math.inf)])
        assert "no finite values to draw" in none

    def test_a_point_between_gaps_gets_a_dot_in_a_long_series(self):
        points = [(i, float(i)) for i in range(100)]
        points[50] = (50, None)
        points[52] = (52, None)
        chart = metric_plot.metric_svg("x", points)
        assert chart.count("<circle") == 1  # step 51, alone between two gaps

    def test_long_series_are_thinned_but_keep_their_spikes(self):
        points = [(i, 0.0) for i in range(100_000)]
        points[77_777] = (77_777, 1e6)
        chart = metric_plot.metric_svg("x", points)
        assert chart.count("L") < 2 * metric_plot.MAX_POINTS and "1e+06" in chart

    def test_names_are_escaped(self):
        assert "<b>" not in metric_plot.metric_svg("<b>", [(0, 1.0)])

    @pytest.mark.parametrize(
        ("value", "shown"),
        [(0, "0"), (0.96891, "0.9689"), (1234.5, "1234"), (2e-5, "2e-05"), (3e9, "3e+09")],
    )
    def test_numbers(self, value, shown):
        assert metric_plot.number(value) == shown
