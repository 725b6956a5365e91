import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from governance.models import Change, DecisionRight
from governance.services import (
    change_decide,
    change_mark_live,
    change_propose,
    change_record_outcome,
    decision_right_assign,
)

Right = DecisionRight.Kind


@pytest.fixture
def rights(people, pilot):
    decision_right_assign(
        pilot=pilot,
        kind=Right.PROMPT_CHANGES,
        by=people["owner"],
        owner=people["tech"],
        backup=people["owner_backup"],
    )
    decision_right_assign(
        pilot=pilot, kind=Right.DATA_ACCESS, by=people["owner"], owner=people["owner"]
    )


def _propose(people, pilot, kind=Change.Kind.PROMPT, **extra):
    return change_propose(
        pilot=pilot,
        by=people["reviewer"],
        kind=kind,
        title="Cite the order date",
        hypothesis="Wrong delivery dates stop.",
        **extra,
    )


def test_decision_right_backup_must_differ(people, pilot):
    with pytest.raises(ApplicationError) as error:
        decision_right_assign(
            pilot=pilot,
            kind=Right.MODEL_CHOICE,
            by=people["owner"],
            owner=people["tech"],
            backup=people["tech"],
        )
    assert "backup" in error.value.field_errors
    assert not DecisionRight.objects.filter(pilot=pilot, kind=Right.MODEL_CHOICE).exists()


def test_only_owners_assign_decision_rights(people, pilot):
    with pytest.raises(PermissionDenied):
        decision_right_assign(
            pilot=pilot, kind=Right.MODEL_CHOICE, by=people["reviewer"], owner=people["tech"]
        )


def test_a_change_needs_a_hypothesis(people, pilot):
    with pytest.raises(ApplicationError) as error:
        change_propose(
            pilot=pilot,
            by=people["reviewer"],
            kind=Change.Kind.PROMPT,
            title="Tweak",
            hypothesis="",
        )
    assert "hypothesis" in error.value.field_errors


def test_people_without_a_role_cannot_propose_changes(people, pilot):
    with pytest.raises(PermissionDenied):
        _propose({**people, "reviewer": people["finance"]}, pilot)


@pytest.mark.parametrize("approver", ["tech", "owner_backup"])
def test_the_owner_of_the_decision_right_or_their_backup_approves(people, pilot, rights, approver):
    change = change_decide(
        change=_propose(people, pilot), by=people[approver], approve=True, note="Go."
    )
    assert change.status == Change.Status.APPROVED
    assert change.approved_by == people[approver]
    assert change.history.first().history_user == people[approver]


@pytest.mark.parametrize("someone", ["owner", "reviewer", "stopper", "admin"])
def test_nobody_else_approves_a_change_not_even_the_business_owner(people, pilot, rights, someone):
    change = _propose(people, pilot)
    with pytest.raises(PermissionDenied, match="prompt changes"):
        change_decide(change=change, by=people[someone], approve=True)
    change.refresh_from_db()
    assert change.status == Change.Status.PROPOSED


def test_the_approver_follows_the_kind_of_change(people, pilot, rights):
    change = _propose(people, pilot, kind=Change.Kind.DATA_SOURCE)
    with pytest.raises(PermissionDenied):
        change_decide(change=change, by=people["tech"], approve=True)
    assert (
        change_decide(change=change, by=people["owner"], approve=True).status
        == Change.Status.APPROVED
    )


def test_a_change_without_a_decision_owner_cannot_be_approved(people, pilot):
    with pytest.raises(PermissionDenied):
        change_decide(
            change=_propose(people, pilot, kind=Change.Kind.MODEL), by=people["admin"], approve=True
        )


def test_a_decided_change_cannot_be_decided_again(people, pilot, rights):
    change = change_decide(
        change=_propose(people, pilot), by=people["tech"], approve=False, note="Not now."
    )
    assert change.status == Change.Status.REJECTED
    with pytest.raises(ApplicationError, match="already rejected"):
        change_decide(change=change, by=people["tech"], approve=True)


def test_going_live_sets_the_review_week_and_updates_the_prompt_version(people, pilot, rights):
    change = change_decide(
        change=_propose(people, pilot, new_value="v9"), by=people["tech"], approve=True
    )
    live_at = timezone.datetime(2026, 11, 18, 10, tzinfo=timezone.get_current_timezone())
    change = change_mark_live(change=change, by=people["tech"], live_at=live_at)
    pilot.refresh_from_db()
    assert (change.status, change.review_week) == (Change.Status.LIVE, "2026-W47")
    assert pilot.prompt_version == "v9"
    assert pilot.history.first().history_user == people["tech"]


def test_only_approved_changes_go_live(people, pilot, rights):
    with pytest.raises(ApplicationError, match="approved"):
        change_mark_live(change=_propose(people, pilot), by=people["tech"])


def test_the_outcome_closes_the_change(people, pilot, rights):
    change = change_decide(change=_propose(people, pilot), by=people["tech"], approve=True)
    with pytest.raises(ApplicationError):
        change_record_outcome(
            change=change, by=people["reviewer"], verdict="kept", outcome="Fewer errors."
        )
    change = change_mark_live(change=change, by=people["tech"])
    with pytest.raises(ApplicationError) as error:
        change_record_outcome(change=change, by=people["reviewer"], verdict="kept", outcome="")
    assert "outcome" in error.value.field_errors
    change = change_record_outcome(
        change=change, by=people["reviewer"], verdict="kept", outcome="2 of 20 edited."
    )
    assert (change.status, change.verdict) == (Change.Status.CLOSED, Change.Verdict.KEPT)
