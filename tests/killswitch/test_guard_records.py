"""The LiteLLM guard posts each call that ran to Pilotdeck's LiteLLM receiver, with the real
litellm (mock responses, no network) against a live Pilotdeck."""

import asyncio
import os
import time

import pytest
from knox.models import AuthToken

from tests.asyncrun import run_async

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-map fetch at import

import litellm
from litellm.litellm_core_utils import logging_worker
from pilotdeck_client import PilotdeckClient, TrafficRecorder
from pilotdeck_client.litellm_guard import PilotdeckGuard

from governance.models import Alert
from killswitch.services import status_token_create
from pilots import services
from traffic.models import Origin, TaskRecord

pytestmark = pytest.mark.django_db(transaction=True)


def use(guard) -> None:
    """The guard as the only callback: LiteLLM copies callbacks into its logging lists on first
    use, so a guard of an earlier test would otherwise still receive the events."""
    litellm.logging_callback_manager._reset_all_callbacks()
    litellm.callbacks = [guard]


@pytest.fixture
def guarded(live_server, pilot, people):
    """The guard as a gateway wires it: a kill-switch token to ask, a writing token to record."""
    status_token = status_token_create(user=people["stopper"], name="LiteLLM", pilot_ids=[pilot.pk])
    writing_token = AuthToken.objects.create(people["tech"])[1]
    recorder = TrafficRecorder(live_server.url, writing_token, flush_seconds=0.05)
    use(PilotdeckGuard(PilotdeckClient(live_server.url, status_token[1]), recorder=recorder))
    yield recorder
    litellm.logging_callback_manager._reset_all_callbacks()
    recorder.close()


def call(pilot, answer="Here is a draft.", *, logged: int = 0):
    """One call on a gateway's event loop, kept running until LiteLLM's logging worker has run
    the guard's logging hook `logged` times (a gateway's loop runs on; the test's loop ends)."""
    recorder = litellm.callbacks[0].recorder

    async def gateway():
        worker = logging_worker.GLOBAL_LOGGING_WORKER  # bound to the loop that first used it
        worker._queue = worker._bound_loop = worker._worker_task = worker._sem = None
        try:
            return await litellm.acompletion(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "Draft a reply."}],
                mock_response=answer,
                user="ana@example.com",
                metadata={"pilot_id": pilot.pk},
            )
        finally:
            deadline = time.monotonic() + 15
            while recorder.accepted < logged and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

    return run_async(gateway())


def test_a_call_through_the_guard_becomes_a_task_record_of_its_pilot(guarded, pilot):
    reply = call(pilot, logged=1)

    assert reply.choices[0].message.content == "Here is a draft."
    assert guarded.flush()
    record = TaskRecord.objects.get(pilot=pilot)
    assert record.origin == Origin.LITELLM
    assert record.source_id == reply.id
    assert record.outcome == "completed"
    assert record.model_requested == "gpt-4o-mini"
    assert record.user_ref == "ana@example.com"
    assert record.input_tokens > 0 and record.output_tokens > 0


def test_a_failed_call_is_recorded_as_failed(guarded, pilot):
    with pytest.raises(Exception, match="The model is overloaded"):
        call(
            pilot,
            answer=litellm.InternalServerError("The model is overloaded", "openai", "gpt"),
            logged=1,
        )

    assert guarded.flush()
    assert list(TaskRecord.objects.filter(pilot=pilot).values_list("outcome", flat=True)) == [
        "failed"
    ]


def test_a_call_the_guard_refused_is_not_posted_and_raises_no_alert(guarded, pilot, people):
    services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend over the cap.")
    alerts = Alert.objects.filter(pilot=pilot).count()

    with pytest.raises(Exception, match="is paused: Spend over the cap"):
        call(pilot)

    assert guarded.flush()
    assert not TaskRecord.objects.filter(pilot=pilot).exists()
    assert Alert.objects.filter(pilot=pilot).count() == alerts  # no "ignored the kill switch"


def test_pilotdeck_unreachable_for_records_never_harms_the_call(live_server, pilot, people):
    status_token = status_token_create(user=people["stopper"], name="LiteLLM", pilot_ids=[pilot.pk])
    nowhere = TrafficRecorder("http://127.0.0.1:9", "token", flush_seconds=0.05, retries=1)
    use(PilotdeckGuard(PilotdeckClient(live_server.url, status_token[1]), recorder=nowhere))
    try:
        assert call(pilot, logged=1).choices[0].message.content == "Here is a draft."
        assert nowhere.flush()
    finally:
        litellm.logging_callback_manager._reset_all_callbacks()
    assert nowhere.dropped == 1 and nowhere.sent == 0
