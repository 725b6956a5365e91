"""The pilots REST API: creating and editing the one page, status for gateways, roles, lists, tokens,
the OpenAPI schema, and the number of queries a list or a detail costs.

Who may call what is in tests/pilots/test_permissions.py; this file checks what the calls do.
"""

import base64
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from drf_spectacular.validation import validate_schema
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from pilots import services
from pilots.models import Pilot, PilotRole, StatusChange
from tests.pilots.factories import PilotFactory, RoleFactory, TeamFactory, UserFactory

User = get_user_model()
Kind = PilotRole.Kind


def detail(pilot) -> str:
    return f"/api/pilots/{pilot.pk}"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]


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


# --- The ownership matrix -----------------------------------------------------------------------


def test_role_with_the_backup_equal_to_the_primary_answers_400_on_backup(pilot, people, api_for):
    role = PilotRole.objects.get(pilot=pilot, kind=Kind.REVIEWER)

    response = api_for(people["owner"]).post(
        "/api/roles",
        {
            "pilot": pilot.pk,
            "kind": "reviewer",
            "primary": people["reviewer"].pk,
            "backup": people["reviewer"].pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "backup" in response.data, response.data
    role.refresh_from_db()
    assert (role.primary, role.backup) == (people["reviewer"], people["reviewer_backup"])


def test_role_patch_making_the_backup_the_primary_answers_400_on_backup(pilot, people, api_for):
    role = PilotRole.objects.get(pilot=pilot, kind=Kind.STOP_AUTHORITY)

    response = api_for(people["owner"]).patch(
        f"/api/roles/{role.pk}", {"backup": people["stopper"].pk}, format="json"
    )

    assert response.status_code == 400
    assert "backup" in response.data, response.data
    role.refresh_from_db()
    assert role.backup == people["stopper_backup"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param(
            {"kind": "lane_it", "backup": "stopper"}, "primary", id="backup-without-primary"
        ),
        pytest.param(
            {"kind": "lane_it", "primary": "tech", "members": ["reviewer"]}, "members", id="members"
        ),
        pytest.param({"kind": "chief_vibe_officer", "primary": "tech"}, "kind", id="unknown-kind"),
        pytest.param({"kind": "lane_it", "primary": 999_999}, "primary", id="unknown-person"),
    ],
)
def test_a_bad_role_answers_400_keyed_by_field(pilot, people, api_for, payload, field):
    def person(value):
        return people[value].pk if isinstance(value, str) else value

    body = {"pilot": pilot.pk, "kind": payload["kind"]}
    for key in ("primary", "backup"):
        if key in payload:
            body[key] = person(payload[key])
    if "members" in payload:
        body["members"] = [person(member) for member in payload["members"]]

    response = api_for(people["owner"]).post("/api/roles", body, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert not PilotRole.objects.filter(pilot=pilot, kind="lane_it").exists()


def test_posting_a_role_again_replaces_the_row_for_that_kind(pilot, people, api_for):
    api = api_for(people["owner"])
    body = {"pilot": pilot.pk, "kind": "lane_security", "response_minutes": 30}

    first = api.post("/api/roles", {**body, "primary": people["tech"].pk}, format="json")
    second = api.post("/api/roles", {**body, "primary": people["reviewer"].pk}, format="json")

    assert first.status_code == second.status_code == 201
    assert first.data["id"] == second.data["id"]
    rows = PilotRole.objects.filter(pilot=pilot, kind="lane_security")
    assert [(row.primary, row.response_minutes) for row in rows] == [(people["reviewer"], 30)]


def test_role_patch_keeps_the_fields_not_sent(pilot, people, api_for):
    role = PilotRole.objects.get(pilot=pilot, kind=Kind.REVIEWER)
    role.members.add(people["finance"])

    response = api_for(people["owner"]).patch(
        f"/api/roles/{role.pk}", {"response_minutes": 240}, format="json"
    )

    assert response.status_code == 200, response.data
    role.refresh_from_db()
    assert role.primary == people["reviewer"]
    assert role.backup == people["reviewer_backup"]
    assert list(role.members.all()) == [people["finance"]]
    assert role.response_minutes == 240


def test_a_new_role_gives_its_holder_the_pilot(pilot, people, api_for):
    newcomer = UserFactory(username="newcomer")
    assert api_for(newcomer).get(detail(pilot)).status_code == 404

    response = api_for(people["owner"]).post(
        "/api/roles",
        {"pilot": pilot.pk, "kind": "lane_operations", "primary": newcomer.pk},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert api_for(newcomer).get(detail(pilot)).status_code == 200


# --- Lists: pagination and filters --------------------------------------------------------------


def test_pilot_list_is_paginated(people, api_for):
    PilotFactory.create_batch(3)

    first = api_for(people["admin"]).get("/api/pilots", {"page_size": 2})
    second = api_for(people["admin"]).get("/api/pilots", {"page_size": 2, "page": 2})

    assert first.status_code == 200
    assert first.data["count"] == 3
    assert len(first.data["results"]) == 2
    assert first.data["next"] is not None
    assert first.data["previous"] is None
    assert len(second.data["results"]) == 1
    assert second.data["next"] is None


@pytest.mark.parametrize(
    "url", ["/api/roles", "/api/decision-rights", "/api/changes", "/api/teams", "/api/users"]
)
def test_every_list_is_paginated(people, api_for, url):
    response = api_for(people["admin"]).get(url)

    assert response.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(response.data)


def test_pilot_list_filters_by_status(people, api_for):
    paused = PilotFactory(status=Pilot.Status.PAUSED)
    retired = PilotFactory(status=Pilot.Status.RETIRED)
    PilotFactory(status=Pilot.Status.PILOTING)
    api = api_for(people["admin"])

    assert ids(api.get("/api/pilots", {"status": "paused"})) == [paused.pk]
    assert sorted(ids(api.get("/api/pilots", {"status__in": "paused,retired"}))) == sorted(
        [paused.pk, retired.pk]
    )


def test_pilot_list_filters_by_team(people, api_for):
    support, sales = TeamFactory(name="Support"), TeamFactory(name="Sales")
    ours = PilotFactory(team=support)
    PilotFactory(team=sales)

    response = api_for(people["admin"]).get("/api/pilots", {"team": support.pk})

    assert ids(response) == [ours.pk]
    assert response.data["results"][0]["team_name"] == "Support"


def test_pilot_list_filters_never_widen_what_you_may_see(pilot, people, api_for):
    response = api_for(people["stranger"]).get(
        "/api/pilots", {"status": "piloting", "team": pilot.team_id}
    )

    assert ids(response) == []


def test_role_list_filters_by_pilot_and_kind(pilot, people, api_for):
    other = PilotFactory()
    RoleFactory(pilot=other, kind=Kind.REVIEWER, primary=people["reviewer"])

    response = api_for(people["reviewer"]).get(
        "/api/roles", {"pilot": pilot.pk, "kind": "reviewer"}
    )

    assert response.status_code == 200
    assert [(row["pilot"], row["kind"]) for row in response.data["results"]] == [
        (pilot.pk, "reviewer")
    ]


# --- Tokens for machines ------------------------------------------------------------------------


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_auth_login_gives_a_token_that_authenticates_and_is_stored_only_hashed(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "pw-for-tests"))

    response = login.post("/api/auth/login")

    assert response.status_code == 200, response.data
    token = response.data["token"]
    assert len(token) >= 32
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(machine.get("/api/pilots")) == [pilot.pk]
    stored = AuthToken.objects.get(user=people["owner"])
    assert stored.digest == hash_token(token)
    assert token not in {stored.digest, stored.token_key}
    assert not AuthToken.objects.filter(digest=token).exists()
    for row in AuthToken.objects.values():
        assert all(token not in str(value) for value in row.values())


def test_login_with_a_wrong_password_gives_no_token(people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "not-the-password"))

    response = login.post("/api/auth/login")

    assert response.status_code == 401
    assert not AuthToken.objects.exists()


def test_an_unknown_token_is_refused(people):
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    assert machine.get("/api/pilots").status_code == 401


def test_a_token_stops_working_after_logout(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("owner", "pw-for-tests"))
    token = login.post("/api/auth/login").data["token"]
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert machine.post("/api/auth/logout").status_code == 204

    assert machine.get("/api/pilots").status_code == 401
    assert not AuthToken.objects.exists()


def test_a_token_sees_only_what_its_user_may_see(pilot, people):
    login = APIClient()
    login.credentials(HTTP_AUTHORIZATION=basic("stranger", "pw-for-tests"))
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {login.post('/api/auth/login').data['token']}")

    assert ids(machine.get("/api/pilots")) == []
    assert machine.get(detail(pilot)).status_code == 404


# --- Schema and docs ----------------------------------------------------------------------------


@pytest.fixture
def schema(people, api_for):
    response = api_for(people["owner"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Pilotdeck API"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/pilots", {"get", "post"}),
        ("/api/pilots/{id}", {"get", "put", "patch"}),
        ("/api/pilots/{id}/status", {"get", "post"}),
        ("/api/roles", {"get", "post"}),
        ("/api/roles/{id}", {"get", "put", "patch"}),
        ("/api/decision-rights", {"get", "post"}),
        ("/api/changes", {"get", "post"}),
        ("/api/changes/{id}/approve", {"post"}),
        ("/api/changes/{id}/reject", {"post"}),
        ("/api/changes/{id}/live", {"post"}),
        ("/api/changes/{id}/outcome", {"post"}),
        ("/api/teams", {"get"}),
        ("/api/users", {"get"}),
        ("/api/auth/login", {"post"}),
    ],
)
def test_schema_documents_each_endpoint(schema, path, methods):
    assert path in schema["paths"], sorted(schema["paths"])
    assert methods <= set(schema["paths"][path])


