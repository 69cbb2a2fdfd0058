"""``GET /api/v1/workflows/resourceExport``: a .tar.gz to download, and back through the client."""

import io
import tarfile

import pytest

from entrypoints.models import Entrypoint
from entrypoints.services import entrypoint_create
from tests.api.matrix import ACTORS
from tests.factories import PASSWORD, make_group, make_user
from tests.workflows.archives import example_files
from tests.workflows.test_export import describe
from tests.workflows.test_import import source
from workflows.resource_import import resources_import

URL = "/api/v1/workflows/resourceExport"
# Exporting reads: readers may; a group the caller cannot see is a 400 on ``groupId``.
EXPORT = {
    "anonymous": 401,
    "outsider": 400,
    "reader": 200,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}


@pytest.fixture
def imported(lab):
    resources_import(user=None, group=lab, source=source(example_files()))
    return lab


def names_in(response) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as archive:
        return archive.getnames()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(actor, as_actor, actors, imported):
    response = as_actor(actor).get(URL, {"groupId": imported.pk})
    assert response.status_code == EXPORT[actor]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/gzip"
        assert response["Content-Disposition"] == 'attachment; filename="lab-resources.tar.gz"'
        assert "lab-resources/dioptra.toml" in names_in(response)


@pytest.mark.django_db
def test_one_entrypoint_is_named_after_it(as_actor, actors, imported):
    hello = Entrypoint.objects.get(group=imported, name="Hello World")
    response = as_actor("reader").get(
        URL + "/", {"groupId": imported.pk, "entrypoints": [hello.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hello-world-resources.tar.gz"'
    assert "hello-world-resources/entrypoints/hello-world.yaml" in names_in(response)
    assert not any("regression" in name for name in names_in(response))


@pytest.mark.django_db
def test_entrypoints_of_other_groups_are_refused(as_actor, actors, imported):
    olga = make_user("olga", elsewhere="write")
    theirs = entrypoint_create(user=olga, group=make_group("elsewhere"), name="x", task_graph="")
    response = as_actor("reader").get(URL, {"groupId": imported.pk, "entrypoints": [theirs.pk]})
    assert response.status_code == 400 and list(response.json()) == ["entrypoints"]
    assert as_actor("reader").get(URL).status_code == 400  # groupId is required


@pytest.mark.django_db(transaction=True)
def test_export_and_import_through_the_light_client(live_server, settings, lab, tmp_path):
    from entrypoints_client import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("writer", lab="write", copy="write")
    copy = make_group("copy")
    resources_import(user=None, group=lab, source=source(example_files()))
    with Client(live_server.url) as client:
        client.login("writer", PASSWORD)
        archive = client.workflows.export_resources(lab.pk, tmp_path)
        assert archive == tmp_path / "lab-resources.tar.gz"
        answer = client.workflows.import_resources(copy.pk, archive)
    assert len(answer["report"]) == 7
    assert describe(copy) == describe(lab)
