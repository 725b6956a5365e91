"""Report bad output from a task: the report names a task by its source id (a tool's report
button sends it; the report page offers the recent ones) and Pilotdeck fills in what the AI was
asked and what it produced, when the pool kept that task's text."""

from datetime import timedelta

from django.utils import timezone

from common.errors import ApplicationError
from pilots.models import Pilot
from traffic.models import TaskRecord

from ..models import PoolCandidate
from ..pool import pool_mark_reported

RECENT_DAYS = 14
RECENT_TASKS = 30


def recent_tasks(*, pilot: Pilot) -> list[PoolCandidate]:
    """The latest tasks whose text is kept, for the report page to pick from (one query)."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    return list(
        PoolCandidate.objects.filter(pilot=pilot, day__gte=since)
        .only("source_id", "day", "user_ref", "input_text")
        .order_by("-started_at")[:RECENT_TASKS]
    )


def task_details(*, pilot: Pilot, source_id: str, given: dict) -> dict:
    """The report's fields completed from the task: reference, what was asked, what it produced,
    the day. What the reporter typed wins. An id the pilot has no task for is a field error."""
    source_id = (source_id or "").strip()
    kept = pool_mark_reported(pilot_id=pilot.pk, source_id=source_id)
    if kept is None:
        record = (
            TaskRecord.objects.filter(pilot_id=pilot.pk, source_id=source_id)
            .order_by("-started_at")
            .only("started_at")
            .first()
        )
        if record is None:
            message = f"This pilot has no task “{source_id[:80]}”: check the id."
            raise ApplicationError(message, field_errors={"task": [message]})
        found = {"occurred_on": timezone.localtime(record.started_at).date()}
    else:
        found = {"task_asked": kept.input_text, "output": kept.output_text, "occurred_on": kept.day}
    found["reference"] = source_id
    return {**found, **{name: value for name, value in given.items() if value not in ("", None)}}
