"""PATCH /api/pilots/{id}/tasks/{source_id}: the receiving tool reports a handoff's pick-up."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.pilots.factories import PilotFactory
from traffic.models import TaskDay, TaskRecord
from traffic.services.ingest import tasks_ingest

pytestmark = pytest.mark.django_db
QUERIES = 8


@pytest.fixture
def handed_off(pilot, people):
    ended = timezone.now() - timedelta(hours=1)
    rows = [
        {
            "pilot": pilot.pk,
            "source_id": source_id,
            "started_at": (ended - timedelta(seconds=3)).isoformat(),
            "ended_at": ended.isoformat(),
            "model_served": "gpt-4o-mini",
            "outcome": outcome,
            "handoff_reason": "refund over limit" if outcome == "handed_off" else "",
        }
        for source_id, outcome in (("h-1", "handed_off"), ("c-1", "completed"))
    ]
    tasks_ingest(by=people["tech"], rows=rows, origin="native", keep_valid=False)
    return ended


def patch(api, pilot_id, source_id, body):
    return api.patch(f"/api/pilots/{pilot_id}/tasks/{source_id}", body, format="json")


def test_a_pick_up_is_stored_and_moves_the_days_figures_once(pilot, people, api_for, handed_off):
    api = api_for(people["tech"])
    moment = handed_off + timedelta(minutes=12)
    first = patch(api, pilot.pk, "h-1", {"picked_up_at": moment.isoformat()})
    again = patch(api, pilot.pk, "h-1", {"picked_up_at": moment.isoformat()})
    assert first.status_code == 200, first.content
    assert again.status_code == 200
    assert TaskRecord.objects.get(source_id="h-1").picked_up_at == moment
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.picked_up, day.pickup_seconds_total) == (1, 720)
    assert sum(day.pickup_buckets.values()) == 1


def test_a_corrected_pick_up_replaces_the_earlier_wait(pilot, people, api_for, handed_off):
    api = api_for(people["tech"])
    patch(api, pilot.pk, "h-1", {"picked_up_at": (handed_off + timedelta(minutes=30)).isoformat()})
    patch(api, pilot.pk, "h-1", {"picked_up_at": (handed_off + timedelta(minutes=5)).isoformat()})
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.picked_up, day.pickup_seconds_total) == (1, 300)
    assert sum(day.pickup_buckets.values()) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-03T09:15:00", "offset"),
        ("yesterday", "ISO 8601"),
        ("before", "before it was handed off"),
        ("future", "in the future"),
        (10**30, "out of range"),
    ],
)
def test_a_wrong_time_is_400_next_to_the_field(pilot, people, api_for, handed_off, value, message):
    if value == "before":
        value = (handed_off - timedelta(seconds=1)).isoformat()
    elif value == "future":
        value = (timezone.now() + timedelta(hours=1)).isoformat()
    response = patch(api_for(people["tech"]), pilot.pk, "h-1", {"picked_up_at": value})
    assert response.status_code == 400
    assert message in response.json()["picked_up_at"][0]
    assert TaskDay.objects.get(pilot=pilot).picked_up == 0


def test_only_a_handed_off_task_is_picked_up(pilot, people, api_for, handed_off):
    response = patch(
        api_for(people["tech"]), pilot.pk, "c-1", {"picked_up_at": timezone.now().isoformat()}
    )
    assert response.status_code == 400
    assert "handed off" in response.json()["non_field_errors"][0]


def test_unknown_task_or_hidden_pilot_is_404_and_a_viewer_is_403_before_the_body(
    pilot, people, api_for, handed_off
):
    now = {"picked_up_at": timezone.now().isoformat()}
    assert patch(api_for(people["tech"]), pilot.pk, "nope", now).status_code == 404
    assert patch(api_for(people["stranger"]), pilot.pk, "h-1", now).status_code == 404
    assert patch(api_for(people["tech"]), PilotFactory().pk + 1000, "h-1", now).status_code == 404
    assert patch(api_for(people["reviewer"]), pilot.pk, "h-1", {"x": 1}).status_code == 403


def test_the_pick_up_is_in_the_schema(people, api_for):
    document = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()
    operation = document["paths"]["/api/pilots/{id}/tasks/{source_id}"]["patch"]
    assert {"200", "400", "403", "404"} <= set(operation["responses"])


def test_a_pick_up_of_a_handoff_runs_a_fixed_number_of_queries(
    pilot, people, api_for, handed_off, django_assert_num_queries
):
    api = api_for(people["tech"])
    # The pilot (scoped), its roles for the may-record check, the record and its day locked, the
    # day's update and the record's, and the savepoint in and out: whatever the traffic.
    with django_assert_num_queries(QUERIES):
        response = patch(api, pilot.pk, "h-1", {"picked_up_at": timezone.now().isoformat()})
    assert response.status_code == 200


def test_hostile_values_are_400_never_500(pilot, people, api_for, handed_off):
    from tests.hostile import HOSTILE

    api = api_for(people["tech"])
    url = f"/api/pilots/{pilot.pk}/tasks/h-1"
    for name, value in HOSTILE.items():  # ASCII JSON: a lone surrogate travels as \ud800
        body = json.dumps({"picked_up_at": value})
        response = api.generic("PATCH", url, body, content_type="application/json")
        assert response.status_code == 400, name
    assert patch(api, pilot.pk, "h-1", [1, 2]).status_code == 400
