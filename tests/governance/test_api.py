"""Decision rights and the change log over REST: who approves, what going live does, outcomes.

Who may call which endpoint at all is in tests/pilots/test_permissions.py; this file checks the
rules of the change log. On the `pilot` fixture the business owner is `owner`; the decision rights
set up here belong to other people, so "the business owner may not approve" is really tested.
"""

import pytest
from django.utils import timezone

from governance.models import Change, DecisionRight
from governance.services import decision_right_assign, iso_week
from tests.pilots.factories import PilotFactory, UserFactory

Right = DecisionRight.Kind


@pytest.fixture
def rights(pilot, people):
    """Prompt changes: tech, backed up by the stop authority. Model choice: the reviewer alone."""
    decision_right_assign(
        pilot=pilot,
        kind=Right.PROMPT_CHANGES,
        by=people["owner"],
        owner=people["tech"],
        backup=people["stopper"],
    )
    decision_right_assign(
        pilot=pilot, kind=Right.MODEL_CHOICE, by=people["owner"], owner=people["reviewer"]
    )
    return {right.kind: right for right in DecisionRight.objects.filter(pilot=pilot)}


def propose(api, pilot, kind="prompt", new_value="", title="Shorter greeting in drafts"):
    response = api.post(
        "/api/changes",
        {
            "pilot": pilot.pk,
            "kind": kind,
            "title": title,
            "hypothesis": "Agents delete the greeting in most drafts; fewer edits.",
            "new_value": new_value,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    return Change.objects.get(pk=response.data["id"])


def act(api, change, action, data=None):
    return api.post(f"/api/changes/{change.pk}/{action}", data or {}, format="json")


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
