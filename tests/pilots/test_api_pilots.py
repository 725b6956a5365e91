"""The pilots API on a pilot: creating it, editing the one page, its status for gateways."""

import datetime as dt

import pytest
from django.utils.dateparse import parse_datetime

from pilots import services
from pilots.models import Pilot, StatusChange
from tests.pilots.api_helpers import Kind, detail, ids
from tests.pilots.factories import PilotFactory, TeamFactory

# --- Creating a pilot ---------------------------------------------------------------------------


def test_creating_a_pilot_makes_the_creator_its_business_owner_and_lists_it_for_them(
    people, api_for
):
    team = TeamFactory(name="Support")
    creator = people["stranger"]  # no role on anything yet
    api = api_for(creator)

    response = api.post(
        "/api/pilots",
        {
            "name": "Refund triage",
            "team": team.pk,
            "summary": "Sort refund requests by urgency.",
            "monthly_cap": "500.00",
            "alert_thresholds": [50, 100],
            "never_do": ["Approve refunds"],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    created = Pilot.objects.get(pk=response.data["id"])
    assert created.name == "Refund triage"
    assert created.team == team
    assert created.status == Pilot.Status.DRAFT
    assert created.monthly_cap == pytest.approx(500)
    assert created.alert_thresholds == [50, 100]
    assert created.never_do == ["Approve refunds"]
    assert response.data["team_name"] == "Support"
    assert [(role["kind"], role["primary"]) for role in response.data["roles"]] == [
        (Kind.BUSINESS_OWNER, creator.pk)
    ]
    assert ids(api.get("/api/pilots")) == [created.pk]
    assert api.get(detail(created)).status_code == 200


def test_creating_a_pilot_ignores_status_and_status_since_in_the_request(people, api_for):
    response = api_for(people["owner"]).post(
        "/api/pilots",
        {
            "name": "Refund triage",
            "status": "scaled",
            "status_since": "2001-01-01T00:00:00Z",
            "status_reason": "Trust me.",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    created = Pilot.objects.get(pk=response.data["id"])
    assert created.status == Pilot.Status.DRAFT
    assert created.status_since.year > 2001
    assert created.status_reason == ""


VALID_NEW_PILOT = {"name": "Refund triage", "monthly_cap": "500.00", "alert_thresholds": [50, 80]}
MISSING = object()

CREATE_ERRORS = [
    pytest.param("name", {"name": MISSING}, id="name-missing"),
    pytest.param("name", {"name": ""}, id="name-blank"),
    pytest.param("monthly_cap", {"monthly_cap": "-5.00"}, id="negative-monthly-cap"),
    pytest.param("monthly_cap", {"monthly_cap": "0"}, id="zero-monthly-cap"),
    pytest.param("alert_thresholds", {"alert_thresholds": [80, 50]}, id="thresholds-out-of-order"),
    pytest.param("alert_thresholds", {"alert_thresholds": [50, 50]}, id="thresholds-repeated"),
    pytest.param("alert_thresholds", {"alert_thresholds": [0, 50]}, id="threshold-below-one"),
    pytest.param("team", {"team": 999_999}, id="unknown-team"),
    pytest.param("review_sample_size", {"review_sample_size": 2}, id="sample-too-small"),
    pytest.param(
        "expansion_threshold", {"expansion_metric": "error_rate"}, id="expansion-without-target"
    ),
    pytest.param("fallback_action", {"fallback_action": "pray"}, id="unknown-fallback"),
]


@pytest.mark.parametrize(("field", "changes"), CREATE_ERRORS)
def test_creating_a_pilot_with_a_bad_field_answers_400_keyed_by_that_field(
    people, api_for, field, changes
):
    payload = {**VALID_NEW_PILOT, **changes}
    payload = {key: value for key, value in payload.items() if value is not MISSING}

    response = api_for(people["owner"]).post("/api/pilots", payload, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert not Pilot.objects.filter(name="Refund triage").exists()


# --- Editing the one page -----------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(pilot, people, api_for):
    api = api_for(people["owner"])
    before = api.get(detail(pilot)).data

    response = api.patch(
        detail(pilot), {"summary": "Draft replies for billing tickets."}, format="json"
    )

    assert response.status_code == 200, response.data
    after = api.get(detail(pilot)).data
    assert after["summary"] == "Draft replies for billing tickets."
    unchanged = {key for key in before if key not in {"summary", "updated_at"}}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_patch_saves_list_and_number_fields(pilot, people, api_for):
    response = api_for(people["tech"]).patch(
        detail(pilot),
        {"tools": ["Order lookup"], "monthly_cap": "750.50", "alert_thresholds": [25, 75]},
        format="json",
    )

    assert response.status_code == 200, response.data
    pilot.refresh_from_db()
    assert pilot.tools == ["Order lookup"]
    assert str(pilot.monthly_cap) == "750.50"
    assert pilot.alert_thresholds == [25, 75]
    assert response.data["monthly_cap"] == "750.50"


def test_status_fields_are_read_only_on_patch(pilot, people, api_for):
    since = pilot.status_since
    history = StatusChange.objects.count()

    response = api_for(people["owner"]).patch(
        detail(pilot),
        {"status": "scaled", "status_since": "2001-01-01T00:00:00Z", "status_reason": "Trust me."},
        format="json",
    )

    assert response.status_code == 200, response.data
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING
    assert pilot.status_since == since
    assert pilot.status_reason == ""
    assert response.data["status"] == Pilot.Status.PILOTING
    assert StatusChange.objects.count() == history


PATCH_ERRORS = [
    pytest.param("name", {"name": ""}, id="name-blank"),
    pytest.param("monthly_cap", {"monthly_cap": "-1"}, id="negative-monthly-cap"),
    pytest.param("alert_thresholds", {"alert_thresholds": [80, 50]}, id="thresholds-out-of-order"),
    pytest.param("team", {"team": 999_999}, id="unknown-team"),
    pytest.param("cost_per_task_limit", {"cost_per_task_limit": "-0.10"}, id="negative-cost-limit"),
    pytest.param(
        "expansion_threshold", {"expansion_metric": "error_rate"}, id="expansion-without-target"
    ),
]


@pytest.mark.parametrize(("field", "changes"), PATCH_ERRORS)
def test_patch_with_a_bad_field_answers_400_keyed_by_that_field_and_saves_nothing(
    pilot, people, api_for, field, changes
):
    api = api_for(people["owner"])
    before = api.get(detail(pilot)).data

    response = api.patch(detail(pilot), {"summary": "Changed as well.", **changes}, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert api.get(detail(pilot)).data == before


# --- Status, for gateways and for the stop authority -------------------------------------------


def test_status_of_a_paused_pilot_says_paused_with_reason_and_since(pilot, people, api_for):
    services.pilot_transition(
        pilot=pilot,
        to_status=Pilot.Status.PAUSED,
        by=people["stopper"],
        reason="Spend went over the cap.",
    )
    pilot.refresh_from_db()

    response = api_for(people["reviewer"]).get(f"{detail(pilot)}/status")

    assert response.status_code == 200
    assert response.data["id"] == pilot.pk
    assert response.data["status"] == "paused"
    assert response.data["paused"] is True
    assert response.data["may_call_model"] is False
    assert response.data["reason"] == "Spend went over the cap."
    assert parse_datetime(response.data["since"]) == pilot.status_since


@pytest.mark.parametrize(
    ("status", "may_call_model"),
    [
        ("draft", False),
        ("piloting", True),
        ("expanding", True),
        ("scaled", True),
        ("retired", False),
    ],
)
def test_status_says_whether_a_gateway_may_call_the_model(people, api_for, status, may_call_model):
    pilot = PilotFactory(status=status)

    response = api_for(people["admin"]).get(f"{detail(pilot)}/status")

    assert response.status_code == 200
    assert response.data["status"] == status
    assert response.data["paused"] is False
    assert response.data["may_call_model"] is may_call_model


def test_stop_authority_pauses_and_their_backup_resumes_with_history(pilot, people, api_for):
    url = f"{detail(pilot)}/status"

    paused = api_for(people["stopper"]).post(
        url, {"status": "paused", "reason": "Invented refund rules."}, format="json"
    )
    resumed = api_for(people["stopper_backup"]).post(
        url, {"status": "piloting", "reason": "Prompt fixed and reviewed."}, format="json"
    )

    assert paused.status_code == 200, paused.data
    assert paused.data["paused"] is True
    assert paused.data["reason"] == "Invented refund rules."
    assert resumed.status_code == 200, resumed.data
    assert resumed.data["status"] == "piloting"
    assert resumed.data["may_call_model"] is True
    history = [
        (change.from_status, change.to_status, change.by, change.reason)
        for change in StatusChange.objects.filter(pilot=pilot).order_by("at", "id")
    ]
    assert history == [
        ("piloting", "paused", people["stopper"], "Invented refund rules."),
        ("paused", "piloting", people["stopper_backup"], "Prompt fixed and reviewed."),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"status": "paused"}, "reason", id="no-reason"),
        pytest.param({"status": "paused", "reason": "   "}, "reason", id="blank-reason"),
        pytest.param({"status": "flying", "reason": "Why not."}, "status", id="unknown-status"),
        pytest.param({"status": "piloting", "reason": "Again."}, "status", id="already-in-it"),
        pytest.param({"status": "scaled", "reason": "Skip a stage."}, "status", id="skips-a-stage"),
    ],
)
def test_a_refused_transition_answers_400_keyed_by_field_and_changes_nothing(
    pilot, people, api_for, payload, field
):
    response = api_for(people["admin"]).post(f"{detail(pilot)}/status", payload, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING
    assert not StatusChange.objects.filter(pilot=pilot).exists()


def test_a_paused_pilot_resumes_only_to_the_stage_it_had(pilot, people, api_for):
    services.pilot_transition(
        pilot=pilot, to_status=Pilot.Status.PAUSED, by=people["stopper"], reason="Cost spike."
    )

    response = api_for(people["stopper"]).post(
        f"{detail(pilot)}/status", {"status": "expanding", "reason": "Back."}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.data
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED


def test_status_since_is_reported_in_iso_format(people, api_for):
    since = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    pilot = PilotFactory(status=Pilot.Status.PILOTING, status_since=since)

    response = api_for(people["admin"]).get(f"{detail(pilot)}/status")

    assert parse_datetime(response.data["since"]) == since
