"""The route table's rows for pilots: the one page, its set-up, roles, status; teams, users."""

from tests.pilots.permission_helpers import EDITORS, RETIRERS, SIGNED_IN, VIEWERS, api, browser
from tests.route_table.base import (
    EDITED,
    PILOTS,
    Row,
    endpoint,
    get,
    on_pilot,
    page,
    patch,
    post,
    put,
)

PAGES: dict[str, Row] = {
    "pilots:portfolio": page(lambda m: "/", get(browser(SIGNED_IN, 200))),
    "pilots:create": page(
        lambda m: "/pilots/new/",
        get(browser(SIGNED_IN, 200)),
        post(browser(SIGNED_IN, 302), lambda m: {"name": "Made in the matrix", "draft": "1"}),
    ),
    "pilots:detail": page(on_pilot(), get(browser(VIEWERS, 200))),
    "pilots:wizard": page(
        on_pilot("setup/job/"),
        get(browser(EDITORS, 200)),
        post(browser(EDITORS, 302), lambda m: {"trigger": EDITED}),
    ),
    "pilots:section": page(
        on_pilot("sections/job/"),
        get(browser(VIEWERS, 302), note="shows the section: a redirect to its anchor"),
        get(browser(EDITORS, 200), url=on_pilot("sections/job/?edit=1"), note="opens the form"),
        post(browser(EDITORS, 302), lambda m: {"trigger": EDITED}),
    ),
    "pilots:role": page(
        on_pilot("roles/reviewer/"),
        get(browser(EDITORS, 200)),
        post(
            browser(EDITORS, 302),
            lambda m: {
                "primary": m.user("reviewer"),
                "backup": m.user("reviewer_backup"),
                "response_minutes": 45,
            },
        ),
    ),
    "pilots:panel": page(on_pilot("panels/rules/"), get(browser(VIEWERS, 200))),
    "pilots:transition": page(
        on_pilot("status/"),
        post(
            browser(RETIRERS, 302),
            lambda m: {"status": "retired", "reason": "Decided in the matrix."},
        ),
    ),
}

ENDPOINTS: dict[str, Row] = {
    "pilot-list": endpoint(
        lambda m: PILOTS,
        get(api(SIGNED_IN, 200)),
        post(api(SIGNED_IN, 201), lambda m: {"name": "Made in the matrix"}),
        lists_pilot="id",
    ),
    "pilot-detail": endpoint(
        lambda m: f"{PILOTS}/{m.pilot.pk}",
        get(api(VIEWERS, 200)),
        put(api(EDITORS, 200), lambda m: {"name": "Renamed in the matrix"}),
        patch(api(EDITORS, 200), lambda m: {"trigger": EDITED}),
    ),
    "pilot-status": endpoint(
        lambda m: f"{PILOTS}/{m.pilot.pk}/status",
        get(api(VIEWERS, 200)),
        post(
            api(RETIRERS, 200),
            lambda m: {"status": "retired", "reason": "Decided in the matrix."},
        ),
    ),
    "pilot-status-history": endpoint(
        lambda m: f"{PILOTS}/{m.pilot.pk}/status-history", get(api(VIEWERS, 200))
    ),
    "role-list": endpoint(
        lambda m: "/api/roles",
        get(api(SIGNED_IN, 200)),
        post(
            api(EDITORS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "kind": "lane_security", "primary": m.user("tech")},
        ),
        lists_pilot="pilot",
    ),
    "role-detail": endpoint(
        lambda m: f"/api/roles/{m.w.reviewer_role.pk}",
        get(api(VIEWERS, 200)),
        put(
            api(EDITORS, 200),
            lambda m: {
                "pilot": m.pilot.pk,
                "kind": "reviewer",
                "primary": m.user("reviewer"),
                "backup": m.user("reviewer_backup"),
                "response_minutes": 45,
            },
        ),
        patch(api(EDITORS, 200), lambda m: {"response_minutes": 45}),
    ),
    "team-list": endpoint(lambda m: "/api/teams", get(api(SIGNED_IN, 200))),
    "team-detail": endpoint(lambda m: f"/api/teams/{m.team.pk}", get(api(SIGNED_IN, 200))),
    "user-list": endpoint(lambda m: "/api/users", get(api(SIGNED_IN, 200))),
    "user-detail": endpoint(lambda m: f"/api/users/{m.user('owner')}", get(api(SIGNED_IN, 200))),
}
