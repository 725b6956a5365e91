"""The kill-switch token reads status and nothing else."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from common.errors import ApplicationError
from killswitch.authentication import forget_verified_tokens
from killswitch.models import StatusToken
from killswitch.services import status_token_create
from tests.pilots.factories import PilotFactory


def client_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/pilots"),
        ("get", "/api/pilots/{pk}"),
        ("get", "/api/pilots/{pk}/status"),
        ("post", "/api/pilots/{pk}/status"),
        ("patch", "/api/pilots/{pk}"),
        ("get", "/api/alerts"),
        ("post", "/api/auth/logout"),
        ("get", "/pilots/"),
    ],
)
def test_a_kill_switch_token_is_refused_everywhere_else(
    pilot, people, kill_switch_token, method, path
):
    api = client_with(kill_switch_token(people["admin"]))

    response = getattr(api, method)(path.format(pk=pilot.pk), {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "A kill-switch token reads pilot status only."}
    pilot.refresh_from_db()
    assert pilot.status == "piloting"


def test_a_kill_switch_token_is_stored_hashed_and_shown_once(pilot, people):
    token, plain = status_token_create(user=people["owner"], name="LiteLLM gateway")

    assert plain.startswith("pdks_")
    assert plain not in token.digest
    assert token.pilot_ids == [pilot.pk]
    assert token.every_pilot is False


def test_a_token_cannot_name_a_pilot_its_person_cannot_see(people):
    hidden = PilotFactory(name="Elsewhere")

    with pytest.raises(ApplicationError) as refused:
        status_token_create(user=people["owner"], name="gw", pilot_ids=[hidden.pk])

    assert "pilot_ids" in refused.value.field_errors
    assert not StatusToken.objects.exists()


def test_the_management_command_prints_a_working_token(pilot, people, capsys):
    call_command("killswitch_token", "stopper", "gw", "--pilot", str(pilot.pk))
    plain = capsys.readouterr().out.strip()

    response = client_with(plain).get(f"/api/pilot-status/{pilot.pk}")

    assert response.status_code == 200
    assert response.json()["status"] == "piloting"


def test_an_administrator_revokes_a_gateways_token_in_the_admin(pilot, people, client):
    token, plain = status_token_create(user=people["owner"], name="LiteLLM gateway")
    client.force_login(people["admin"])

    listed = client.get("/admin/killswitch/statustoken/")
    client.post(f"/admin/killswitch/statustoken/{token.pk}/delete/", {"post": "yes"})
    forget_verified_tokens()  # as a web process does PILOTDECK_STATUS_TOKEN_SECONDS later

    assert "LiteLLM gateway" in listed.content.decode()
    assert plain not in listed.content.decode()
    assert client_with(plain).get(f"/api/pilot-status/{pilot.pk}").status_code == 401
