"""The pilots API for machines: knox tokens, the OpenAPI schema and its docs page."""

import base64

import pytest
from drf_spectacular.validation import validate_schema
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.pilots.api_helpers import detail, ids

# --- Tokens for machines ------------------------------------------------------------------------


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_auth_login_gives_a_token_that_authenticates_and_is_stored_only_hashed(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "pw-for-tests"))

    response = login.post("/api/auth/login")

    assert response.status_code == 200, response.data
    token = response.data["token"]
    assert len(token) >= 32
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(machine.get("/api/pilots")) == [pilot.pk]
    stored = AuthToken.objects.get(user=people["owner"])
    assert stored.digest == hash_token(token)
    assert token not in {stored.digest, stored.token_key}
    assert not AuthToken.objects.filter(digest=token).exists()
    for row in AuthToken.objects.values():
        assert all(token not in str(value) for value in row.values())


def test_login_with_a_wrong_password_gives_no_token(people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "not-the-password"))

    response = login.post("/api/auth/login")

    assert response.status_code == 401
    assert not AuthToken.objects.exists()


def test_an_unknown_token_is_refused(people):
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    assert machine.get("/api/pilots").status_code == 401


def test_a_token_stops_working_after_logout(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "pw-for-tests"))
    token = login.post("/api/auth/login").data["token"]
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert machine.post("/api/auth/logout").status_code == 204

    assert machine.get("/api/pilots").status_code == 401
    assert not AuthToken.objects.exists()


def test_a_token_sees_only_what_its_user_may_see(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("stranger", "pw-for-tests"))
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {login.post('/api/auth/login').data['token']}")

    assert ids(machine.get("/api/pilots")) == []
    assert machine.get(detail(pilot)).status_code == 404


# --- Schema and docs ----------------------------------------------------------------------------


@pytest.fixture
def schema(people, api_for):
    response = api_for(people["owner"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Pilotdeck API"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/pilots", {"get", "post"}),
        ("/api/pilots/{id}", {"get", "put", "patch"}),
        ("/api/pilots/{id}/status", {"get", "post"}),
        ("/api/roles", {"get", "post"}),
        ("/api/roles/{id}", {"get", "put", "patch"}),
        ("/api/decision-rights", {"get", "post"}),
        ("/api/changes", {"get", "post"}),
        ("/api/changes/{id}/approve", {"post"}),
        ("/api/changes/{id}/reject", {"post"}),
        ("/api/changes/{id}/live", {"post"}),
        ("/api/changes/{id}/outcome", {"post"}),
        ("/api/teams", {"get"}),
        ("/api/users", {"get"}),
        ("/api/auth/login", {"post"}),
    ],
)
def test_schema_documents_each_endpoint(schema, path, methods):
    assert path in schema["paths"], sorted(schema["paths"])
    assert methods <= set(schema["paths"][path])


def test_schema_documents_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]

    assert any(
        scheme.get("type") == "apiKey" and scheme.get("name") == "Authorization"
        for scheme in schemes.values()
    )


def test_docs_page_renders_for_the_schema(people, client_for):
    response = client_for(people["owner"]).get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/schema/" in response.content
