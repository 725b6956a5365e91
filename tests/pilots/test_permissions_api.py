"""Every pilots and governance endpoint answers each role as the ownership matrix says."""

import pytest
from rest_framework.test import APIClient

from governance.models import Change, DecisionRight
from pilots.models import Pilot, PilotRole
from tests.pilots.permission_helpers import (
    EDITED,
    EDITORS,
    RETIRERS,
    REVIEWERS,
    RIGHT_HOLDERS,
    ROLE_HOLDERS,
    SIGNED_IN,
    STOPPERS,
    VIEWERS,
    Route,
    api,
    assert_outcome,
    cases,
    change_status,
    make_draft,
    pause,
    status_is,
    transition,
)

API_ROUTES = [
    Route("pilots-list", "get", lambda w: "/api/pilots", api(SIGNED_IN, 200)),
    Route(
        "pilots-create",
        "post",
        lambda w: "/api/pilots",
        api(SIGNED_IN, 201),
        data=lambda w: {"name": "Made in the test"},
        done=lambda w: Pilot.objects.filter(name="Made in the test").exists(),
    ),
    Route("pilot-detail", "get", lambda w: f"/api/pilots/{w.pilot.pk}", api(VIEWERS, 200)),
    Route(
        "pilot-patch",
        "patch",
        lambda w: f"/api/pilots/{w.pilot.pk}",
        api(EDITORS, 200),
        data=lambda w: {"trigger": EDITED},
        done=lambda w: w.refreshed_pilot().trigger == EDITED,
    ),
    Route(
        "pilot-put",
        "put",
        lambda w: f"/api/pilots/{w.pilot.pk}",
        api(EDITORS, 200),
        data=lambda w: {"name": "Renamed in the test"},
        done=lambda w: w.refreshed_pilot().name == "Renamed in the test",
    ),
    Route(
        "pilot-status-read", "get", lambda w: f"/api/pilots/{w.pilot.pk}/status", api(VIEWERS, 200)
    ),
    Route(
        "pilot-status-pause",
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        api(STOPPERS, 200),
        data=transition(Pilot.Status.PAUSED),
        done=status_is(Pilot.Status.PAUSED),
    ),
    Route(
        "pilot-status-resume",
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        api(STOPPERS, 200),
        data=transition(Pilot.Status.PILOTING),
        prepare=pause,
        done=status_is(Pilot.Status.PILOTING),
    ),
    Route(
        "pilot-status-next-stage",
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        api(EDITORS, 200),
        data=transition(Pilot.Status.PILOTING),
        prepare=make_draft,
        done=status_is(Pilot.Status.PILOTING),
    ),
    Route(
        "pilot-status-retire",
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        api(RETIRERS, 200),
        data=transition(Pilot.Status.RETIRED),
        done=status_is(Pilot.Status.RETIRED),
    ),
    Route("roles-list", "get", lambda w: "/api/roles", api(SIGNED_IN, 200)),
    Route("role-detail", "get", lambda w: f"/api/roles/{w.reviewer_role.pk}", api(VIEWERS, 200)),
    # A pilot the caller cannot see reads as an id that does not exist: 400 on the `pilot` field.
    Route(
        "roles-create",
        "post",
        lambda w: "/api/roles",
        api(EDITORS, 201, stranger=400),
        data=lambda w: {"pilot": w.pilot.pk, "kind": "lane_security", "primary": w.user("tech")},
        done=lambda w: PilotRole.objects.filter(pilot=w.pilot, kind="lane_security").exists(),
    ),
    Route(
        "role-patch",
        "patch",
        lambda w: f"/api/roles/{w.reviewer_role.pk}",
        api(EDITORS, 200),
        data=lambda w: {"response_minutes": 45},
        done=lambda w: PilotRole.objects.get(pk=w.reviewer_role.pk).response_minutes == 45,
    ),
    Route("decision-rights-list", "get", lambda w: "/api/decision-rights", api(SIGNED_IN, 200)),
    Route(
        "decision-right-detail",
        "get",
        lambda w: f"/api/decision-rights/{w.right.pk}",
        api(VIEWERS, 200),
    ),
    Route(
        "decision-rights-create",
        "post",
        lambda w: "/api/decision-rights",
        api(EDITORS, 201, stranger=400),
        data=lambda w: {"pilot": w.pilot.pk, "kind": "model_choice", "owner": w.user("tech")},
        done=lambda w: DecisionRight.objects.filter(pilot=w.pilot, kind="model_choice").exists(),
    ),
    Route("changes-list", "get", lambda w: "/api/changes", api(SIGNED_IN, 200)),
    Route("change-detail", "get", lambda w: f"/api/changes/{w.proposed.pk}", api(VIEWERS, 200)),
    Route(
        "changes-create",
        "post",
        lambda w: "/api/changes",
        api(ROLE_HOLDERS | {"admin"}, 201, stranger=400),
        data=lambda w: {
            "pilot": w.pilot.pk,
            "kind": "policy",
            "title": "Proposed in the test",
            "hypothesis": "Fewer reopens.",
        },
        done=lambda w: Change.objects.filter(title="Proposed in the test").exists(),
    ),
    Route(
        "change-approve",
        "post",
        lambda w: f"/api/changes/{w.proposed.pk}/approve",
        api(RIGHT_HOLDERS, 200),
        done=change_status("proposed", Change.Status.APPROVED),
    ),
    Route(
        "change-reject",
        "post",
        lambda w: f"/api/changes/{w.proposed.pk}/reject",
        api(RIGHT_HOLDERS, 200),
        data=lambda w: {"note": "Not this week."},
        done=change_status("proposed", Change.Status.REJECTED),
    ),
    Route(
        "change-live",
        "post",
        lambda w: f"/api/changes/{w.approved.pk}/live",
        api(EDITORS | RIGHT_HOLDERS, 200),
        done=change_status("approved", Change.Status.LIVE),
    ),
    Route(
        "change-outcome",
        "post",
        lambda w: f"/api/changes/{w.live.pk}/outcome",
        api(EDITORS | REVIEWERS, 200),
        data=lambda w: {"verdict": "kept", "outcome": "Fewer manual look-ups."},
        done=change_status("live", Change.Status.CLOSED),
    ),
    Route("teams-list", "get", lambda w: "/api/teams", api(SIGNED_IN, 200)),
    Route("users-list", "get", lambda w: "/api/users", api(SIGNED_IN, 200)),
    # The schema and its docs page are public (drf-spectacular's default SERVE_PERMISSIONS).
    Route("openapi-schema", "get", lambda w: "/api/schema/", api(SIGNED_IN, 200, anonymous=200)),
    Route("api-docs", "get", lambda w: "/api/docs/", api(SIGNED_IN, 200, anonymous=200)),
]


@pytest.mark.parametrize(("route", "role", "expected"), cases(API_ROUTES))
def test_api_endpoint_answers_each_role_as_the_ownership_matrix_says(world, route, role, expected):
    if route.prepare:
        route.prepare(world)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world.people[role])
    data = route.data(world) if route.data else None
    response = getattr(client, route.method)(route.url(world), data, format="json")
    assert_outcome(route, world, response, expected)


def test_anonymous_api_request_is_asked_for_a_token():
    response = APIClient().get("/api/pilots")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
