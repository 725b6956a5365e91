from datetime import timedelta
from decimal import Decimal

import pytest

from reviews import selectors
from reviews.models import ErrorEntry, Sample
from tests.pilots.factories import PilotFactory

from .factories import ErrorEntryFactory, FailureModeFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db
Outcome = Sample.Outcome


def known_week(pilot):
    """Six samples whose figures are worked out by hand below."""
    week = ReviewWeekFactory(pilot=pilot, target_size=20)
    monday = week.week_start
    rows = [
        # day, by, case, fails, outcome, ai, manual, complaint, to_human → minutes saved
        (0, "ana", "easy", {}, Outcome.SENT_AS_IS, "2.0", "6.0", False, False),  # 4.0
        (
            0,
            "ana",
            "messy",
            {"accuracy": "wrong order number"},
            Outcome.MINOR_EDIT,
            "5.0",
            "6.0",
            False,
            False,
        ),  # 1.0
        (1, "ben", "easy", {}, Outcome.MAJOR_REWRITE, "8.0", "6.0", True, False),  # -2.0
        (
            2,
            "Ben",
            "easy",
            {"completeness": "left out the 30-day rule"},
            Outcome.DISCARDED,
            "3.0",
            "6.0",
            False,
            True,
        ),  # 3.0
        (
            2,
            "cleo",
            "easy",
            {"tone": "cold", "completeness": "no deadline"},
            Outcome.MINOR_EDIT,
            "1.5",
            "6.0",
            False,
            False,
        ),  # 4.5
        (3, "ana", "easy", {}, Outcome.MINOR_EDIT, "1.0", "5.0", False, False),  # 4.0
    ]
    for day, by, case, fails, outcome, ai, manual, complaint, to_human in rows:
        SampleFactory(
            week=week,
            produced_on=monday + timedelta(days=day),
            produced_by=by,
            case=case,
            outcome=outcome,
            minutes_with_ai=Decimal(ai),
            manual_minutes=Decimal(manual),
            complaint=complaint,
            should_have_gone_to_human=to_human,
            **{f"{score}_ok": False for score in fails},
            **{f"{score}_note": reason for score, reason in fails.items()},
        )
    return week


def test_week_figures_match_the_hand_computed_values(pilot):
    week = known_week(pilot)

    figures = selectors.week_figures(week=week)

    assert figures.samples == 6
    assert figures.target == 20
    assert figures.below_target
    assert figures.failing == 3  # rows 2, 4 and 5 fail a score
    assert figures.error_rate == Decimal("50.0")
    assert figures.corrected == 4  # three minor edits and one major rewrite
    assert figures.correction_rate == Decimal("66.7")
    assert figures.complaints == 1
    assert figures.should_have_gone_to_human == 1
    assert figures.avg_minutes_saved == Decimal("2.4")  # 14.5 / 6 = 2.41…
    assert figures.distinct_days == 4
    assert figures.distinct_users == 3  # "ben" and "Ben" are one person
    assert figures.messy_count == 1
    assert figures.coverage_warnings == []
    assert figures.closed is False


def test_empty_week_has_no_rates_and_says_nothing_is_logged(pilot):
    week = ReviewWeekFactory(pilot=pilot)

    figures = selectors.week_figures(week=week)

    assert figures.samples == 0
    assert figures.error_rate is None
    assert figures.correction_rate is None
    assert figures.avg_minutes_saved is None
    assert figures.distinct_days == figures.distinct_users == figures.messy_count == 0
    assert figures.coverage_warnings == ["No samples logged yet."]


def test_thin_sample_warns_about_days_one_person_and_no_messy_cases(pilot):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory.create_batch(2, week=week, produced_by="ana", case="easy")

    warnings = selectors.week_figures(week=week).coverage_warnings

    assert warnings == [
        "Only 1 day covered: pick outputs from at least 3 different days.",
        "Every sample comes from one person: include other people's work.",
        "No messy cases: the sample only shows easy ones.",
    ]


def test_rates_round_to_a_tenth_of_a_percent(pilot):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week, tone_ok=False, tone_note="curt")
    SampleFactory.create_batch(2, week=week)

    assert selectors.week_figures(week=week).error_rate == Decimal("33.3")


