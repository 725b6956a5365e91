"""The route table's rows for live traffic: the native bulk API, the two gateway receivers, and
the pilot's Connections page."""

import itertools
from datetime import timedelta

from django.utils import timezone

from tests.pilots.permission_helpers import SIGNED_IN, VIEWERS, api, browser
from tests.route_table.base import (
    COST_RECORDERS,
    Row,
    endpoint,
    get,
    on_pilot,
    page,
    patch,
    post,
)

_ids = itertools.count(1)


def task_row(m) -> list[dict]:
    ended = timezone.now() - timedelta(minutes=1)
    return [
        {
            "pilot": m.pilot.pk,
            "source_id": f"matrix-{next(_ids)}",
            "started_at": (ended - timedelta(seconds=2)).isoformat(),
            "ended_at": ended.isoformat(),
            "model_served": "gpt-4o-mini",
            "input_tokens": 200,
            "output_tokens": 40,
            "api_cost": "0.0004",
        }
    ]


def litellm_payload(m) -> list[dict]:
    ended = timezone.now().timestamp() - 60
    return [
        {
            "id": f"chatcmpl-matrix-{next(_ids)}",
            "startTime": ended - 1.5,
            "endTime": ended,
            "model": "gpt-4o-mini",
            "prompt_tokens": 200,
            "completion_tokens": 40,
            "response_cost": 0.0004,
            "status": "success",
            "metadata": {"requester_metadata": {"pilotdeck_pilot": m.pilot.pk}},
        }
    ]


def handed_off_task(m) -> str:
    """The URL of a handed-off task of the matrix pilot (stored once, through the one ingest)."""
    from traffic.services.ingest import tasks_ingest

    started = timezone.now().replace(minute=0, second=0, microsecond=0)  # the same each call
    row = {
        **task_row(m)[0],
        "source_id": "matrix-handoff",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(seconds=1)).isoformat(),
        "outcome": "handed_off",
    }
    tasks_ingest(by=m.w.people["admin"], rows=[row], origin="native", keep_valid=False)
    return f"/api/pilots/{m.pilot.pk}/tasks/matrix-handoff"


PAGES: dict[str, Row] = {
    "traffic:connections": page(on_pilot("connections/"), get(browser(VIEWERS, 200))),
}

ENDPOINTS: dict[str, Row] = {
    # All or nothing: a row naming a pilot the caller may not record on is a row error (400).
    "task-bulk": endpoint(
        lambda m: "/api/tasks/bulk",
        post(api(COST_RECORDERS, 201, refused=400, stranger=400), task_row),
    ),
    # A gateway keeps what it may send and hears what was refused: 200 for anyone signed in.
    "traffic-litellm": endpoint(
        lambda m: "/api/traffic/litellm", post(api(SIGNED_IN, 200), litellm_payload)
    ),
    # The receiving tool reports a pick-up: 403 for a role that may not record, before the body.
    "task-pick-up": endpoint(
        handed_off_task,
        patch(
            api(COST_RECORDERS, 200),
            lambda m: {"picked_up_at": timezone.now().isoformat()},
        ),
    ),
    "otlp:otlp-traces": endpoint(
        lambda m: "/otlp/v1/traces", post(api(SIGNED_IN, 200), lambda m: {"resourceSpans": []})
    ),
}
