"""Shared by the pilots API tests: the URL of a pilot, the ids of a list, the role kinds."""

from pilots.models import PilotRole

Kind = PilotRole.Kind


def detail(pilot) -> str:
    return f"/api/pilots/{pilot.pk}"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]
