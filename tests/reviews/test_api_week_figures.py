"""A review week's figures over the API: the same numbers the week page shows, in fixed queries."""

from datetime import timedelta

import pytest

from reviews.models import Sample
from reviews.selectors import week_figures

from .factories import ReviewWeekFactory, SampleFactory, last_monday

pytestmark = pytest.mark.django_db

Outcome = Sample.Outcome


def log_week(week):
    """Four samples: one sent as-is, one minor edit, one major rewrite, one discarded."""
    for index, outcome in enumerate(
        [Outcome.SENT_AS_IS, Outcome.MINOR_EDIT, Outcome.MAJOR_REWRITE, Outcome.DISCARDED]
    ):
        SampleFactory(
            week=week,
            outcome=outcome,
            produced_on=week.week_start + timedelta(days=index),
            produced_by=["ana", "ben"][index % 2],
            accuracy_ok=index != 2,
            complaint=index == 1,
            should_have_gone_to_human=index == 3,
        )


def test_week_detail_carries_the_figures_the_page_shows(pilot, people, api_for, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    log_week(week)

    figures = api_for(people["owner"]).get(f"/api/review-weeks/{week.pk}").json()["figures"]
    page = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/")

    assert figures == {
        "samples": 4,
        "target": 20,
        "error_rate": "25.0",
        "failing": 1,
        "correction_rate": "50.0",  # the discarded output is not a correction
        "corrected": 2,
        "complaints": 1,
        "should_have_gone_to_human": 1,
        "avg_minutes_saved": "4.0",
        "distinct_days": 4,
        "distinct_users": 2,
        "messy_count": 0,
        "coverage_warnings": ["No messy cases: the sample only shows easy ones."],
        "below_target": True,
    }
    page_figures = page.context["figures"]
    assert str(page_figures.correction_rate) == figures["correction_rate"]
    assert str(page_figures.error_rate) == figures["error_rate"]
    assert page_figures.coverage_warnings == figures["coverage_warnings"]
    assert b"a discarded output is not a correction" in page.content


def test_an_empty_week_has_null_rates_and_says_no_samples(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)

    figures = api_for(people["reviewer"]).get(f"/api/review-weeks/{week.pk}").json()["figures"]

    assert figures["samples"] == 0
    assert figures["error_rate"] is None
    assert figures["correction_rate"] is None
    assert figures["avg_minutes_saved"] is None
    assert figures["coverage_warnings"] == ["No samples logged yet."]


def test_list_figures_match_each_weeks_own_figures(pilot, people, api_for):
    weeks = [ReviewWeekFactory(pilot=pilot, week_start=pilot_monday(n)) for n in range(3)]
    log_week(weeks[0])
    SampleFactory(week=weeks[1], outcome=Outcome.DISCARDED)

    rows = api_for(people["owner"]).get("/api/review-weeks", {"pilot": pilot.pk}).json()["results"]

    by_id = {row["id"]: row["figures"] for row in rows}
    for week in weeks:
        expected = week_figures(week=week)
        assert by_id[week.pk]["samples"] == expected.samples
        assert by_id[week.pk]["correction_rate"] == (
            None if expected.correction_rate is None else str(expected.correction_rate)
        )
    assert by_id[weeks[1].pk]["correction_rate"] == "0.0"


def pilot_monday(weeks_back):
    return last_monday() - timedelta(days=7 * weeks_back)


@pytest.mark.parametrize("weeks", [2, 20])
def test_week_list_with_figures_takes_four_queries_for_2_or_20_weeks(
    pilot, people, api_for, django_assert_num_queries, weeks
):
    for n in range(weeks):
        log_week(ReviewWeekFactory(pilot=pilot, week_start=pilot_monday(n)))
    api = api_for(people["reviewer"])

    # finance group check + count + the page + the figures of the page's weeks
    with django_assert_num_queries(4):
        response = api.get("/api/review-weeks", {"page_size": 50})

    assert response.status_code == 200
    assert len(response.json()["results"]) == weeks


def test_the_schema_documents_the_figures_and_the_correction_rate(people, api_for):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()

    figures = schema["components"]["schemas"]["WeekFigures"]
    assert (
        "discarded output is not a correction"
        in figures["properties"]["correction_rate"]["description"]
    )
    assert "coverage_warnings" in figures["required"]
