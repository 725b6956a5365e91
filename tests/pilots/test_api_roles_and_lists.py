"""The pilots API on roles and lists: the ownership matrix, pagination, filters, query counts."""

import pytest
from django.contrib.auth import get_user_model

from pilots.models import Pilot, PilotRole
from tests.pilots.api_helpers import Kind, detail, ids
from tests.pilots.factories import PilotFactory, RoleFactory, TeamFactory, UserFactory

User = get_user_model()


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
