"""The demo entrypoints: created once, valid, in the default group."""

import pytest

from entrypoints.demo import load_entrypoints_demo
from entrypoints.models import Entrypoint
from plugins_app.demo import load_plugins_demo
from plugins_app.models import Plugin

pytestmark = pytest.mark.django_db


def check_demo_entrypoints():
    entrypoints = {e.name: e for e in Entrypoint.objects.all()}
    assert set(entrypoints) == {"hello_world", "model_training"}
    for entrypoint in entrypoints.values():
        assert entrypoint.group.name == "public"
        assert entrypoint.valid, entrypoint.issues
        assert entrypoint.history.count() == 1


@pytest.mark.parametrize("plugins_demo_first", [True, False])
def test_demo_entrypoints_are_valid_and_loading_is_idempotent(plugins_demo_first):
    if plugins_demo_first:
        list(load_plugins_demo())
    lines = list(load_entrypoints_demo())
    assert sum("Created entrypoint" in line for line in lines) == 2
    assert Plugin.objects.filter(name="hello").count() == 1
    check_demo_entrypoints()
    assert list(load_entrypoints_demo()) == []
    check_demo_entrypoints()