def test_schema_documents_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]

    assert any(
        scheme.get("type") == "apiKey" and scheme.get("name") == "Authorization"
        for scheme in schemes.values()
    )


def test_docs_page_renders_for_the_schema(people, client_for):
    response = client_for(people["owner"]).get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/schema/" in response.content


# --- Query counts -------------------------------------------------------------------------------


def _pilots_visible_to(who: str, count: int, people) -> tuple[User, Pilot]:
    """`count` pilots, each with a full ownership matrix and a reviewer group; the user sees all."""
    pilots = PilotFactory.create_batch(count)
    for pilot in pilots:
        RoleFactory(
            pilot=pilot,
            kind=Kind.BUSINESS_OWNER,
            primary=people["owner"],
            backup=people["owner_backup"],
        )
        RoleFactory(pilot=pilot, kind=Kind.TECHNICAL_OWNER, primary=people["tech"])
        reviewer = RoleFactory(pilot=pilot, kind=Kind.REVIEWER, primary=people["reviewer"])
        reviewer.members.add(people["reviewer_backup"], people["finance"])
        RoleFactory(pilot=pilot, kind=Kind.STOP_AUTHORITY, primary=people["stopper"])
    # A fresh instance: nothing cached on it (access.is_finance memoises on the user object).
    user = User.objects.get(pk=people[who].pk)
    return user, pilots[-1]


