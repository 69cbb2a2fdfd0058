import os

import pytest

# Playwright's sync API runs an event loop in the test thread; ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (browser downloads are blocked here), without background networking."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def lab(db):
    from tests.factories import make_group

    return make_group("lab")


@pytest.fixture
def actors(lab):
    """One user per row of the permission matrix (``None`` is anonymous)."""
    from tests.factories import make_user

    return {
        "anonymous": None,
        "outsider": make_user("outsider", elsewhere="write"),
        "reader": make_user("reader", lab="read"),
        "writer": make_user("writer", lab="write"),
        "manager": make_user("manager", lab="manage"),
        "superuser": make_user("root", superuser=True),
    }


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def as_actor(actors):
    """``as_actor("reader")`` -> an APIClient authenticated as that actor."""
    from rest_framework.test import APIClient

    def client_for(name: str) -> APIClient:
        client = APIClient()
        if actors[name] is not None:
            client.force_authenticate(actors[name])
        return client

    return client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled back tests reuse ids, so keys built from
    ids (the step blame's, say) would otherwise find another test's entries."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def as_page_user(actors):
    """``as_page_user("reader")`` -> a Django test client with that actor's session (pages)."""
    from django.test import Client

    def client_for(name: str) -> Client:
        client = Client()
        if actors[name] is not None:
            client.force_login(actors[name])
        return client

    return client_for
