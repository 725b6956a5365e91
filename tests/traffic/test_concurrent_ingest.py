"""Two gateways pushing at once: their upserts wait for each other row by row, so neither fails,
no task counts twice, and the rollups hold the sum of both (PostgreSQL, real transactions)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from traffic.models import Origin, TaskDay, TaskRecord, TaskUserDay
from traffic.services.ingest import tasks_ingest

pytestmark = pytest.mark.django_db(transaction=True)


def rows(pilot, ids, day_start):
    return [
        {
            "pilot": pilot.pk,
            "source_id": f"t-{n}",
            "started_at": (day_start + timedelta(minutes=n)).isoformat(),
            "ended_at": (day_start + timedelta(minutes=n, seconds=2)).isoformat(),
            "user": f"user{n % 3}@example.com",
            "team": "Support",
            "task_type": "refund question",
            "latency_ms": 2000,
            "outcome": "handed_off" if n % 2 else "completed",
            "handoff_reason": "refund over limit" if n % 2 else "",
        }
        for n in ids
    ]


def at_once(*batches, by):
    """Run the ingests in threads released together; answer their results or errors."""
    start = threading.Barrier(len(batches))
    results: list = [None] * len(batches)

    def run(index, batch):
        try:
            start.wait()
            results[index] = tasks_ingest(by=by, rows=batch, origin=Origin.NATIVE, keep_valid=False)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_batches_for_the_same_new_day_both_land_in_its_rollups(pilot, people):
    day_start = (timezone.now() - timedelta(days=2)).replace(hour=8, minute=0)
    first, second = at_once(
        rows(pilot, range(0, 40), day_start),
        rows(pilot, range(40, 80), day_start),
        by=people["admin"],
    )

    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert (first.created, second.created) == (40, 40)
    day = TaskDay.objects.get(pilot=pilot)
    assert (day.tasks, day.handed_off) == (80, 40)
    assert day.handoff_reasons == {"refund over limit": 40}
    assert sum(day.latency_buckets.values()) == 80
    assert sorted(TaskUserDay.objects.values_list("tasks", flat=True)) == [26, 27, 27]


def test_a_retry_racing_its_original_counts_once(pilot, people):
    day_start = (timezone.now() - timedelta(days=1)).replace(hour=8, minute=0)
    batch = rows(pilot, range(30), day_start)
    first, second = at_once(batch, list(reversed(batch)), by=people["admin"])

    assert sorted([first.created, second.created]) == [0, 30]
    assert sorted([first.duplicates, second.duplicates]) == [0, 30]
    assert TaskRecord.objects.count() == 30
    assert TaskDay.objects.get(pilot=pilot).tasks == 30
