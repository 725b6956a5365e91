"""The route table's rows for governance: decision rights, changes, alerts, rules."""

from tests.pilots.permission_helpers import EDITORS, RIGHT_HOLDERS, SIGNED_IN, VIEWERS, api, browser
from tests.route_table.base import PROPOSERS, REVIEWERS, Row, endpoint, get, on_pilot, page, post

PAGES: dict[str, Row] = {
    "governance:right": page(
        on_pilot("rights/model_choice/"),
        get(browser(EDITORS, 200)),
        post(browser(EDITORS, 302), lambda m: {"owner": m.user("tech"), "backup": m.user("owner")}),
    ),
    "governance:change-propose": page(
        on_pilot("changes/"),
        post(
            browser(PROPOSERS, 302),
            lambda m: {"kind": "policy", "title": "Proposed", "hypothesis": "Fewer reopens."},
        ),
    ),
    "governance:change-action": page(
        lambda m: f"/changes/{m.w.proposed.pk}/decide/",
        post(browser(RIGHT_HOLDERS, 302), lambda m: {"decision": "approve", "note": ""}),
    ),
    "governance:rule-settings": page(
        on_pilot("rules/"),
        get(browser(EDITORS, 200)),
        post(
            browser(EDITORS, 302),
            lambda m: {
                "review_grace_days": 3,
                "rising_weeks": 3,
                "max_live_changes_per_week": 1,
                "max_failure_percent": 10,
            },
        ),
    ),
}

ENDPOINTS: dict[str, Row] = {
    "decision-right-list": endpoint(
        lambda m: "/api/decision-rights",
        get(api(SIGNED_IN, 200)),
        post(
            api(EDITORS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "kind": "model_choice", "owner": m.user("tech")},
        ),
        lists_pilot="pilot",
    ),
    "decision-right-detail": endpoint(
        lambda m: f"/api/decision-rights/{m.w.right.pk}", get(api(VIEWERS, 200))
    ),
    "change-list": endpoint(
        lambda m: "/api/changes",
        get(api(SIGNED_IN, 200)),
        post(
            api(PROPOSERS, 201, stranger=400),
            lambda m: {
                "pilot": m.pilot.pk,
                "kind": "policy",
                "title": "Proposed",
                "hypothesis": "Fewer reopens.",
            },
        ),
        lists_pilot="pilot",
    ),
    "change-detail": endpoint(lambda m: f"/api/changes/{m.w.proposed.pk}", get(api(VIEWERS, 200))),
    "change-approve": endpoint(
        lambda m: f"/api/changes/{m.w.proposed.pk}/approve", post(api(RIGHT_HOLDERS, 200))
    ),
    "change-reject": endpoint(
        lambda m: f"/api/changes/{m.w.proposed.pk}/reject",
        post(api(RIGHT_HOLDERS, 200), lambda m: {"note": "Not this week."}),
    ),
    "change-live": endpoint(
        lambda m: f"/api/changes/{m.w.approved.pk}/live", post(api(EDITORS | RIGHT_HOLDERS, 200))
    ),
    "change-outcome": endpoint(
        lambda m: f"/api/changes/{m.w.live.pk}/outcome",
        post(api(EDITORS | REVIEWERS, 200), lambda m: {"verdict": "kept", "outcome": "Better."}),
    ),
    "alert-list": endpoint(lambda m: "/api/alerts", get(api(SIGNED_IN, 200)), lists_pilot="pilot"),
    "alert-detail": endpoint(lambda m: f"/api/alerts/{m.alert.pk}", get(api(VIEWERS, 200))),
    "rule-settings-list": endpoint(
        lambda m: "/api/rule-settings",
        get(api(SIGNED_IN, 200)),
        post(
            api(EDITORS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "review_grace_days": 4},
        ),
        lists_pilot="pilot",
    ),
    "rule-settings-detail": endpoint(
        lambda m: f"/api/rule-settings/{m.rules.pk}", get(api(VIEWERS, 200))
    ),
}
