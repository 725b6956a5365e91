"""Who may write is decided before the payload is read, as in the pilots API.

For each write endpoint of review weeks, samples and the error log: a role that sees the pilot but
may not make the change gets 403 even for an invalid payload (never a 400 that lists field rules);
a role that may make it gets the 400 with its field errors; nothing is written either way. Someone
who cannot see the pilot gets 404 on an object in the URL and 400 on a pilot or week in the body.
"""

import pytest
from django.utils import timezone

from pilots.models import PilotRole
from reviews.models import ErrorEntry, ReviewWeek, Sample
from reviews.weeks import week_label
from tests.pilots.factories import RoleFactory, UserFactory

from .factories import ErrorEntryFactory, ReviewWeekFactory, SampleFactory

pytestmark = pytest.mark.django_db


def post(api_for, user, url, data):
    return api_for(user).post(url, data, format="json")


def patch(api_for, user, url, data):
    return api_for(user).patch(url, data, format="json")


def assert_refused(response):
    assert response.status_code == 403, response.content
    assert set(response.json()) == {"detail"}


def assert_field_errors(response, *fields):
    assert response.status_code == 400, response.content
    assert set(fields) <= set(response.json()), response.json()


def bad_sample(week) -> dict:
    """A sample naming a week the caller may see, with no reference and an unknown outcome."""
    return {"week": week.pk, "produced_on": "2999-01-01", "outcome": "nonsense"}


def lane_contact(pilot):
    """The IT lane's named contact on the pilot: sees it, holds no owning or reviewing role."""
    user = UserFactory(username="it_lane")
    RoleFactory(pilot=pilot, kind=PilotRole.Kind.LANE_IT, primary=user)
    return user


# --- Review weeks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["finance", "stopper", "owner"])
def test_opening_a_week_with_a_bad_payload_is_refused_to_non_reviewers(pilot, people, api_for, who):
    """The owner keeps weeks but does not open them: a week that does not exist is refused too."""
    data = {"pilot": pilot.pk, "iso_week": week_label(timezone.localdate()), "notes": ["x"]}
    assert_refused(post(api_for, people[who], "/api/review-weeks", data))
    assert not ReviewWeek.objects.exists()


def test_opening_a_week_with_a_bad_payload_answers_field_errors_to_a_reviewer(
    pilot, people, api_for
):
    data = {"pilot": pilot.pk, "iso_week": "2026-W60", "notes": ["x"]}
    response = post(api_for, people["reviewer"], "/api/review-weeks", data)
    assert_field_errors(response, "iso_week", "notes")
    assert not ReviewWeek.objects.exists()


@pytest.mark.parametrize("who", ["finance", "stopper"])
def test_a_viewer_still_gets_an_open_week_as_it_is(pilot, people, api_for, who):
    """POST opens *or returns* the week: asking for one that exists writes nothing."""
    week = ReviewWeekFactory(pilot=pilot)
    data = {"pilot": pilot.pk, "iso_week": week.iso_week}
    response = post(api_for, people[who], "/api/review-weeks", data)
    assert response.status_code == 200 and response.json()["id"] == week.pk
    assert_refused(post(api_for, people[who], "/api/review-weeks", {**data, "notes": "Mine."}))


def test_a_stranger_naming_the_pilot_gets_400_on_the_pilot(pilot, people, api_for):
    data = {"pilot": pilot.pk, "iso_week": "2026-W60"}
    assert_field_errors(post(api_for, people["stranger"], "/api/review-weeks", data), "pilot")


@pytest.mark.parametrize(("who", "status"), [("finance", 403), ("stopper", 403), ("owner", 400)])
def test_week_notes_check_the_role_before_the_payload(pilot, people, api_for, who, status):
    week = ReviewWeekFactory(pilot=pilot)
    response = patch(api_for, people[who], f"/api/review-weeks/{week.pk}", {"target_size": 0})
    assert response.status_code == status
    if status == 400:
        assert_field_errors(response, "target_size")
    week.refresh_from_db()
    assert week.target_size == 20


@pytest.mark.parametrize(("who", "status"), [("finance", 403), ("stopper", 403), ("reviewer", 400)])
def test_closing_a_week_checks_the_role_before_the_payload(pilot, people, api_for, who, status):
    week = ReviewWeekFactory(pilot=pilot)
    response = post(api_for, people[who], f"/api/review-weeks/{week.pk}/close", {})
    assert response.status_code == status
    if status == 400:
        assert_field_errors(response, "decision")
    week.refresh_from_db()
    assert week.status == ReviewWeek.Status.OPEN


