"""The admin names the product, links back to the site, and follows the system's light or dark."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_admin_is_branded_and_links_to_the_site(client):
    client.force_login(make_user("root", superuser=True))
    page = client.get("/admin/").content.decode()
    assert "<title>Entrypoints administration | Entrypoints admin</title>" in page
    assert '<div id="site-name"><a href="/admin/">Entrypoints · admin</a></div>' in page
    assert '<a href="/">View site</a>' in page
    assert "Django administration" not in page
    assert "theme-toggle" not in page  # one look for the pages, the editors and the admin
    assert "/static/css/admin.css" in page


def test_the_login_page_is_branded_too(client):
    page = client.get("/admin/login/").content.decode()
    assert "Entrypoints · admin" in page and "Django" not in page
