"""The run page (``/entrypoints/<pk>/run/``) through Django's test client: what it offers, each
refusal beside its input, the live check, creating the job, and who may run."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from access.services import NAME_TAKEN, membership_set
from entrypoints import services as entrypoint_services
from jobs import run_forms, services
from jobs.models import Experiment, Job
from jobs.timeouts import BAD_TIMEOUT
from tests.entrypoints.factories import (
    HELLO_PARAMETERS,
    make_artifact_plugin,
    make_entrypoint,
)
from tests.factories import make_group, make_user
from tests.jobs.factories import (
    make_artifact,
    make_experiment,
    make_job,
    make_number_artifact,
    make_queue,
    runnable,
    runnable_taking_text,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TYPED = [
    {"name": "count", "parameterType": "integer"},
    {"name": "rate", "parameterType": "float", "defaultValue": "0.5"},
    {"name": "verbose", "parameterType": "boolean", "defaultValue": "false"},
    {"name": "layers", "parameterType": "list", "defaultValue": "[1, 2]"},
    {"name": "options", "parameterType": "mapping"},
    {"name": "note", "parameterType": "string", "defaultValue": "hi"},
]
TYPED_GRAPH = "message:\n  hello_world:\n    greeting: $note\n    name: $note\n"


@pytest.fixture
def writer(lab):
    return make_user("writer", lab="write")


@pytest.fixture
def client(writer):
    client = Client()
    client.force_login(writer)
    return client


def run_url(entrypoint) -> str:
    return reverse("entrypoints:run", args=[entrypoint.pk])


def check_url(entrypoint) -> str:
    return reverse("entrypoints:run-check", args=[entrypoint.pk])


def slot(page: str, slot_id: str) -> str:
    """The text of the messages shown in the slot ``slot_id`` (``""``: none)."""
    found = re.search(rf'<ul id="{slot_id}"[^>]*>(.*?)</ul>', page, re.S)
    assert found, f"no message slot {slot_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def form_data(page: str) -> dict:
    """What a browser posts from the run page as rendered, unchanged."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    for name, value in re.findall(r'<input type="text"[^>]* name="([^"]+)" value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name, body in re.findall(
        r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
    ):
        data[name] = html.unescape(body)
    for name, attrs, body in re.findall(
        r'<select[^>]* name="([^"]+)"([^>]*)>(.*?)</select>', page, re.S
    ):
        if "disabled" in attrs:
            continue
        options = re.findall(r'<option value="([^"]*)"([^>]*)>', body)
        chosen = [v for v, a in options if " selected" in a] or [options[0][0]]
        data[name] = html.unescape(chosen[0])
    return data


def opened(client, entrypoint, **query) -> tuple[str, dict]:
    response = client.get(run_url(entrypoint), query)
    assert response.status_code == 200
    page = response.content.decode()
    return page, form_data(page)


def refused(client, entrypoint, data, **headers) -> str:
    jobs = Job.objects.count()
    response = client.post(run_url(entrypoint), data, **headers)
    assert response.status_code == 400
    assert Job.objects.count() == jobs
    return response.content.decode()


# What the page offers --------------------------------------------------------------------------


def test_typed_inputs_with_defaults_filled_in_and_needs_a_value(client, lab):
    _, entrypoint, _ = runnable(lab, parameters=TYPED, task_graph=TYPED_GRAPH)
    page, data = opened(client, entrypoint)
    assert data["p:rate"] == "0.5" and data["p:note"] == "hi" and data["p:layers"] == "[1, 2]"
    assert data["p:count"] == "" and data["p:options"] == ""
    assert data["p:verbose"] == "false"
    assert re.search(
        r'<input type="text" id="run-p0" name="p:count" value=""[^>]*inputmode="numeric"', page
    )
    assert re.search(r'name="p:rate" value="0.5"[^>]*inputmode="decimal"', page)
    assert re.search(r'<select id="run-p2" name="p:verbose">', page)
    assert re.search(r'<textarea id="run-p3" name="p:layers"[^>]*>\[1, 2\]</textarea>', page)
    assert page.count('<span class="needs">needs a value</span>') == 2  # count, options
    # As the page opens, missing values are hints, not refusals; the summary says what to do.
    assert slot(page, "run-msg-p0") == ""
    assert "Fill in what is marked “needs a value”, then run it." in page


def test_experiments_and_queues_are_the_entrypoints_own(client, lab):
    experiment, entrypoint, queue = runnable(lab)
    other_queue = make_queue(lab, "elsewhere-queue")
    make_experiment(lab, "unrelated")
    second = make_experiment(lab, "second", entrypoints=[entrypoint])
    page, data = opened(client, entrypoint)
    assert f'<option value="{queue.pk}" selected>' in page
    assert other_queue.name not in page
    assert "unrelated" not in page
    assert experiment.name in page and second.name in page
    assert data["experiment"] in (str(experiment.pk), str(second.pk))
    assert 'value="new"' in page  # and a new one can be made inline


def test_the_experiment_last_used_is_chosen(client, lab, writer):
    experiment, entrypoint, queue = runnable(lab)
    used = make_experiment(lab, "zzz-used", entrypoints=[entrypoint])
    services.job_create(user=writer, experiment=used, entrypoint=entrypoint, queue=queue, values={})
    _, data = opened(client, entrypoint)
    assert data["experiment"] == str(used.pk)


def test_without_experiments_a_new_one_is_the_default_and_is_made_with_the_job(client, lab):
    queue = make_queue(lab)
    entrypoint = make_entrypoint(lab, "hello", queues=[queue])
    make_experiment(lab, "hello")  # the name is taken by an experiment without it
    page, data = opened(client, entrypoint)
    assert data["experiment"] == "new" and data["experiment_name"] == "hello 2"
    assert "belongs to no experiment yet" in page
    data.update({"experiment_description": "first runs", "p:name": "Ada"})
    response = client.post(run_url(entrypoint), data)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    experiment = job.experiment
    assert (experiment.name, experiment.description, experiment.group) == (
        "hello 2",
        "first runs",
        lab,
    )
    assert list(experiment.entrypoints.all()) == [entrypoint]
    assert job.values == {"greeting": "Hello", "name": "Ada"}


def test_a_refused_job_keeps_no_new_experiment(client, lab):
    queue = make_queue(lab)
    entrypoint = make_entrypoint(lab, queues=[queue], parameters=TYPED, task_graph="")
    _, data = opened(client, entrypoint)
    refused(client, entrypoint, data)
    assert not Experiment.objects.exists()


def test_the_new_experiments_name_is_checked(client, lab):
    experiment, entrypoint, _ = runnable(lab)
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "experiment": "new", "experiment_name": ""})
    assert slot(page, "run-msg-experiment_name") == run_forms.NAME_NEEDED
    page = refused(
        client, entrypoint, {**data, "experiment": "new", "experiment_name": experiment.name}
    )
    assert slot(page, "run-msg-experiment_name") == NAME_TAKEN.format(
        kind="experiment", name=experiment.name
    )


