import pytest


@pytest.mark.django_db
def test_health_endpoint_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Entrypoints" in response.content


@pytest.mark.django_db
def test_api_routes_we_do_not_provide_answer_json_404(client):
    for path in ("/api/v1/models", "/api/v1/entrypoints:lint", "/api/v1/nothing/here/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert client.get("/no-such-page").status_code == 404
