from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from governance.models import Change
from pilots.models import Pilot, PilotRole, StatusChange
from reviews import services
from reviews.models import ErrorEntry, ReviewWeek, Sample
from reviews.weeks import week_label
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

from .factories import ErrorEntryFactory, FailureModeFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db
Kind = PilotRole.Kind
Severity = ErrorEntry.Severity


def sample_data(week, **overrides):
    data = {
        "reference": "T-1",
        "produced_on": week.week_start,
        "produced_by": "ana",
        "case": "easy",
        "outcome": "sent_as_is",
        "minutes_with_ai": Decimal("2"),
        "manual_minutes": Decimal("6"),
    }
    return {**data, **overrides}


def change_for(pilot, people):
    return Change.objects.create(
        pilot=pilot,
        kind=Change.Kind.PROMPT,
        title="Quote the order's delivery window",
        hypothesis="Fewer wrong dates",
        requested_by=people["reviewer"],
    )


# --- Review weeks ---------------------------------------------------------------------------------


def test_a_reviewer_opens_a_week_with_the_pilots_target_and_opening_it_again_returns_it(
    pilot, people
):
    pilot.review_sample_size = 25
    pilot.save()
    label = week_label(timezone.localdate())

    week = services.review_week_open(pilot=pilot, iso_week=label, by=people["reviewer_backup"])
    again = services.review_week_open(pilot=pilot, iso_week=label, by=people["owner"])

    assert again.pk == week.pk
    assert week.target_size == 25
    assert week.reviewer == people["reviewer_backup"]
    assert week.iso_week == label
    assert ReviewWeek.history.filter(id=week.pk, history_user=people["reviewer_backup"]).exists()


def test_only_reviewers_open_a_week(pilot, people):
    with pytest.raises(PermissionDenied):
        services.review_week_open(
            pilot=pilot, iso_week=week_label(timezone.localdate()), by=people["owner"]
        )


@pytest.mark.parametrize("label", ["2026-W54", "2025-W53", "next week", "2026-47"])
def test_a_week_that_does_not_exist_is_refused(pilot, people, label):
    with pytest.raises(ApplicationError) as error:
        services.review_week_open(pilot=pilot, iso_week=label, by=people["reviewer"])
    assert "iso_week" in error.value.field_errors


def test_a_week_opens_at_most_one_week_ahead(pilot, people):
    today = timezone.localdate()
    services.review_week_open(
        pilot=pilot, iso_week=week_label(today + timedelta(days=7)), by=people["reviewer"]
    )
    with pytest.raises(ApplicationError):
        services.review_week_open(
            pilot=pilot, iso_week=week_label(today + timedelta(days=14)), by=people["reviewer"]
        )


def test_closing_below_target_needs_a_reason(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=3)
    SampleFactory(week=week)

    with pytest.raises(ApplicationError) as error:
        services.review_week_close(week=week, by=people["reviewer"], decision="Keep the prompt.")
    assert "Only 1 of 3 samples" in error.value.field_errors["below_target_reason"][0]

    week = services.review_week_close(
        week=week,
        by=people["reviewer"],
        decision="Keep the prompt.",
        below_target_reason="Half the team was out.",
    )
    assert week.status == ReviewWeek.Status.CLOSED
    assert week.closed_by == people["reviewer"]
    assert week.below_target_reason == "Half the team was out."


def test_closing_records_the_decision_and_the_change_to_test_next(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=1)
    SampleFactory(week=week)
    change = change_for(pilot, people)

    week = services.review_week_close(
        week=week,
        by=people["owner"],
        decision="Test the delivery-window prompt.",
        next_change=change,
        below_target_reason="ignored: the target was met",
    )

    week.refresh_from_db()
    assert (week.decision, week.next_change, week.below_target_reason) == (
        "Test the delivery-window prompt.",
        change,
        "",
    )
    assert week.closed_at is not None


def test_closing_refuses_a_change_of_another_pilot_and_an_empty_decision(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=1)
    SampleFactory(week=week)
    foreign = change_for(PilotFactory(), people)

    with pytest.raises(ApplicationError) as error:
        services.review_week_close(
            week=week, by=people["reviewer"], decision=" ", next_change=foreign
        )
    assert set(error.value.field_errors) == {"decision", "next_change"}


def test_a_closed_week_takes_no_more_samples_and_cannot_close_twice(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=1)
    SampleFactory(week=week)
    services.review_week_close(week=week, by=people["reviewer"], decision="Keep going.")

    with pytest.raises(ApplicationError) as error:
        services.sample_log(week=week, by=people["reviewer"], **sample_data(week))
    assert "closed" in error.value.field_errors["week"][0]
    with pytest.raises(ApplicationError):
        services.review_week_close(week=week, by=people["reviewer"], decision="Again.")