# (who, list queries, detail queries). Admin: COUNT + page; detail: pilot + roles + members.
# Role holder: the same, plus one query to learn whether they are in the finance group.
QUERY_BUDGET = [("admin", 2, 3), ("owner", 3, 4)]


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize(("who", "list_queries", "detail_queries"), QUERY_BUDGET)
def test_pilot_list_costs_the_same_number_of_queries_for_1_or_25_pilots(
    people, api_for, django_assert_num_queries, count, who, list_queries, detail_queries
):
    user, _ = _pilots_visible_to(who, count, people)
    api = api_for(user)

    with django_assert_num_queries(list_queries):
        response = api.get("/api/pilots")

    assert response.status_code == 200
    assert response.data["count"] == count


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize(("who", "list_queries", "detail_queries"), QUERY_BUDGET)
def test_pilot_detail_costs_the_same_number_of_queries_for_1_or_25_pilots(
    people, api_for, django_assert_num_queries, count, who, list_queries, detail_queries
):
    user, pilot = _pilots_visible_to(who, count, people)
    api = api_for(user)

    with django_assert_num_queries(detail_queries):
        response = api.get(detail(pilot))

    assert response.status_code == 200
    assert len(response.data["roles"]) == 4
    reviewer = next(role for role in response.data["roles"] if role["kind"] == "reviewer")
    assert sorted(reviewer["members"]) == sorted(
        [people["reviewer_backup"].pk, people["finance"].pk]
    )


def test_status_since_is_reported_in_iso_format(people, api_for):
    since = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    pilot = PilotFactory(status=Pilot.Status.PILOTING, status_since=since)

    response = api_for(people["admin"]).get(f"{detail(pilot)}/status")

    assert parse_datetime(response.data["since"]) == since
