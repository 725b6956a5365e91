"""The sample row form: judgements start afresh, days are one-key radios, scores are toggles, a
mis-logged sample is corrected in place while its week is open, and the pilot page's week table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ReviewWeek, Sample
from reviews.panels import chart_data, coverage_summary, reviews_panel_context

from .factories import ReviewWeekFactory, SampleFactory
from .helpers import HTMX
from .test_views_week import form_row

pytestmark = pytest.mark.django_db


def test_after_a_major_rewrite_the_next_row_does_not_carry_the_judgements(
    pilot, people, client_for
):
    week = ReviewWeekFactory(pilot=pilot)
    client = client_for(people["reviewer"])
    row = form_row(week, outcome="major_rewrite", accuracy_ok="False", accuracy_note="wrong")
    response = client.post(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", row, **HTMX)

    html = response.content.decode()
    form_html = html[: html.index("</form>")]
    assert 'value="major_rewrite" selected' not in form_html
    assert '<option value="" selected>Choose…</option>' in form_html
    assert 'value="ana"' in form_html and 'value="6.5"' in form_html  # context and baseline carry
    assert 'name="minutes_with_ai" step' in form_html and 'value="2"' not in form_html
    assert form_html.count('class="pass-toggle"') == 3
    assert form_html.count("checked") == 4  # three passing toggles and the carried day


def test_a_row_without_an_outcome_is_refused_next_to_the_field(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    response = client_for(people["reviewer"]).post(
        f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", form_row(week, outcome="")
    )
    assert response.status_code == 400
    assert not Sample.objects.exists()


def test_the_day_is_offered_as_the_seven_days_of_the_week(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    html = client_for(people["reviewer"]).get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/")
    html = html.content.decode()
    assert html.count('type="radio" name="produced_on"') == 7
    monday = week.week_start
    assert f"1\u00a0{monday:%a} {monday.day} {monday:%b}" in html


def test_an_unticked_toggle_fails_the_score_without_javascript(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    row = form_row(week, accuracy_ok=["False"], tone_ok=["False", "True"])
    row["accuracy_note"] = "wrong order"
    client_for(people["reviewer"]).post(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/samples/", row)
    sample = Sample.objects.get()
    assert (sample.accuracy_ok, sample.tone_ok) == (False, True)


def test_a_sample_is_corrected_in_place_with_history(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    sample = SampleFactory(week=week, outcome=Sample.Outcome.MAJOR_REWRITE)
    client = client_for(people["reviewer"])

    form = client.get(f"/samples/{sample.pk}/edit/", **HTMX)
    assert form.status_code == 200
    assert "Correcting" in form.content.decode()
    assert f'hx-post="/samples/{sample.pk}/edit/"' in form.content.decode()

    row = form_row(week, reference=sample.reference, outcome="sent_as_is")
    response = client.post(f"/samples/{sample.pk}/edit/", row, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corrected" in html and 'id="week-figures" hx-swap-oob="true"' in html
    sample.refresh_from_db()
    assert sample.outcome == Sample.Outcome.SENT_AS_IS
    latest = sample.history.first()
    assert (latest.history_type, latest.history_user) == ("~", people["reviewer"])


def test_a_correction_has_the_same_checks_as_logging(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    sample = SampleFactory(week=week)
    future = (week.week_end + timedelta(days=1)).isoformat()
    response = client_for(people["reviewer"]).post(
        f"/samples/{sample.pk}/edit/", form_row(week, produced_on=future)
    )
    assert response.status_code == 400
    assert "produced_on" in response.context["form"].errors
    assert (
        client_for(people["owner"]).post(f"/samples/{sample.pk}/edit/", form_row(week)).status_code
        == 403
    )


def test_a_closed_weeks_samples_cannot_be_corrected(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    sample = SampleFactory(week=week, outcome=Sample.Outcome.MAJOR_REWRITE)
    ReviewWeek.objects.filter(pk=week.pk).update(
        status=ReviewWeek.Status.CLOSED, closed_at=timezone.now()
    )
    response = client_for(people["reviewer"]).post(
        f"/samples/{sample.pk}/edit/", form_row(week, outcome="sent_as_is")
    )
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    sample.refresh_from_db()
    assert sample.outcome == Sample.Outcome.MAJOR_REWRITE


def test_the_week_table_says_what_is_covered_and_what_is_missing(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week, produced_by="ana", case=Sample.Case.EASY)
    context = reviews_panel_context(pilot, people["owner"])
    _figure, coverage = context["reviews_recent"][0]
    assert coverage["covered"] == "1 day, 1 person, 0 messy cases"
    assert coverage["missing"] == ["2 more day(s)", "another person", "messy case"]


def test_the_open_week_is_off_the_trend_line_and_marked_provisional(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory(week=week)
    figures = reviews_panel_context(pilot, people["owner"])["reviews_recent"]
    data = chart_data([figure for figure, _ in figures[::-1]])
    assert data["error_rate"][-1] is None
    assert data["provisional"]["error_rate"][-1] is not None
    assert data["provisional_label"] == f"open week, 1 of {week.target_size}"
    assert coverage_summary(figures[0][0])["covered"].startswith("1 day")
