"""The native bulk endpoint: all or nothing, a retry counts once, clear refusals, rollups in step."""

import json
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pilots.models import Pilot
from traffic import latency
from traffic.models import TaskDay, TaskRecord, TaskUserDay
from traffic.services.ingest import tasks_ingest

pytestmark = pytest.mark.django_db


def task(pilot, n=0, **overrides):
    ended = timezone.now() - timedelta(hours=1, seconds=n)
    row = {
        "pilot": pilot.pk,
        "source_id": f"req-{n}",
        "started_at": (ended - timedelta(milliseconds=1200)).isoformat(),
        "ended_at": ended.isoformat(),
        "user": "ana@example.com",
        "team": "Support",
        "task_type": "Shipping update",
        "model_served": "gpt-4o-mini",
        "input_tokens": 800,
        "output_tokens": 90,
        "api_cost": "0.0031",
        "outcome": "handed_off" if n % 4 == 0 else "completed",
        "handoff_reason": "refund over limit" if n % 4 == 0 else "",
    }
    row.update(overrides)
    return row


def post(api, rows, content_type="application/json"):
    body = rows if isinstance(rows, str) else json.dumps(rows)
    return api.generic("POST", "/api/tasks/bulk", body, content_type=content_type)


def test_a_push_stores_each_task_once_and_keeps_the_day_in_step(pilot, people, api_for):
    api = api_for(people["tech"])
    rows = [task(pilot, n) for n in range(8)]
    first = post(api, rows)
    again = post(api, rows)
    assert first.status_code == 201, first.content
    assert first.json()["created"] == 8
    assert again.status_code == 200 and again.json()["duplicates"] == 8
    assert TaskRecord.objects.count() == 8
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.tasks, day.completed, day.handed_off) == (8, 6, 2)
    assert day.api_cost == Decimal("0.0248")
    assert day.handoff_reasons == {"refund over limit": 2}
    assert day.task_type == "shipping update"


def test_a_second_batch_for_the_same_day_adds_to_its_rollups(pilot, people, api_for):
    api = api_for(people["tech"])
    assert post(api, [task(pilot, n) for n in range(4)]).status_code == 201
    later = [task(pilot, n, handoff_reason="no order found") for n in range(4, 9)]
    later.append(task(pilot, 9, user="ben@example.com", latency_ms=90_000))
    assert post(api, later).status_code == 201
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.tasks, day.completed, day.handed_off) == (10, 7, 3)
    assert day.api_cost == Decimal("0.0310") and day.input_tokens == 8000
    assert day.handoff_reasons == {"refund over limit": 1, "no order found": 2}
    assert sum(day.latency_buckets.values()) == 10 and len(day.latency_buckets) == 2
    users = TaskUserDay.objects.filter(pilot=pilot).values_list("user_ref", flat=True)
    assert sorted(users) == ["ana@example.com", "ben@example.com"]  # once each, on their day


def test_the_latency_histogram_adds_each_batch_bucket_by_bucket(pilot, people, api_for):
    """One bucket onto a stored one, one new bucket, then several at once: the batch's buckets
    are added to the day's, whichever way the sum is written."""
    api = api_for(people["tech"])
    batches = [[1200, 1210], [1205], [90_000], [1200, 90_000, 15, 15]]
    sent = []
    for number, latencies in enumerate(batches):
        rows = [
            task(pilot, number * 10 + n, latency_ms=ms, outcome="completed", handoff_reason="")
            for n, ms in enumerate(latencies)
        ]
        assert post(api, rows).status_code == 201
        sent += latencies
        day = TaskDay.objects.get(pilot=pilot)
        assert day.latency_buckets == dict(Counter(latency.bucket(ms) for ms in sent))
    assert day.tasks == 8 and len(day.latency_buckets) == 3