def test_artifact_pickers_list_only_compatible_artifacts_and_their_snapshots(client, lab, tmp_path):
    plugin = make_artifact_plugin(lab)
    compatible = make_artifact(make_job(lab), tmp_path, name="greeting-text", plugin=plugin)
    services.artifact_update(user=None, artifact=compatible, description="described")
    mismatched = make_number_artifact(lab, tmp_path, name="number-artifact")
    foreign = make_artifact(make_job(make_group("elsewhere")), tmp_path, name="foreign-text")
    entrypoint = runnable_taking_text(lab, plugin)[1]
    page, data = opened(client, entrypoint)
    older, latest = compatible.history.order_by("history_id").values_list("history_id", flat=True)
    assert f'<option value="{compatible.pk}"' in page
    assert f'<option value="{compatible.pk}:{older}"' in page
    assert f'value="{compatible.pk}:{latest}"' not in page  # the latest is the artifact itself
    assert mismatched.name not in page and foreign.name not in page
    assert "<code>value: string</code>" in page
    response = client.post(run_url(entrypoint), {**data, "a:previous": f"{compatible.pk}:{older}"})
    assert response.status_code == 302
    assert Job.objects.get(entrypoint=entrypoint).artifact_values == {
        "previous": {"id": compatible.pk, "snapshotId": older}
    }


