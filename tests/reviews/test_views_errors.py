"""The error log pages: the log and its filters, one-field reports, entries and their edits."""

import pytest

from pilots.models import Pilot
from reviews.models import ErrorEntry

from .factories import ErrorEntryFactory, FailureModeFactory
from .helpers import HTMX

pytestmark = pytest.mark.django_db


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
