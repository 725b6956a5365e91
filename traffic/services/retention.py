"""The daily traffic housekeeping beat runs: partitions made ahead, old task records dropped."""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from ..partitions import drop_old_partitions, ensure_partitions


def traffic_retention_run(*, today: date | None = None) -> list[str]:
    """Make this and next month's partitions (so ingest never waits on a CREATE at a month's
    turn), then drop what is past retention. Harmless to run twice. Answers what was dropped."""
    today = today or timezone.localdate()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    ensure_partitions([datetime.combine(day, time(12), tzinfo=UTC) for day in (today, next_month)])
    return drop_old_partitions(today)
