from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilots.models import Pilot
from reviews.models import ErrorEntry, ReviewWeek, Sample
from reviews.weeks import week_label

from .factories import ErrorEntryFactory, FailureModeFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def this_week() -> str:
    return week_label(timezone.localdate())


def form_row(week, **overrides):
    data = {
        "reference": "T-77",
        "produced_on": week.week_start.isoformat(),
        "produced_by": "ana",
        "case": "messy",
        "accuracy_ok": "True",
        "tone_ok": "True",
        "completeness_ok": "False",
        "completeness_note": "No refund deadline",
        "outcome": "minor_edit",
        "minutes_with_ai": "2",
        "manual_minutes": "6.5",
    }
    return {**data, **overrides}


# --- The week page --------------------------------------------------------------------------------


def test_a_reviewer_opening_this_weeks_page_creates_the_week(pilot, people, client_for):
    response = client_for(people["reviewer"]).get(f"/pilots/{pilot.pk}/reviews/{this_week()}/")

    assert response.status_code == 200
    week = ReviewWeek.objects.get(pilot=pilot)
    assert week.iso_week == this_week()
    assert b'id="sample-form"' in response.content
    assert b"No samples logged yet." in response.content


def test_the_reviews_link_goes_to_this_week(pilot, people, client_for):
    response = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/reviews/")
    assert response.status_code == 302
    assert response["Location"] == f"/pilots/{pilot.pk}/reviews/{this_week()}/"


def test_others_see_an_unopened_week_without_creating_it(pilot, people, client_for):
    response = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/reviews/{this_week()}/")
    assert response.status_code == 200
    assert b"has not been opened" in response.content
    assert not ReviewWeek.objects.exists()


def test_strangers_and_impossible_weeks_get_404(pilot, people, client_for):
    assert (
        client_for(people["stranger"]).get(f"/pilots/{pilot.pk}/reviews/{this_week()}/").status_code
        == 404
    )
    assert (
        client_for(people["reviewer"]).get(f"/pilots/{pilot.pk}/reviews/2026-W54/").status_code
        == 404
    )
    far = week_label(timezone.localdate() + timedelta(weeks=3))
    assert (
        client_for(people["reviewer"]).get(f"/pilots/{pilot.pk}/reviews/{far}/").status_code == 404
    )


def test_owners_read_the_week_without_the_row_form(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week, reference="T-9")
    response = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/")
    assert b"T-9" in response.content
    assert b'id="sample-form"' not in response.content
    assert b"Close week" in response.content  # owners may close after the meeting


