"""A pilot's status history over the API: who or which rule, when, from, to and why, newest first."""

import pytest

from pilots import services
from pilots.models import Pilot
from tests.pilots.factories import PilotFactory

pytestmark = pytest.mark.django_db

Status = Pilot.Status


def test_history_lists_people_and_rules_newest_first(pilot, people, api_for):
    services.pilot_pause(pilot=pilot, by=None, reason="Error rate above 5 %.", rule="error_rate")
    pilot.refresh_from_db()
    services.pilot_transition(
        pilot=pilot, by=people["stopper"], to_status=Status.PILOTING, reason="Prompt fixed."
    )

    response = api_for(people["reviewer"]).get(f"/api/pilots/{pilot.pk}/status-history")

    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert [(row["from_status"], row["to_status"]) for row in rows[:2]] == [
        (Status.PAUSED, Status.PILOTING),
        (Status.PILOTING, Status.PAUSED),
    ]
    resumed, paused = rows[0], rows[1]
    assert resumed["by"]["id"] == people["stopper"].pk
    assert resumed["rule"] == ""
    assert resumed["reason"] == "Prompt fixed."
    assert paused["by"] is None
    assert paused["rule"] == "error_rate"
    assert paused["reason"] == "Error rate above 5 %."
    assert rows[0]["at"] >= rows[1]["at"]


def test_history_shows_only_that_pilots_changes(pilot, people, api_for):
    other = PilotFactory()
    services.pilot_pause(pilot=other, by=None, reason="Another pilot.", rule="error_rate")

    rows = api_for(people["admin"]).get(f"/api/pilots/{pilot.pk}/status-history").json()["results"]

    assert all(row["reason"] != "Another pilot." for row in rows)


def test_a_pilot_the_caller_cannot_see_answers_404(pilot, people, api_for):
    response = api_for(people["stranger"]).get(f"/api/pilots/{pilot.pk}/status-history")

    assert response.status_code == 404


@pytest.mark.parametrize("changes", [2, 20])
def test_history_takes_a_fixed_number_of_queries(
    pilot, people, api_for, django_assert_num_queries, changes
):
    for index in range(changes):
        to_status = Status.PAUSED if index % 2 == 0 else Status.PILOTING
        pilot.refresh_from_db()
        services.pilot_transition(
            pilot=pilot, by=people["stopper"], to_status=to_status, reason=f"Change {index}."
        )
    api = api_for(people["owner"])

    with django_assert_num_queries(HISTORY_QUERIES):
        response = api.get(f"/api/pilots/{pilot.pk}/status-history")

    assert response.status_code == 200
    assert response.json()["count"] >= changes


# finance check + the pilot (scoped) + its roles prefetched + count + the page with its people
HISTORY_QUERIES = 6


def test_the_schema_documents_the_history(people, api_for):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/pilots/{id}/status-history"]["get"]
    assert "newest first" in operation["description"]