def test_ndjson_is_read_line_by_line(pilot, people, api_for):
    body = "\n".join(json.dumps(task(pilot, n)) for n in range(3))
    response = post(api_for(people["tech"]), body, content_type="application/x-ndjson")
    assert response.status_code == 201 and response.json()["created"] == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("input_tokens", -5, "cannot be negative"),
        ("source_id", "a\x00b", "Null characters are not allowed."),
        ("started_at", "2026-11-03T09:15:00", "offset"),
        ("started_at", "1900-01-01T00:00:00Z", "too early"),
        ("outcome", "exploded", "Use one of"),
        ("task_type", "x" * 61, "60 characters"),
    ],
)
def test_one_bad_row_saves_nothing_and_names_the_field(
    pilot, people, api_for, field, value, message
):
    rows = [task(pilot, 1), task(pilot, 2, **{field: value})]
    if field == "started_at":
        rows[1]["ended_at"] = rows[1]["started_at"] if "1900" in value else rows[1]["ended_at"]
    response = post(api_for(people["tech"]), rows)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["index"] == 1 and field in errors[0]["errors"]
    assert message in json.dumps(errors[0]["errors"][field])
    assert not TaskRecord.objects.exists()


def test_a_cost_sent_as_a_json_number_is_read_exactly(pilot, people, api_for):
    # As a float, 0.0000025000000000000001 is 2.5e-06, which rounds to 0.000002: read exactly,
    # it is just over the half and rounds to 0.000003.
    row = json.dumps(task(pilot, 1, api_cost=None)).replace(
        '"api_cost": null', '"api_cost": 0.0000025000000000000001'
    )
    assert post(api_for(people["tech"]), f"[{row}]").status_code == 201
    assert TaskRecord.objects.get().api_cost == Decimal("0.000003")


@pytest.mark.parametrize("seconds", ["1e400", "1e15", "-1e400"])
def test_epoch_seconds_out_of_any_calendar_are_a_field_error(pilot, people, api_for, seconds):
    row = json.dumps(task(pilot, 1)).replace('"started_at": "', '"was": "', 1)
    body = "[" + row[:-1] + f', "started_at": {seconds}}}]'
    response = post(api_for(people["tech"]), body)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["errors"] == {
        "was": ["Unknown field."],
        "started_at": ["The time is out of range: give epoch seconds between 1970 and 9999."],
    }


def test_a_future_task_and_a_pilot_the_token_may_not_write_are_refused(pilot, people, api_for):
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    future = post(api_for(people["tech"]), [task(pilot, 1, started_at=later, ended_at=later)])
    assert future.status_code == 400 and "future" in future.content.decode()
    reviewer = post(api_for(people["reviewer"]), [task(pilot, 1)])
    assert reviewer.status_code == 400 and "pilot" in reviewer.json()["errors"][0]["errors"]
    assert not TaskRecord.objects.exists()


def test_a_body_over_the_limit_is_413_naming_the_limit(pilot, people, api_for, settings):
    settings.PILOTDECK_TRAFFIC_MAX_BODY_BYTES = 1000
    response = post(api_for(people["tech"]), [task(pilot, n) for n in range(10)])
    assert response.status_code == 413 and "1,000 bytes" in response.content.decode()


def test_unreadable_json_is_400_with_the_reason(people, api_for):
    response = post(api_for(people["tech"]), "[{not json")
    assert response.status_code == 400 and "JSON parse error" in response.content.decode()


def test_gateway_receivers_keep_valid_rows_and_show_the_refused(pilot, people, api_for, client_for):
    now = timezone.now().timestamp() - 60
    payloads = [
        {
            "id": "ok-1",
            "startTime": now - 1,
            "endTime": now,
            "model": "gpt-4o-mini",
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "response_cost": 0.0001,
            "status": "success",
            "metadata": {"requester_metadata": {"pilotdeck_pilot": pilot.pk}},
        },
        {
            "id": "bad-1",
            "startTime": now - 1,
            "endTime": now,
            "model": "gpt-4o-mini",
            "prompt_tokens": -3,
            "status": "success",
            "metadata": {"requester_metadata": {"pilotdeck_pilot": pilot.pk}},
        },
    ]
    response = api_for(people["tech"]).post("/api/traffic/litellm", payloads, format="json")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["refused"]) == (1, 1)
    page = client_for(people["tech"]).get(f"/pilots/{pilot.pk}/connections/").content.decode()
    assert "bad-1" in page and "input_tokens" in page and "cannot be negative" in page
    assert "/api/traffic/litellm" in page and "/otlp/v1/traces" in page


