"""Decision rights over REST: assigning, refusing bad ones, filters, an owner without a role."""

import pytest

from governance.models import DecisionRight
from tests.governance.api_helpers import Right, act, propose
from tests.pilots.factories import PilotFactory, UserFactory

# --- Decision rights ----------------------------------------------------------------------------


def test_owner_assigns_a_decision_right_and_posting_again_replaces_it(pilot, people, api_for):
    api = api_for(people["owner"])
    body = {"pilot": pilot.pk, "kind": "final_signoff"}

    first = api.post("/api/decision-rights", {**body, "owner": people["tech"].pk}, format="json")
    second = api.post(
        "/api/decision-rights",
        {**body, "owner": people["owner_backup"].pk, "backup": people["tech"].pk},
        format="json",
    )

    assert first.status_code == second.status_code == 201, (first.data, second.data)
    assert first.data["id"] == second.data["id"]
    assert second.data["owner"] == people["owner_backup"].pk
    assert second.data["backup"] == people["tech"].pk
    rights = DecisionRight.objects.filter(pilot=pilot, kind="final_signoff")
    assert [(right.owner, right.backup) for right in rights] == [
        (people["owner_backup"], people["tech"])
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"owner": "tech", "backup": "tech"}, "backup", id="backup-is-the-owner"),
        pytest.param({"backup": "tech"}, "owner", id="backup-without-owner"),
        pytest.param({"kind": "everything", "owner": "tech"}, "kind", id="unknown-right"),
        pytest.param({"owner": 999_999}, "owner", id="unknown-person"),
    ],
)
def test_a_bad_decision_right_answers_400_keyed_by_field(pilot, people, api_for, payload, field):
    body = {"pilot": pilot.pk, "kind": "tool_access"}
    for key, value in payload.items():
        body[key] = (
            people[value].pk if key in {"owner", "backup"} and isinstance(value, str) else value
        )

    response = api_for(people["owner"]).post("/api/decision-rights", body, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert not DecisionRight.objects.filter(pilot=pilot).exists()


def test_decision_rights_list_filters_by_pilot_and_kind(pilot, people, api_for, rights):
    other = PilotFactory()
    DecisionRight.objects.create(pilot=other, kind=Right.PROMPT_CHANGES, owner=people["tech"])

    response = api_for(people["admin"]).get(
        "/api/decision-rights", {"pilot": pilot.pk, "kind": "prompt_changes"}
    )

    assert response.status_code == 200
    assert [(row["pilot"], row["kind"], row["owner"]) for row in response.data["results"]] == [
        (pilot.pk, "prompt_changes", people["tech"].pk)
    ]


def test_a_decision_right_given_to_someone_without_a_role_can_be_used(pilot, people, api_for):
    """The owner of a decision right must be able to approve: either naming someone who cannot
    see the pilot is refused (400 on `owner`), or holding the right lets them see and approve."""
    cto = UserFactory(username="cto")  # no role on the pilot
    assigned = api_for(people["owner"]).post(
        "/api/decision-rights",
        {"pilot": pilot.pk, "kind": "model_choice", "owner": cto.pk},
        format="json",
    )
    if assigned.status_code == 400:
        assert "owner" in assigned.data, assigned.data
        return
    assert assigned.status_code == 201, assigned.data
    change = propose(api_for(people["owner"]), pilot, kind="model", new_value="2025-04-14")

    response = act(api_for(cto), change, "approve")

    assert response.status_code == 200, response.data
    change.refresh_from_db()
    assert change.approved_by == cto
