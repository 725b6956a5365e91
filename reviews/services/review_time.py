"""Review time measured and counted: the queue records each item's open-to-score time; the week's
total goes into the cost ledger as reviewer time at the pilot's reviewer rate, once per week
(the entry's idempotency key names the week, so recording again adds nothing)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from costs.models import Category, CostEntry, Source
from costs.services.entries import insert_entries
from costs.services.rates import RateBook
from costs.services.rows import parse_entry

from ..models import QueueItem, ReviewWeek


@dataclass
class ReviewTime:
    items: int
    seconds: int
    entry: CostEntry | None
    problem: str = ""


def review_hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def review_time_key(week: ReviewWeek) -> str:
    return f"weekly-review-{week.iso_week}"


def week_review_seconds(week: ReviewWeek) -> tuple[int, int]:
    totals = QueueItem.objects.filter(week=week, status=QueueItem.Status.SCORED).aggregate(
        items=Count("id"), seconds=Sum("seconds_spent")
    )
    return totals["items"], totals["seconds"] or 0


@transaction.atomic
def review_time_record(*, week: ReviewWeek, by=None) -> ReviewTime:
    """Put the week's measured review time in the ledger (once). Called when the queue is done and
    when the week closes; the time is the queue's measurement, so it needs no cost-recording right
    of the reviewer. Without a reviewer rate (the pilot's or the company default) nothing is
    recorded and `problem` says why; a later call records it once a rate is set."""
    key = review_time_key(week)
    items, seconds = week_review_seconds(week)
    existing = CostEntry.objects.filter(pilot_id=week.pilot_id, idempotency_key=key).first()
    if existing is not None or not seconds:
        return ReviewTime(items, seconds, existing)
    day = min(week.week_end, timezone.localdate())
    raw = {
        "pilot": week.pilot_id,
        "date": day,
        "category": Category.REVIEWER_TIME,
        "hours": review_hours(seconds),
        "note": f"Weekly review {week.iso_week}: {items} item(s) scored in the review queue.",
        "task_type": "",
        "idempotency_key": key,
    }
    row, errors = parse_entry(
        raw,
        resolve_pilot=lambda _: (week.pilot, ""),
        today=day,
        rates=RateBook([week.pilot_id]),
    )
    if errors:
        problem = " ".join(message for messages in errors.values() for message in messages)
        return ReviewTime(items, seconds, None, problem)
    result = insert_entries([row], by=by, source=Source.MANUAL)
    _, pk = result.rows[0]
    return ReviewTime(items, seconds, CostEntry.objects.get(pk=pk))
