"""The permission table of tests/test_route_matrix.py: every route of the project, what it accepts
and the status each role gets for each method.

Roles are those of tests/pilots/test_permissions.py (`browser()` and `api()` build a status per
role from who is allowed); this table uses one person per way of relating to a pilot.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.matrix import (
    Matrix,
    cost_csv,
    cost_row,
    sample_form,
    sample_row,
    tool_form,
    use_case_form,
    volume_row,
    without,
)
from tests.pilots.test_permissions import (
    EDITORS,
    RIGHT_HOLDERS,
    ROLE_HOLDERS,
    SIGNED_IN,
    STOPPERS,
    VIEWERS,
    api,
    browser,
)

ROLES = (
    "anonymous",
    "stranger",
    "owner",
    "tech",
    "reviewer",
    "stopper",
    "it_lane",
    "finance",
    "admin",
)
PASSWORD = "pw-for-tests"  # tests/pilots/factories.UserFactory

REVIEWERS = frozenset({"reviewer", "admin"})  # access.can_review
WEEK_KEEPERS = REVIEWERS | EDITORS  # reviews.services.may_manage_week
ERROR_EDITORS = REVIEWERS | EDITORS | STOPPERS  # reviews.services.may_edit_error
FIXERS = EDITORS | STOPPERS  # reviews.services.may_record_fix / may_resolve (not stop-now)
COST_RECORDERS = EDITORS | {"finance"}  # costs.services.may_record_costs
PROPOSERS = ROLE_HOLDERS | {"admin"}  # governance.services.change_propose
ADMINS = frozenset({"admin"})
# support: the register (tools, data classes, review rules) is kept by administrators and the
# company Security lane, the company lanes by administrators; none of the roles here is Security.
REGISTER_KEEPERS = ADMINS
# A use-case request is seen by who asked (the owner), the lane contacts and administrators, and
# decided by the contacts of the lanes on its path (it_lane: the IT step) — never by who asked.
USE_CASE_READERS = frozenset({"owner", "it_lane", "admin"})
USE_CASE_DECIDERS = frozenset({"it_lane", "admin"})
LEADERS = frozenset({"finance", "admin"})  # leadership.access.may_view (and the Leadership lane)
METHODS = ("get", "post", "put", "patch", "delete")

# Routes left out of the table, each with its reason. Nothing else may be left out.
EXCLUDED = {
    "login": "the sign-in page is public by necessity (lockout: tests/audit/test_accounts.py)",
    "logout": "signing out (tests/audit/test_accounts.py)",
    "schema": "the OpenAPI schema is public documentation (tests/pilots/test_permissions.py)",
    "api-docs": "the Swagger page over the schema, public like it",
    "api-redoc": "the ReDoc page over the schema, public like it",
}
EXCLUDED_PREFIXES = {
    "admin/": "Django's admin site: staff-only by Django's own permission system",
    "static/": "static files",
    "__debug__/": "development tooling",
}


@dataclass(frozen=True)
class Call:
    method: str
    expected: dict
    data: Callable[[Matrix], object] | None = None
    url: Callable[[Matrix], str] | None = None  # when this call needs another URL than the row's
    note: str = ""


@dataclass(frozen=True)
class Row:
    url: Callable[[Matrix], str]
    calls: tuple[Call, ...]
    is_api: bool = False
    auth: str = "token"  # API: "token" (knox) or "basic" (the token login takes a password)
    # A list: the field of each row that names its pilot, so a stranger's list can be checked.
    lists_pilot: str | None = None


def page(url, *calls, lists_pilot=None) -> Row:
    return Row(url=url, calls=calls, lists_pilot=lists_pilot)


def endpoint(url, *calls, lists_pilot=None, auth="token") -> Row:
    return Row(url=url, calls=calls, is_api=True, auth=auth, lists_pilot=lists_pilot)


def get(expected, **extra) -> Call:
    return Call("get", expected, **extra)


def post(expected, data=None, **extra) -> Call:
    return Call("post", expected, data=data, **extra)


def put(expected, data=None) -> Call:
    return Call("put", expected, data=data)


def patch(expected, data=None) -> Call:
    return Call("patch", expected, data=data)


def delete(expected) -> Call:
    return Call("delete", expected)


def on_pilot(suffix: str = "") -> Callable[[Matrix], str]:
    return lambda m: f"/pilots/{m.pilot.pk}/{suffix}"


EDITED = "Edited in the route matrix."
PILOTS = "/api/pilots"

TABLE: dict[str, Row] = {
    # --- pilots (browser) ---
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
    "pilots:transition": page(
        on_pilot("status/"),
        post(
            browser(EDITORS | STOPPERS, 302),
            lambda m: {"status": "retired", "reason": "Decided in the matrix."},
        ),
    ),
    # --- governance (browser) ---
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
            lambda m: {"review_grace_days": 3, "rising_weeks": 3, "max_live_changes_per_week": 1},
        ),
    ),
    # --- reviews (browser) ---
    "reviews:current": page(on_pilot("reviews/"), get(browser(VIEWERS, 302))),
    "reviews:week": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/", get(browser(VIEWERS, 200))
    ),
    "reviews:sample-create": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/samples/",
        post(browser(REVIEWERS, 302), sample_form),
    ),
    "reviews:week-notes": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/notes/",
        post(browser(WEEK_KEEPERS, 302), lambda m: {"notes": EDITED, "target_size": 20}),
    ),
    "reviews:week-close": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/close/",
        post(
            browser(WEEK_KEEPERS, 302),
            lambda m: {"decision": "Keep going.", "below_target_reason": "A short week."},
        ),
    ),
    "reviews:sample-delete": page(
        lambda m: f"/samples/{m.sample.pk}/delete/", post(browser(REVIEWERS, 302))
    ),
    "reviews:errors": page(on_pilot("errors/"), get(browser(VIEWERS, 200))),
    "reviews:error-new": page(
        on_pilot("errors/new/"),
        get(browser(ERROR_EDITORS, 200)),
        post(browser(ERROR_EDITORS, 302), lambda m: {"what_went_wrong": "It invented a rule."}),
    ),
    "reviews:report": page(
        on_pilot("errors/report/"),
        get(browser(VIEWERS, 200)),
        post(browser(VIEWERS, 302), lambda m: {"what_went_wrong": "It invented a rule."}),
    ),
    "reviews:error": page(lambda m: f"/errors/{m.error.pk}/", get(browser(VIEWERS, 200))),
    "reviews:error-edit": page(
        lambda m: f"/errors/{m.error.pk}/details/",
        post(browser(ERROR_EDITORS, 302), lambda m: {"what_went_wrong": EDITED, "severity": "low"}),
        post(
            browser(FIXERS, 302),
            lambda m: {"note": "Checked."},
            url=lambda m: f"/errors/{m.error.pk}/resolve/",
            note="resolve",
        ),
    ),
    # --- costs (browser) ---
    "costs:dashboard": page(lambda m: "/finance/", get(browser(SIGNED_IN, 200))),
    "costs:dashboard-csv": page(lambda m: "/finance/export/caps.csv", get(browser(SIGNED_IN, 200))),
    "costs:import": page(
        lambda m: "/finance/import/",
        get(browser(SIGNED_IN, 200)),
        # The preview answers 400 with every refused line for people who may not record costs.
        post(browser(COST_RECORDERS, 200, refused=400, stranger=400), cost_csv),
    ),
    "costs:ledger": page(on_pilot("costs/"), get(browser(VIEWERS, 200))),
    "costs:entry-add": page(
        on_pilot("costs/entries/"),
        post(browser(COST_RECORDERS, 302), lambda m: without(cost_row(m), "pilot")),
    ),
    "costs:volume-set": page(
        on_pilot("costs/volumes/"),
        post(browser(COST_RECORDERS, 302), lambda m: {"date": m.today, "completed": 9}),
    ),
    "costs:entry-edit": page(
        lambda m: f"/costs/entries/{m.cost.pk}/",
        get(browser(COST_RECORDERS, 200)),
        post(
            browser(COST_RECORDERS, 302),
            lambda m: {"date": m.cost.date, "category": "model_api", "amount": "13.00"},
        ),
    ),
    "costs:entry-delete": page(
        lambda m: f"/costs/entries/{m.cost.pk}/delete/", post(browser(COST_RECORDERS, 302))
    ),
    # --- support (browser) ---
    "support:guardrails": page(lambda m: "/guardrails/", get(browser(SIGNED_IN, 200))),
    "support:tool-new": page(
        lambda m: "/guardrails/tools/new/",
        get(browser(REGISTER_KEEPERS, 200, stranger=403)),
        post(browser(REGISTER_KEEPERS, 302, stranger=403), lambda m: tool_form(m, "New tool")),
    ),
    "support:tool-edit": page(
        lambda m: f"/guardrails/tools/{m.tool.pk}/",
        get(browser(REGISTER_KEEPERS, 200, stranger=403)),
        post(browser(REGISTER_KEEPERS, 302, stranger=403), lambda m: tool_form(m, m.tool.name)),
    ),
    "support:tool-delete": page(
        lambda m: f"/guardrails/tools/{m.tool.pk}/delete/",
        post(browser(REGISTER_KEEPERS, 302, stranger=403)),
    ),
    "support:can-i-use": page(
        lambda m: f"/can-i-use/?tool=Company+chat+assistant&data_class={m.data_class.pk}",
        get(browser(SIGNED_IN, 200)),
    ),
    "support:use-cases": page(lambda m: "/use-cases/", get(browser(SIGNED_IN, 200))),
    "support:use-case-new": page(
        lambda m: "/use-cases/new/",
        get(browser(SIGNED_IN, 200)),
        post(browser(SIGNED_IN, 302), use_case_form),
    ),
    "support:use-case": page(
        lambda m: f"/use-cases/{m.use_case.pk}/",
        get(browser(USE_CASE_READERS, 200, refused=404)),
    ),
    "support:use-case-decide": page(
        lambda m: f"/use-cases/{m.use_case.pk}/decide/",
        post(
            browser(USE_CASE_DECIDERS, 302, refused=404, stranger=404) | {"owner": 403},
            lambda m: {"decision": "approve", "note": ""},
        ),
    ),
    "support:data-source-classify": page(
        on_pilot("data-sources/"),
        post(
            browser(EDITORS, 302),
            lambda m: {"source": m.data_source.source, "data_class": m.data_class.pk},
        ),
    ),
    # --- leadership (browser) ---
    "leadership:dashboard": page(
        lambda m: "/leadership/", get(browser(LEADERS, 200, stranger=403))
    ),
    "leadership:dashboard-csv": page(
        lambda m: "/leadership/export/readiness.csv", get(browser(LEADERS, 200, stranger=403))
    ),
    # --- audit (browser) ---
    "audit:log": page(lambda m: "/audit/", get(browser(ADMINS, 200, stranger=403))),
    # --- API: accounts ---
    "api-root": endpoint(lambda m: "/api/", get(api(SIGNED_IN, 200))),
    "knox-login": endpoint(lambda m: "/api/auth/login", post(api(SIGNED_IN, 200)), auth="basic"),
    "knox-logout": endpoint(lambda m: "/api/auth/logout", post(api(SIGNED_IN, 204))),
    "knox-logoutall": endpoint(lambda m: "/api/auth/logoutall", post(api(SIGNED_IN, 204))),
    # --- API: pilots ---
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
            api(EDITORS | STOPPERS, 200),
            lambda m: {"status": "retired", "reason": "Decided in the matrix."},
        ),
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
    # --- API: governance ---
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
    # --- API: reviews ---
    "review-week-list": endpoint(
        lambda m: "/api/review-weeks",
        get(api(SIGNED_IN, 200)),
        post(
            api(REVIEWERS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "iso_week": m.this_week},
        ),
        lists_pilot="pilot",
    ),
    "review-week-detail": endpoint(
        lambda m: f"/api/review-weeks/{m.week.pk}",
        get(api(VIEWERS, 200)),
        patch(api(WEEK_KEEPERS, 200), lambda m: {"notes": EDITED}),
    ),
    "review-week-close": endpoint(
        lambda m: f"/api/review-weeks/{m.week.pk}/close",
        post(
            api(WEEK_KEEPERS, 200),
            lambda m: {"decision": "Keep going.", "below_target_reason": "A short week."},
        ),
    ),
    "sample-list": endpoint(
        lambda m: "/api/samples",
        get(api(SIGNED_IN, 200)),
        post(api(REVIEWERS, 201, stranger=400), sample_row),
        lists_pilot="pilot",
    ),
    "sample-bulk": endpoint(
        lambda m: "/api/samples/bulk",
        post(api(REVIEWERS, 201, stranger=400), lambda m: [sample_row(m)]),
    ),
    "sample-detail": endpoint(
        lambda m: f"/api/samples/{m.sample.pk}",
        get(api(VIEWERS, 200)),
        delete(api(REVIEWERS, 204)),
    ),
    "error-entry-list": endpoint(
        lambda m: "/api/errors",
        get(api(SIGNED_IN, 200)),
        post(
            api(ERROR_EDITORS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "what_went_wrong": "It invented a rule."},
        ),
        lists_pilot="pilot",
    ),
    "error-entry-detail": endpoint(
        lambda m: f"/api/errors/{m.error.pk}",
        get(api(VIEWERS, 200)),
        patch(api(ERROR_EDITORS, 200), lambda m: {"why_wrong": EDITED}),
    ),
    "error-entry-resolve": endpoint(
        lambda m: f"/api/errors/{m.error.pk}/resolve",
        post(api(FIXERS, 200), lambda m: {"note": "Checked."}),
    ),
    "error-report-list": endpoint(
        lambda m: "/api/error-reports",
        post(
            api(VIEWERS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "what_went_wrong": "It invented a rule."},
        ),
    ),
    "failure-mode-list": endpoint(
        lambda m: "/api/failure-modes", get(api(SIGNED_IN, 200)), lists_pilot="pilot"
    ),
    "failure-mode-detail": endpoint(
        lambda m: f"/api/failure-modes/{m.failure_mode.pk}", get(api(VIEWERS, 200))
    ),
    # --- API: costs ---
    "cost-entry-list": endpoint(
        lambda m: "/api/cost-entries",
        get(api(SIGNED_IN, 200)),
        post(api(COST_RECORDERS, 201, stranger=400), cost_row),
        lists_pilot="pilot",
    ),
    # A bulk push checks every row: a row naming a pilot the caller sees but may not record on
    # refuses the push (403); a pilot the caller cannot see is a row error (400).
    "cost-entry-bulk": endpoint(
        lambda m: "/api/cost-entries/bulk",
        post(api(COST_RECORDERS, 201, stranger=400), lambda m: [cost_row(m)]),
    ),
    "cost-entry-detail": endpoint(
        lambda m: f"/api/cost-entries/{m.cost.pk}",
        get(api(VIEWERS, 200)),
        patch(api(COST_RECORDERS, 200), lambda m: {"note": EDITED}),
        delete(api(COST_RECORDERS, 204)),
    ),
    "task-volume-list": endpoint(
        lambda m: "/api/task-volumes",
        get(api(SIGNED_IN, 200)),
        post(api(COST_RECORDERS, 201, stranger=400), volume_row),
        lists_pilot="pilot",
    ),
    "task-volume-bulk": endpoint(
        lambda m: "/api/task-volumes/bulk",
        post(api(COST_RECORDERS, 201, stranger=400), lambda m: [volume_row(m)]),
    ),
    "task-volume-detail": endpoint(
        lambda m: f"/api/task-volumes/{m.volume.pk}",
        get(api(VIEWERS, 200)),
        delete(api(COST_RECORDERS, 204)),
    ),
    "cost-summary-list": endpoint(
        lambda m: "/api/cost-summaries", get(api(SIGNED_IN, 200)), lists_pilot="pilot"
    ),
    "cost-summary-detail": endpoint(
        lambda m: f"/api/cost-summaries/{m.pilot.pk}", get(api(VIEWERS, 200))
    ),
    # --- API: support ---
    "data-class-list": endpoint(
        lambda m: "/api/data-classes",
        get(api(SIGNED_IN, 200)),
        post(
            api(REGISTER_KEEPERS, 201, stranger=403),
            lambda m: {"name": "Payroll", "rule": "Never outside HR tools.", "level": 4},
        ),
    ),
    "data-class-detail": endpoint(
        lambda m: f"/api/data-classes/{m.data_class.pk}",
        get(api(SIGNED_IN, 200)),
        patch(api(REGISTER_KEEPERS, 200, stranger=403), lambda m: {"rule": EDITED}),
    ),
    "approved-tool-list": endpoint(
        lambda m: "/api/approved-tools",
        get(api(SIGNED_IN, 200)),
        post(
            api(REGISTER_KEEPERS, 201, stranger=403),
            lambda m: {"name": "New tool", "approved_for": "Drafts.", "data_classes": []},
        ),
    ),
    "approved-tool-detail": endpoint(
        lambda m: f"/api/approved-tools/{m.tool.pk}",
        get(api(SIGNED_IN, 200)),
        patch(api(REGISTER_KEEPERS, 200, stranger=403), lambda m: {"approved_for": EDITED}),
        delete(api(REGISTER_KEEPERS, 204, stranger=403)),
    ),
    "review-requirement-list": endpoint(
        lambda m: "/api/review-requirements",
        get(api(SIGNED_IN, 200)),
        post(
            api(REGISTER_KEEPERS, 201, stranger=403),
            lambda m: {"area": "legal", "review_required": True, "rule": "A lawyer reads it."},
        ),
    ),
    "review-requirement-detail": endpoint(
        lambda m: f"/api/review-requirements/{m.requirement.pk}", get(api(SIGNED_IN, 200))
    ),
    "company-lane-list": endpoint(
        lambda m: "/api/company-lanes",
        get(api(SIGNED_IN, 200)),
        post(
            api(ADMINS, 201, stranger=403),
            lambda m: {"kind": "lane_security", "primary": m.user("tech")},
        ),
    ),
    "company-lane-detail": endpoint(
        lambda m: f"/api/company-lanes/{m.company_lane.pk}", get(api(SIGNED_IN, 200))
    ),
    "escalation-path-list": endpoint(
        lambda m: "/api/escalation-paths",
        get(api(SIGNED_IN, 200)),
        post(
            api(ADMINS, 201, stranger=403),
            lambda m: {
                "category": "data_handling",
                "route_to": "lane_security",
                "target_minutes": 30,
            },
        ),
    ),
    "data-source-class-list": endpoint(
        lambda m: "/api/data-source-classes",
        get(api(SIGNED_IN, 200)),
        post(
            api(EDITORS, 201, stranger=400),
            lambda m: {
                "pilot": m.pilot.pk,
                "source": m.data_source.source,
                "data_class": m.other_class.pk,
            },
        ),
        lists_pilot="pilot",
    ),
    "data-source-class-detail": endpoint(
        lambda m: f"/api/data-source-classes/{m.data_source.pk}", get(api(VIEWERS, 200))
    ),
    "use-case-request-list": endpoint(
        lambda m: "/api/use-case-requests",
        get(api(SIGNED_IN, 200)),
        post(api(SIGNED_IN, 201), lambda m: without(use_case_form(m), "use_areas")),
    ),
    "use-case-request-detail": endpoint(
        lambda m: f"/api/use-case-requests/{m.use_case.pk}",
        get(api(USE_CASE_READERS, 200, refused=404)),
    ),
    "use-case-request-approve": endpoint(
        lambda m: f"/api/use-case-requests/{m.use_case.pk}/approve",
        post(api(USE_CASE_DECIDERS, 200, refused=404) | {"owner": 403}),
    ),
    "use-case-request-reject": endpoint(
        lambda m: f"/api/use-case-requests/{m.use_case.pk}/reject",
        post(api(USE_CASE_DECIDERS, 200, refused=404) | {"owner": 403}, lambda m: {"note": "No."}),
    ),
    "can-i-use-list": endpoint(
        lambda m: f"/api/can-i-use?tool=Company+chat+assistant&data_class={m.data_class.pk}",
        get(api(SIGNED_IN, 200)),
    ),
    # --- API: leadership ---
    "leadership-list": endpoint(lambda m: "/api/leadership", get(api(LEADERS, 200, stranger=403))),
}
