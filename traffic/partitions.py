"""Monthly partitions of the task records on PostgreSQL: made ahead of the traffic (at ingest for
the months a batch touches, and by beat for the coming month), dropped once past retention
(`PILOTDECK_TRAFFIC_RETENTION_DAYS`, 90 by default). Other databases keep one plain table and
lose old rows by a DELETE instead."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

TABLE = "traffic_taskrecord"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def partition_name(month: date) -> str:
    return f"{TABLE}_{month:%Y%m}"


def _months(moments: list[datetime]) -> list[date]:
    """The UTC months of `moments` (the partitions' bounds are UTC month edges). A batch nearly
    always falls in one month: its first and last moment tell, without a look at every row."""
    if not moments:
        return []
    first, last = (moment.astimezone(UTC) for moment in (min(moments), max(moments)))
    if (first.year, first.month) == (last.year, last.month):
        return [_month_start(first.date())]
    return sorted({_month_start(moment.astimezone(UTC).date()) for moment in moments})


def ensure_partitions(moments: list[datetime]) -> None:
    """Partitions for every month of `moments` (datetimes): one query to see which exist, and a
    CREATE for a month that has none yet (asked each time: a rolled-back transaction takes its
    partition with it, so nothing is remembered in the process). Concurrent batches make a month
    once, one after the other."""
    if connection.vendor != "postgresql":
        return
    months = _months(moments)
    if not months:
        return
    names = [partition_name(month) for month in months]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL", [names]
        )
        missing = {name for (name,) in cursor.fetchall()}
        if missing:
            # Two batches may both find a month missing: the second waits here for the first to
            # commit, then sees its partition (IF NOT EXISTS alone fails on an uncommitted one).
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('traffic-partitions', 0))"
            )
            cursor.execute(
                "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL",
                [sorted(missing)],
            )
            missing = {name for (name,) in cursor.fetchall()}
        for month in months:
            name = partition_name(month)
            if name not in missing:
                continue
            # Bounds in UTC at the month's edges (a few hours of a neighbouring local month may
            # fall in it: partitions are for storage and retention, not for figures).
            start = datetime(month.year, month.month, 1, tzinfo=UTC)
            end_month = _next_month(month)
            end = datetime(end_month.year, end_month.month, 1, tzinfo=UTC)
            cursor.execute(
                f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{TABLE}" '
                "FOR VALUES FROM (%s) TO (%s)",
                [start, end],
            )


def retention_cutoff(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=settings.PILOTDECK_TRAFFIC_RETENTION_DAYS)


def drop_old_partitions(today: date | None = None) -> list[str]:
    """Remove task records older than retention: whole partitions on PostgreSQL (instant), a
    DELETE elsewhere. Rollups stay: figures for old days remain. Answers what was dropped."""
    cutoff = retention_cutoff(today)
    if connection.vendor != "postgresql":
        from .models import TaskRecord

        TaskRecord.objects.filter(started_at__date__lt=cutoff).delete()
        return []
    dropped = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        for (name,) in cursor.fetchall():
            stamp = name.rsplit("_", 1)[-1]
            if not stamp.isdigit():
                continue
            month = date(int(stamp[:4]), int(stamp[4:]), 1)
            if _next_month(month) <= cutoff:  # every day of the month is past retention
                cursor.execute(f'DROP TABLE "{name}"')
                dropped.append(name)
    return dropped
