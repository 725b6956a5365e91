from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilots.models import Pilot, StatusChange
from reviews.models import ErrorEntry, Sample
from reviews.weeks import week_label
from tests.pilots.factories import PilotFactory

from .factories import ErrorEntryFactory, FailureModeFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db


def row(week, index=0, **overrides):
    data = {
        "week": week.pk,
        "reference": f"https://help.example.com/tickets/{5000 + index}",
        "produced_on": (week.week_start + timedelta(days=index % 7)).isoformat(),
        "produced_by": ["ana", "ben", "cleo"][index % 3],
        "case": "messy" if index % 5 == 0 else "easy",
        "accuracy_ok": index % 10 != 0,
        "accuracy_note": "" if index % 10 else "wrong order number",
        "outcome": ["sent_as_is", "minor_edit", "major_rewrite", "discarded"][index % 4],
        "minutes_with_ai": "1.5",
        "manual_minutes": "6",
    }
    return {**data, **overrides}


# --- Bulk samples ---------------------------------------------------------------------------------


def test_bulk_logs_200_valid_rows_in_one_call(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)

    response = api_for(people["reviewer"]).post(
        "/api/samples/bulk", [row(week, i) for i in range(200)], format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 200
    assert len(response.json()["ids"]) == 200
    assert (
        Sample.objects.filter(week=week, pilot=pilot, logged_by=people["reviewer"]).count() == 200
    )
    assert Sample.history.count() == 200


def test_one_bad_row_rejects_the_batch_with_that_rows_errors_and_saves_nothing(
    pilot, people, api_for
):
    week = ReviewWeekFactory(pilot=pilot)
    rows = [row(week, i) for i in range(200)]
    rows[57] = row(week, 57, outcome="lost", tone_ok=False, manual_minutes="-2")

    response = api_for(people["reviewer"]).post("/api/samples/bulk", rows, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["index"] for error in errors] == [57]
    assert set(errors[0]["errors"]) == {"outcome", "manual_minutes"}
    assert not Sample.objects.exists()


def test_bulk_reports_every_bad_row_including_the_services_checks(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    rows = [
        row(week, 0),
        row(week, 1, tone_ok=False),
        row(week, 2, produced_on=future),
        {**row(week, 3), "week": 999999},
    ]

    response = api_for(people["reviewer"]).post("/api/samples/bulk", rows, format="json")

    assert response.status_code == 400
    errors = {error["index"]: error["errors"] for error in response.json()["errors"]}
    assert set(errors) == {1, 2, 3}
    assert "tone_note" in errors[1]
    assert "produced_on" in errors[2]
    assert "week" in errors[3]
    assert not Sample.objects.exists()


def test_bulk_needs_a_list_and_rows_go_only_into_open_weeks(pilot, people, api_for):
    api = api_for(people["reviewer"])
    week = ReviewWeekFactory(pilot=pilot, status="closed", closed_at=timezone.now())

    assert api.post("/api/samples/bulk", {"week": week.pk}, format="json").status_code == 400
    response = api.post("/api/samples/bulk", [row(week)], format="json")
    assert response.status_code == 400
    assert "week" in response.json()["errors"][0]["errors"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reviewer", 201),
        ("reviewer_backup", 201),
        ("admin", 201),
        ("owner", 403),
        ("tech", 403),
        ("stopper", 403),
        ("finance", 403),
        ("stranger", 400),
    ],
)
def test_bulk_permission_per_role(pilot, people, api_for, name, expected):
    week = ReviewWeekFactory(pilot=pilot)
    response = api_for(people[name]).post(
        "/api/samples/bulk", [row(week, 1), row(week, 2)], format="json"
    )
    assert response.status_code == expected
    assert Sample.objects.count() == (2 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("reviewer", 201), ("owner", 403), ("stopper", 403), ("finance", 403), ("stranger", 400)],
)
def test_single_sample_permission_per_role(pilot, people, api_for, name, expected):
    week = ReviewWeekFactory(pilot=pilot)
    response = api_for(people[name]).post("/api/samples", row(week), format="json")
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["iso_week"] == week.iso_week
        assert response.json()["minutes_saved"] == "4.5"