def test_an_entrypoint_without_queues_says_no_job_would_be_runnable(client, lab):
    entrypoint = make_entrypoint(lab)
    make_experiment(lab, entrypoints=[entrypoint])
    page, data = opened(client, entrypoint)
    message = services.NO_QUEUES.format(entrypoint=entrypoint.name)
    assert slot(page, "run-msg-queue") == message
    assert "a job will not be runnable without at least one attached queue" in page
    assert re.search(r'<button type="submit"[^>]*id="run-submit" disabled', page)
    assert f'href="/entrypoints/{entrypoint.pk}/#queues"' in page
    assert slot(refused(client, entrypoint, data), "run-msg-queue") == message


def test_an_old_snapshot_shows_its_own_parameters_and_runs(client, lab):
    _, entrypoint, queue = runnable(lab)
    old = _resaved(entrypoint, [*HELLO_PARAMETERS, {"name": "extra", "parameterType": "integer"}])
    page, _ = opened(client, entrypoint)
    assert 'name="p:extra"' in page and "(latest)" in page
    page, data = opened(client, entrypoint, snapshot=old)
    assert 'name="p:extra"' not in page and data["snapshot"] == str(old)
    assert client.post(run_url(entrypoint), data).status_code == 302
    assert Job.objects.get().entrypoint_snapshot_id == old


# Refusals, each beside its input ----------------------------------------------------------------


def test_missing_and_unconvertible_values_are_shown_on_their_inputs_as_typed(client, lab):
    _, entrypoint, _ = runnable(lab, parameters=TYPED)
    _, data = opened(client, entrypoint)
    data.update({"p:count": "three", "p:layers": "{}", "p:note": "kept <as> typed"})
    page = refused(client, entrypoint, data)
    assert slot(page, "run-msg-p0").startswith(
        "Parameter 'count' (integer): `three` is not an integer"
    )
    assert slot(page, "run-msg-p3").startswith("Parameter 'layers' (list): `{}` is JSON but not")
    assert slot(page, "run-msg-p4") == services.MISSING_VALUE.format(name="options")
    assert slot(page, "run-msg-p1") == ""
    kept = form_data(page)
    assert (kept["p:count"], kept["p:layers"], kept["p:note"]) == ("three", "{}", "kept <as> typed")
    assert "things to fix before it can run" in page


def test_a_snapshot_with_errors_is_refused_on_the_snapshot(client, lab):
    _, entrypoint, _ = runnable(lab, task_graph="message:\n  no_such_task:\n    x: $name\n")
    page, data = opened(client, entrypoint)
    assert "E_UNKNOWN_TASK" in slot(page, "run-msg-snapshot")  # said as the page opens
    assert "has errors" in page
    assert "E_UNKNOWN_TASK" in slot(refused(client, entrypoint, data), "run-msg-snapshot")


def test_another_entrypoints_snapshot_is_refused(client, lab):
    _, entrypoint, _ = runnable(lab)
    foreign = make_entrypoint(lab).history.get().history_id
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "snapshot": str(foreign)})
    assert slot(page, "run-msg-snapshot") == services.NO_SUCH_ENTRYPOINT_SNAPSHOT.format(
        entrypoint=entrypoint.pk, snapshot=foreign
    )


def test_an_experiment_without_the_entrypoint_and_a_queue_not_attached(client, lab):
    _, entrypoint, queue = runnable(lab)
    bare = make_experiment(lab, "bare")
    loose = make_queue(lab, "loose")
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "experiment": bare.pk, "queue": loose.pk})
    assert slot(page, "run-msg-experiment") == services.NOT_IN_EXPERIMENT.format(
        entrypoint=entrypoint.pk, experiment="bare"
    )
    assert slot(page, "run-msg-queue") == services.QUEUE_NOT_ATTACHED.format(
        queue="loose", entrypoint=entrypoint.name, queues=f"{queue.name} ({queue.pk})"
    )


