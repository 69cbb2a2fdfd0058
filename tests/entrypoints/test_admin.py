"""The entrypoint admin: writes and restores through the services, verdicts shown, groups scoped."""

import pytest

from entrypoints import services
from entrypoints.models import Entrypoint
from tests.entrypoints.factories import (
    HELLO_GRAPH,
    HELLO_PARAMETERS,
    make_entrypoint,
    make_hello_plugin,
)
from tests.factories import make_group, make_user
from tests.plugins.factories import make_file

pytestmark = pytest.mark.django_db
ADMIN = "/admin/entrypoints/entrypoint"


@pytest.fixture
def root(client):
    user = make_user("root", superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def staff(client, lab):
    user = make_user("staffer", lab="write", elsewhere="read")
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def parameter_rows(parameters) -> dict:
    """Parameters as the admin's parameter table posts them (the editor page's rows)."""
    data = {}
    for n, p in enumerate(parameters):
        data |= {f"param-{n}-name": p["name"], f"param-{n}-type": p["parameterType"]}
        if p.get("defaultValue") is None:
            data[f"param-{n}-nodefault"] = "on"
        else:
            data[f"param-{n}-default"] = p["defaultValue"]
    return data


def form_data(group, plugin=None, parameters=HELLO_PARAMETERS, **changes) -> dict:
    data = {
        "group": group.pk,
        "name": "from_admin",
        "description": "",
        "task_graph": HELLO_GRAPH,
        "artifact_graph": "",
        **parameter_rows(parameters),
    }
    if plugin is not None:
        data["plugins"] = [plugin.pk]
    return {**data, **changes}


def test_add_goes_through_the_service(root, lab):
    plugin = make_hello_plugin(lab)
    response = root.post(f"{ADMIN}/add/", form_data(lab, plugin))
    assert response.status_code == 302, response.content.decode()[-3000:]
    entrypoint = Entrypoint.objects.get()
    assert entrypoint.valid is True and entrypoint.history.count() == 1
    assert entrypoint.plugin_snapshot_ids == [plugin.history.latest("history_id").history_id]


def test_change_writes_one_snapshot_and_keeps_pinned_plugins(root, lab):
    plugin = make_hello_plugin(lab)
    entrypoint = make_entrypoint(lab, plugins=[plugin])
    pinned = entrypoint.plugin_snapshot_ids
    make_file(plugin, "more.py")
    data = form_data(lab, plugin, name="renamed")
    del data["group"]
    response = root.post(f"{ADMIN}/{entrypoint.pk}/change/", data)
    assert response.status_code == 302
    entrypoint.refresh_from_db()
    assert (entrypoint.name, entrypoint.plugin_snapshot_ids) == ("renamed", pinned)
    assert entrypoint.history.count() == 2


@pytest.mark.parametrize(
    "changes, field",
    [
        (
            {"parameters": [{"name": "n", "parameterType": "integer", "defaultValue": "x"}]},
            "parameters[0].defaultValue",
        ),
        ({"parameters": [{"name": "n", "parameterType": "weird"}]}, "Row 1: &#x27;weird&#x27;"),
        ({"artifact_graph": "x: " + "y" * 300}, "artifactGraph is 303 bytes long"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(changes, field, root, lab, settings):
    settings.TASKGRAPH_LIMITS = {**settings.TASKGRAPH_LIMITS, "max_bytes": 300}
    response = root.post(f"{ADMIN}/add/", form_data(lab, **changes))
    assert response.status_code == 200
    assert field in response.content.decode()
    assert not Entrypoint.objects.exists()


def test_name_conflict_is_a_form_error(root, lab):
    make_entrypoint(lab, "from_admin")
    response = root.post(f"{ADMIN}/add/", form_data(lab))
    assert response.status_code == 200
    assert "is already used by another entrypoint" in response.content.decode()
    assert Entrypoint.objects.count() == 1


def test_list_and_detail_show_the_verdict(root, lab):
    make_entrypoint(lab, "broken", task_graph="step:\n  missing_task: []\n")
    listing = root.get(f"{ADMIN}/", {"valid__exact": "0"}).content.decode()
    assert "broken" in listing
    assert "broken" not in root.get(f"{ADMIN}/", {"valid__exact": "1"}).content.decode()
    assert "broken" in root.get(f"{ADMIN}/", {"q": "missing_task"}).content.decode()
    entrypoint = Entrypoint.objects.get()
    page = root.get(f"{ADMIN}/{entrypoint.pk}/change/").content.decode()
    assert "E_UNKNOWN_TASK" in page


def test_history_shows_verdicts_and_restore_goes_through_the_service(root, lab):
    entrypoint = make_entrypoint(lab, "good")
    first = entrypoint.history.get()
    services.entrypoint_update(user=None, entrypoint=entrypoint, name="bad", task_graph="x: [")
    history = root.get(f"{ADMIN}/{entrypoint.pk}/history/")
    assert history.status_code == 200
    assert root.get(f"{ADMIN}/{entrypoint.pk}/history/{first.history_id}/").status_code == 200
    response = root.post(f"{ADMIN}/{entrypoint.pk}/history/{first.history_id}/", {})
    assert response.status_code == 302
    entrypoint.refresh_from_db()
    assert (entrypoint.name, entrypoint.valid) == ("good", True)
    records = list(entrypoint.history.order_by("history_id"))
    assert len(records) == 3 and records[-1].history_change_reason.startswith("Restored")


def test_restore_refused_by_the_service_changes_nothing(root, lab):
    entrypoint = make_entrypoint(lab, "old")
    first = entrypoint.history.get()
    services.entrypoint_update(user=None, entrypoint=entrypoint, name="new", task_graph=HELLO_GRAPH)
    make_entrypoint(lab, "old")
    response = root.post(f"{ADMIN}/{entrypoint.pk}/history/{first.history_id}/", {}, follow=True)
    assert "was not restored" in response.content.decode()
    assert entrypoint.history.count() == 2


def test_staff_see_and_change_only_their_groups(staff, lab):
    mine = make_entrypoint(lab, "mine")
    readable = make_entrypoint(make_group("elsewhere"), "readable")
    hidden = make_entrypoint(make_group("hidden"), "hidden")
    listing = staff.get(f"{ADMIN}/").content.decode()
    assert "mine" in listing and "readable" in listing and ">hidden<" not in listing
    assert staff.get(f"{ADMIN}/{hidden.pk}/change/").status_code in (302, 404)
    data = form_data(lab, name="renamed")
    del data["group"]
    staff.post(f"{ADMIN}/{readable.pk}/change/", data)
    readable.refresh_from_db()
    assert readable.name == "readable"
    assert staff.post(f"{ADMIN}/{mine.pk}/change/", data).status_code == 302
    mine.refresh_from_db()
    assert mine.name == "renamed"


def test_sync_action_moves_plugins_to_latest(root, lab):
    plugin = make_hello_plugin(lab)
    entrypoint = make_entrypoint(lab, plugins=[plugin])
    make_file(plugin, "more.py")
    root.post(f"{ADMIN}/", {"action": "sync_plugins", "_selected_action": [entrypoint.pk]})
    entrypoint.refresh_from_db()
    assert entrypoint.plugin_snapshot_ids == [plugin.history.latest("history_id").history_id]


def test_delete_is_soft(root, lab):
    entrypoint = make_entrypoint(lab)
    response = root.post(f"{ADMIN}/{entrypoint.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entrypoint.refresh_from_db()
    assert entrypoint.deleted_on is not None