def test_a_reviewer_removes_a_sample(pilot, people, api_for):
    sample = SampleFactory(week=ReviewWeekFactory(pilot=pilot))
    assert api_for(people["owner"]).delete(f"/api/samples/{sample.pk}").status_code == 403
    assert api_for(people["reviewer"]).delete(f"/api/samples/{sample.pk}").status_code == 204
    assert not Sample.objects.exists()


# --- Review weeks ---------------------------------------------------------------------------------


def test_posting_a_week_opens_it_once(pilot, people, api_for):
    api = api_for(people["reviewer"])
    label = week_label(timezone.localdate())

    first = api.post(
        "/api/review-weeks",
        {"pilot": pilot.pk, "iso_week": label, "notes": "Kick-off"},
        format="json",
    )
    again = api.post(
        "/api/review-weeks", {"pilot": pilot.pk, "iso_week": label.lower()}, format="json"
    )

    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["notes"] == "Kick-off"
    assert first.json()["target_size"] == pilot.review_sample_size
    assert (
        api_for(people["owner"])
        .post("/api/review-weeks", {"pilot": pilot.pk, "iso_week": "2020-W01"}, format="json")
        .status_code
        == 403
    )
    bad = api.post("/api/review-weeks", {"pilot": pilot.pk, "iso_week": "2026-W60"}, format="json")
    assert bad.status_code == 400 and "iso_week" in bad.json()


def test_closing_a_week_below_target_needs_a_reason(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot, target_size=2)
    SampleFactory(week=week)
    api = api_for(people["reviewer"])

    refused = api.post(
        f"/api/review-weeks/{week.pk}/close", {"decision": "Keep it."}, format="json"
    )
    closed = api.post(
        f"/api/review-weeks/{week.pk}/close",
        {"decision": "Keep it.", "below_target_reason": "Holiday week."},
        format="json",
    )

    assert refused.status_code == 400
    assert "below_target_reason" in refused.json()
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["sample_count"] == 1


