"""The daily beat job: next month's partition made ahead, task records past retention dropped
(whole partitions on PostgreSQL), rollups kept."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.db import connection

from traffic.models import TaskDay, TaskRecord
from traffic.partitions import ensure_partitions, partition_name
from traffic.services.retention import traffic_retention_run
from traffic.tasks import traffic_retention_task

pytestmark = pytest.mark.django_db


def exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def test_the_beat_schedule_runs_the_retention_job_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["traffic-retention"]
    assert entry["task"] == "traffic.tasks.traffic_retention_task"
    assert entry["schedule"] == 24 * 60 * 60


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_old_partitions_go_new_ones_are_made_and_rollups_stay(pilot, settings):
    today = date(2026, 12, 6)
    settings.PILOTDECK_TRAFFIC_RETENTION_DAYS = 90  # cutoff 7 Sep: August and before go
    old = datetime(2026, 8, 20, 9, tzinfo=UTC)
    kept = datetime(2026, 9, 20, 9, tzinfo=UTC)
    ensure_partitions([old, kept])
    for n, moment in enumerate((old, kept)):
        TaskRecord.objects.create(
            pilot=pilot, origin="native", source_id=f"r-{n}", started_at=moment,
            ended_at=moment, outcome="completed",
        )  # fmt: skip
    TaskDay.objects.create(pilot=pilot, day=date(2026, 8, 20), tasks=1, completed=1)

    dropped = traffic_retention_run(today=today)

    assert dropped == [partition_name(date(2026, 8, 1))]
    assert not exists(partition_name(date(2026, 8, 1)))
    assert exists(partition_name(date(2027, 1, 1)))  # next month, made ahead
    assert list(TaskRecord.objects.values_list("source_id", flat=True)) == ["r-1"]
    assert TaskDay.objects.get(day=date(2026, 8, 20)).tasks == 1
    assert traffic_retention_run(today=today) == []  # a second run does no harm
    assert traffic_retention_task() == []  # the beat's task runs the same service for today


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_a_task_early_on_the_first_of_a_local_month_finds_its_utc_partition(
    pilot, people, api_for, settings
):
    settings.TIME_ZONE = "Europe/Berlin"  # 00:30 on 1 March in Berlin is 28 February in UTC
    row = {
        "pilot": pilot.pk,
        "source_id": "just-after-midnight",
        "started_at": "2026-03-01T00:30:00+01:00",
        "ended_at": "2026-03-01T00:30:02+01:00",
        "outcome": "completed",
    }
    response = api_for(people["tech"]).post("/api/tasks/bulk", [row], format="json")

    assert response.status_code == 201, response.content
    assert exists(partition_name(date(2026, 2, 1)))
    assert TaskDay.objects.get(pilot=pilot).day == date(2026, 3, 1)  # counted on its local day
