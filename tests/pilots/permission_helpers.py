"""The roles of the permission tests, the status each should get, the staffed `world`, routes."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from governance.models import Change, DecisionRight
from pilots import services
from pilots.models import Pilot, PilotRole
from tests.pilots.factories import RoleFactory, UserFactory

LOGIN = "login redirect"
LOGIN_PREFIX = "/accounts/login/?next="

# Each route's `expected` maps every role to the status that role must get. The roles are the
# `people` fixture (see tests/fixtures.py) plus "anonymous":
#
# - owner, owner_backup, tech      — business owner, their backup, technical owner: the editors
#   (the owner is also the technical owner's backup)
# - reviewer, reviewer_backup      — read the pilot, may propose changes and record outcomes
# - reviewer_member                — a named member of the reviewer group: the same as a reviewer
# - it_lane                        — the named contact of the org-wide IT lane: reads, proposes
# - stopper, stopper_backup        — the stop authority: pause and resume
# - finance                        — the finance group: reads every pilot, holds no role on it
# - stranger                       — signed in, no role: the pilot does not exist for them (404)
# - admin                          — a superuser: everything, except deciding a change, which only
#   the decision right's owner or backup may do (PRODUCT.md §2: the approver must own the right)
# - anonymous                      — browser: redirect to the login page; API: 401 (knox first)
#
# Decision rights on the pilot: "tool access" and "prompt changes" are owned by `tech` with
# `stopper` as backup, so the business owner is *not* the approver: only the right's owner or backup
# approves. A write that is refused must also leave the data as it was, so each write row says how
# to see it.
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
# Retiring is the business owner's decision (or the final sign-off right's holder; none here).
RETIRERS = frozenset({"owner", "owner_backup", "admin"})
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
