"""Review weeks: opened by a reviewer, annotated in the weekly meeting, closed with a decision."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed
from pilots import access
from pilots.models import Pilot, PilotRole

from ..models import ReviewWeek
from ..weeks import week_label, week_start
from .review_time import review_time_record

# A reviewer may prepare next week's review, not one further ahead.
WEEKS_AHEAD = 1
WEEK_FIELDS = frozenset({"notes", "reviewer", "target_size", "next_change"})


def may_manage_week(user, pilot: Pilot) -> bool:
    """Reviewers keep the week; the owners may write the meeting notes and close it too."""
    return access.can_review(user, pilot) or access.can_edit(user, pilot)


def _check_change(change, pilot: Pilot, field: str) -> dict[str, list[str]]:
    if change is not None and change.pilot_id != pilot.pk:
        return {field: ["Pick a change from this pilot's change log."]}
    return {}


@transaction.atomic
def review_week_open(*, pilot: Pilot, iso_week: str, by) -> ReviewWeek:
    """The review week of `pilot` for `iso_week`, created by a reviewer the first time it is opened."""
    try:
        start = week_start(iso_week)
    except ValueError as error:
        raise ApplicationError(str(error), field_errors={"iso_week": [str(error)]}) from error
    existing = ReviewWeek.objects.filter(pilot=pilot, week_start=start).first()
    if existing is not None:
        return existing
    if not access.can_review(by, pilot):
        raise PermissionDenied("Only the pilot's reviewers open a review week.")
    latest = week_start(week_label(timezone.localdate())) + timedelta(weeks=WEEKS_AHEAD)
    if start > latest:
        message = f"Review weeks open at most {WEEKS_AHEAD} week ahead ({week_label(latest)})."
        raise ApplicationError(message, field_errors={"iso_week": [message]})
    if pilot.record_day_problem(start + timedelta(days=6)):
        message = f"Week {iso_week} ended more than a year before the pilot was created."
        raise ApplicationError(message, field_errors={"iso_week": [message]})
    # Lock the pilot so two first opens of the same week cannot race into the unique constraint.
    Pilot.objects.select_for_update().filter(pk=pilot.pk).first()
    existing = ReviewWeek.objects.filter(pilot=pilot, week_start=start).first()
    if existing is not None:
        return existing
    reviewer = by
    if PilotRole.Kind.REVIEWER not in access.roles_of(by, pilot):
        role = PilotRole.objects.filter(pilot=pilot, kind=PilotRole.Kind.REVIEWER).first()
        reviewer = role.primary if role and role.primary_id else None
    week = ReviewWeek(
        pilot=pilot, week_start=start, reviewer=reviewer, target_size=pilot.review_sample_size
    )
    week._history_user = by
    week.save()
    return week


def _locked(week: ReviewWeek) -> ReviewWeek:
    return (
        ReviewWeek.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=week.pk)
    )


@transaction.atomic
def review_week_update(*, week: ReviewWeek, by, data: dict) -> ReviewWeek:
    """Meeting notes, the reviewer, the target and the change to test next, while the week is open."""
    week = _locked(week)
    if not may_manage_week(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers and owners keep its review weeks.")
    unknown = set(data) - WEEK_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    if not week.is_open:
        raise ApplicationError("This review week is closed.")
    errors = _check_change(data.get("next_change"), week.pilot, "next_change")
    reviewer = data.get("reviewer")
    if reviewer is not None and not access.can_review(reviewer, week.pilot):
        errors["reviewer"] = ["Pick one of the pilot's reviewers."]
    target = data.get("target_size", week.target_size)
    if target is None or not 1 <= target <= 500:
        errors["target_size"] = ["The target is between 1 and 500 samples."]
    if errors:
        raise ApplicationError("The review week could not be saved.", field_errors=errors)
    if "notes" in data:
        data = {**data, "notes": (data["notes"] or "").strip()}
    changed = [name for name, value in data.items() if getattr(week, name) != value]
    if not changed:
        return week
    for name in changed:
        setattr(week, name, data[name])
    week._history_user = by
    week.save(update_fields=[*changed, "updated_at"])
    return week


@transaction.atomic
def review_week_close(
    *, week: ReviewWeek, by, decision: str, next_change=None, below_target_reason: str = ""
) -> ReviewWeek:
    """Record what the team decided; a week below its target closes only with a reason."""
    week = _locked(week)
    if not may_manage_week(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers and owners close its review weeks.")
    if not week.is_open:
        raise ApplicationError("This review week is already closed.")
    decision = (decision or "").strip()
    below_target_reason = (below_target_reason or "").strip()
    errors = _check_change(next_change, week.pilot, "next_change")
    if not decision:
        errors["decision"] = ["Write down what the team decided (and the one change to test next)."]
    logged = week.samples.count()
    if logged < week.target_size and not below_target_reason:
        errors["below_target_reason"] = [
            f"Only {logged} of {week.target_size} samples are logged: "
            "say why the week closes below its target."
        ]
    if errors:
        raise ApplicationError("The review week could not be closed.", field_errors=errors)
    week.status = ReviewWeek.Status.CLOSED
    week.decision = decision
    week.next_change = next_change
    week.below_target_reason = below_target_reason if logged < week.target_size else ""
    week.closed_at = timezone.now()
    week.closed_by = by
    week._history_user = by
    week.save(
        update_fields=[
            "status",
            "decision",
            "next_change",
            "below_target_reason",
            "closed_at",
            "closed_by",
            "updated_at",
        ]
    )
    # The queue's measured time, if the queue was not finished (or no rate was set until now).
    review_time_record(week=week, by=by)
    pilot_facts_changed(week.pilot_id)  # the week's figures now count for the stop rules
    return week
