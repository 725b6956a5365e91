"""The review queue: one drawn item at a time, held for the reviewer who opened it, scored with
the sample form's rubric into the week's samples (and, in one step, the error log).

An opened item is leased to its reviewer for PILOTDECK_QUEUE_LEASE_MINUTES; the next item is
picked with SELECT … FOR UPDATE SKIP LOCKED, so two reviewers asking at once never get the same
one. An item drawn twice for agreement goes to two different reviewers; the first pass scored
becomes the sample, the other keeps only its scores for the agreement figures.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from pilots import access

from ..models import QueueItem, ReviewWeek, Sample
from .errors import error_log
from .review_time import review_time_record
from .samples import sample_log, sample_problems

SCORED_FIELDS = (
    "accuracy_ok",
    "tone_ok",
    "completeness_ok",
    "should_have_gone_to_human",
    "outcome",
)


def _lease() -> timedelta:
    return timedelta(minutes=settings.PILOTDECK_QUEUE_LEASE_MINUTES)


def _require_reviewer(by, week: ReviewWeek) -> None:
    if not access.can_review(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers work through its queue.")


@transaction.atomic
def queue_next(*, week: ReviewWeek, by) -> QueueItem | None:
    """The item this reviewer has open, else the next free one (now leased to them); None when
    nothing is left for them."""
    _require_reviewer(by, week)
    now = timezone.now()
    pending = QueueItem.objects.filter(week=week, status=QueueItem.Status.PENDING)
    held = pending.filter(leased_by=by, lease_until__gt=now).select_related("candidate").first()
    if held is not None:
        return held
    # Never both passes of one item to the same reviewer: agreement needs two people.
    mine = QueueItem.objects.filter(week=week).filter(
        Q(scored_by=by) | Q(leased_by=by, status=QueueItem.Status.PENDING)
    )
    item = (
        pending.filter(Q(leased_by__isnull=True) | Q(lease_until__lte=now) | Q(leased_by=by))
        .exclude(position__in=mine.values("position"))
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("candidate")
        .order_by("position", "pass_number")
        .first()
    )
    if item is None:
        return None
    item.leased_by = by
    item.lease_until = now + _lease()
    item.opened_at = now
    item.save(update_fields=["leased_by", "lease_until", "opened_at"])
    return item


def _locked(item: QueueItem, by) -> QueueItem:
    item = (
        QueueItem.objects.select_for_update(of=("self",))
        .select_related("week__pilot", "candidate")
        .get(pk=item.pk)
    )
    _require_reviewer(by, item.week)
    if item.status != QueueItem.Status.PENDING:
        raise ApplicationError("This item has already been dealt with: take the next one.")
    held_by_another = item.leased_by_id not in (None, by.pk)
    if held_by_another and item.lease_until and item.lease_until > timezone.now():
        raise ApplicationError("Another reviewer has this item open: take the next one.")
    if item.leased_by_id != by.pk:  # a free item (or an expired lease) is taken by who scores it
        item.opened_at = None
    return item


def sample_data(item: QueueItem, scores: dict) -> dict:
    """The sample a scored item becomes: who, when and which task from the draw, the rest scored."""
    candidate = item.candidate
    return {
        "reference": item.reference,
        "produced_on": candidate.day if candidate else item.week.week_start,
        "produced_by": (candidate.user_ref if candidate else "")[:120] or "not reported",
        "case": Sample.Case.MESSY if candidate and candidate.is_messy else Sample.Case.EASY,
        **scores,
    }


@transaction.atomic
def queue_item_score(*, item: QueueItem, by, scores: dict, error: dict | None = None) -> QueueItem:
    """Score an open item with the sample form's fields. `error` ({what_went_wrong, severity}) logs
    it in the error log too, with what the AI was asked and produced, linked to the sample."""
    item = _locked(item, by)
    now = timezone.now()
    first = not QueueItem.objects.filter(
        week=item.week, position=item.position, status=QueueItem.Status.SCORED
    ).exists()
    data = sample_data(item, scores)
    if error is not None:
        if not (error.get("what_went_wrong") or "").strip():
            message = "Say what went wrong, for the error log."
            raise ApplicationError(message, field_errors={"what_went_wrong": [message]})
        candidate = item.candidate
        entry = error_log(
            pilot=item.week.pilot,
            by=by,
            what_went_wrong=error["what_went_wrong"].strip(),
            severity=error.get("severity") or "",
            reference=item.reference,
            task_asked=candidate.input_text if candidate else "",
            output=candidate.output_text if candidate else "",
            occurred_on=data["produced_on"],
            caught_by=by,
        )
        data["error"] = entry
    if first:
        item.sample = sample_log(week=item.week, by=by, **data)
    else:  # the second pass is checked the same way, and only its scores are kept
        problems = sample_problems(week=item.week, data=data)
        if problems:
            raise ApplicationError("The scores could not be saved.", field_errors=problems)
    for name in SCORED_FIELDS:
        setattr(item, name, scores.get(name))
    item.status = QueueItem.Status.SCORED
    item.scored_by, item.scored_at = by, now
    if item.opened_at is not None:  # open-to-score time, when it was opened in the queue
        item.seconds_spent = max(0, int((now - item.opened_at).total_seconds()))
    item.leased_by, item.lease_until = None, None
    item.save()
    _when_done(item.week, by)
    return item


@transaction.atomic
def queue_item_skip(*, item: QueueItem, by, reason: str) -> QueueItem:
    """Set an item aside; a skip needs a reason (the week shows them)."""
    reason = (reason or "").strip()
    if not reason:
        message = "Say why you skip this item (the week shows the reasons)."
        raise ApplicationError(message, field_errors={"skip_reason": [message]})
    item = _locked(item, by)
    item.status = QueueItem.Status.SKIPPED
    item.skip_reason = reason[:300]
    item.scored_by, item.scored_at = by, timezone.now()
    item.leased_by, item.lease_until = None, None
    item.save(
        update_fields=[
            "status",
            "skip_reason",
            "scored_by",
            "scored_at",
            "leased_by",
            "lease_until",
        ]
    )
    _when_done(item.week, by)
    return item


def _when_done(week: ReviewWeek, by) -> None:
    """The last item dealt with: the week's measured review time goes into the cost ledger."""
    if not QueueItem.objects.filter(week=week, status=QueueItem.Status.PENDING).exists():
        review_time_record(week=week, by=by)
