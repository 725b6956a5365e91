"""The review week page: opening a week, logging and removing rows, notes, closing, queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ReviewWeek, Sample
from reviews.weeks import week_label

from .factories import ErrorEntryFactory, ReviewWeekFactory, SampleFactory
from .helpers import HTMX

pytestmark = pytest.mark.django_db


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
