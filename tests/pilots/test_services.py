from decimal import Decimal

import pytest

from common.errors import ApplicationError, PermissionDenied
from pilots.models import Pilot, PilotRole, StatusChange
from pilots.services import pilot_create, pilot_pause, pilot_transition, pilot_update, role_assign
from tests.pilots.factories import PilotFactory, UserFactory

Status = Pilot.Status
Kind = PilotRole.Kind


def test_creating_a_pilot_makes_a_draft_owned_by_its_creator(db):
    manager = UserFactory()
    pilot = pilot_create(by=manager, name="Sales call summaries", summary="Summarize calls.")
    assert pilot.status == Status.DRAFT
    owner = pilot.roles.get(kind=Kind.BUSINESS_OWNER)
    assert owner.primary == manager
    assert pilot.status_changes.get().reason == "Pilot created."


def test_create_refuses_fields_that_have_their_own_service(db):
    with pytest.raises(ApplicationError, match="status"):
        pilot_create(by=UserFactory(), name="X", status=Status.SCALED)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.PILOTING),
        (Status.PILOTING, Status.EXPANDING),
        (Status.EXPANDING, Status.SCALED),
        (Status.EXPANDING, Status.PILOTING),
        (Status.SCALED, Status.RETIRED),
    ],
)
def test_owners_move_a_pilot_along_allowed_transitions(people, pilot, start, target, monkeypatch):
    # The state machine alone: readiness before expanding is a guard tested in governance.
    monkeypatch.setattr("pilots.services._TRANSITION_GUARDS", [])
    Pilot.objects.filter(pk=pilot.pk).update(status=start)
    pilot.refresh_from_db()
    moved = pilot_transition(
        pilot=pilot, to_status=target, by=people["owner"], reason="Targets held."
    )
    assert moved.status == target
    change = StatusChange.objects.filter(pilot=pilot).latest("at")
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        start,
        target,
        people["owner"],
        "Targets held.",
    )


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.EXPANDING),
        (Status.DRAFT, Status.SCALED),
        (Status.PILOTING, Status.SCALED),
        (Status.PILOTING, Status.DRAFT),
        (Status.RETIRED, Status.PILOTING),
    ],
)
def test_transitions_outside_the_lifecycle_are_refused_and_record_nothing(
    people, pilot, start, target
):
    Pilot.objects.filter(pk=pilot.pk).update(status=start)
    pilot.refresh_from_db()
    before = StatusChange.objects.count()
    with pytest.raises(ApplicationError):
        pilot_transition(pilot=pilot, to_status=target, by=people["admin"], reason="Try.")
    pilot.refresh_from_db()
    assert pilot.status == start
    assert StatusChange.objects.count() == before


def test_a_transition_needs_a_reason(people, pilot):
    with pytest.raises(ApplicationError) as error:
        pilot_transition(pilot=pilot, to_status=Status.EXPANDING, by=people["owner"], reason="  ")
    assert "reason" in error.value.field_errors


def test_only_the_stop_authority_pauses_and_resumes_to_the_previous_stage(people, pilot):
    Pilot.objects.filter(pk=pilot.pk).update(status=Status.EXPANDING)
    pilot.refresh_from_db()
    with pytest.raises(PermissionDenied):
        pilot_transition(
            pilot=pilot, to_status=Status.PAUSED, by=people["reviewer"], reason="Bad drafts."
        )
    paused = pilot_transition(
        pilot=pilot, to_status=Status.PAUSED, by=people["stopper_backup"], reason="Bad drafts."
    )
    assert paused.status == Status.PAUSED
    with pytest.raises(PermissionDenied):
        pilot_transition(
            pilot=paused, to_status=Status.EXPANDING, by=people["owner"], reason="Fixed."
        )
    with pytest.raises(ApplicationError, match="resumes to the status it had"):
        pilot_transition(
            pilot=paused, to_status=Status.PILOTING, by=people["stopper"], reason="Fixed."
        )
    resumed = pilot_transition(
        pilot=paused, to_status=Status.EXPANDING, by=people["stopper"], reason="Fixed."
    )
    assert resumed.status == Status.EXPANDING
    assert resumed.status_before_pause == ""