def test_saving_a_row_with_htmx_returns_a_fresh_row_the_figures_and_the_table(
    pilot, people, client_for
):
    week = ReviewWeekFactory(pilot=pilot)
    client = client_for(people["reviewer"])

    response = client.post(
        f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", form_row(week), **HTMX
    )

    assert response.status_code == 200
    sample = Sample.objects.get()
    assert (sample.completeness_ok, sample.completeness_note, sample.logged_by) == (
        False,
        "No refund deadline",
        people["reviewer"],
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="sample-form"')
    assert 'id="week-figures" hx-swap-oob="true"' in html
    assert 'id="week-samples" hx-swap-oob="true"' in html
    assert "100.0%" in html  # the error rate of a one-sample week with a failure
    assert 'value="ana"' in html and 'value="6.5"' in html  # carried into the next row
    assert 'name="reference" value=' not in html  # …but not the ticket
    assert "reviews:sample-saved" in response["HX-Trigger"]


def test_a_bad_row_comes_back_with_inline_errors_and_what_was_typed(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    data = form_row(week, completeness_note="", reference="T-88")

    response = client_for(people["reviewer"]).post(
        f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", data, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Say briefly why the missing facts fails." in html
    assert 'value="T-88"' in html
    assert "hx-swap-oob" not in html
    assert not Sample.objects.exists()


def test_without_javascript_a_saved_row_redirects_and_a_bad_one_answers_400(
    pilot, people, client_for
):
    week = ReviewWeekFactory(pilot=pilot)
    client = client_for(people["reviewer"])
    url = f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/"
    assert client.post(url, form_row(week)).status_code == 302
    assert client.post(url, form_row(week, outcome="")).status_code == 400


def test_only_reviewers_post_rows(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    response = client_for(people["owner"]).post(
        f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", form_row(week)
    )
    assert response.status_code == 403


def test_closing_below_target_without_a_reason_shows_the_error(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot, target_size=5)
    client = client_for(people["reviewer"])
    url = f"/pilots/{pilot.pk}/reviews/{week.iso_week}/close/"

    refused = client.post(url, {"decision": "Keep it."}, **HTMX)
    closed = client.post(
        url, {"decision": "Keep it.", "below_target_reason": "Short week."}, **HTMX
    )

    assert "Only 0 of 5 samples" in refused.content.decode()
    assert closed["HX-Redirect"] == f"/pilots/{pilot.pk}/reviews/{week.iso_week}/"
    week.refresh_from_db()
    assert week.status == ReviewWeek.Status.CLOSED
    page = client.get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/").content.decode()
    assert "The team decided: Keep it." in page
    assert 'id="sample-form"' not in page


def test_meeting_notes_are_saved_in_place(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    response = client_for(people["owner"]).post(
        f"/pilots/{pilot.pk}/reviews/{week.iso_week}/notes/",
        {"notes": "Tone better.", "target_size": "22"},
        **HTMX,
    )
    assert "Notes saved." in response.content.decode()
    week.refresh_from_db()
    assert (week.notes, week.target_size) == ("Tone better.", 22)


def test_a_reviewer_removes_a_row(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    sample = SampleFactory(week=week)
    response = client_for(people["reviewer"]).post(f"/samples/{sample.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert not Sample.objects.exists()
    assert (
        client_for(people["owner"])
        .post(f"/samples/{SampleFactory(week=week).pk}/delete/")
        .status_code
        == 403
    )


def week_with_samples(pilot, count):
    week = ReviewWeekFactory(
        pilot=pilot, week_start=ReviewWeekFactory.build().week_start + timedelta(days=7)
    )
    for index in range(count):
        SampleFactory(week=week, error=ErrorEntryFactory(pilot=pilot) if index % 2 else None)
    return week


# Session, user, finance check, pilot, week, roles, figures, samples, recent weeks, last sample
# (the next row's defaults), producers (suggestions), errors to link, changes for the close form.
WEEK_PAGE_QUERIES = 13


@pytest.mark.parametrize("rows", [1, 25])
def test_the_week_page_takes_a_fixed_number_of_queries(
    pilot, people, client_for, django_assert_num_queries, rows
):
    week = week_with_samples(pilot, rows)
    client = client_for(people["reviewer"])

    with django_assert_num_queries(WEEK_PAGE_QUERIES):
        response = client.get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/")

    assert response.status_code == 200
    assert response.content.decode().count('<tr id="sample-') == rows


# --- The error log --------------------------------------------------------------------------------


ERROR_LOG_QUERIES = 8  # session, user, pilot, finance check, failure modes, roles, count, page


@pytest.mark.parametrize("rows", [1, 25])
def test_the_error_log_takes_a_fixed_number_of_queries(
    pilot, people, client_for, django_assert_num_queries, rows
):
    mode = FailureModeFactory(pilot=pilot)
    fixed = ErrorEntryFactory(
        pilot=pilot, failure_mode=mode, fix_kind="new_rule", caught_by=people["tech"]
    )
    for _ in range(rows - 1):
        ErrorEntryFactory(
            pilot=pilot,
            failure_mode=mode,
            repeat_of=fixed,
            severity="medium",
            category="output_quality",
            routed_to=people["owner"],
            routed_role="business_owner",
            caught_by=people["reviewer"],
        )
    client = client_for(people["reviewer"])

    with django_assert_num_queries(ERROR_LOG_QUERIES):
        response = client.get(f"/pilots/{pilot.pk}/errors/")

    assert response.content.decode().count('<tr id="error-') == rows


def test_the_error_log_filters_in_place(pilot, people, client_for):
    ErrorEntryFactory(pilot=pilot, severity="medium", what_went_wrong="Medium one")
    ErrorEntryFactory(pilot=pilot, severity="low", what_went_wrong="Low one")

    response = client_for(people["finance"]).get(
        f"/pilots/{pilot.pk}/errors/", {"severity": "medium"}, **HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="error-table">')
    assert "Medium one" in html and "Low one" not in html
    assert "Human check before anything goes out." in html


def test_one_field_report_from_the_pilot_page(pilot, people, client_for):
    client = client_for(people["finance"])
    form = client.get(f"/pilots/{pilot.pk}/errors/report/", **HTMX).content.decode()
    assert form.lstrip().startswith('<form id="report-form"')
    assert "Could expose private data" in form  # the article's meaning beside each severity

    empty = client.post(f"/pilots/{pilot.pk}/errors/report/", {"what_went_wrong": ""}, **HTMX)
    done = client.post(
        f"/pilots/{pilot.pk}/errors/report/", {"what_went_wrong": "Clumsy greeting."}, **HTMX
    )

    assert "This field is required." in empty.content.decode()
    html = done.content.decode()
    assert "Thanks: logged as" in html
    assert '<div id="reviews-open-errors" class="no-print" hx-swap-oob="true">' in html
    assert "Clumsy greeting." in html
    assert ErrorEntry.objects.get().reported_by == people["finance"]


def test_a_stop_now_report_redirects_to_the_paused_pilot_page(pilot, people, client_for):
    client = client_for(people["tech"])

    response = client.post(
        f"/pilots/{pilot.pk}/errors/report/",
        {"what_went_wrong": "Sent another customer's invoice.", "severity": "stop_now"},
        **HTMX,
    )

    assert response["HX-Redirect"] == f"/pilots/{pilot.pk}/"
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'data-testid="stop-now-errors"' in page
    assert "Sent another customer&#x27;s invoice." in page
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED


def test_strangers_cannot_report(pilot, people, client_for):
    assert (
        client_for(people["stranger"]).get(f"/pilots/{pilot.pk}/errors/report/").status_code == 404
    )


def test_entry_page_shows_routing_and_who_may_edit_what(pilot, people, client_for):
    entry = ErrorEntryFactory(
        pilot=pilot,
        category="workflow_failure",
        routed_to=people["tech"],
        routed_role="technical_owner",
    )
    reviewer_page = client_for(people["reviewer"]).get(f"/errors/{entry.pk}/").content.decode()
    assert f"routed to {people['tech'].get_full_name()} (technical owner)" in reviewer_page
    assert 'id="entry-details"' in reviewer_page and 'id="entry-fix"' not in reviewer_page
    owner_page = client_for(people["owner"]).get(f"/errors/{entry.pk}/").content.decode()
    assert 'id="entry-fix"' in owner_page and 'id="entry-resolve"' in owner_page
    finance_page = client_for(people["finance"]).get(f"/errors/{entry.pk}/").content.decode()
    assert 'id="entry-details"' not in finance_page


def test_entry_edits_go_through_the_services(pilot, people, client_for):
    entry = ErrorEntryFactory(pilot=pilot)
    assert (
        client_for(people["reviewer"])
        .post(f"/errors/{entry.pk}/fix/", {"fix_kind": "new_rule"})
        .status_code
        == 403
    )
    details = {"what_went_wrong": "Wrong date", "severity": "medium", "failure_mode": "Wrong date"}
    response = client_for(people["reviewer"]).post(f"/errors/{entry.pk}/details/", details, **HTMX)
    assert response["HX-Redirect"] == f"/errors/{entry.pk}/"
    entry.refresh_from_db()
    assert (entry.severity, entry.failure_mode.label) == ("medium", "Wrong date")
    bad = client_for(people["owner"]).post(
        f"/errors/{entry.pk}/fix/", {"fix_description": "x"}, **HTMX
    )
    assert "Say what kind of fix it is." in bad.content.decode()


def test_a_reviewer_logs_a_full_entry(pilot, people, client_for):
    client = client_for(people["reviewer"])
    assert client.get(f"/pilots/{pilot.pk}/errors/new/").status_code == 200
    response = client.post(
        f"/pilots/{pilot.pk}/errors/new/",
        {
            "what_went_wrong": "Missed the 30-day rule",
            "category": "output_quality",
            "severity": "low",
        },
    )
    entry = ErrorEntry.objects.get()
    assert response["Location"] == f"/errors/{entry.pk}/"
    assert entry.routed_to == people["owner"]
    assert client_for(people["finance"]).get(f"/pilots/{pilot.pk}/errors/new/").status_code == 403


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


def test_a_new_week_does_not_carry_last_weeks_day(pilot, people, client_for):
    last_week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=last_week, produced_by="dana", produced_on=last_week.week_start)

    html = (
        client_for(people["reviewer"])
        .get(f"/pilots/{pilot.pk}/reviews/{this_week()}/")
        .content.decode()
    )

    assert 'value="dana"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_the_report_page_works_without_javascript(pilot, people, client_for):
    client = client_for(people["owner"])
    assert 'id="report-form"' in client.get(f"/pilots/{pilot.pk}/errors/report/").content.decode()
    response = client.post(
        f"/pilots/{pilot.pk}/errors/report/", {"what_went_wrong": "Odd sign-off."}
    )
    assert response["Location"] == f"/errors/{ErrorEntry.objects.get().pk}/"
    assert (
        client.post(f"/pilots/{pilot.pk}/errors/report/", {"what_went_wrong": ""}).status_code
        == 400
    )


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
