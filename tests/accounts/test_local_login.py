"""PILOTDECK_LOCAL_LOGIN=0: no password sign-in, in the sign-in form or the admin's, except for the
break-glass administrator; every refusal is in the audit trail. API tokens are unchanged."""

import base64

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.pilots.factories import UserFactory

PASSWORD = "pw-for-tests"


@pytest.fixture
def local_login_off(settings):
    settings.PILOTDECK_LOCAL_LOGIN = False
    settings.PILOTDECK_BREAK_GLASS_USERNAME = "breakglass"
    settings.PILOTDECK_OIDC_PROVIDER_NAME = "Acme ID"


def test_passwords_are_refused_with_a_clear_message_when_local_login_is_off(
    client, db, local_login_off
):
    UserFactory(username="maria")
    page = client.get("/accounts/login/").content.decode()
    assert "Password sign-in is switched off: sign in with Acme ID." in page

    response = client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})

    assert response.status_code == 200
    assert "Password sign-in is switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.username == "maria"
    assert event.summary == "Password sign-in refused: local sign-in is switched off"


def test_the_break_glass_administrator_still_signs_in_with_a_password(client, db, local_login_off):
    glass = UserFactory(username="breakglass", is_superuser=True, is_staff=True)
    response = client.post("/accounts/login/", {"username": "breakglass", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(glass.pk)


def test_the_admin_sign_in_refuses_passwords_too_but_not_break_glass(client, db, local_login_off):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)
    refused = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "Password sign-in is switched off" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    allowed = client.post(
        "/admin/login/?next=/admin/", {"username": "breakglass", "password": PASSWORD}
    )
    assert allowed.status_code == 302 and client.session.get("_auth_user_id")


def test_with_local_login_on_every_password_works_as_before(client, db, settings):
    assert settings.PILOTDECK_LOCAL_LOGIN is True
    UserFactory(username="maria")
    page = client.get("/accounts/login/").content.decode()
    assert "switched off" not in page and "Sign in with" not in page
    assert (
        client.post("/accounts/login/", {"username": "maria", "password": PASSWORD}).status_code
        == 302
    )


def test_api_token_sign_in_is_unchanged_by_local_login(db, local_login_off):
    UserFactory(username="gateway")
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"gateway:{PASSWORD}".encode()).decode()
    )
    response = api.post("/api/auth/login")
    assert response.status_code == 200 and response.json()["token"]