def test_a_rule_pauses_without_a_person_and_pausing_again_records_nothing(pilot):
    pilot_pause(pilot=pilot, by=None, reason="Spend over cap.", rule="spend_over_cap")
    pilot_pause(pilot=pilot, by=None, reason="Spend over cap.", rule="spend_over_cap")
    pauses = StatusChange.objects.filter(pilot=pilot, to_status=Status.PAUSED)
    assert pauses.count() == 1
    assert pauses.get().rule == "spend_over_cap"
    assert pauses.get().by is None


def test_a_rule_cannot_resume_a_pilot(pilot):
    pilot_pause(pilot=pilot, by=None, reason="Stop-now error.", rule="stop_now_error")
    with pytest.raises(PermissionDenied):
        pilot_transition(pilot=pilot, to_status=Status.PILOTING, by=None, reason="Auto.")


def test_update_changes_only_the_given_fields_and_writes_history(people, pilot):
    pilot_update(
        pilot=pilot,
        by=people["tech"],
        data={"handoff_conditions": "the customer asks for a refund."},
    )
    pilot.refresh_from_db()
    assert pilot.handoff_conditions == "the customer asks for a refund."
    assert pilot.trigger == "a routine ticket arrives."
    record = pilot.history.first()
    assert record.history_user == people["tech"]
    assert record.handoff_conditions == "the customer asks for a refund."


def test_update_by_a_reviewer_is_refused(people, pilot):
    with pytest.raises(PermissionDenied):
        pilot_update(pilot=pilot, by=people["reviewer"], data={"trigger": "anything."})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"monthly_cap": Decimal("-5")}, "monthly_cap"),
        ({"alert_thresholds": [80, 50]}, "alert_thresholds"),
        ({"alert_thresholds": [50, 50]}, "alert_thresholds"),
        ({"alert_thresholds": [0]}, "alert_thresholds"),
        ({"review_sample_size": 2}, "review_sample_size"),
        ({"expansion_metric": "error_rate", "expansion_threshold": None}, "expansion_threshold"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_one_page_values_are_refused_per_field_and_nothing_is_saved(
    people, pilot, data, field
):
    before = Pilot.objects.values().get(pk=pilot.pk)
    with pytest.raises(ApplicationError) as error:
        pilot_update(pilot=pilot, by=people["owner"], data=data)
    assert field in error.value.field_errors
    assert Pilot.objects.values().get(pk=pilot.pk) == before


def test_update_refuses_status_fields(people, pilot):
    with pytest.raises(ApplicationError, match="status"):
        pilot_update(pilot=pilot, by=people["owner"], data={"status": Status.SCALED})


def test_role_backup_must_differ_from_primary(people, pilot):
    with pytest.raises(ApplicationError) as error:
        role_assign(
            pilot=pilot,
            kind=Kind.REVIEWER,
            by=people["owner"],
            primary=people["reviewer"],
            backup=people["reviewer"],
        )
    assert error.value.field_errors["backup"] == [
        "The backup must be a different person from the primary."
    ]
    role = pilot.roles.get(kind=Kind.REVIEWER)
    assert role.backup == people["reviewer_backup"]


def test_role_assignment_replaces_the_row_and_keeps_a_history(people, pilot):
    newcomer = UserFactory(username="newcomer")
    role_assign(
        pilot=pilot,
        kind=Kind.REVIEWER,
        by=people["owner"],
        primary=newcomer,
        backup=people["reviewer"],
        members=[people["reviewer_backup"]],
        response_minutes=240,
    )
    role = pilot.roles.get(kind=Kind.REVIEWER)
    assert (role.primary, role.backup, role.response_minutes) == (newcomer, people["reviewer"], 240)
    assert list(role.members.all()) == [people["reviewer_backup"]]
    assert pilot.roles.filter(kind=Kind.REVIEWER).count() == 1
    history = list(role.history.order_by("history_date"))
    assert history[-1].history_user == people["owner"]
    assert history[-1].primary_id == newcomer.pk


def test_only_the_reviewer_role_takes_a_group(people, pilot):
    with pytest.raises(ApplicationError) as error:
        role_assign(
            pilot=pilot,
            kind=Kind.STOP_AUTHORITY,
            by=people["owner"],
            primary=people["stopper"],
            members=[people["reviewer"]],
        )
    assert "members" in error.value.field_errors


def test_the_database_refuses_a_backup_equal_to_the_primary_even_outside_services(people):
    from django.db import IntegrityError, transaction

    pilot = PilotFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PilotRole.objects.create(
            pilot=pilot, kind=Kind.REVIEWER, primary=people["owner"], backup=people["owner"]
        )
