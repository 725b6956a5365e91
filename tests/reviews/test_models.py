from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from reviews.models import ErrorEntry, Sample
from reviews.weeks import monday_of, week_label, week_start

from .factories import ErrorEntryFactory, ReviewWeekFactory


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_day_belongs_to_the_week_that_starts_on_its_monday(day):
    label = week_label(day)
    assert week_start(label) == monday_of(day)
    assert week_start(label) <= day < week_start(label) + timedelta(days=7)


@pytest.mark.parametrize(
    ("label", "monday"), [("2026-W01", date(2025, 12, 29)), ("2026-W53", date(2026, 12, 28))]
)
def test_iso_weeks_cross_years_as_iso_8601_says(label, monday):
    assert week_start(label) == monday
    assert week_label(monday + timedelta(days=6)) == label


def test_a_sample_knows_its_failures_and_minutes_saved():
    sample = Sample(
        accuracy_ok=True,
        tone_ok=False,
        tone_note="curt",
        completeness_ok=False,
        completeness_note="no deadline",
        minutes_with_ai=Decimal("7.5"),
        manual_minutes=Decimal("6"),
    )
    assert sample.has_failure
    assert sample.failures == [("tone", "curt"), ("completeness", "no deadline")]
    assert sample.minutes_saved == Decimal("-1.5")


def test_severity_meanings_follow_the_article():
    meanings = ErrorEntry.SEVERITY_MEANING
    assert "no real harm" in meanings["low"]
    assert "a human checks before anything goes out" in meanings["medium"]
    assert "private data" in meanings["stop_now"] and "the task stops" in meanings["stop_now"]


@pytest.mark.django_db
def test_the_database_refuses_a_week_not_starting_on_monday():
    week = ReviewWeekFactory()
    with pytest.raises(IntegrityError):
        ReviewWeekFactory(pilot=week.pilot, week_start=week.week_start + timedelta(days=1))


@pytest.mark.django_db
def test_the_database_refuses_a_second_review_of_the_same_week():
    week = ReviewWeekFactory()
    with pytest.raises(IntegrityError):
        ReviewWeekFactory(pilot=week.pilot, week_start=week.week_start)


@pytest.mark.django_db
def test_the_database_refuses_a_resolved_entry_without_a_resolution_time():
    with pytest.raises(IntegrityError):
        ErrorEntryFactory(status="resolved")
