"""Who may do what, route by route: every page and endpoint of pilots and governance, for every role.

Each table row is one route; its `expected` maps every role to the status that role must get.
The roles are the `people` fixture (see tests/fixtures.py) plus "anonymous":

- owner, owner_backup, tech      — business owner, their backup, technical owner: the editors
  (the owner is also the technical owner's backup)
- reviewer, reviewer_backup      — read the pilot, may propose changes and record outcomes
- reviewer_member                — a named member of the reviewer group: the same as a reviewer
- it_lane                        — the named contact of the org-wide IT lane: reads, proposes
- stopper, stopper_backup        — the stop authority: pause and resume
- finance                        — the finance group: reads every pilot, holds no role on it
- stranger                       — signed in, no role: the pilot does not exist for them (404)
- admin                          — a superuser: everything, except deciding a change, which only
  the decision right's owner or backup may do (PRODUCT.md §2: the approver must own the right)
- anonymous                      — browser: redirect to the login page; API: 401 (knox first)

Decision rights on the pilot: "tool access" and "prompt changes" are owned by `tech` with `stopper`
as backup, so the business owner is *not* the approver: only the right's owner or backup approves.
A write that is refused must also leave the data as it was, so each write row says how to see it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import Change, DecisionRight
from pilots import services
from pilots.models import Pilot, PilotRole
from tests.pilots.factories import RoleFactory, UserFactory

LOGIN = "login redirect"
LOGIN_PREFIX = "/accounts/login/?next="

ROLES = (
    "anonymous",
    "stranger",
    "owner",
    "owner_backup",
    "tech",
    "reviewer",
    "reviewer_backup",
    "reviewer_member",
    "it_lane",
    "stopper",
    "stopper_backup",
    "finance",
    "admin",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ROLE_HOLDERS = frozenset(
    {
        "owner",
        "owner_backup",
        "tech",
        "reviewer",
        "reviewer_backup",
        "reviewer_member",
        "it_lane",
        "stopper",
        "stopper_backup",
    }
)
VIEWERS = ROLE_HOLDERS | {"finance", "admin"}
EDITORS = frozenset({"owner", "owner_backup", "tech", "admin"})
STOPPERS = frozenset({"stopper", "stopper_backup", "admin"})
REVIEWERS = frozenset({"reviewer", "reviewer_backup", "reviewer_member"})
RIGHT_HOLDERS = frozenset({"tech", "stopper"})  # owner and backup of the pilot's decision rights


def browser(allowed, ok, *, refused=403, stranger=404):
    """Statuses for a browser route: `ok` for the allowed roles, `refused` for other viewers."""
    return _statuses(allowed, ok, refused=refused, stranger=stranger, anonymous=LOGIN)


def api(allowed, ok, *, refused=403, stranger=404, anonymous=401):
    return _statuses(allowed, ok, refused=refused, stranger=stranger, anonymous=anonymous)


def _statuses(allowed, ok, *, refused, stranger, anonymous):
    expected = {role: ok if role in allowed else refused for role in SIGNED_IN}
    if "stranger" not in allowed:
        expected["stranger"] = stranger
    expected["anonymous"] = anonymous
    return expected


@dataclass
class World:
    pilot: Pilot
    people: dict
    reviewer_role: PilotRole
    right: DecisionRight
    proposed: Change
    approved: Change
    live: Change

    def user(self, name):
        return self.people[name].pk

    def refreshed_pilot(self) -> Pilot:
        return Pilot.objects.get(pk=self.pilot.pk)


@pytest.fixture
def world(pilot, people) -> World:
    people = {
        **people,
        "reviewer_member": UserFactory(username="reviewer_member"),
        "it_lane": UserFactory(username="it_lane"),
    }
    reviewer_role = PilotRole.objects.get(pilot=pilot, kind=PilotRole.Kind.REVIEWER)
    reviewer_role.members.add(people["reviewer_member"])
    RoleFactory(pilot=pilot, kind=PilotRole.Kind.LANE_IT, primary=people["it_lane"])
    right = DecisionRight.objects.create(
        pilot=pilot,
        kind=DecisionRight.Kind.TOOL_ACCESS,
        owner=people["tech"],
        backup=people["stopper"],
    )
    DecisionRight.objects.create(
        pilot=pilot,
        kind=DecisionRight.Kind.PROMPT_CHANGES,
        owner=people["tech"],
        backup=people["stopper"],
    )

    def change(title, status, **extra):
        return Change.objects.create(
            pilot=pilot,
            kind=Change.Kind.TOOL_ACCESS,
            title=title,
            hypothesis="Agents stop copying order numbers by hand.",
            requested_by=people["owner"],
            status=status,
            **extra,
        )

    now = timezone.now()
    return World(
        pilot=pilot,
        people=people,
        reviewer_role=reviewer_role,
        right=right,
        proposed=change("Let it read the order system", Change.Status.PROPOSED),
        approved=change(
            "Let it read the returns portal",
            Change.Status.APPROVED,
            approved_by=people["tech"],
            decided_at=now,
        ),
        live=change(
            "Let it read the shipping tracker",
            Change.Status.LIVE,
            approved_by=people["tech"],
            decided_at=now,
            live_at=now,
            review_week="2026-W01",
        ),
    )


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict
    data: Callable[[World], dict] | None = None
    prepare: Callable[[World], None] | None = None
    # For writes: did the write happen? Checked against whether the status says it succeeded.
    done: Callable[[World], bool] | None = None


def pilot_url(suffix=""):
    return lambda w: f"/pilots/{w.pilot.pk}/{suffix}"


def pause(w: World) -> None:
    services.pilot_transition(
        pilot=w.pilot,
        to_status=Pilot.Status.PAUSED,
        by=w.people["stopper"],
        reason="Spend over the cap.",
    )


def make_draft(w: World) -> None:
    """The next stage is then piloting, which no readiness check guards (expanding is)."""
    Pilot.objects.filter(pk=w.pilot.pk).update(status=Pilot.Status.DRAFT)


def status_is(status):
    return lambda w: w.refreshed_pilot().status == status


def change_status(attr, status):
    return lambda w: Change.objects.get(pk=getattr(w, attr).pk).status == status


def transition(status):
    return lambda w: {"status": status, "reason": "Decided in the test."}


EDITED = "Edited in the permissions test."

BROWSER_ROUTES = [
    Route("portfolio", "get", lambda w: "/", browser(SIGNED_IN, 200)),
    Route("new-pilot-form", "get", lambda w: "/pilots/new/", browser(SIGNED_IN, 200)),
    Route(
        "new-pilot-save",
        "post",
        lambda w: "/pilots/new/",
        browser(SIGNED_IN, 302),
        data=lambda w: {"name": "Made in the test", "draft": "1"},
        done=lambda w: Pilot.objects.filter(name="Made in the test").exists(),
    ),
    Route("one-page", "get", pilot_url(), browser(VIEWERS, 200)),
    Route("wizard-step", "get", pilot_url("setup/job/"), browser(EDITORS, 200)),
    Route(
        "wizard-step-save",
        "post",
        pilot_url("setup/job/"),
        browser(EDITORS, 302),
        data=lambda w: {"trigger": EDITED},
        done=lambda w: w.refreshed_pilot().trigger == EDITED,
    ),
    Route("section-show", "get", pilot_url("sections/job/"), browser(VIEWERS, 302)),
    Route("section-edit-form", "get", pilot_url("sections/job/?edit=1"), browser(EDITORS, 200)),
    Route(
        "section-save",
        "post",
        pilot_url("sections/job/"),
        browser(EDITORS, 302),
        data=lambda w: {"trigger": EDITED},
        done=lambda w: w.refreshed_pilot().trigger == EDITED,
    ),
    Route("role-form", "get", pilot_url("roles/reviewer/"), browser(EDITORS, 200)),
    Route(
        "role-save",
        "post",
        pilot_url("roles/reviewer/"),
        browser(EDITORS, 302),
        data=lambda w: {
            "primary": w.user("reviewer"),
            "backup": w.user("reviewer_backup"),
            "response_minutes": 45,
        },
        done=lambda w: PilotRole.objects.get(pk=w.reviewer_role.pk).response_minutes == 45,
    ),
    Route(
        "status-pause",
        "post",
        pilot_url("status/"),
        browser(STOPPERS, 302),
        data=transition(Pilot.Status.PAUSED),
        done=status_is(Pilot.Status.PAUSED),
    ),
    Route(
        "status-resume",
        "post",
        pilot_url("status/"),
        browser(STOPPERS, 302),
        data=transition(Pilot.Status.PILOTING),
        prepare=pause,
        done=status_is(Pilot.Status.PILOTING),
    ),
    Route(
        "status-next-stage",
        "post",
        pilot_url("status/"),
        browser(EDITORS, 302),
        data=transition(Pilot.Status.PILOTING),
        prepare=make_draft,
        done=status_is(Pilot.Status.PILOTING),
    ),
    Route(
        "status-retire",
        "post",
        pilot_url("status/"),
        browser(EDITORS | STOPPERS, 302),
        data=transition(Pilot.Status.RETIRED),
        done=status_is(Pilot.Status.RETIRED),
    ),
    Route("decision-right-form", "get", pilot_url("rights/model_choice/"), browser(EDITORS, 200)),
    Route(
        "decision-right-save",
        "post",
        pilot_url("rights/model_choice/"),
        browser(EDITORS, 302),
        data=lambda w: {"owner": w.user("tech"), "backup": w.user("owner")},
        done=lambda w: DecisionRight.objects.filter(
            pilot=w.pilot, kind=DecisionRight.Kind.MODEL_CHOICE, owner=w.people["tech"]
        ).exists(),
    ),
    Route(
        "change-propose",
        "post",
        pilot_url("changes/"),
        browser(ROLE_HOLDERS | {"admin"}, 302),
        data=lambda w: {
            "kind": "policy",
            "title": "Proposed in the test",
            "hypothesis": "Fewer reopens.",
        },
        done=lambda w: Change.objects.filter(title="Proposed in the test").exists(),
    ),
    Route(
        "change-approve",
        "post",
        lambda w: f"/changes/{w.proposed.pk}/decide/",
        browser(RIGHT_HOLDERS, 302),
        data=lambda w: {"decision": "approve", "note": ""},
        done=change_status("proposed", Change.Status.APPROVED),
    ),
    Route(
        "change-reject",
        "post",
        lambda w: f"/changes/{w.proposed.pk}/decide/",
        browser(RIGHT_HOLDERS, 302),
        data=lambda w: {"decision": "reject", "note": "Not this week."},
        done=change_status("proposed", Change.Status.REJECTED),
    ),
    Route(
        "change-live",
        "post",
        lambda w: f"/changes/{w.approved.pk}/live/",
        browser(EDITORS | RIGHT_HOLDERS, 302),
        done=change_status("approved", Change.Status.LIVE),
    ),
    Route(
        "change-outcome",
        "post",
        lambda w: f"/changes/{w.live.pk}/outcome/",
        browser(EDITORS | REVIEWERS, 302),
        data=lambda w: {"verdict": "kept", "outcome": "Fewer manual look-ups."},
        done=change_status("live", Change.Status.CLOSED),
    ),
]


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
        api(EDITORS | STOPPERS, 200),
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


def cases(routes):
    return [
        pytest.param(
            route, role, route.expected[role], id=f"{route.name}-{role}-{route.expected[role]}"
        )
        for route in routes
        for role in ROLES
    ]


def assert_outcome(route: Route, world: World, response, expected) -> None:
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(LOGIN_PREFIX)
    else:
        assert response.status_code == expected, (
            getattr(response, "data", None) or response.content[:500]
        )
        if expected == 302:
            assert not location.startswith(LOGIN_PREFIX)
    if route.done is not None:
        succeeded = expected in {200, 201, 302}
        assert route.done(world) is succeeded


@pytest.mark.parametrize(("route", "role", "expected"), cases(BROWSER_ROUTES))
def test_browser_route_answers_each_role_as_the_ownership_matrix_says(
    world, client, route, role, expected
):
    if route.prepare:
        route.prepare(world)
    if role != "anonymous":
        client.force_login(world.people[role])
    data = route.data(world) if route.data else None
    response = getattr(client, route.method)(route.url(world), data)
    assert_outcome(route, world, response, expected)


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


# --- A pilot you have no role on is never listed -----------------------------------------------


def api_ids(response, field="id"):
    assert response.status_code == 200
    return {row[field] for row in response.data["results"]}


LISTS = [
    pytest.param("/api/pilots", "id", id="pilots"),
    pytest.param("/api/roles", "pilot", id="roles"),
    pytest.param("/api/decision-rights", "pilot", id="decision-rights"),
    pytest.param("/api/changes", "pilot", id="changes"),
]


@pytest.mark.parametrize(("url", "pilot_field"), LISTS)
@pytest.mark.parametrize(
    ("role", "listed"),
    [("stranger", False), ("owner", True), ("reviewer", True), ("finance", True), ("admin", True)],
)
def test_api_list_shows_the_pilot_only_to_people_who_may_see_it(
    world, api_for, url, pilot_field, role, listed
):
    ids = api_ids(api_for(world.people[role]).get(url), pilot_field)

    assert (world.pilot.pk in ids) is listed


@pytest.mark.parametrize(
    ("role", "listed"), [("stranger", False), ("reviewer", True), ("admin", True)]
)
def test_portfolio_lists_the_pilot_only_to_people_who_may_see_it(world, client_for, role, listed):
    response = client_for(world.people[role]).get("/")

    assert response.status_code == 200
    assert (world.pilot in response.context["pilots"]) is listed
    assert (f"/pilots/{world.pilot.pk}/" in response.content.decode()) is listed


def test_stranger_sees_only_the_pilots_they_hold_a_role_on(world, api_for):
    own = services.pilot_create(by=world.people["stranger"], name="The stranger's own pilot")

    ids = api_ids(api_for(world.people["stranger"]).get("/api/pilots"))

    assert ids == {own.pk}


@pytest.mark.parametrize(
    "url",
    ["/api/roles", "/api/decision-rights", "/api/changes"],
    ids=["roles", "decision-rights", "changes"],
)
def test_posting_to_a_pilot_you_cannot_see_reads_like_a_pilot_that_does_not_exist(
    world, api_for, url
):
    stranger = api_for(world.people["stranger"])
    payload = {"kind": "policy", "title": "t", "hypothesis": "h", "primary": world.user("stranger")}

    hidden = stranger.post(url, {**payload, "pilot": world.pilot.pk}, format="json")
    missing = stranger.post(url, {**payload, "pilot": 999_999}, format="json")

    assert hidden.status_code == missing.status_code == 400
    assert str(hidden.data["pilot"][0]) == str(missing.data["pilot"][0]).replace(
        "999999", str(world.pilot.pk)
    )


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/roles", "pilot"),
        ("/api/decision-rights", "pilot"),
        ("/api/changes", "pilot"),
        ("/api/alerts", "pilot"),
        ("/api/rule-settings", "pilot"),
    ],
    ids=["roles", "decision-rights", "changes", "alerts", "rule-settings"],
)
def test_filtering_by_a_pilot_you_cannot_see_reads_like_a_pilot_that_does_not_exist(
    world, api_for, url, param
):
    """`?pilot=<id>` must not tell a stranger whether a pilot with that id exists."""
    stranger = api_for(world.people["stranger"])

    hidden = stranger.get(url, {param: world.pilot.pk})
    missing = stranger.get(url, {param: 999_999})

    assert hidden.status_code == missing.status_code
    assert hidden.status_code in {200, 400}


# --- A refusal does not depend on the payload ---------------------------------------------------

INVALID_WRITES = [
    pytest.param(
        "patch", lambda w: f"/api/pilots/{w.pilot.pk}", {"monthly_cap": "-5"}, id="api-pilot-patch"
    ),
    pytest.param("put", lambda w: f"/api/pilots/{w.pilot.pk}", {"name": ""}, id="api-pilot-put"),
    pytest.param(
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        {"status": "paused"},
        id="api-pause-without-reason",
    ),
    pytest.param(
        "patch",
        lambda w: f"/api/roles/{w.reviewer_role.pk}",
        {"response_minutes": 0},
        id="api-role-patch",
    ),
]


@pytest.mark.parametrize("role", ["reviewer", "finance"])
@pytest.mark.parametrize(("method", "url", "payload"), INVALID_WRITES)
def test_a_read_only_role_is_refused_with_403_whatever_it_sends(
    world, api_for, role, method, url, payload
):
    """A write the caller may not make answers 403 before its payload is looked at: a read-only
    caller must not be sent off to fix field errors for a write it will never be allowed."""
    response = getattr(api_for(world.people[role]), method)(url(world), payload, format="json")

    assert response.status_code == 403, response.data


@pytest.mark.parametrize("role", ["reviewer", "finance"])
def test_a_read_only_role_is_refused_a_pause_without_reason_in_the_browser_too(
    world, client_for, role
):
    response = client_for(world.people[role]).post(
        f"/pilots/{world.pilot.pk}/status/", {"status": "paused"}
    )

    assert response.status_code == 403
