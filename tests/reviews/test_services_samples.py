"""Sample services: logging one or many samples, their checks, removing them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from reviews import services
from reviews.models import Sample

from .factories import ErrorEntryFactory, ReviewWeekFactory, SampleFactory
from .helpers import sample_data

pytestmark = pytest.mark.django_db


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
