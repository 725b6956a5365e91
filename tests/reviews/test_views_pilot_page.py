"""The reviews panels on the pilot's one page, and the review models in the admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import ErrorEntryFactory, FailureModeFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db


# --- The pilot's one page -------------------------------------------------------------------------


def test_pilot_page_shows_trends_serious_repeats_and_the_report_button(pilot, people, client_for):
    monday = ReviewWeekFactory.build().week_start
    for weeks_ago in (1, 0):
        week = ReviewWeekFactory(pilot=pilot, week_start=monday - timedelta(weeks=weeks_ago))
        SampleFactory(week=week, accuracy_ok=False, accuracy_note="wrong")
    mode = FailureModeFactory(pilot=pilot)
    fixed = ErrorEntryFactory(pilot=pilot, failure_mode=mode, fix_kind="new_rule")
    ErrorEntryFactory(pilot=pilot, failure_mode=mode, repeat_of=fixed, severity="medium")

    html = client_for(people["finance"]).get(f"/pilots/{pilot.pk}/").content.decode()

    assert 'id="reviews-panel"' in html
    assert 'data-trend-chart="reviews-trend-data"' in html
    assert "chart-4.6.1.umd.min.js" in html
    assert "Expansion blocked: 1 serious repeat failure." in html
    assert 'data-testid="report-bad-output"' in html


def pilot_page_queries(client, pilot) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/pilots/{pilot.pk}/").status_code == 200
    return len(queries)


def test_the_pilot_page_does_not_grow_with_weeks_samples_and_errors(pilot, people, client_for):
    client = client_for(people["reviewer"])
    monday = ReviewWeekFactory.build().week_start
    week = ReviewWeekFactory(pilot=pilot, week_start=monday)
    SampleFactory(week=week)
    ErrorEntryFactory(pilot=pilot, severity="stop_now")
    ErrorEntryFactory(pilot=pilot, severity="medium")
    few = pilot_page_queries(client, pilot)

    mode = FailureModeFactory(pilot=pilot)
    fixed = ErrorEntryFactory(pilot=pilot, failure_mode=mode, fix_kind="new_rule")
    for index in range(1, 25):
        week = ReviewWeekFactory(pilot=pilot, week_start=monday - timedelta(weeks=index))
        SampleFactory.create_batch(2, week=week)
        ErrorEntryFactory(pilot=pilot, severity="stop_now")
        ErrorEntryFactory(pilot=pilot, severity="medium", failure_mode=mode, repeat_of=fixed)

    assert pilot_page_queries(client, pilot) == few


def test_the_panels_add_seven_queries_to_the_pilot_page(pilot, people, django_assert_num_queries):
    from reviews.panels import reviews_panel_context, stop_now_context

    with django_assert_num_queries(7):  # weeks, figures, repeats, latest, counts, stop-now, roles
        reviews_panel_context(pilot, people["reviewer"])
        stop_now_context(pilot, people["reviewer"])


@pytest.mark.parametrize("model", ["reviewweek", "sample", "errorentry", "failuremode"])
def test_admin_lists_and_edits_the_review_models(pilot, people, client_for, model):
    sample = SampleFactory(week=ReviewWeekFactory(pilot=pilot))
    entry = ErrorEntryFactory(pilot=pilot, failure_mode=FailureModeFactory(pilot=pilot))
    ids = {
        "reviewweek": sample.week_id,
        "sample": sample.pk,
        "errorentry": entry.pk,
        "failuremode": entry.failure_mode_id,
    }
    client = client_for(people["admin"])
    assert client.get(f"/admin/reviews/{model}/").status_code == 200
    assert client.get(f"/admin/reviews/{model}/{ids[model]}/change/").status_code == 200
