"""Writes for decision rights and the change log."""

from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed
from pilots import access
from pilots.models import Pilot
from pilots.services import pilot_set_versions

from ..models import Change, DecisionRight


def iso_week(moment) -> str:
    year, week, _ = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def decision_right_assign(*, pilot: Pilot, kind: str, by, owner=None, backup=None) -> DecisionRight:
    if not access.can_edit(by, pilot):
        raise PermissionDenied(
            "Only the pilot's business or technical owner may assign decision rights."
        )
    if kind not in DecisionRight.Kind.values:
        raise ApplicationError(
            "Unknown decision right.", field_errors={"kind": [f"'{kind}' is not a decision right."]}
        )
    if owner is not None and backup is not None and owner.pk == backup.pk:
        raise ApplicationError(
            "The backup must be a different person.",
            field_errors={"backup": ["The backup must be a different person from the owner."]},
        )
    # A decision needs someone who can see the pilot to make it.
    without_role = {
        field: [
            f"{person.get_full_name() or person.get_username()} holds no role on this pilot: give them one first."
        ]
        for field, person in (("owner", owner), ("backup", backup))
        if person is not None and not access.is_admin(person) and not access.roles_of(person, pilot)
    }
    if without_role:
        raise ApplicationError(
            "A decision right goes to someone on the pilot.", field_errors=without_role
        )
    if backup is not None and owner is None:
        raise ApplicationError(
            "Name the owner first.", field_errors={"owner": ["Name the owner before the backup."]}
        )
    right = DecisionRight.objects.select_for_update().filter(
        pilot=pilot, kind=kind
    ).first() or DecisionRight(pilot=pilot, kind=kind)
    right.owner, right.backup = owner, backup
    right._history_user = by
    right.save()
    return right


def may_approve(*, user, change: Change) -> bool:
    """Only the owner of the change's decision right, or their backup, approves it."""
    if not user.is_authenticated:
        return False
    right = DecisionRight.objects.filter(
        pilot_id=change.pilot_id, kind=change.decision_right_kind
    ).first()
    return right is not None and user.pk in {right.owner_id, right.backup_id}


@transaction.atomic
def change_propose(
    *, pilot: Pilot, by, kind: str, title: str, hypothesis: str, new_value: str = ""
) -> Change:
    """Anyone with a role on the pilot may propose a change; it waits for the decision owner."""
    if not (access.is_admin(by) or access.roles_of(by, pilot)):
        raise PermissionDenied("Only people with a role on this pilot may propose changes to it.")
    errors = {}
    if kind not in Change.Kind.values:
        errors["kind"] = [f"'{kind}' is not a kind of change."]
    if not (title or "").strip():
        errors["title"] = ["Say what changes."]
    if not (hypothesis or "").strip():
        errors["hypothesis"] = [
            "Say what you expect it to improve: one change at a time, tested for a week."
        ]
    if errors:
        raise ApplicationError("The change could not be proposed.", field_errors=errors)
    change = Change(
        pilot=pilot,
        kind=kind,
        title=title.strip(),
        hypothesis=hypothesis.strip(),
        new_value=new_value.strip(),
        requested_by=by,
    )
    change._history_user = by
    change.save()
    return change


def _locked(change: Change) -> Change:
    return Change.objects.select_for_update().select_related("pilot").get(pk=change.pk)


@transaction.atomic
def change_decide(*, change: Change, by, approve: bool, note: str = "") -> Change:
    change = _locked(change)
    if change.status != Change.Status.PROPOSED:
        raise ApplicationError(f"This change is already {change.get_status_display().lower()}.")
    if not may_approve(user=by, change=change):
        right = DecisionRight.Kind(change.decision_right_kind).label.lower()
        raise PermissionDenied(
            f"Only the owner of “{right}” on this pilot, or their backup, may decide this change."
        )
    change.status = Change.Status.APPROVED if approve else Change.Status.REJECTED
    change.approved_by = by
    change.decided_at = timezone.now()
    change.decision_note = note.strip()
    change._history_user = by
    change.save(
        update_fields=["status", "approved_by", "decided_at", "decision_note", "updated_at"]
    )
    return change


@transaction.atomic
def change_mark_live(*, change: Change, by, live_at=None) -> Change:
    """Put an approved change live; a prompt or model change updates the pilot's setup with it."""
    change = _locked(change)
    if change.status != Change.Status.APPROVED:
        raise ApplicationError("Only an approved change can go live.")
    if not (access.can_edit(by, change.pilot) or may_approve(user=by, change=change)):
        raise PermissionDenied("Only an owner of the pilot may put a change live.")
    change.status = Change.Status.LIVE
    change.live_at = live_at or timezone.now()
    change.review_week = iso_week(change.live_at)
    change._history_user = by
    change.save(update_fields=["status", "live_at", "review_week", "updated_at"])
    setup_field = {Change.Kind.PROMPT: "prompt_version", Change.Kind.MODEL: "model_version"}.get(
        change.kind
    )
    if setup_field and change.new_value:
        pilot_set_versions(pilot=change.pilot, by=by, **{setup_field: change.new_value})
    pilot_facts_changed(change.pilot_id)  # too many live changes in a week is prompt drift
    return change


@transaction.atomic
def change_record_outcome(*, change: Change, by, verdict: str, outcome: str) -> Change:
    change = _locked(change)
    if change.status not in {Change.Status.LIVE, Change.Status.CLOSED}:
        raise ApplicationError(
            "Record the outcome once the change has been live for its review week."
        )
    if not (access.can_edit(by, change.pilot) or access.can_review(by, change.pilot)):
        raise PermissionDenied("Only an owner or reviewer of the pilot may record the outcome.")
    errors = {}
    if verdict not in Change.Verdict.values:
        errors["verdict"] = ["Choose kept, reverted or inconclusive."]
    if not (outcome or "").strip():
        errors["outcome"] = ["Say what the review week showed."]
    if errors:
        raise ApplicationError("The outcome could not be recorded.", field_errors=errors)
    change.status = Change.Status.CLOSED
    change.verdict = verdict
    change.outcome = outcome.strip()
    change.outcome_at = timezone.now()
    change._history_user = by
    change.save(update_fields=["status", "verdict", "outcome", "outcome_at", "updated_at"])
    return change
