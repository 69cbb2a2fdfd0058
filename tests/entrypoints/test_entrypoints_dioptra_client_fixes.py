"""Entrypoint API behaviour that Dioptra's own client relies on (found with tests/compat)."""

import pytest

from entrypoints import services
from tags.models import Tag
from tests.entrypoints.factories import make_artifact_plugin, make_entrypoint

URL = "/api/v1/entrypoints"


@pytest.mark.django_db
class TestDioptraSearchFieldNames:
    """Dioptra's entrypoint search fields are snake_case: ``task_graph``, ``artifact_graph`` and
    ``tag`` work beside the contract's camelCase names."""

    @pytest.fixture
    def found(self, as_actor):
        client = as_actor("reader")

        def ids(search: str) -> list[int]:
            response = client.get(URL, {"search": search, "pageLength": 100})
            assert response.status_code == 200, response.content
            return [row["id"] for row in response.json()["data"]]

        return ids

    def test_task_graph_and_artifact_graph(self, found, lab):
        zebra = make_entrypoint(lab, "zebra", task_graph="step:\n  train_zebra: []\n")
        other = make_entrypoint(lab, "other", artifact_graph="saved:\n  contents: $message\n")
        assert found("task_graph:*train_zebra*") == found("taskGraph:*train_zebra*") == [zebra.pk]
        assert found("artifact_graph:*contents*") == [other.pk]
        assert found("artifact_graph:") == [zebra.pk]

    def test_tag_matches_each_entrypoint_once(self, found, lab):
        tagged = make_entrypoint(lab, "alpha")
        make_entrypoint(lab, "beta")
        mnist, mnist2, old = (
            Tag.objects.create(group=lab, name=name) for name in ("mnist", "mnist_v2", "old")
        )
        tagged.tags.set([mnist, mnist2, old])
        assert found("tag:mnist") == [tagged.pk]
        assert found("tag:mnist*") == [tagged.pk]  # two tags match: still one row
        assert found("tag:cifar") == []
        # A plain term looks in tag names too, and a match in the name is not repeated per tag.
        assert found("mnist") == [tagged.pk]
        assert found("alpha") == [tagged.pk]

    def test_unknown_fields_still_answer_422(self, as_actor, lab):
        response = as_actor("reader").get(URL, {"search": "graph:x"})
        assert response.status_code == 422
        assert "task_graph" in response.json()["detail"]

    def test_snapshot_search_takes_the_snake_case_names(self, as_actor, lab):
        entrypoint = make_entrypoint(lab, task_graph="step:\n  first: []\n")
        services.entrypoint_update(
            user=None,
            entrypoint=entrypoint,
            name=entrypoint.name,
            task_graph="step:\n  second: []\n",
        )
        response = as_actor("reader").get(
            f"{URL}/{entrypoint.pk}/snapshots", {"search": "task_graph:*second*"}
        )
        assert response.status_code == 200, response.content
        assert [s["taskGraph"] for s in response.json()["data"]] == ["step:\n  second: []\n"]


@pytest.mark.django_db
class TestSnapshotArtifactPlugins:
    """``GET /entrypoints/{id}/snapshots/{sid}/artifactPlugins`` (Dioptra's
    ``entrypoints.snapshots.get_artifact_plugins``): the artifact plugins that snapshot pins."""

    def test_lists_what_the_snapshot_pinned(self, as_actor, lab):
        artifacts = make_artifact_plugin(lab)
        entrypoint = make_entrypoint(lab, artifact_plugins=[artifacts])
        first = entrypoint.history.get().history_id
        services.entrypoint_artifact_plugin_detach(
            user=None, entrypoint=entrypoint, plugin_id=artifacts.pk
        )
        client = as_actor("reader")
        response = client.get(f"{URL}/{entrypoint.pk}/snapshots/{first}/artifactPlugins")
        assert response.status_code == 200, response.content
        body = response.json()
        assert [(p["id"], p["name"]) for p in body] == [(artifacts.pk, artifacts.name)]
        assert body[0]["files"][0]["tasks"]["artifacts"][0]["name"] == "TextArtifact"
        latest = entrypoint.history.order_by("-history_id").first().history_id
        assert client.get(f"{URL}/{entrypoint.pk}/snapshots/{latest}/artifactPlugins").json() == []

    def test_unknown_and_invisible_snapshots_answer_404(self, as_actor, lab):
        entrypoint = make_entrypoint(lab)
        sid = entrypoint.history.get().history_id
        path = f"{URL}/{entrypoint.pk}/snapshots/{{}}/artifactPlugins"
        assert as_actor("reader").get(path.format(sid + 1000)).status_code == 404
        assert as_actor("outsider").get(path.format(sid)).status_code == 404
