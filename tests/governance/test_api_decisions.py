"""Proposing a change over REST and deciding it: only the decision right's owner or backup may."""

import pytest

from governance.models import Change
from tests.governance.api_helpers import act, propose

# --- Proposing ----------------------------------------------------------------------------------


def test_a_proposed_change_waits_for_its_approver_and_records_who_asked(pilot, people, api_for):
    response = api_for(people["reviewer"]).post(
        "/api/changes",
        {
            "pilot": pilot.pk,
            "kind": "prompt",
            "title": "Shorter greeting",
            "hypothesis": "Fewer edits.",
            "new_value": "v2",
            # Read-only: a proposal cannot approve or close itself.
            "status": "live",
            "approved_by": people["reviewer"].pk,
            "requested_by": people["owner"].pk,
            "verdict": "kept",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    change = Change.objects.get(pk=response.data["id"])
    assert change.status == Change.Status.PROPOSED
    assert change.requested_by == people["reviewer"]
    assert change.approved_by is None
    assert change.verdict == ""
    assert change.new_value == "v2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"hypothesis": ""}, "hypothesis", id="no-hypothesis"),
        pytest.param({"title": ""}, "title", id="no-title"),
        pytest.param({"kind": "vibes"}, "kind", id="unknown-kind"),
        pytest.param({"pilot": 999_999}, "pilot", id="unknown-pilot"),
    ],
)
def test_a_bad_proposal_answers_400_keyed_by_field(pilot, people, api_for, changes, field):
    body = {
        "pilot": pilot.pk,
        "kind": "prompt",
        "title": "Shorter greeting",
        "hypothesis": "Fewer edits.",
    }

    response = api_for(people["owner"]).post("/api/changes", {**body, **changes}, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert not Change.objects.exists()


# --- Approving ----------------------------------------------------------------------------------


@pytest.mark.parametrize("approver", ["tech", "stopper"])  # the right's owner, then its backup
def test_the_owner_of_the_decision_right_or_their_backup_approves(
    pilot, people, api_for, rights, approver
):
    change = propose(api_for(people["owner"]), pilot)

    response = act(api_for(people[approver]), change, "approve", {"note": "One week, then review."})

    assert response.status_code == 200, response.data
    assert response.data["status"] == "approved"
    assert response.data["approved_by"] == people[approver].pk
    assert response.data["decision_note"] == "One week, then review."
    change.refresh_from_db()
    assert change.status == Change.Status.APPROVED
    assert change.approved_by == people[approver]
    assert change.decided_at is not None


@pytest.mark.parametrize(
    "someone",
    ["owner", "owner_backup", "reviewer", "reviewer_backup", "stopper_backup", "finance", "admin"],
)
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_nobody_else_decides_a_change_not_even_the_business_owner(
    pilot, people, api_for, rights, someone, action
):
    change = propose(api_for(people["owner"]), pilot)

    response = act(api_for(people[someone]), change, action)

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == Change.Status.PROPOSED
    assert change.approved_by is None


def test_the_approver_follows_the_kind_of_change(pilot, people, api_for, rights):
    model_change = propose(
        api_for(people["owner"]), pilot, kind="model", new_value="gpt-4.1-2025-04-14"
    )

    refused = act(api_for(people["tech"]), model_change, "approve")  # owns prompt changes only
    approved = act(api_for(people["reviewer"]), model_change, "approve")  # owns model choice

    assert refused.status_code == 403
    assert approved.status_code == 200, approved.data
    assert approved.data["approved_by"] == people["reviewer"].pk


def test_a_change_whose_decision_right_has_no_owner_cannot_be_approved(
    pilot, people, api_for, rights
):
    change = propose(api_for(people["owner"]), pilot, kind="tool_access")

    for someone in ("owner", "tech", "reviewer", "admin"):
        assert act(api_for(people[someone]), change, "approve").status_code == 403
    change.refresh_from_db()
    assert change.status == Change.Status.PROPOSED


def test_approving_twice_answers_400_and_keeps_the_first_decision(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot)
    assert act(api_for(people["tech"]), change, "approve").status_code == 200

    again = act(api_for(people["stopper"]), change, "approve")

    assert again.status_code == 400
    assert "non_field_errors" in again.data
    change.refresh_from_db()
    assert change.approved_by == people["tech"]


def test_a_rejected_change_cannot_be_approved_or_put_live(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot, new_value="v2")
    rejected = act(
        api_for(people["tech"]), change, "reject", {"note": "Test the tone change first."}
    )

    assert rejected.status_code == 200, rejected.data
    assert rejected.data["status"] == "rejected"
    assert act(api_for(people["stopper"]), change, "approve").status_code == 400
    assert act(api_for(people["owner"]), change, "live").status_code == 400
    change.refresh_from_db()
    pilot.refresh_from_db()
    assert change.status == Change.Status.REJECTED
    assert pilot.prompt_version == "v1"
