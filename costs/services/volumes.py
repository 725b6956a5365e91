"""Writes to task volumes: completed tasks per pilot, day and task type.

Pushing a day again REPLACES its count (a gateway re-sends the day's total, not an increment),
so retries and corrections are both harmless.
"""

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError
from common.events import pilot_facts_changed, pilots_facts_changed
from common.validators import sent_id
from costs.models import Source, TaskVolume
from pilots.models import Pilot

from .bulk import insert_with_history, update_with_history
from .common import (
    PushResult,
    RowErrors,
    check_rows_payload,
    id_resolver,
    lock_pilots,
    require_may_record,
    visible_pilots,
)
from .rows import VolumeRow, parse_volume
from .traffic_guard import measured_for


def save_volumes(rows: Sequence[VolumeRow], *, by, source: str) -> PushResult:
    """Create or replace each (pilot, day, task type): statuses created / replaced / unchanged."""
    pilot_ids = {row.pilot.pk for row in rows}
    lock_pilots(pilot_ids)
    days = [row.date for row in rows]
    current = {
        (volume.pilot_id, volume.date, volume.task_type): volume
        for volume in TaskVolume.objects.filter(
            pilot_id__in=pilot_ids, date__range=(min(days), max(days))
        )
    }
    fresh, replaced, statuses = [], [], []
    for row in rows:
        volume = current.get((row.pilot.pk, row.date, row.task_type))
        if volume is None:
            volume = TaskVolume(
                pilot=row.pilot,
                date=row.date,
                task_type=row.task_type,
                completed=row.completed,
                source=source,
                recorded_by=by,
            )
            fresh.append(volume)
            statuses.append(("created", volume))
        elif volume.completed == row.completed:
            statuses.append(("unchanged", volume))
        else:
            volume.completed, volume.source, volume.recorded_by = row.completed, source, by
            replaced.append(volume)
            statuses.append(("replaced", volume))
    insert_with_history(TaskVolume, fresh, by=by)
    update_with_history(TaskVolume, replaced, ["completed", "source", "recorded_by"], by=by)
    # Completed tasks move the cost per task.
    pilots_facts_changed(volume.pilot_id for volume in [*fresh, *replaced])
    return PushResult(rows=[(status, volume.pk) for status, volume in statuses])


@transaction.atomic
def task_volumes_push(*, by, rows: list, source: str = Source.API) -> PushResult:
    """Validate every row, then save all of them or none (400 with each bad row's errors)."""
    rows = check_rows_payload(rows)
    ids = {sent_id(row.get("pilot")) for row in rows if isinstance(row, Mapping)}
    resolve = id_resolver(by, visible_pilots(by, ids - {None}))
    today = timezone.localdate()
    parsed, errors, first = [], [], {}
    for index, raw in enumerate(rows):
        row, row_errors = parse_volume(raw, resolve_pilot=resolve, today=today)
        if row_errors:
            errors.append({"index": index, "errors": row_errors})
            continue
        key = (row.pilot.pk, row.date, row.task_type)
        if key in first:
            message = (
                f"Row {first[key]} already gives this pilot's {row.task_type} tasks on {row.date}."
            )
            errors.append({"index": index, "errors": {"date": [message]}})
            continue
        first[key] = index
        parsed.append(row)
    measured = measured_for(row.pilot.pk for row in parsed)
    for index, row in zip(first.values(), parsed, strict=True):
        problem = measured.volume_problem(row.pilot.pk)
        if problem:
            errors.append({"index": index, "errors": {"completed": [problem]}})
    if errors:
        raise RowErrors(sorted(errors, key=lambda error: error["index"]))
    return save_volumes(parsed, by=by, source=source)


@transaction.atomic
def task_volume_set(
    *,
    by,
    pilot: Pilot,
    date: date,
    completed: int,
    task_type: str = "",
    source: str = Source.MANUAL,
) -> tuple[TaskVolume, str]:
    """Set one day's completed tasks (replacing what was there): the volume and created/replaced/unchanged."""
    require_may_record(by, pilot)
    raw = {"pilot": pilot.pk, "date": date, "completed": completed, "task_type": task_type}
    row, errors = parse_volume(raw, resolve_pilot=lambda _: (pilot, ""), today=timezone.localdate())
    problem = "" if errors else measured_for([pilot.pk]).volume_problem(pilot.pk)
    if problem:
        errors = {"completed": [problem]}
    if errors:
        raise ApplicationError("The completed tasks could not be recorded.", field_errors=errors)
    status, pk = save_volumes([row], by=by, source=source).rows[0]
    return TaskVolume.objects.get(pk=pk), status


@transaction.atomic
def task_volume_delete(*, volume: TaskVolume, by) -> None:
    volume = (
        TaskVolume.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=volume.pk)
    )
    require_may_record(by, volume.pilot)
    volume._history_user = by
    volume.delete()
    pilot_facts_changed(volume.pilot_id)
