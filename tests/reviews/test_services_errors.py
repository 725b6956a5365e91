"""Error log services: stop-now reports, full entries, routing, repeats and fixes."""

import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from pilots.models import Pilot, PilotRole, StatusChange
from reviews import services
from reviews.models import ErrorEntry
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

from .factories import ErrorEntryFactory, FailureModeFactory
from .helpers import change_for

pytestmark = pytest.mark.django_db
Kind = PilotRole.Kind
Severity = ErrorEntry.Severity


# --- The error log: stop-now ----------------------------------------------------------------------


def test_stop_now_pauses_the_pilot_once_and_a_second_stop_now_only_records(pilot, people):
    first = services.error_report(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="The draft showed another customer's address.",
        severity=Severity.STOP_NOW,
    )

    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED
    assert first.paused_pilot is True
    pause = StatusChange.objects.get(pilot=pilot, to_status=Pilot.Status.PAUSED)
    assert pause.by is None
    assert pause.rule == "stop_now_error"
    reviewer = people["reviewer"]
    assert pause.reason == (
        f"Stop-now error #{first.pk}: The draft showed another customer's address. "
        f"(reported by {reviewer.get_full_name()})"
    )

    second = services.error_report(
        pilot=pilot,
        by=people["finance"],
        what_went_wrong="It invented a refund policy.",
        severity="stop_now",
    )

    assert second.pk and second.paused_pilot is False
    assert StatusChange.objects.filter(pilot=pilot, to_status=Pilot.Status.PAUSED).count() == 1
    assert ErrorEntry.objects.filter(pilot=pilot, severity=Severity.STOP_NOW).count() == 2


def test_raising_an_entry_to_stop_now_later_pauses_the_pilot(pilot, people):
    entry = services.error_report(
        pilot=pilot, by=people["tech"], what_went_wrong="Invented an order."
    )
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING

    entry = services.error_update(
        entry=entry, by=people["reviewer"], data={"severity": Severity.STOP_NOW}
    )

    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED
    assert entry.paused_pilot


def test_a_stop_now_entry_is_resolved_only_by_a_stop_authority_with_a_note(pilot, people):
    entry = services.error_report(
        pilot=pilot, by=people["reviewer"], what_went_wrong="Leaked an email.", severity="stop_now"
    )
    with pytest.raises(PermissionDenied):
        services.error_resolve(entry=entry, by=people["owner"], note="Looked at it.")
    with pytest.raises(ApplicationError) as error:
        services.error_resolve(entry=entry, by=people["stopper_backup"])
    assert "note" in error.value.field_errors

    entry = services.error_resolve(
        entry=entry, by=people["stopper_backup"], note="Removed the CRM source."
    )

    assert entry.status == ErrorEntry.Status.RESOLVED
    assert entry.resolved_by == people["stopper_backup"]
    pilot.refresh_from_db()
    assert (
        pilot.status == Pilot.Status.PAUSED
    )  # resolving never resumes: the stop authority does that


def test_a_medium_entry_is_resolved_by_an_owner(pilot, people):
    entry = ErrorEntryFactory(pilot=pilot, severity="medium")
    assert entry.needs_human_check
    services.error_resolve(entry=entry, by=people["tech"])
    with pytest.raises(ApplicationError):
        services.error_resolve(entry=entry, by=people["tech"])


def test_anyone_who_can_see_the_pilot_reports_but_strangers_cannot(pilot, people):
    entry = services.error_report(pilot=pilot, by=people["finance"], what_went_wrong="Odd tone.")
    assert entry.reported_by == entry.caught_by == people["finance"]
    assert entry.severity == ""
    with pytest.raises(PermissionDenied):
        services.error_report(pilot=pilot, by=people["stranger"], what_went_wrong="Odd tone.")
    with pytest.raises(ApplicationError) as error:
        services.error_report(pilot=pilot, by=people["owner"], what_went_wrong="   ")
    assert "what_went_wrong" in error.value.field_errors


def test_only_reviewers_owners_and_the_stop_authority_log_full_entries(pilot, people):
    with pytest.raises(PermissionDenied):
        services.error_log(
            pilot=pilot, by=people["finance"], what_went_wrong="x", category="output_quality"
        )
    with pytest.raises(PermissionDenied):
        services.error_log(
            pilot=pilot, by=people["reviewer"], what_went_wrong="x", fix_kind="new_rule"
        )
    entry = services.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="Quoted the wrong delivery date.",
        task_asked="Draft a reply about order 1234.",
        output="It arrives Monday.",
        why_wrong="It shipped late.",
        frequency="sometimes",
        severity="medium",
        failure_mode="Wrong delivery date",
        category="output_quality",
    )
    assert entry.failure_mode.slug == "wrong-delivery-date"
    assert entry.routed_to == people["owner"]


# --- Routing --------------------------------------------------------------------------------------


