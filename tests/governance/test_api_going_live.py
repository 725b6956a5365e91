"""Approved changes over REST: going live, recording the outcome, the change log as a list."""

import pytest
from django.utils import timezone

from governance.models import Change
from governance.services import iso_week
from tests.governance.api_helpers import act, propose

# --- Going live ---------------------------------------------------------------------------------


def test_putting_a_prompt_change_live_updates_the_prompt_version(pilot, people, api_for, rights):
    change = propose(api_for(people["reviewer"]), pilot, new_value="v2")
    act(api_for(people["tech"]), change, "approve")

    response = act(api_for(people["owner"]), change, "live")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "live"
    pilot.refresh_from_db()
    assert pilot.prompt_version == "v2"
    change.refresh_from_db()
    assert change.live_at is not None
    assert change.review_week == iso_week(change.live_at)
    assert response.data["review_week"] == change.review_week


def test_putting_a_model_change_live_updates_the_model_version(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot, kind="model", new_value="2025-04-14")
    act(api_for(people["reviewer"]), change, "approve")

    response = act(api_for(people["tech"]), change, "live")

    assert response.status_code == 200, response.data
    pilot.refresh_from_db()
    assert pilot.model_version == "2025-04-14"
    assert pilot.prompt_version == "v1"


def test_a_change_without_a_new_value_leaves_the_setup_alone(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot, new_value="")
    act(api_for(people["tech"]), change, "approve")

    response = act(api_for(people["owner"]), change, "live")

    assert response.status_code == 200, response.data
    pilot.refresh_from_db()
    assert pilot.prompt_version == "v1"


def test_the_backup_approver_who_is_not_an_owner_can_put_their_prompt_change_live(
    pilot, people, api_for, rights
):
    """change_mark_live lets the decision right's owner or backup put the change live; for a
    prompt change that must also update the prompt version, not fail on the one page's edit rule."""
    change = propose(api_for(people["owner"]), pilot, new_value="v2")
    act(
        api_for(people["stopper"]), change, "approve"
    )  # stopper: backup of prompt changes, not an owner

    response = act(api_for(people["stopper"]), change, "live")

    assert response.status_code == 200, response.data
    pilot.refresh_from_db()
    assert pilot.prompt_version == "v2"
    change.refresh_from_db()
    assert change.status == Change.Status.LIVE


def test_a_prompt_change_the_api_accepts_can_go_live_once_approved(pilot, people, api_for, rights):
    """Change.new_value takes 120 characters but Pilot.prompt_version only 60: a longer prompt
    version must be refused when proposed, not after approval when it is put live."""
    long_version = "support-drafts/2026-03-02/greeting-shortened/tone-friendlier/order-lookup-v3"
    assert 60 < len(long_version) <= 120
    response = api_for(people["owner"]).post(
        "/api/changes",
        {
            "pilot": pilot.pk,
            "kind": "prompt",
            "title": "Friendlier",
            "hypothesis": "Fewer edits.",
            "new_value": long_version,
        },
        format="json",
    )
    if response.status_code == 400:  # refused up front, where the proposer can fix it: fine
        assert "new_value" in response.data, response.data
        return
    assert response.status_code == 201, response.data
    change = Change.objects.get(pk=response.data["id"])
    assert act(api_for(people["tech"]), change, "approve").status_code == 200

    live = act(api_for(people["owner"]), change, "live")

    assert live.status_code == 200, live.data
    pilot.refresh_from_db()
    assert pilot.prompt_version == long_version


def test_a_proposed_change_cannot_go_live_before_approval(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot, new_value="v2")

    response = act(api_for(people["owner"]), change, "live")

    assert response.status_code == 400
    pilot.refresh_from_db()
    assert pilot.prompt_version == "v1"


# --- Outcome ------------------------------------------------------------------------------------


@pytest.fixture
def live_change(pilot, people, rights):
    return Change.objects.create(
        pilot=pilot,
        kind=Change.Kind.PROMPT,
        title="Shorter greeting",
        hypothesis="Fewer edits.",
        requested_by=people["owner"],
        approved_by=people["tech"],
        status=Change.Status.LIVE,
        decided_at=timezone.now(),
        live_at=timezone.now(),
        review_week=iso_week(timezone.now()),
    )


def test_the_reviewer_records_the_outcome_and_closes_the_change(people, api_for, live_change):
    response = act(
        api_for(people["reviewer"]),
        live_change,
        "outcome",
        {"verdict": "kept", "outcome": "Edits fell by a third."},
    )

    assert response.status_code == 200, response.data
    live_change.refresh_from_db()
    assert live_change.status == Change.Status.CLOSED
    assert live_change.verdict == "kept"
    assert live_change.outcome == "Edits fell by a third."
    assert live_change.outcome_at is not None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"verdict": "great", "outcome": "Fine."}, "verdict", id="unknown-verdict"),
        pytest.param({"verdict": "kept"}, "outcome", id="no-outcome"),
        pytest.param({"verdict": "kept", "outcome": ""}, "outcome", id="blank-outcome"),
    ],
)
def test_a_bad_outcome_answers_400_keyed_by_field(people, api_for, live_change, payload, field):
    response = act(api_for(people["reviewer"]), live_change, "outcome", payload)

    assert response.status_code == 400
    assert field in response.data, response.data
    live_change.refresh_from_db()
    assert live_change.status == Change.Status.LIVE


def test_an_outcome_needs_the_change_to_be_live(pilot, people, api_for, rights):
    change = propose(api_for(people["owner"]), pilot)

    response = act(
        api_for(people["reviewer"]), change, "outcome", {"verdict": "kept", "outcome": "Too early."}
    )

    assert response.status_code == 400
    change.refresh_from_db()
    assert change.status == Change.Status.PROPOSED


# --- The log as a list --------------------------------------------------------------------------


def test_change_list_filters_by_status_and_kind_newest_first(pilot, people, api_for, rights):
    api = api_for(people["owner"])
    first = propose(api, pilot, title="First")
    second = propose(api, pilot, title="Second")
    model = propose(api, pilot, kind="model", title="Model")
    act(api_for(people["tech"]), first, "approve")

    proposed = api.get("/api/changes", {"status": "proposed"})
    prompts = api.get("/api/changes", {"kind": "prompt"})

    assert [row["id"] for row in proposed.data["results"]] == [model.pk, second.pk]
    assert [row["id"] for row in prompts.data["results"]] == [second.pk, first.pk]
    assert proposed.data["count"] == 2
