"""Who may record costs is decided before the payload is read, as in the pilots API.

For each write endpoint of the ledger and task volumes: a role that sees the pilot but may not
record its costs (reviewers, the stop authority) gets 403 even for an invalid payload, never a 400
that lists field rules; the owners and finance get the 400 with its field errors; nothing is
written either way. Someone who cannot see the pilot gets 404 on an entry in the URL and 400 on a
pilot in the body (it reads as an id that does not exist).
"""

import json

import pytest

from costs.models import CostEntry, TaskVolume
from tests.costs.factories import entry_row, record_cost, record_tasks

pytestmark = pytest.mark.django_db

READ_ONLY = ["reviewer", "stopper"]
RECORDERS = ["owner", "finance"]


def post_json(api, url, payload):
    return api.generic("POST", url, json.dumps(payload), content_type="application/json")


def bad_entry(pilot) -> dict:
    return {"pilot": pilot.pk, "date": "not a day", "category": "nonsense", "amount": "abc"}


def bad_volume(pilot) -> dict:
    return {"pilot": pilot.pk, "date": "not a day", "completed": -1}


def assert_refused(response):
    assert response.status_code == 403, response.content
    assert set(response.json()) == {"detail"}


def assert_field_errors(response, *fields):
    assert response.status_code == 400, response.content
    assert set(fields) <= set(response.json()), response.json()


def row_errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["errors"][0]["errors"]


# --- Cost entries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READ_ONLY)
def test_a_bad_entry_is_refused_to_those_who_only_read(pilot, people, api_for, who):
    assert_refused(post_json(api_for(people[who]), "/api/cost-entries", bad_entry(pilot)))
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize("who", RECORDERS)
def test_a_bad_entry_answers_field_errors_to_who_may_record(pilot, people, api_for, who):
    response = post_json(api_for(people[who]), "/api/cost-entries", bad_entry(pilot))
    assert_field_errors(response, "date", "category", "amount")
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("stopper", 403), ("tech", 400)])
def test_correcting_an_entry_checks_the_role_before_the_payload(
    pilot, people, api_for, who, status
):
    entry = record_cost(pilot, people["owner"], amount="12.50")
    response = api_for(people[who]).patch(
        f"/api/cost-entries/{entry.pk}", {"amount": "abc", "date": "x"}, format="json"
    )
    if status == 403:
        assert_refused(response)
    else:
        assert_field_errors(response, "amount", "date")
    entry.refresh_from_db()
    assert str(entry.amount) == "12.5000"


@pytest.mark.parametrize("who", READ_ONLY)
def test_a_bad_bulk_push_is_refused_to_those_who_only_read(pilot, people, api_for, who):
    rows = [bad_entry(pilot), entry_row(pilot), "not a row"]
    response = post_json(api_for(people[who]), "/api/cost-entries/bulk", rows)
    assert_refused(response)
    assert pilot.name in response.json()["detail"]
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize("who", RECORDERS)
def test_a_bad_bulk_push_answers_row_errors_to_who_may_record(pilot, people, api_for, who):
    response = post_json(api_for(people[who]), "/api/cost-entries/bulk", [bad_entry(pilot)])
    assert {"date", "category"} <= set(row_errors(response))
    assert not CostEntry.objects.exists()


def test_a_stranger_gets_400_on_the_pilot_and_404_on_an_entry(pilot, people, api_for):
    api = api_for(people["stranger"])
    assert_field_errors(post_json(api, "/api/cost-entries", bad_entry(pilot)), "pilot")
    bulk = post_json(api, "/api/cost-entries/bulk", [bad_entry(pilot)])
    assert "pilot" in row_errors(bulk)
    entry = record_cost(pilot, people["owner"], amount="1.00")
    assert api.patch(f"/api/cost-entries/{entry.pk}", {"amount": "abc"}).status_code == 404
    assert CostEntry.objects.count() == 1


# --- Task volumes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READ_ONLY)
def test_a_bad_volume_is_refused_to_those_who_only_read(pilot, people, api_for, who):
    api = api_for(people[who])
    assert_refused(post_json(api, "/api/task-volumes", bad_volume(pilot)))
    assert_refused(post_json(api, "/api/task-volumes/bulk", [bad_volume(pilot)]))
    assert not TaskVolume.objects.exists()


@pytest.mark.parametrize("who", RECORDERS)
def test_a_bad_volume_answers_field_errors_to_who_may_record(pilot, people, api_for, who):
    api = api_for(people[who])
    assert_field_errors(post_json(api, "/api/task-volumes", bad_volume(pilot)), "date", "completed")
    bulk = post_json(api, "/api/task-volumes/bulk", [bad_volume(pilot)])
    assert {"date", "completed"} <= set(row_errors(bulk))
    assert not TaskVolume.objects.exists()


def test_a_stranger_gets_400_on_the_pilot_of_a_volume(pilot, people, api_for):
    api = api_for(people["stranger"])
    assert_field_errors(post_json(api, "/api/task-volumes", bad_volume(pilot)), "pilot")
    assert "pilot" in row_errors(post_json(api, "/api/task-volumes/bulk", [bad_volume(pilot)]))


def test_deletes_are_refused_to_those_who_only_read_and_hidden_from_strangers(
    pilot, people, api_for
):
    entry = record_cost(pilot, people["owner"], amount="1.00")
    volume = record_tasks(pilot, people["owner"], completed=3)
    for url in (f"/api/cost-entries/{entry.pk}", f"/api/task-volumes/{volume.pk}"):
        assert api_for(people["reviewer"]).delete(url).status_code == 403
        assert api_for(people["stranger"]).delete(url).status_code == 404
    assert CostEntry.objects.count() == 1 and TaskVolume.objects.count() == 1