# The company's escalation paths (support) decide; with no lane on the pilot and no company lane
# contact, a category that goes to a lane falls back to the pilot's stop authority.
@pytest.mark.parametrize(
    ("category", "role", "holder"),
    [
        ("data_handling", Kind.STOP_AUTHORITY, "stopper"),  # no security lane on this pilot
        ("security_incident", Kind.STOP_AUTHORITY, "stopper"),
        ("workflow_failure", Kind.TECHNICAL_OWNER, "tech"),
        ("technical_issue", Kind.STOP_AUTHORITY, "stopper"),  # the IT lane
        ("output_quality", Kind.BUSINESS_OWNER, "owner"),
        ("user_guidance", Kind.STOP_AUTHORITY, "stopper"),  # the operations lane
        ("compliance_review", Kind.STOP_AUTHORITY, "stopper"),  # the security lane
        ("new_use_case", Kind.STOP_AUTHORITY, "stopper"),  # the business lane
    ],
)
def test_the_category_routes_an_entry_to_the_owner_who_must_act(
    pilot, people, category, role, holder
):
    entry = services.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category=category
    )
    assert (entry.routed_role, entry.routed_to) == (role, people[holder])


@pytest.mark.parametrize("category", ["data_handling", "security_incident", "compliance_review"])
def test_the_security_lane_comes_first_when_the_pilot_has_one(pilot, people, category):
    lena = UserFactory(username="lena")
    RoleFactory(pilot=pilot, kind=Kind.LANE_SECURITY, primary=lena)
    entry = services.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category=category
    )
    assert (entry.routed_role, entry.routed_to) == (Kind.LANE_SECURITY, lena)


def test_recategorising_reroutes_and_an_unfilled_role_routes_nowhere(people):
    pilot = PilotFactory()
    RoleFactory(pilot=pilot, kind=Kind.REVIEWER, primary=people["reviewer"])
    RoleFactory(pilot=pilot, kind=Kind.TECHNICAL_OWNER, primary=people["tech"])
    entry = services.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category="output_quality"
    )
    assert (entry.routed_role, entry.routed_to) == ("", None)

    entry = services.error_update(
        entry=entry, by=people["reviewer"], data={"category": "workflow_failure"}
    )

    entry.refresh_from_db()
    assert (entry.routed_role, entry.routed_to) == (Kind.TECHNICAL_OWNER, people["tech"])


# --- Repeats --------------------------------------------------------------------------------------


def test_a_failure_mode_with_an_earlier_fix_is_a_repeat_and_medium_makes_it_serious(pilot, people):
    first = services.error_log(
        pilot=pilot,
        by=people["owner"],
        what_went_wrong="Wrong date",
        failure_mode="Wrong delivery date",
        fix_kind="prompt_change",
        fix_description="Quote the order's window.",
    )
    assert first.fix_date == timezone.localdate()

    low = services.error_report(
        pilot=pilot, by=people["reviewer"], what_went_wrong="Wrong date again"
    )
    low = services.error_update(
        entry=low, by=people["reviewer"], data={"failure_mode": "wrong delivery DATE"}
    )
    serious = services.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="And again",
        failure_mode="Wrong delivery date",
        severity="medium",
    )

    assert low.repeat_of == first and not low.is_serious_repeat
    assert serious.repeat_of == first and serious.is_serious_repeat
    assert first.repeat_of is None


def test_the_same_failure_mode_without_a_recorded_fix_is_not_a_repeat(pilot, people):
    services.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="a", failure_mode="Cold tone"
    )
    second = services.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="b",
        failure_mode="Cold tone",
        severity="medium",
    )
    assert second.repeat_of is None


def test_the_same_failure_mode_on_another_pilot_is_not_a_repeat(pilot, people):
    other = PilotFactory()
    ErrorEntryFactory(
        pilot=other,
        failure_mode=FailureModeFactory(pilot=other, label="Wrong delivery date"),
        fix_kind="new_rule",
    )

    entry = services.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="x",
        failure_mode="Wrong delivery date",
        severity="stop_now",
    )

    assert entry.repeat_of is None
    assert entry.failure_mode.pilot == pilot


def test_a_fix_links_only_a_change_of_the_same_pilot(pilot, people):
    entry = ErrorEntryFactory(pilot=pilot)
    with pytest.raises(ApplicationError) as error:
        services.error_update(
            entry=entry,
            by=people["owner"],
            data={"fix_kind": "prompt_change", "fix_change": change_for(PilotFactory(), people)},
        )
    assert "fix_change" in error.value.field_errors
    with pytest.raises(ApplicationError) as error:
        services.error_update(
            entry=entry, by=people["owner"], data={"fix_description": "Something"}
        )
    assert "fix_kind" in error.value.field_errors

    change = change_for(pilot, people)
    entry = services.error_update(
        entry=entry, by=people["stopper"], data={"fix_kind": "prompt_change", "fix_change": change}
    )
    entry.refresh_from_db()
    assert entry.fix_change == change and entry.fix_date == timezone.localdate()


def test_reviewers_complete_entries_but_do_not_record_fixes(pilot, people):
    entry = ErrorEntryFactory(pilot=pilot)
    services.error_update(
        entry=entry, by=people["reviewer"], data={"why_wrong": "Policy says 14 days."}
    )
    with pytest.raises(PermissionDenied):
        services.error_update(entry=entry, by=people["reviewer"], data={"fix_kind": "new_rule"})
    with pytest.raises(PermissionDenied):
        services.error_update(entry=entry, by=people["finance"], data={"why_wrong": "x"})
