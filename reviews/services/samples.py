"""Samples: logged one at a time from the week page, or many at once by a tool through the API."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed, pilots_facts_changed
from pilots import access

from ..models import ReviewWeek, Sample

SAMPLE_FIELDS = frozenset(
    {
        "reference",
        "produced_on",
        "produced_by",
        "case",
        "accuracy_ok",
        "accuracy_note",
        "tone_ok",
        "tone_note",
        "completeness_ok",
        "completeness_note",
        "should_have_gone_to_human",
        "outcome",
        "minutes_with_ai",
        "manual_minutes",
        "complaint",
        "note",
        "error",
    }
)
TEXT_FIELDS = (
    "reference",
    "produced_by",
    "accuracy_note",
    "tone_note",
    "completeness_note",
    "note",
)
# Outputs are usually reviewed in the week they were produced or soon after.
OLDEST_SAMPLE_DAYS = 28
MAX_BULK_ROWS = 1000


class BulkRowErrors(ApplicationError):
    """Some rows of a bulk call are invalid: `rows` is [(index, {field: [messages]}), …]."""

    def __init__(self, rows: list[tuple[int, dict[str, list[str]]]]):
        super().__init__(f"{len(rows)} row(s) are invalid; nothing was saved.")
        self.rows = rows


def _normalised(data: dict) -> dict:
    data = dict(data)
    for name in TEXT_FIELDS:
        if name in data:
            data[name] = (data[name] or "").strip()
    for score in Sample.SCORES:
        if data.get(f"{score}_ok", True):
            data[f"{score}_note"] = ""  # a passing score carries no failure reason
    return data


def sample_problems(*, week: ReviewWeek, data: dict) -> dict[str, list[str]]:
    """Everything wrong with one sample for `week`, as field errors; empty when it can be saved."""
    data = _normalised(data)
    errors: dict[str, list[str]] = {}
    unknown = set(data) - SAMPLE_FIELDS
    for name in sorted(unknown):
        errors[name] = ["This field does not exist on a sample."]
    if not week.is_open:
        errors["week"] = [f"Review week {week.iso_week} is closed: log the sample in an open week."]
    for name, message in (
        ("reference", "Give the ticket id or link."),
        ("produced_by", "Say who produced it."),
        ("produced_on", "Give the day it was produced."),
        ("outcome", "Say what happened to it."),
        ("minutes_with_ai", "Give the minutes it took with AI."),
        ("manual_minutes", "Give the minutes the manual process takes."),
    ):
        if data.get(name) in (None, ""):
            errors.setdefault(name, [message])
    produced_on = data.get("produced_on")
    if produced_on and "produced_on" not in errors:
        today = timezone.localdate()
        if produced_on > today:
            errors["produced_on"] = ["That day has not happened yet."]
        elif produced_on > week.week_end:
            errors["produced_on"] = [f"That day is after review week {week.iso_week} ends."]
        elif produced_on < week.week_start - timedelta(days=OLDEST_SAMPLE_DAYS):
            errors["produced_on"] = [
                f"Sample outputs from the four weeks before {week.iso_week} at the oldest."
            ]
    for score in Sample.SCORES:
        if data.get(f"{score}_ok", True) is False and not data.get(f"{score}_note"):
            label = "missing facts" if score == "completeness" else score
            errors[f"{score}_note"] = [f"Say briefly why the {label} fails."]
    error = data.get("error")
    if error is not None and error.pilot_id != week.pilot_id:
        errors["error"] = ["Link an entry from this pilot's error log."]
    if not unknown:
        sample = Sample(week=week, pilot_id=week.pilot_id, **data)
        try:
            sample.full_clean(
                exclude=["week", "pilot", "error", "logged_by", *errors],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, messages)
    return errors


def _build(week: ReviewWeek, by, data: dict) -> Sample:
    return Sample(week=week, pilot_id=week.pilot_id, logged_by=by, **_normalised(data))


@transaction.atomic
def sample_log(*, week: ReviewWeek, by, **data) -> Sample:
    """Log one sample in an open review week (the week page's row form)."""
    if not access.can_review(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers log samples.")
    week = (
        ReviewWeek.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=week.pk)
    )
    errors = sample_problems(week=week, data=data)
    if errors:
        raise ApplicationError("The sample could not be saved.", field_errors=errors)
    sample = _build(week, by, data)
    sample._history_user = by
    sample.save()
    pilot_facts_changed(week.pilot_id)
    return sample


@transaction.atomic
def sample_log_bulk(*, by, rows: list[dict]) -> list[Sample]:
    """Log many samples at once: every row is checked, and one bad row saves nothing.

    Each row names its `week` (a ReviewWeek). Raises BulkRowErrors with every invalid row.
    """
    if not rows:
        raise ApplicationError(
            "Send at least one sample.", field_errors={"samples": ["Empty list."]}
        )
    if len(rows) > MAX_BULK_ROWS:
        message = f"Send at most {MAX_BULK_ROWS} samples per call."
        raise ApplicationError(message, field_errors={"samples": [message]})
    week_ids = {row["week"].pk for row in rows}
    weeks = {
        week.pk: week
        for week in ReviewWeek.objects.select_for_update(of=("self",))
        .select_related("pilot")
        .filter(pk__in=week_ids)
    }
    for week in weeks.values():
        if not access.can_review(by, week.pilot):
            raise PermissionDenied(f"Only the reviewers of {week.pilot} log its samples.")
    problems = []
    for index, row in enumerate(rows):
        data = {name: value for name, value in row.items() if name != "week"}
        errors = sample_problems(week=weeks[row["week"].pk], data=data)
        if errors:
            problems.append((index, errors))
    if problems:
        raise BulkRowErrors(problems)
    samples = [
        _build(weeks[row["week"].pk], by, {k: v for k, v in row.items() if k != "week"})
        for row in rows
    ]
    Sample.objects.bulk_create(samples)
    Sample.history.bulk_history_create(samples, default_user=by)
    pilots_facts_changed(week.pilot_id for week in weeks.values())
    return samples


@transaction.atomic
def sample_delete(*, sample: Sample, by) -> None:
    """Take back a sample logged by mistake, while its week is open."""
    week = (
        ReviewWeek.objects.select_for_update(of=("self",))
        .select_related("pilot")
        .get(pk=sample.week_id)
    )
    if not access.can_review(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers remove samples.")
    if not week.is_open:
        raise ApplicationError(
            f"Review week {week.iso_week} is closed: its samples stay as they are."
        )
    sample._history_user = by
    sample.delete()
    pilot_facts_changed(week.pilot_id)


@transaction.atomic
def sample_update(*, sample: Sample, by, **data) -> Sample:
    """Correct a mis-logged sample in place, while its week is open; the same checks as logging,
    and the change goes to the sample's history."""
    week = (
        ReviewWeek.objects.select_for_update(of=("self",))
        .select_related("pilot")
        .get(pk=sample.week_id)
    )
    if not access.can_review(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers correct samples.")
    if not week.is_open:
        raise ApplicationError(
            f"Review week {week.iso_week} is closed: its samples stay as they are."
        )
    errors = sample_problems(week=week, data=data)
    if errors:
        raise ApplicationError("The sample could not be saved.", field_errors=errors)
    for name, value in _normalised(data).items():
        setattr(sample, name, value)
    sample._history_user = by
    sample.save()
    pilot_facts_changed(week.pilot_id)
    return sample