def test_week_notes_are_patched_by_reviewers_and_owners_only(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    assert (
        api_for(people["finance"])
        .patch(f"/api/review-weeks/{week.pk}", {"notes": "x"}, format="json")
        .status_code
        == 403
    )
    response = api_for(people["owner"]).patch(
        f"/api/review-weeks/{week.pk}",
        {"notes": "Tone is better.", "target_size": 25},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["notes"], response.json()["target_size"]) == ("Tone is better.", 25)


# --- Error log and reports ------------------------------------------------------------------------


def test_report_endpoint_takes_one_field_and_a_stop_now_pauses_the_pilot(pilot, people, api_for):
    api = api_for(people["finance"])

    plain = api.post(
        "/api/error-reports",
        {"pilot": pilot.pk, "what_went_wrong": "Clumsy wording."},
        format="json",
    )
    stop = api.post(
        "/api/error-reports",
        {"pilot": pilot.pk, "what_went_wrong": "It quoted a private note.", "severity": "stop_now"},
        format="json",
    )

    assert plain.status_code == 201, plain.json()
    assert plain.json()["severity"] == "" and plain.json()["status"] == "open"
    assert stop.status_code == 201
    assert stop.json()["paused_pilot"] is True
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED
    assert (
        StatusChange.objects.filter(pilot=pilot, to_status="paused", rule="stop_now_error").count()
        == 1
    )


def test_report_endpoint_refuses_an_empty_report_and_pilots_you_cannot_see(pilot, people, api_for):
    empty = api_for(people["owner"]).post(
        "/api/error-reports", {"pilot": pilot.pk, "what_went_wrong": ""}, format="json"
    )
    hidden = api_for(people["stranger"]).post(
        "/api/error-reports", {"pilot": pilot.pk, "what_went_wrong": "x"}, format="json"
    )
    assert empty.status_code == 400 and "what_went_wrong" in empty.json()
    assert hidden.status_code == 400 and "pilot" in hidden.json()
    assert not ErrorEntry.objects.exists()


def test_full_entries_route_and_match_repeats_through_the_api(pilot, people, api_for):
    mode = FailureModeFactory(pilot=pilot, label="Wrong delivery date")
    fixed = ErrorEntryFactory(pilot=pilot, failure_mode=mode, fix_kind="prompt_change")

    response = api_for(people["reviewer"]).post(
        "/api/errors",
        {
            "pilot": pilot.pk,
            "what_went_wrong": "Said Monday; it is Friday.",
            "severity": "medium",
            "failure_mode": "wrong-delivery-date",
            "category": "workflow_failure",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["repeat_of"] == fixed.pk
    assert body["is_serious_repeat"] is True
    assert body["needs_human_check"] is True
    assert body["failure_mode"] == "Wrong delivery date"
    assert (body["routed_role"], body["routed_to"]) == ("technical_owner", people["tech"].pk)


@pytest.mark.parametrize(
    ("name", "expected"), [("owner", 200), ("stopper", 200), ("reviewer", 403), ("finance", 403)]
)
def test_fixes_are_recorded_by_owners_and_the_stop_authority(
    pilot, people, api_for, name, expected
):
    entry = ErrorEntryFactory(pilot=pilot)
    response = api_for(people[name]).patch(
        f"/api/errors/{entry.pk}",
        {"fix_kind": "extra_review", "fix_description": "A second look."},
        format="json",
    )
    assert response.status_code == expected


def test_resolving_a_stop_now_entry_needs_the_stop_authority(pilot, people, api_for):
    entry = ErrorEntryFactory(pilot=pilot, severity="stop_now")
    assert (
        api_for(people["owner"])
        .post(f"/api/errors/{entry.pk}/resolve", {"note": "ok"}, format="json")
        .status_code
        == 403
    )
    response = api_for(people["stopper"]).post(
        f"/api/errors/{entry.pk}/resolve", {"note": "Source removed."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "resolved"


def test_lists_are_scoped(pilot, people, api_for):
    ErrorEntryFactory(pilot=pilot)
    ErrorEntryFactory()
    SampleFactory(week=ReviewWeekFactory(pilot=pilot))
    SampleFactory()
    assert api_for(people["reviewer"]).get("/api/errors").json()["count"] == 1
    assert api_for(people["stranger"]).get("/api/samples").json()["count"] == 0
    assert api_for(people["finance"]).get("/api/review-weeks").json()["count"] == 2
    assert (
        api_for(people["reviewer"])
        .get(f"/api/errors?pilot={pilot.pk}&severity=low")
        .json()["count"]
        == 1
    )


# --- Query counts ---------------------------------------------------------------------------------


def fill(pilot, count: int) -> None:
    mode = FailureModeFactory(pilot=pilot)
    for index in range(count):
        week = ReviewWeekFactory(
            pilot=pilot, week_start=ReviewWeekFactory.build().week_start - timedelta(weeks=index)
        )
        SampleFactory(week=week)
        ErrorEntryFactory(pilot=pilot, failure_mode=mode, repeat_of=None, category="output_quality")
    other = PilotFactory()
    SampleFactory(week=ReviewWeekFactory(pilot=other))


# Is the caller in finance? + count + the page, with its relations joined: whatever the row count.
LIST_QUERIES = {
    "/api/samples": 3,
    "/api/review-weeks": 4,  # + the figures of the page's weeks, in one query
    "/api/errors": 3,
    "/api/failure-modes": 3,
}


@pytest.mark.parametrize("url", sorted(LIST_QUERIES))
@pytest.mark.parametrize("rows", [1, 25])
def test_list_endpoints_take_a_fixed_number_of_queries(
    pilot, people, api_for, django_assert_num_queries, url, rows
):
    fill(pilot, rows)
    api = api_for(people["reviewer"])

    with django_assert_num_queries(LIST_QUERIES[url]):
        response = api.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_the_schema_documents_the_bulk_and_report_endpoints(people, api_for):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert "/api/samples/bulk" in schema["paths"]
    assert "/api/error-reports" in schema["paths"]
    assert "400" in schema["paths"]["/api/samples/bulk"]["post"]["responses"]


def test_review_week_list_shows_counts(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory.create_batch(3, week=week)
    body = api_for(people["reviewer"]).get("/api/review-weeks").json()
    assert body["results"][0]["sample_count"] == 3
    assert body["results"][0]["iso_week"] == week.iso_week


def test_bulk_takes_the_same_number_of_queries_for_2_and_200_rows(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    api = api_for(people["reviewer"])

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            response = api.post(
                "/api/samples/bulk", [row(week, i) for i in range(count)], format="json"
            )
        assert response.status_code == 201
        return len(captured)

    queries(1)  # the first call also looks up whether the caller is in finance
    assert queries(2) == queries(200)
