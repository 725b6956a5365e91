"""The LiteLLM receiver reads every shape of body its logger sends to the same records, and a body
that is not the usual shape (an item that is not an object, NaN) keeps its valid rows."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from traffic.models import TaskRecord

pytestmark = pytest.mark.django_db


def payload(pilot, n, **overrides):
    now = timezone.now().timestamp() - 600 + n
    row = {
        "id": f"call-{n}",
        "trace_id": f"trace-{n}",
        "call_type": "acompletion",
        "startTime": now - 1.25,
        "endTime": now,
        "response_time": 1.25,
        "model": "gpt-4o-mini-2024-07-18",
        "model_group": "gpt-4o-mini",
        "prompt_tokens": 120,
        "completion_tokens": 30,
        "response_cost": 0.1,
        "status": "success",
        "end_user": "ana@example.com",
        "request_tags": ["task:refund question"],
        "hidden_params": {"model_id": "d1", "api_base": None},
        "metadata": {
            "user_api_key_team_alias": "Support",
            "requester_metadata": {"pilotdeck_pilot": pilot.pk, "prompt_version": "v3"},
        },
    }
    row.update(overrides)
    return row


def send(api, body: str, content_type="application/json"):
    return api.generic("POST", "/api/traffic/litellm", body, content_type=content_type)


def stored():
    return list(
        TaskRecord.objects.order_by("source_id").values_list(
            "source_id", "user_ref", "team", "task_type", "model_requested", "model_served",
            "prompt_version", "input_tokens", "output_tokens", "api_cost", "latency_ms", "outcome",
        )
    )  # fmt: skip


@pytest.mark.parametrize("shape", ["json_array", "ndjson", "single"])
def test_each_log_format_stores_the_same_record(pilot, people, api_for, shape):
    one = payload(pilot, 1)
    body, content_type = {
        "json_array": (json.dumps([one]), "application/json"),
        "ndjson": (json.dumps(one) + "\n", "application/x-ndjson"),
        "single": (json.dumps(one), "application/json"),
    }[shape]
    response = send(api_for(people["tech"]), body, content_type)
    assert response.status_code == 200 and response.json()["created"] == 1
    assert stored() == [
        (
            "call-1", "ana@example.com", "Support", "refund question", "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18", "v3", 120, 30, Decimal("0.1"), 1250, "completed",
        )
    ]  # fmt: skip


def test_an_item_that_is_not_an_object_is_refused_and_the_rest_kept(pilot, people, api_for):
    body = json.dumps([payload(pilot, 1), 42, payload(pilot, 2, model_parameters="odd")])
    response = send(api_for(people["tech"]), body)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["created"], answer["refused"]) == (2, 1)
    assert answer["errors"][0]["index"] == 1
    assert [row[0] for row in stored()] == ["call-1", "call-2"]


def test_a_nan_cost_refuses_its_row_only(pilot, people, api_for):
    good = json.dumps(payload(pilot, 1))
    bad = json.dumps(payload(pilot, 2)).replace('"response_cost": 0.1', '"response_cost": NaN')
    response = send(api_for(people["tech"]), f"[{good}, {bad}]")
    assert response.status_code == 200
    answer = response.json()
    assert (answer["created"], answer["refused"]) == (1, 1)
    assert answer["errors"][0]["index"] == 1 and "api_cost" in answer["errors"][0]["errors"]
    assert [row[0] for row in stored()] == ["call-1"]


def test_a_body_that_is_not_json_is_400(people, api_for):
    response = send(api_for(people["tech"]), '[{"id": "x",')
    assert response.status_code == 400 and "JSON parse error" in response.content.decode()
