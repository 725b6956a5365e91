"""Every browser page of pilots and governance answers each role as the ownership matrix says."""

import pytest

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
    assert_outcome,
    browser,
    cases,
    change_status,
    make_draft,
    pause,
    pilot_url,
    status_is,
    transition,
)

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
        browser(RETIRERS, 302),
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