def test_other_groups_ids_are_refused(client, lab, writer, tmp_path):
    elsewhere = make_group("elsewhere")
    membership_set(group=elsewhere, user=writer, role="read")
    their_experiment = make_experiment(elsewhere, "theirs")
    their_queue = make_queue(elsewhere, "their-queue")
    hidden_queue = make_queue(make_group("hidden"), "hidden-queue")
    plugin = make_artifact_plugin(lab)
    entrypoint = runnable_taking_text(lab, plugin)[1]
    their_artifact = make_artifact(make_job(elsewhere), tmp_path, name="theirs")
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "experiment": their_experiment.pk})
    assert "belongs to another group" in slot(page, "run-msg-experiment")
    page = refused(client, entrypoint, {**data, "queue": their_queue.pk})
    assert "belongs to another group" in slot(page, "run-msg-queue")
    page = refused(client, entrypoint, {**data, "queue": hidden_queue.pk})
    assert slot(page, "run-msg-queue") == run_forms.NOT_A_QUEUE
    page = refused(client, entrypoint, {**data, "a:previous": their_artifact.pk})
    assert slot(page, "run-msg-a0") == services.ARTIFACT_WRONG_GROUP.format(
        name="previous", pk=their_artifact.pk
    )


def test_missing_incompatible_and_invisible_artifacts(client, lab, tmp_path):
    plugin = make_artifact_plugin(lab)
    entrypoint = runnable_taking_text(lab, plugin)[1]
    mismatched = make_number_artifact(lab, tmp_path, name="number-artifact")
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, data)
    assert slot(page, "run-msg-a0") == services.MISSING_ARTIFACT.format(name="previous")
    page = refused(client, entrypoint, {**data, "a:previous": mismatched.pk})
    assert slot(page, "run-msg-a0") == services.ARTIFACT_MISMATCH.format(
        name="previous", wanted="string", pk=mismatched.pk, task="NumberArtifact", found="number"
    )
    page = refused(client, entrypoint, {**data, "a:previous": "987654"})
    assert slot(page, "run-msg-a0") == services.ARTIFACT_NOT_VISIBLE.format(
        name="previous", pk=987654
    )
    page = refused(client, entrypoint, {**data, "a:previous": f"{mismatched.pk}:oops"})
    assert slot(page, "run-msg-a0") == run_forms.NOT_AN_ARTIFACT


def test_a_bad_timeout(client, lab):
    _, entrypoint, _ = runnable(lab)
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "timeout": "soon"})
    assert slot(page, "run-msg-timeout") == BAD_TIMEOUT.format(text="soon")
    assert form_data(page)["timeout"] == "soon"


@pytest.mark.parametrize(
    "junk",
    [
        {"snapshot": "abc"},
        {"snapshot": "99999999999999999999999999"},
        {"snapshot": "-3"},
        {"experiment": "x"},
        {"experiment": "1" * 40},
        {"queue": "0"},
        {"queue": ""},
        {"a:previous": "9" * 30},
        {"p:name": "x" * 200_000},
        {"timeout": "9" * 40},
        {"timeout": "9" * 30 + "d"},
    ],
)
def test_junk_is_refused_with_messages_never_a_500(client, lab, junk):
    plugin = make_artifact_plugin(lab)
    entrypoint = runnable_taking_text(lab, plugin)[1]
    _, data = opened(client, entrypoint)
    for url in (run_url(entrypoint), check_url(entrypoint)):
        response = client.post(url, {**data, **junk}, **HTMX)
        assert response.status_code in (200, 400)
        assert "fix before it can run" in response.content.decode()
    assert client.get(run_url(entrypoint), junk).status_code == 200


