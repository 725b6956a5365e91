"""The kill switch through OFREP, read with the real OpenFeature SDK and OFREP provider."""

import pytest
from openfeature import api
from openfeature.contrib.provider.ofrep import OFREPProvider
from rest_framework.test import APIClient

from killswitch.services import status_token_create
from pilots import services


@pytest.fixture
def flags(transactional_db, live_server, pilot, people):
    token = status_token_create(user=people["stopper"], name="OFREP", pilot_ids=[pilot.pk])[1]
    provider = OFREPProvider(
        live_server.url, headers_factory=lambda: {"Authorization": f"Token {token}"}
    )
    api.set_provider(provider)
    yield api.get_client(), token
    api.clear_providers()


def test_an_openfeature_client_reads_the_kill_switch(flags, pilot, people):
    client, _ = flags
    key = f"pilot-{pilot.pk}-may-call-model"
    assert client.get_boolean_value(key, False) is True

    services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend over the cap.")

    details = client.get_boolean_details(key, True)
    assert details.value is False
    assert details.variant == "off"


def test_an_unknown_flag_answers_the_callers_default(flags):
    client, _ = flags
    assert client.get_boolean_value("pilot-999999-may-call-model", True) is True
    assert client.get_boolean_details("something-else", False).error_code is not None


def test_bulk_evaluation_carries_an_etag_and_answers_304(flags, pilot):
    _, token = flags
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    first = http.post("/ofrep/v1/evaluate/flags", {"context": {}}, format="json")
    again = http.post(
        "/ofrep/v1/evaluate/flags", {"context": {}}, format="json", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert first.json()["flags"] == [
        {
            "key": f"pilot-{pilot.pk}-may-call-model",
            "reason": "STATIC",
            "variant": "on",
            "value": True,
            "metadata": {"status": "piloting", "reason": pilot.status_reason},
        }
    ]
    assert again.status_code == 304
