"""A handoff picked up: the receiving tool reports when a person took the task over.

`PATCH /api/pilots/{id}/tasks/{source_id}` with `picked_up_at`. The time is checked (aware, not
before the task ended, not in the future), stored on the record, and the task's day in the
rollup moves in the same transaction: how many handoffs were picked up, their summed wait and a
histogram of the waits, and how many came later than the handoff rule's response time (what
the pick-up figures and the slow-pick-up stop rule read). Reporting
the same time again changes nothing; a corrected time replaces the earlier one in the rollup.
"""

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError
from costs.services.common import require_may_record
from pilots.models import Pilot

from .. import latency
from ..models import Outcome, TaskDay, TaskRecord
from .rows import CLOCK_SKEW, parse_moment

PICKUP_FIELDS = frozenset({"picked_up_at"})


class TaskNotFound(Exception):
    """No task with this source id for this pilot (answered 404)."""


def _wait(record: TaskRecord, moment: datetime) -> tuple[int, str]:
    seconds = max(0, int((moment - record.ended_at).total_seconds()))
    return seconds, latency.bucket(seconds * 1000)


def parse_pickup(data, *, record: TaskRecord, now: datetime) -> datetime:
    errors: dict[str, list[str]] = {}
    if not isinstance(data, dict):
        raise ApplicationError(
            "Send an object with picked_up_at.",
            field_errors={"non_field_errors": ["Send an object with picked_up_at."]},
        )
    for name in sorted(set(data) - PICKUP_FIELDS):
        errors[name] = ["Unknown field: only picked_up_at can be reported."]
    moment = None
    try:
        moment = parse_moment(data.get("picked_up_at"))
    except ValueError as error:  # every time parse_moment cannot read, out of range too
        errors["picked_up_at"] = [str(error)]
    if moment is not None:
        if moment < record.ended_at:
            errors["picked_up_at"] = [
                f"A person cannot pick the task up before it was handed off "
                f"({record.ended_at.isoformat()})."
            ]
        elif moment > now + CLOCK_SKEW:
            errors["picked_up_at"] = ["The time is in the future: check the tool's clock."]
    if record.outcome != Outcome.HANDED_OFF:
        errors.setdefault("non_field_errors", []).append(
            "Only a task handed off to a person is picked up; this one was "
            f"{record.get_outcome_display().lower()}."
        )
    if errors:
        raise ApplicationError("The pick-up could not be recorded.", field_errors=errors)
    return moment


@transaction.atomic
def task_pick_up(*, by, pilot: Pilot, source_id: str, data) -> TaskRecord:
    """Record when a person picked a handed-off task up. Raises PermissionDenied (403) before
    anything else, TaskNotFound (404), ApplicationError (400 with field errors)."""
    require_may_record(by, pilot)
    record = (
        TaskRecord.objects.select_for_update()
        .filter(pilot=pilot, source_id=str(source_id)[:200])
        .order_by("-started_at")
        .first()
    )
    if record is None:
        raise TaskNotFound(source_id)
    moment = parse_pickup(data, record=record, now=timezone.now())
    if record.picked_up_at == moment:
        return record
    day = (
        TaskDay.objects.select_for_update()
        .filter(
            pilot=pilot,
            day=timezone.localtime(record.started_at).date(),
            task_type=record.task_type,
            team=record.team,
            model=record.model_served,
        )
        .first()
    )
    if day is not None:
        # Late: over the handoff rule's response time as it stands when the pick-up comes in.
        allowed = (pilot.handoff_response_minutes or 0) * 60 or None
        buckets = Counter(day.pickup_buckets)
        if record.picked_up_at is not None:  # a correction: the earlier wait leaves the day
            seconds, bucket = _wait(record, record.picked_up_at)
            day.picked_up -= 1
            day.pickup_seconds_total -= seconds
            if allowed and seconds > allowed:
                day.picked_up_late = max(0, day.picked_up_late - 1)
            buckets[bucket] -= 1
        seconds, bucket = _wait(record, moment)
        day.picked_up += 1
        day.pickup_seconds_total += seconds
        day.picked_up_late += bool(allowed and seconds > allowed)
        buckets[bucket] += 1
        day.pickup_buckets = {key: count for key, count in buckets.items() if count > 0}
        day.save(
            update_fields=["picked_up", "picked_up_late", "pickup_seconds_total", "pickup_buckets"]
        )
    # The key holds the start time, so one partition is touched.
    TaskRecord.objects.filter(pk=record.pk).update(picked_up_at=moment)
    record.picked_up_at = moment
    return record
