"""The demo entrypoints: created once, valid, in the default group."""

import pytest

from entrypoints.demo import load_entrypoints_demo
from entrypoints.models import Entrypoint

pytestmark = pytest.mark.django_db


def test_demo_entrypoints_are_valid_and_loading_is_idempotent():
    lines = list(load_entrypoints_demo())
    assert any("hello_world" in line for line in lines)
    entrypoints = {e.name: e for e in Entrypoint.objects.all()}
    assert set(entrypoints) == {"hello_world", "model_training"}
    for entrypoint in entrypoints.values():
        assert entrypoint.group.name == "public"
        assert entrypoint.valid, entrypoint.issues
    assert list(load_entrypoints_demo()) == []
    assert Entrypoint.objects.count() == 2
    assert all(e.history.count() == 1 for e in Entrypoint.objects.all())