def test_traffic_for_a_paused_pilot_alerts_the_stop_authority_once(
    pilot, people, django_capture_on_commit_callbacks
):
    from django.core import mail

    from governance.models import Alert
    from pilots.services import pilot_pause

    pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend review")
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED
    with django_capture_on_commit_callbacks(execute=True):
        tasks_ingest(by=people["tech"], rows=[task(pilot, 1)], origin="native", keep_valid=False)
        tasks_ingest(by=people["tech"], rows=[task(pilot, 2)], origin="native", keep_valid=False)
    alert = Alert.objects.get(rule="traffic_while_paused")
    assert "ignored the kill switch" in alert.message
    assert people["stopper"].email in {a for m in mail.outbox for a in m.to}


def test_a_batch_costs_the_same_queries_for_two_pilots_or_six(pilot, people, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.pilots.factories import PilotFactory
    from traffic.partitions import ensure_partitions

    api = api_for(people["admin"])
    two = [pilot, PilotFactory(status=Pilot.Status.PILOTING)]
    six = [PilotFactory(status=Pilot.Status.PILOTING) for _ in range(6)]
    ensure_partitions([timezone.now() - timedelta(hours=2), timezone.now()])  # the month is made

    def push(pilots, start):
        rows = [task(p, start + n, source_id=f"q-{start + n}") for n, p in enumerate(pilots * 4)]
        with CaptureQueriesContext(connection) as queries:
            assert post(api, rows).status_code == 201
        return len(queries)

    first_two, first_six = push(two, 0), push(six, 100)
    again_two, again_six = push(two, 200), push(six, 300)

    # New connections are made in one INSERT, known ones updated in one UPDATE, however many.
    assert first_two == first_six
    assert again_two == again_six


def test_the_portable_path_of_make_run_keeps_the_same_rollups(pilot, people, api_for, monkeypatch):
    from traffic.services import bulk_sql

    api = api_for(people["tech"])

    def rollups():
        fields = [f.name for f in TaskDay._meta.concrete_fields if f.name not in ("id", "pilot")]
        days = list(TaskDay.objects.order_by("day", "task_type", "team").values(*fields))
        users = list(TaskUserDay.objects.order_by("user_ref").values("user_ref", "day"))
        return days, users, TaskRecord.objects.count()

    def batch(n):
        # One rollup key: several latency buckets and handoff reasons (one without a reason)
        # in the same batch, and the same ones again in the next.
        reasons = ["refund over limit", "", "angry customer"]
        return [
            task(pilot, 10 * n + k, latency_ms=300 + 700 * (k % 3), handoff_reason=reasons[k % 3])
            for k in range(10)
        ]

    for n in (0, 1):
        assert post(api, batch(n)).status_code == 201
    fast = rollups()
    TaskRecord.objects.all().delete()
    TaskDay.objects.all().delete()
    TaskUserDay.objects.all().delete()
    monkeypatch.setattr(bulk_sql, "supported", lambda: False)  # as on SQLite
    for n in (0, 1):
        assert post(api, batch(n)).status_code == 201

    assert rollups() == fast
    (day,) = fast[0]
    assert len(day["latency_buckets"]) == 3 and sum(day["latency_buckets"].values()) == 20
    assert day["handoff_reasons"] == {
        "refund over limit": 2,
        "no reason given": 1,
        "angry customer": 2,
    }
    assert sum(day["tasks"] for day in fast[0]) == 20 and fast[2] == 20
    assert sum(day["handed_off"] for day in fast[0]) == 5


# A batch without text for a day the pilot already has, by a holder of one of its roles.
INGEST_QUERIES = 9


@pytest.mark.parametrize("count", [5, 200])
def test_a_batch_takes_the_same_few_queries_however_many_rows(
    pilot, people, count, django_assert_num_queries
):
    tasks_ingest(by=people["tech"], rows=[task(pilot, 1)], origin="native", keep_valid=False)
    rows = [task(pilot, n) for n in range(2, 2 + count)]
    with django_assert_num_queries(INGEST_QUERIES):
        result = tasks_ingest(by=people["tech"], rows=rows, origin="native", keep_valid=False)
    assert result.created == count
