"""Two gateways pushing at once: their upserts wait for each other row by row, so neither fails,
no task counts twice, and the rollups hold the sum of both; a pilot is not deleted from under a
batch (PostgreSQL, real transactions)."""

import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
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
    assert TaskUserDay.objects.filter(pilot=pilot).count() == 3  # both batches' users, once each


def test_a_retry_racing_its_original_counts_once(pilot, people):
    day_start = (timezone.now() - timedelta(days=1)).replace(hour=8, minute=0)
    batch = rows(pilot, range(30), day_start)
    first, second = at_once(batch, list(reversed(batch)), by=people["admin"])

    assert sorted([first.created, second.created]) == [0, 30]
    assert sorted([first.duplicates, second.duplicates]) == [0, 30]
    assert TaskRecord.objects.count() == 30
    assert TaskDay.objects.get(pilot=pilot).tasks == 30


def _delete_pilot_now(pilot_id) -> Exception | None:
    """Try to delete the pilot from another connection, without waiting for locks."""
    outcome: list = [None]

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '50ms'")
                cursor.execute("DELETE FROM pilots_pilot WHERE id = %s", [pilot_id])
        except Exception as error:
            outcome[0] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


def test_a_pilot_cannot_be_deleted_under_a_batch_and_takes_its_tasks_when_it_is(pilot, people):
    day_start = (timezone.now() - timedelta(days=1)).replace(hour=8, minute=0)
    with transaction.atomic():
        tasks_ingest(
            by=people["admin"],
            rows=rows(pilot, range(5), day_start),
            origin=Origin.NATIVE,
            keep_valid=False,
        )
        refused = _delete_pilot_now(pilot.pk)  # the batch has not committed yet
    assert isinstance(refused, OperationalError) and "lock timeout" in str(refused)

    pilot.delete()
    assert not TaskRecord.objects.filter(pilot_id=pilot.pk).exists()
    assert not TaskDay.objects.filter(pilot_id=pilot.pk).exists()
    assert not TaskUserDay.objects.filter(pilot_id=pilot.pk).exists()