def test_finance_and_the_stop_authority_do_not_keep_review_weeks(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    for name in ("finance", "stopper"):
        with pytest.raises(PermissionDenied):
            services.review_week_update(week=week, by=people[name], data={"notes": "hi"})


def test_notes_and_target_are_kept_while_the_week_is_open(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    week = services.review_week_update(
        week=week,
        by=people["owner"],
        data={"notes": "  Shipping drafts improved. ", "target_size": 30},
    )
    assert (week.notes, week.target_size) == ("Shipping drafts improved.", 30)
    with pytest.raises(ApplicationError):
        services.review_week_update(
            week=week, by=people["reviewer"], data={"reviewer": people["owner"]}
        )


# --- Samples --------------------------------------------------------------------------------------


def test_a_reviewer_logs_a_sample(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)

    sample = services.sample_log(
        week=week,
        by=people["reviewer"],
        **sample_data(
            week,
            completeness_ok=False,
            completeness_note=" left out the refund rule ",
            tone_note="x",
        ),
    )

    sample.refresh_from_db()
    assert sample.pilot == pilot
    assert sample.logged_by == people["reviewer"]
    assert sample.completeness_note == "left out the refund rule"
    assert sample.tone_note == ""  # a passing score keeps no reason
    assert sample.history.get().history_user == people["reviewer"]


def test_a_failing_score_needs_a_short_reason(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    with pytest.raises(ApplicationError) as error:
        services.sample_log(
            week=week, by=people["reviewer"], **sample_data(week, completeness_ok=False)
        )
    assert error.value.field_errors == {
        "completeness_note": ["Say briefly why the missing facts fails."]
    }
    assert not Sample.objects.exists()


def test_sample_days_must_fit_the_week(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    for day in (
        timezone.localdate() + timedelta(days=1),
        week.week_end + timedelta(days=1),
        week.week_start - timedelta(days=29),
    ):
        with pytest.raises(ApplicationError) as error:
            services.sample_log(
                week=week, by=people["reviewer"], **sample_data(week, produced_on=day)
            )
        assert "produced_on" in error.value.field_errors


def test_missing_and_negative_minutes_are_refused(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    with pytest.raises(ApplicationError) as error:
        services.sample_log(
            week=week,
            by=people["reviewer"],
            **sample_data(week, manual_minutes=None, minutes_with_ai=Decimal("-1"), reference=""),
        )
    assert set(error.value.field_errors) == {"manual_minutes", "minutes_with_ai", "reference"}


@pytest.mark.parametrize("name", ["owner", "tech", "stopper", "finance"])
def test_only_reviewers_log_samples(pilot, people, name):
    week = ReviewWeekFactory(pilot=pilot)
    with pytest.raises(PermissionDenied):
        services.sample_log(week=week, by=people[name], **sample_data(week))


def test_a_sample_links_only_an_error_of_its_own_pilot(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    with pytest.raises(ApplicationError) as error:
        services.sample_log(
            week=week, by=people["reviewer"], **sample_data(week, error=ErrorEntryFactory())
        )
    assert "error" in error.value.field_errors


def test_bulk_logging_saves_all_rows_or_none(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    good = {"week": week, **sample_data(week)}
    bad = {"week": week, **sample_data(week, outcome="", produced_by=" ")}

    with pytest.raises(services.BulkRowErrors) as error:
        services.sample_log_bulk(by=people["reviewer"], rows=[good, good, bad])
    assert [index for index, _ in error.value.rows] == [2]
    assert set(error.value.rows[0][1]) == {"outcome", "produced_by"}
    assert not Sample.objects.exists()

    samples = services.sample_log_bulk(by=people["reviewer"], rows=[good, good])
    assert len(samples) == Sample.objects.filter(week=week).count() == 2
    assert Sample.history.filter(history_user=people["reviewer"]).count() == 2


def test_removing_a_sample_needs_an_open_week(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=1)
    sample = SampleFactory(week=week)
    extra = SampleFactory(week=week)
    services.sample_delete(sample=extra, by=people["reviewer"])
    services.review_week_close(week=week, by=people["reviewer"], decision="Fine.")
    with pytest.raises(ApplicationError):
        services.sample_delete(sample=sample, by=people["reviewer"])
    assert list(Sample.objects.all()) == [sample]


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