def test_huge_integer_values_are_refused_on_their_input(client, lab):
    parameters = [{"name": "count", "parameterType": "integer"}]
    _, entrypoint, _ = runnable(lab, parameters=parameters, task_graph="")
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "p:count": "9" * 50_000})
    assert "is not an integer" in slot(page, "run-msg-p0")


def test_json_nested_too_deeply_is_refused_in_words(client, lab):
    _, entrypoint, _ = runnable(lab, parameters=TYPED, task_graph=TYPED_GRAPH)
    _, data = opened(client, entrypoint)
    deep = "[" * 100_000 + "]" * 100_000
    page = refused(client, entrypoint, {**data, "p:count": "3", "p:layers": deep})
    assert slot(page, "run-msg-p3").endswith("` nests too deeply to be read.")
    assert "recursion" not in page


@pytest.mark.parametrize(
    ("index", "text"),
    [(1, "nan"), (1, "1e400"), (1, "-inf"), (3, "[NaN]"), (3, '["\\u0000"]')],
)
def test_values_a_job_cannot_keep_are_refused_on_their_input(client, lab, index, text):
    """NaN, infinities and NUL convert, but no JSON column keeps them (PostgreSQL's raised)."""
    _, entrypoint, _ = runnable(lab, parameters=TYPED, task_graph=TYPED_GRAPH)
    _, data = opened(client, entrypoint)
    key = f"p:{TYPED[index]['name']}"
    data.update({"p:count": "3", "p:options": "{}", key: text})
    page = refused(client, entrypoint, data)
    assert "holds what a job cannot keep" in slot(page, f"run-msg-p{index}")
    assert form_data(page)[key] == text


# The live check ---------------------------------------------------------------------------------


def test_the_live_check_answers_messages_out_of_band_and_writes_nothing(client, lab):
    _, entrypoint, _ = runnable(lab, parameters=TYPED, task_graph="")
    _, data = opened(client, entrypoint)
    response = client.post(check_url(entrypoint), {**data, "p:count": "x"}, **HTMX)
    assert response.status_code == 200
    answer = response.content.decode()
    assert answer.lstrip().startswith('<div id="run-summary"')
    assert re.search(r'<ul id="run-msg-p0" class="field-errors" hx-swap-oob="true">', answer)
    assert "`x` is not an integer" in slot(answer, "run-msg-p0")
    assert slot(answer, "run-msg-p4") == services.MISSING_VALUE.format(name="options")
    assert 'id="run-inputs"' not in answer  # the snapshot did not change
    assert not Job.objects.exists() and not Experiment.objects.filter(name="new").exists()


def test_the_live_check_says_ready(client, lab):
    _, entrypoint, queue = runnable(lab)
    _, data = opened(client, entrypoint)
    answer = client.post(check_url(entrypoint), data, **HTMX).content.decode()
    assert "Ready to run snapshot" in answer and queue.name in answer
    assert not Job.objects.exists()


def test_changing_the_snapshot_redraws_the_inputs_keeping_what_was_typed(client, lab):
    _, entrypoint, _ = runnable(lab)
    old = _resaved(
        entrypoint,
        [
            {"name": "greeting", "parameterType": "string", "defaultValue": "Howdy"},
            {"name": "name", "parameterType": "string", "defaultValue": "World"},
            {"name": "extra", "parameterType": "integer"},
        ],
    )
    _, data = opened(client, entrypoint)
    assert data["p:greeting"] == "Howdy"
    data.update({"snapshot": str(old), "p:name": "Grace"})
    answer = client.post(check_url(entrypoint), data, **HTMX).content.decode()
    assert '<div id="run-inputs" class="run-inputs" hx-swap-oob="true">' in answer
    assert 'name="p:extra"' not in answer
    assert 'name="p:name" value="Grace"' in answer  # typed: kept
    assert 'name="p:greeting" value="Hello"' in answer  # the latest's default: the old one's
    assert 'id="run-msg-p0" class="field-errors" hx-swap-oob' not in answer  # one copy of each


# Submitting --------------------------------------------------------------------------------------


