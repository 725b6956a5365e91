"""Review week services: opening a week, closing it with a decision, notes and target."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from reviews import services
from reviews.models import ReviewWeek
from reviews.weeks import week_label
from tests.pilots.factories import PilotFactory

from .factories import ReviewWeekFactory, SampleFactory
from .helpers import change_for, sample_data

pytestmark = pytest.mark.django_db


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
