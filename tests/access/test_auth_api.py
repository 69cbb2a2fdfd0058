"""``/api/v1/auth/*``: session login without CSRF tokens, the cross-site rule, tokens, logout."""

import pytest
import requests
from rest_framework.test import APIClient

from core.api.auth_views import LOGIN_FAILED
from core.api.authentication import CROSS_SITE_REFUSED
from tests.factories import PASSWORD, make_user

LOGIN = "/api/v1/auth/login"
CREDENTIALS = {"username": "alice", "password": PASSWORD}


def browserless_client() -> APIClient:
    """A client like Dioptra's: it never sends a CSRF token (and Django would check one)."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def alice(db):
    return make_user("alice", lab="write")


@pytest.mark.django_db
class TestLogin:
    @pytest.mark.parametrize("path", [LOGIN, LOGIN + "/"])
    def test_login_answers_the_username_and_starts_a_lax_session(self, path, alice):
        client = browserless_client()
        response = client.post(path, CREDENTIALS, format="json")
        assert response.status_code == 200
        assert response.json() == {"username": "alice", "status": "Login successful"}
        cookie = response.cookies["sessionid"]
        assert cookie["samesite"] == "Lax" and cookie["httponly"]
        assert client.get("/api/v1/users/current").json()["username"] == "alice"

    def test_the_session_writes_without_a_csrf_token(self, alice, lab):
        client = browserless_client()
        client.post(LOGIN, CREDENTIALS, format="json")
        response = client.post("/api/v1/queues", {"group": lab.pk, "name": "q"}, format="json")
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "credentials",
        [
            {"username": "alice", "password": "wrong"},
            {"username": "nobody", "password": PASSWORD},
            {"username": "alice", "password": PASSWORD.upper()},
        ],
    )
    def test_bad_credentials_are_401_json(self, credentials, alice):
        response = browserless_client().post(LOGIN, credentials, format="json")
        assert response.status_code == 401
        assert response.json() == {"detail": LOGIN_FAILED}
        assert "sessionid" not in response.cookies

    def test_inactive_users_cannot_log_in(self, alice):
        alice.is_active = False
        alice.save()
        assert browserless_client().post(LOGIN, CREDENTIALS, format="json").status_code == 401

    @pytest.mark.parametrize(
        "body", [{}, {"username": "alice"}, {**CREDENTIALS, "remember": True}, []]
    )
    def test_malformed_bodies_are_400(self, body, alice):
        assert browserless_client().post(LOGIN, body, format="json").status_code == 400

    def test_only_post_is_allowed(self):
        assert browserless_client().get(LOGIN).status_code == 405


@pytest.mark.django_db
class TestCrossSiteRule:
    """The contract's rule, on login and on session-authenticated writes."""

    @pytest.mark.parametrize(
        "headers, status",
        [
            ({}, 200),
            ({"HTTP_SEC_FETCH_SITE": "same-origin"}, 200),
            ({"HTTP_SEC_FETCH_SITE": "none"}, 200),
            ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
            ({"HTTP_SEC_FETCH_SITE": "same-site"}, 403),
            ({"HTTP_ORIGIN": "http://testserver"}, 200),
            ({"HTTP_ORIGIN": "https://evil.example"}, 403),
            ({"HTTP_ORIGIN": "null"}, 403),
            ({"HTTP_ORIGIN": "http://[::1"}, 403),
            # Sec-Fetch-Site wins over Origin when both are present.
            ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "https://evil.example"}, 200),
            ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, 403),
        ],
    )
    def test_login(self, headers, status, alice):
        response = browserless_client().post(LOGIN, CREDENTIALS, format="json", **headers)
        assert response.status_code == status
        if status == 403:
            assert response.json() == {"detail": CROSS_SITE_REFUSED}
            assert "sessionid" not in response.cookies

    @pytest.mark.parametrize(
        "origin, status",
        [
            ("https://app.example.com", 200),
            ("https://app.example.com/", 200),
            ("http://app.example.com", 403),
            ("https://other.example.com", 403),
            ("https://eu.wild.example", 200),
            ("https://wild.example", 200),
            ("https://notwild.example", 403),
        ],
    )
    def test_trusted_origins_are_honoured(self, origin, status, alice, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com", "https://*.wild.example"]
        response = browserless_client().post(LOGIN, CREDENTIALS, format="json", HTTP_ORIGIN=origin)
        assert response.status_code == status

    @pytest.mark.parametrize(
        "headers, status",
        [
            ({}, 200),
            ({"HTTP_SEC_FETCH_SITE": "same-origin"}, 200),
            ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
            ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ],
    )
    def test_session_writes(self, headers, status, alice, lab):
        client = browserless_client()
        client.post(LOGIN, CREDENTIALS, format="json")
        response = client.post(
            "/api/v1/tags", {"group": lab.pk, "name": "t"}, format="json", **headers
        )
        assert response.status_code == status

    def test_cross_site_reads_and_token_writes_are_not_refused(self, alice, lab):
        client = browserless_client()
        client.post(LOGIN, CREDENTIALS, format="json")
        assert client.get("/api/v1/tags", HTTP_SEC_FETCH_SITE="cross-site").status_code == 200
        key = (
            browserless_client()
            .post("/api/v1/auth/token", CREDENTIALS, format="json")
            .json()["token"]
        )
        token_client = browserless_client()
        token_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = token_client.post(
            "/api/v1/tags",
            {"group": lab.pk, "name": "t"},
            format="json",
            HTTP_SEC_FETCH_SITE="cross-site",
        )
        assert response.status_code == 200

    def test_cross_site_logout_is_refused(self, alice):
        client = browserless_client()
        client.post(LOGIN, CREDENTIALS, format="json")
        assert (
            client.post("/api/v1/auth/logout", HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
        )
        assert client.get("/api/v1/users/current").status_code == 200


@pytest.mark.django_db
class TestTokenAndLogout:
    @pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/auth/token/"])
    def test_token_is_stable_and_authenticates(self, path, alice):
        first = browserless_client().post(path, CREDENTIALS, format="json").json()["token"]
        again = browserless_client().post(path, CREDENTIALS, format="json").json()["token"]
        assert first == again
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
        assert client.get("/api/v1/users/current").json()["username"] == "alice"

    def test_token_needs_the_right_password(self, alice):
        response = browserless_client().post(
            "/api/v1/auth/token", {"username": "alice", "password": "x"}, format="json"
        )
        assert response.status_code == 401

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/auth/logout?everywhere=true",
            "/api/v1/auth/logout/?everywhere=False",
            "/api/v1/auth/logout",
        ],
    )
    def test_logout_ends_the_session(self, path, alice):
        client = browserless_client()
        client.post(LOGIN, CREDENTIALS, format="json")
        response = client.post(path)
        assert response.json() == {"username": "alice", "status": "Logout successful"}
        assert client.get("/api/v1/users/current").status_code == 401

    def test_logout_without_a_session_is_harmless(self):
        assert browserless_client().post("/api/v1/auth/logout").json()["username"] is None

    def test_unauthenticated_requests_are_401_with_a_challenge(self):
        response = APIClient().get("/api/v1/users/current")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db(transaction=True)
def test_a_plain_requests_session_logs_in_and_writes(live_server, settings):
    """What Dioptra's client does: ``requests.Session`` with JSON bodies and no CSRF token."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lab = make_user("alice", lab="write").memberships.get(group__name="lab").group
    api = f"{live_server.url}/api/v1"
    with requests.Session() as session:
        assert session.post(f"{api}/auth/login", json=CREDENTIALS).json()["username"] == "alice"
        created = session.post(f"{api}/queues", json={"group": lab.pk, "name": "default"})
        assert created.status_code == 200, created.text
        listed = session.get(f"{api}/queues", params={"groupId": lab.pk}).json()
        assert [row["name"] for row in listed["data"]] == ["default"]
        assert session.delete(f"{api}/queues/{created.json()['id']}").json()["status"] == "Success"
        session.post(f"{api}/auth/logout", params={"everywhere": False})
        assert session.get(f"{api}/users/current").status_code == 401
