"""Queue and tag admin pages write through ``jobs.services`` / ``tags.services``, as the API does
(``access.admin_mixins.ServiceAdmin``): the services' rules, creator, history and refusals hold."""

import pytest
from django.test import Client

from entrypoints import services as entrypoint_services
from entrypoints.models import Entrypoint
from jobs import services as queue_services
from jobs.models import Queue
from tags import services as tag_services
from tags.models import Tag
from tests.entrypoints.factories import make_hello_plugin
from tests.entrypoints.test_admin import form_data
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

# kind -> (admin URL, model, services module, extra form fields)
KINDS = {
    "queue": ("/admin/jobs/queue/", Queue, queue_services, {"description": "d"}),
    "tag": ("/admin/tags/tag/", Tag, tag_services, {}),
}


@pytest.fixture
def writer(lab):
    user = make_user("writer", lab="write")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client(writer):
    client = Client()
    client.force_login(writer)
    return client


def spy(monkeypatch, module, name) -> list[dict]:
    """The keyword arguments of each call to ``module.name`` (which still runs)."""
    calls, real = [], getattr(module, name)

    def recording(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(module, name, recording)
    return calls


def create(kind, group, name):
    _, _, services, _ = KINDS[kind]
    return getattr(services, f"{kind}_create")(user=None, group=group, name=name)


def add(client, kind, group, name):
    url, _, _, extra = KINDS[kind]
    return client.post(f"{url}add/", {"group": group.pk, "name": name, **extra})


def change(client, kind, obj, name):
    url, _, _, extra = KINDS[kind]
    return client.post(f"{url}{obj.pk}/change/", {"name": name, **extra})


def restore(client, kind, obj, record, **kwargs):
    url = KINDS[kind][0]
    return client.post(f"{url}{obj.pk}/history/{record.history_id}/", {}, **kwargs)


@pytest.mark.parametrize("kind", KINDS)
class TestServiceBackedAdmin:
    def test_add_goes_through_the_create_service(self, kind, client, writer, lab, monkeypatch):
        _, model, services, _ = KINDS[kind]
        calls = spy(monkeypatch, services, f"{kind}_create")
        assert add(client, kind, lab, "new").status_code == 302
        assert [(c["user"], c["group"], c["name"]) for c in calls] == [(writer, lab, "new")]
        obj = model.objects.get(name="new")
        assert obj.creator == writer
        assert [(r.history_type, r.history_user) for r in obj.history.all()] == [("+", writer)]

    def test_change_goes_through_the_update_service(self, kind, client, writer, lab, monkeypatch):
        _, model, services, _ = KINDS[kind]
        obj = create(kind, lab, "old")
        calls = spy(monkeypatch, services, f"{kind}_update")
        assert change(client, kind, obj, "renamed").status_code == 302
        assert [(c["user"], c["name"]) for c in calls] == [(writer, "renamed")]
        obj = model.objects.get(pk=obj.pk)
        assert obj.name == "renamed"
        assert obj.history.count() == 2 and obj.history.first().history_user == writer

    def test_delete_goes_through_the_delete_service(self, kind, client, lab, monkeypatch):
        url, model, services, _ = KINDS[kind]
        kept, gone = create(kind, lab, "kept"), create(kind, lab, "gone")
        calls = spy(monkeypatch, services, f"{kind}_delete")
        action = {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"}
        assert client.post(url, action).status_code == 302
        assert [c[kind].pk for c in calls] == [gone.pk]
        assert model.objects.get(pk=gone.pk).deleted_on is not None  # soft: history stays
        assert model.objects.get(pk=kept.pk).deleted_on is None

    @pytest.mark.parametrize("how", [add, change])
    def test_a_taken_name_is_a_form_error(self, kind, how, client, lab):
        _, model, _, _ = KINDS[kind]
        create(kind, lab, "taken")
        target = lab if how is add else create(kind, lab, "mine")
        response = how(client, kind, target, "taken")
        assert response.status_code == 200
        assert f"is already used by another {kind} in this group" in response.content.decode()
        assert model.objects.filter(name="taken").count() == 1

    def test_names_taken_elsewhere_or_by_deleted_objects_are_free(self, kind, client, lab):
        _, model, services, _ = KINDS[kind]
        create(kind, make_group("elsewhere"), "shared")
        getattr(services, f"{kind}_delete")(user=None, **{kind: create(kind, lab, "gone")})
        assert add(client, kind, lab, "shared").status_code == 302
        assert add(client, kind, lab, "gone").status_code == 302
        assert model.objects.alive().filter(group=lab).count() == 2

    def test_restore_writes_a_new_snapshot_through_the_service(self, kind, client, writer, lab):
        _, model, services, _ = KINDS[kind]
        obj = create(kind, lab, "first")
        first = obj.history.get()
        getattr(services, f"{kind}_update")(user=None, **{kind: obj}, name="second")
        assert restore(client, kind, obj, first).status_code == 302
        obj = model.objects.get(pk=obj.pk)
        assert obj.name == "first"
        latest = obj.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            writer,
            f"Restored snapshot {first.history_id}",
        )

    def test_a_restore_the_service_refuses_changes_nothing(self, kind, client, lab):
        _, model, services, _ = KINDS[kind]
        obj = create(kind, lab, "first")
        first = obj.history.get()
        getattr(services, f"{kind}_update")(user=None, **{kind: obj}, name="second")
        create(kind, lab, "first")
        response = restore(client, kind, obj, first, follow=True)
        assert "was not restored" in response.content.decode()
        assert "is already used by another" in response.content.decode()
        assert model.objects.get(pk=obj.pk).history.count() == 2


def test_queue_descriptions_are_kept_as_typed_as_by_the_api(client, lab):
    url = KINDS["queue"][0]
    body = {"group": lab.pk, "name": "spaced", "description": "  two spaces  "}
    assert client.post(f"{url}add/", body).status_code == 302
    assert Queue.objects.get(name="spaced").description == "  two spaces  "


def test_an_entrypoint_added_in_the_admin_is_the_one_the_service_created(
    client, writer, lab, monkeypatch
):
    """The page then shows the created entrypoint, with the queue and tag chosen in the form."""
    plugin = make_hello_plugin(lab)
    queue, tag = create("queue", lab, "gpu"), create("tag", lab, "demo")
    calls = spy(monkeypatch, entrypoint_services, "entrypoint_create")
    body = form_data(lab, plugin, queues=[queue.pk], tags=[tag.pk], _continue="1")
    response = client.post("/admin/entrypoints/entrypoint/add/", body)
    entrypoint = Entrypoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/entrypoints/entrypoint/{entrypoint.pk}/change/"
    assert [(c["user"], c["name"]) for c in calls] == [(writer, "from_admin")]
    assert (entrypoint.creator, entrypoint.valid, entrypoint.history.count()) == (writer, True, 1)
    assert list(entrypoint.queues.all()) == [queue] and list(entrypoint.tags.all()) == [tag]