def test_negative_savings_pull_the_average_down(pilot):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week, minutes_with_ai=Decimal("9"), manual_minutes=Decimal("6"))

    assert selectors.week_figures(week=week).avg_minutes_saved == Decimal("-3.0")


def test_weekly_figures_are_oldest_first_limited_and_take_two_queries(
    pilot, django_assert_num_queries
):
    monday = ReviewWeekFactory.build().week_start
    for weeks_ago in range(4):
        week = ReviewWeekFactory(pilot=pilot, week_start=monday - timedelta(weeks=weeks_ago))
        SampleFactory.create_batch(weeks_ago + 1, week=week)
    ReviewWeekFactory(week_start=monday)  # another pilot's week

    with django_assert_num_queries(2):
        figures = selectors.weekly_figures(pilot=pilot, weeks=3)

    assert [figure.samples for figure in figures] == [3, 2, 1]
    assert figures[-1].week_start == monday


def test_weekly_figures_by_pilot_covers_many_pilots_in_two_queries(
    pilot, django_assert_num_queries
):
    other = PilotFactory()
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week, accuracy_ok=False, accuracy_note="wrong")

    with django_assert_num_queries(2):
        figures = selectors.weekly_figures_by_pilot(
            pilot_ids=[pilot.pk, other.pk], since=week.week_start - timedelta(weeks=4)
        )

    assert figures[other.pk] == []
    assert figures[pilot.pk][0].error_rate == Decimal("100.0")


def test_error_rates_by_pilot_count_samples_produced_in_the_range(pilot):
    quiet = PilotFactory()
    other = PilotFactory()
    week = ReviewWeekFactory(pilot=pilot)
    monday = week.week_start
    SampleFactory(week=week, produced_on=monday, accuracy_ok=False, accuracy_note="wrong")
    SampleFactory(week=week, produced_on=monday + timedelta(days=1))
    SampleFactory(week=week, produced_on=monday + timedelta(days=1))
    SampleFactory(
        week=week, produced_on=monday + timedelta(days=5), tone_ok=False, tone_note="rude"
    )
    other_week = ReviewWeekFactory(pilot=other)
    SampleFactory(week=other_week, produced_on=monday, completeness_ok=False, completeness_note="x")

    rates = selectors.error_rates_by_pilot(
        pilot_ids=[pilot.pk, quiet.pk, other.pk], start=monday, end=monday + timedelta(days=2)
    )

    assert rates == {pilot.pk: Decimal("33.3"), quiet.pk: None, other.pk: Decimal("100.0")}


def test_open_stop_now_and_serious_repeat_counts_per_pilot(pilot, django_assert_num_queries):
    other = PilotFactory()
    mode = FailureModeFactory(pilot=pilot)
    fixed = ErrorEntryFactory(pilot=pilot, failure_mode=mode, fix_kind="prompt_change")
    ErrorEntryFactory(pilot=pilot, severity="stop_now")
    ErrorEntryFactory(
        pilot=pilot, severity="stop_now", status="resolved", resolved_at=fixed.created_at
    )
    ErrorEntryFactory(pilot=pilot, severity="medium", failure_mode=mode, repeat_of=fixed)
    ErrorEntryFactory(
        pilot=pilot, severity="low", failure_mode=mode, repeat_of=fixed
    )  # not serious
    ErrorEntryFactory(pilot=other, severity="medium")

    with django_assert_num_queries(2):
        stop_now = selectors.open_stop_now_errors(pilot_ids=[pilot.pk, other.pk])
        repeats = selectors.serious_repeats(pilot_ids=[pilot.pk, other.pk])

    assert stop_now == {pilot.pk: 1, other.pk: 0}
    assert repeats == {pilot.pk: 1, other.pk: 0}


def test_error_list_is_scoped_to_pilots_the_user_can_see(pilot, people):
    ErrorEntryFactory(pilot=pilot)
    ErrorEntryFactory()  # a pilot nobody here holds a role on

    assert selectors.error_list(user=people["reviewer"]).count() == 1
    assert selectors.error_list(user=people["stranger"]).count() == 0
    assert selectors.error_list(user=people["finance"]).count() == 2
    assert (
        selectors.error_list(user=people["admin"], severity=ErrorEntry.Severity.MEDIUM).count() == 0
    )
