"""The Python client and its LiteLLM guard against a live Pilotdeck, with the real litellm."""

import logging
import os

import pytest

from tests.asyncrun import run_async

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-map fetch at import

import litellm
from pilotdeck_client import PilotdeckClient
from pilotdeck_client.litellm_guard import PilotdeckGuard, PilotPausedError

from killswitch.services import status_token_create
from pilots import services


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def gateway(transactional_db, live_server, pilot, people):
    token = status_token_create(user=people["stopper"], name="LiteLLM", pilot_ids=[pilot.pk])[1]
    clock = Clock()
    client = PilotdeckClient(live_server.url, token, cache_seconds=1.0, clock=clock)
    guard = PilotdeckGuard(client)
    litellm.callbacks = [guard]
    yield client, clock
    litellm.callbacks = []


def call(pilot):
    return run_async(
        litellm.acompletion(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "Draft a reply."}],
            mock_response="Here is a draft.",
            metadata={"pilot_id": pilot.pk},
        )
    )


def test_a_paused_pilot_is_refused_within_the_cache_time_and_flows_after_resume(
    gateway, pilot, people
):
    client, clock = gateway
    assert call(pilot).choices[0].message.content == "Here is a draft."

    services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend over the cap.")
    clock.now += 0.5  # inside the client's cache time the last answer stands
    assert client.may_call_model(pilot) is True
    clock.now += 0.6  # past it: the next call asks again and is refused
    with pytest.raises(Exception) as refused:
        call(pilot)
    assert f"pilot {pilot.pk} is paused: Spend over the cap." in str(refused.value)

    pilot.refresh_from_db()
    services.pilot_transition(
        pilot=pilot, to_status="piloting", by=people["stopper"], reason="Cap raised."
    )
    clock.now += 1.1
    assert call(pilot).choices[0].message.content == "Here is a draft."


def test_a_call_naming_no_pilot_is_refused(gateway):
    with pytest.raises(Exception) as refused:
        run_async(
            litellm.acompletion(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}], mock_response="x"
            )
        )
    assert "pilot_id" in str(refused.value)


def test_the_proxy_hook_refuses_a_paused_pilot(gateway, pilot, people):
    services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Stop-now error.")
    guard = litellm.callbacks[0]

    with pytest.raises(PilotPausedError, match=r"is paused: Stop-now error\."):
        run_async(
            guard.async_pre_call_hook(
                None, None, {"metadata": {"pilot_id": pilot.pk}}, "acompletion"
            )
        )


def test_pilotdeck_unreachable_fails_closed_by_default_and_open_by_choice(pilot, caplog):
    nowhere = "http://127.0.0.1:9"
    caplog.set_level(logging.WARNING, logger="pilotdeck_client")

    assert PilotdeckClient(nowhere, "pdks_x", timeout=0.5).may_call_model(pilot) is False
    assert PilotdeckClient(nowhere, "pdks_x", timeout=0.5, fail_open=True).may_call_model(pilot)
    messages = [record.getMessage() for record in caplog.records]
    assert any("failing closed" in message for message in messages)
    assert any("failing open" in message for message in messages)


def test_a_client_with_a_wrong_token_fails_closed(transactional_db, live_server, pilot):
    assert PilotdeckClient(live_server.url, "pdks_wrong").may_call_model(pilot) is False


def test_the_client_revalidates_with_the_etag(gateway, pilot):
    client, clock = gateway
    first = client.status(pilot)
    clock.now += 2
    again = client.status(pilot)  # answered 304, the held answer stands

    assert again == first
    assert again.may_call_model is True
