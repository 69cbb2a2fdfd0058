"""The front door: what a visitor and a signed-in user see first."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_visitors_see_what_this_is_and_a_sign_in(client):
    html = client.get("/").content.decode()
    assert "Sign in" in html and "/accounts/login/?next=/entrypoints/" in html
    assert "img/editor" in html  # the editor's screenshot
    assert 'href="/admin/"' not in html


def test_only_staff_are_offered_the_admin(client):
    client.force_login(make_user("alice"))
    assert 'href="/admin/"' not in client.get("/entrypoints/").content.decode()
    client.force_login(make_user("boss", superuser=True))
    assert 'href="/admin/"' in client.get("/entrypoints/").content.decode()


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url.endswith(".svg")
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html
