"""Traffic straight from the gateway, sent by the real clients to a live Pilotdeck: LiteLLM's
generic API logger (mock responses, no network) and the OpenTelemetry SDK's OTLP/HTTP exporter."""

import asyncio
import os
import time

import pytest
from knox.models import AuthToken

from tests.asyncrun import run_async

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-map fetch at import

import litellm
from litellm.integrations.generic_api.generic_api_callback import GenericAPILogger
from litellm.litellm_core_utils import logging_worker
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import Status, StatusCode

from reviews.queue_models import PoolCandidate
from traffic.models import Connection, Origin, SourceLink, TaskDay, TaskRecord

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(condition, seconds: float = 15.0):
    """Wait until the background sender has delivered (a condition, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("nothing arrived")
        time.sleep(0.05)


@pytest.fixture
def token(people):
    return AuthToken.objects.create(people["tech"])[1]


def test_litellm_logs_each_call_to_pilotdeck_as_a_task(live_server, pilot, token):
    async def calls():
        # One gateway process has one event loop; each test has its own, so litellm's logging
        # worker (bound to the loop that first used it) starts afresh on this one.
        worker = logging_worker.GLOBAL_LOGGING_WORKER
        worker._queue = worker._bound_loop = worker._worker_task = worker._sem = None
        logger = GenericAPILogger(  # it needs a running event loop
            endpoint=f"{live_server.url}/api/traffic/litellm",
            headers={"Authorization": f"Token {token}"},
            flush_interval=1,
        )
        litellm.callbacks = [logger]
        for n in range(3):
            await litellm.acompletion(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": f"Where is order {n}?"}],
                mock_response="It ships tomorrow.",
                user="ana@example.com",
                metadata={
                    "requester_metadata": {
                        "pilotdeck_pilot": pilot.pk,
                        "task_type": "shipping update",
                        "prompt_version": "v3",
                    }
                },
            )
        await asyncio.sleep(0)  # let the logging tasks queue their payloads
        deadline = time.monotonic() + 15
        while len(logger.log_queue) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await logger.flush_queue()

    try:
        run_async(calls())
    finally:
        litellm.callbacks = []
    wait_for(lambda: TaskRecord.objects.filter(pilot=pilot).count() == 3)
    record = TaskRecord.objects.filter(pilot=pilot).first()
    assert record.origin == Origin.LITELLM
    assert record.user_ref == "ana@example.com"
    assert record.task_type == "shipping update" and record.prompt_version == "v3"
    assert record.model_served.endswith("gpt-4o-mini")
    assert record.input_tokens > 0 and record.output_tokens > 0
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.tasks, day.completed, day.task_type) == (3, 3, "shipping update")
    assert Connection.objects.get(pilot=pilot, origin=Origin.LITELLM).received == 3
    # What the AI was asked and produced reaches the review pool (the draw's candidates).
    texts = set(PoolCandidate.objects.filter(pilot=pilot).values_list("input_text", "output_text"))
    assert texts == {(f"Where is order {n}?", "It ships tomorrow.") for n in range(3)}


def exporter_for(live_server, token, service="refund-drafter"):
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    exporter = OTLPSpanExporter(
        endpoint=f"{live_server.url}/otlp/v1/traces",
        headers={"Authorization": f"Token {token}"},
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def test_opentelemetry_genai_spans_become_tasks_of_the_mapped_pilot(live_server, pilot, token):
    SourceLink.objects.create(
        pilot=pilot, kind=SourceLink.Kind.OTEL_SERVICE, value="refund-drafter"
    )
    provider = exporter_for(live_server, token)
    tracer = provider.get_tracer("refunds")
    with tracer.start_as_current_span("chat gpt-4o") as span:
        span.set_attribute("gen_ai.request.model", "gpt-4o")
        span.set_attribute("gen_ai.response.model", "gpt-4o-2024-08-06")
        span.set_attribute("gen_ai.usage.input_tokens", 812)
        span.set_attribute("gen_ai.usage.output_tokens", 96)
        span.set_attribute("enduser.id", "ben@example.com")
    with tracer.start_as_current_span("chat gpt-4o") as span:
        span.set_attribute("gen_ai.request.model", "gpt-4o")
        span.set_status(Status(StatusCode.ERROR, "upstream timeout"))
    with tracer.start_as_current_span("GET /orders"):  # not a GenAI span: not a task
        pass
    provider.shutdown()

    records = TaskRecord.objects.filter(pilot=pilot).order_by("started_at")
    assert [r.outcome for r in records] == ["completed", "failed"]
    first = records[0]
    assert (first.model_requested, first.model_served) == ("gpt-4o", "gpt-4o-2024-08-06")
    assert (first.input_tokens, first.output_tokens, first.user_ref) == (812, 96, "ben@example.com")
    assert first.origin == Origin.OTLP
    day = TaskDay.objects.get(pilot=pilot, model="gpt-4o-2024-08-06")
    assert day.tasks == 1


def test_spans_for_no_known_pilot_are_refused_and_shown_nowhere_else(live_server, pilot, token):
    provider = exporter_for(live_server, token, service="unmapped-service")
    with provider.get_tracer("x").start_as_current_span("chat") as span:
        span.set_attribute("gen_ai.request.model", "gpt-4o")
    provider.shutdown()
    assert not TaskRecord.objects.exists()