def test_submitting_queues_the_job_with_the_values_as_strings(client, lab, writer):
    experiment, entrypoint, queue = runnable(lab, parameters=TYPED, task_graph=TYPED_GRAPH)
    _, data = opened(client, entrypoint)
    data.update(
        {
            "p:count": "3",
            "p:options": '{"a": 1}',
            "p:verbose": "true",
            "timeout": "30m",
            "description": "a try",
        }
    )
    response = client.post(run_url(entrypoint), data, **HTMX)
    job = Job.objects.get()
    assert response.status_code == 204 and response["HX-Redirect"] == f"/jobs/{job.pk}/"
    assert job.values == {
        "count": "3",
        "rate": "0.5",
        "verbose": "true",
        "layers": "[1, 2]",
        "options": '{"a": 1}',
        "note": "hi",
    }
    assert job.parameters["count"] == 3 and job.parameters["options"] == {"a": 1}
    assert (job.experiment, job.queue, job.creator) == (experiment, queue, writer)
    assert (job.timeout, job.description) == ("30m", "a try")
    page = client.get(response["HX-Redirect"]).content.decode()
    assert services_queued(job) in html.unescape(page)


def services_queued(job) -> str:
    from jobs.run_views import QUEUED

    return QUEUED.format(pk=job.pk, queue=job.queue.name)


def test_an_htmx_refusal_answers_the_form(client, lab):
    _, entrypoint, _ = runnable(lab)
    _, data = opened(client, entrypoint)
    page = refused(client, entrypoint, {**data, "timeout": "soon"}, **HTMX)
    assert page.lstrip().startswith('<form id="run-form"')
    assert "soon" in slot(page, "run-msg-timeout")


# Who may run -------------------------------------------------------------------------------------


def test_readers_get_a_403_saying_why(lab):
    _, entrypoint, _ = runnable(lab)
    reader = Client()
    reader.force_login(make_user("reader", lab="read"))
    for response in (
        reader.get(run_url(entrypoint)),
        reader.post(run_url(entrypoint), {}),
        reader.post(check_url(entrypoint), {}, **HTMX),
    ):
        assert response.status_code == 403
        assert "but not run it: your role in group" in html.unescape(response.content.decode())
    assert not Job.objects.exists()


def test_another_groups_entrypoint_is_a_404(client):
    _, entrypoint, _ = runnable(make_group("elsewhere"))
    assert client.get(run_url(entrypoint)).status_code == 404
    assert client.post(check_url(entrypoint), {}).status_code == 404
    assert client.get("/entrypoints/999999/run/").status_code == 404


def test_other_methods_are_refused(client, lab):
    _, entrypoint, _ = runnable(lab)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(run_url(entrypoint)).status_code == 405
    assert client.get(check_url(entrypoint)).status_code == 405
    assert not Job.objects.exists()


def test_anonymous_users_are_sent_to_log_in(lab):
    _, entrypoint, _ = runnable(lab)
    response = Client().get(run_url(entrypoint))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_editor_links_to_the_run_page_for_writers_only(client, lab):
    _, entrypoint, _ = runnable(lab)
    editor = client.get(f"/entrypoints/{entrypoint.pk}/").content.decode()
    assert f'id="run-link" href="/entrypoints/{entrypoint.pk}/run/"' in editor
    assert 'id="run-link"' not in client.get("/entrypoints/new/").content.decode()
    reader = Client()
    reader.force_login(make_user("reader", lab="read"))
    assert 'id="run-link"' not in reader.get(f"/entrypoints/{entrypoint.pk}/").content.decode()


# Helpers -----------------------------------------------------------------------------------------


def _resaved(entrypoint, parameters) -> int:
    """Save ``entrypoint`` again with these parameters; the id of the snapshot it had."""
    old = entrypoint.history.get().history_id
    entrypoint_services.entrypoint_update(
        user=None,
        entrypoint=entrypoint,
        name=entrypoint.name,
        task_graph=entrypoint.task_graph,
        parameters=parameters,
        queues=list(entrypoint.queues.all()),
    )
    return old