def test_a_stranger_gets_404_on_a_week_in_the_url(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    url = f"/api/review-weeks/{week.pk}"
    assert patch(api_for, people["stranger"], url, {"target_size": 0}).status_code == 404
    assert post(api_for, people["stranger"], f"{url}/close", {}).status_code == 404


# --- Samples --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "stopper", "finance"])
def test_logging_a_bad_sample_is_refused_to_non_reviewers(pilot, people, api_for, who):
    week = ReviewWeekFactory(pilot=pilot)
    assert_refused(post(api_for, people[who], "/api/samples", bad_sample(week)))
    assert_refused(post(api_for, people[who], "/api/samples/bulk", [bad_sample(week), {}]))
    assert not Sample.objects.exists()


def test_a_bad_sample_answers_field_errors_to_a_reviewer(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    response = post(api_for, people["reviewer"], "/api/samples", bad_sample(week))
    assert_field_errors(response, "reference", "produced_by", "outcome")
    bulk = post(api_for, people["reviewer"], "/api/samples/bulk", [bad_sample(week)])
    assert bulk.status_code == 400
    assert {"reference", "outcome"} <= set(bulk.json()["errors"][0]["errors"])
    assert not Sample.objects.exists()


def test_a_stranger_naming_the_week_gets_400_on_the_week(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    response = post(api_for, people["stranger"], "/api/samples", bad_sample(week))
    assert_field_errors(response, "week")
    bulk = post(api_for, people["stranger"], "/api/samples/bulk", [bad_sample(week)])
    assert bulk.status_code == 400 and "week" in bulk.json()["errors"][0]["errors"]


# --- Error log ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["finance", "it_lane"])
def test_logging_a_bad_error_is_refused_to_those_who_only_read(pilot, people, api_for, who):
    user = people.get(who) or lane_contact(pilot)
    data = {"pilot": pilot.pk, "what_went_wrong": "", "severity": "nonsense"}
    assert_refused(post(api_for, user, "/api/errors", data))
    assert not ErrorEntry.objects.exists()


def test_a_bad_error_answers_field_errors_to_a_reviewer(pilot, people, api_for):
    data = {"pilot": pilot.pk, "what_went_wrong": "", "severity": "nonsense"}
    response = post(api_for, people["reviewer"], "/api/errors", data)
    assert_field_errors(response, "what_went_wrong", "severity")


def test_a_reviewer_giving_a_bad_fix_is_refused_and_an_owner_gets_the_field_error(
    pilot, people, api_for
):
    data = {"pilot": pilot.pk, "what_went_wrong": "It made up a rule.", "fix_kind": "nonsense"}
    assert_refused(post(api_for, people["reviewer"], "/api/errors", data))
    assert_field_errors(post(api_for, people["owner"], "/api/errors", data), "fix_kind")
    assert not ErrorEntry.objects.exists()


@pytest.mark.parametrize(
    ("who", "data", "status"),
    [
        ("finance", {"severity": "nonsense"}, 403),
        ("reviewer", {"severity": "nonsense"}, 400),
        ("reviewer", {"fix_date": "not a day"}, 403),
        ("owner", {"fix_date": "not a day"}, 400),
        ("stopper", {"fix_date": "not a day"}, 400),
    ],
)
def test_editing_an_entry_checks_the_role_before_the_payload(
    pilot, people, api_for, who, data, status
):
    entry = ErrorEntryFactory(pilot=pilot)
    response = patch(api_for, people[who], f"/api/errors/{entry.pk}", data)
    assert response.status_code == status, response.content
    if status == 400:
        assert_field_errors(response, *data)
    else:
        assert_refused(response)
    entry.refresh_from_db()
    assert (entry.severity, entry.fix_date) == (ErrorEntry.Severity.LOW, None)


@pytest.mark.parametrize(
    ("severity", "who", "status"),
    [
        ("low", "finance", 403),
        ("low", "reviewer", 403),
        ("low", "owner", 400),
        ("stop_now", "owner", 403),
        ("stop_now", "stopper", 400),
    ],
)
def test_resolving_checks_the_role_before_the_payload(
    pilot, people, api_for, severity, who, status
):
    entry = ErrorEntryFactory(pilot=pilot, severity=severity)
    response = post(api_for, people[who], f"/api/errors/{entry.pk}/resolve", {"note": "x" * 5000})
    assert response.status_code == status
    if status == 400:
        assert_field_errors(response, "note")
    entry.refresh_from_db()
    assert entry.status == ErrorEntry.Status.OPEN


def test_a_stranger_gets_404_on_an_entry_in_the_url_and_400_on_a_pilot_in_the_body(
    pilot, people, api_for
):
    entry = ErrorEntryFactory(pilot=pilot)
    stranger = people["stranger"]
    assert patch(api_for, stranger, f"/api/errors/{entry.pk}", {"severity": "x"}).status_code == 404
    assert post(api_for, stranger, f"/api/errors/{entry.pk}/resolve", {}).status_code == 404
    data = {"pilot": pilot.pk, "what_went_wrong": ""}
    assert_field_errors(post(api_for, stranger, "/api/errors", data), "pilot")


def test_reports_are_open_to_every_viewer_so_a_bad_one_answers_field_errors(pilot, people, api_for):
    """Anyone who sees the pilot may report bad output: there is no read-only role to refuse."""
    data = {"pilot": pilot.pk, "what_went_wrong": ""}
    assert_field_errors(
        post(api_for, people["finance"], "/api/error-reports", data), "what_went_wrong"
    )
    assert not ErrorEntry.objects.exists()


def test_deleting_a_sample_is_refused_to_non_reviewers_and_hidden_from_strangers(
    pilot, people, api_for
):
    sample = SampleFactory(week=ReviewWeekFactory(pilot=pilot))
    assert api_for(people["finance"]).delete(f"/api/samples/{sample.pk}").status_code == 403
    assert api_for(people["stranger"]).delete(f"/api/samples/{sample.pk}").status_code == 404
    assert Sample.objects.filter(pk=sample.pk).exists()
