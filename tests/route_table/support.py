"""The route table's rows for support: guardrails, tools, data classes, use cases, lanes."""

from tests.matrix import tool_form, use_case_form, without
from tests.pilots.permission_helpers import EDITORS, SIGNED_IN, VIEWERS, api, browser
from tests.route_table.base import (
    ADMINS,
    EDITED,
    REGISTER_KEEPERS,
    USE_CASE_DECIDERS,
    USE_CASE_READERS,
    Row,
    delete,
    endpoint,
    get,
    on_pilot,
    page,
    patch,
    post,
)

PAGES: dict[str, Row] = {
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
}

ENDPOINTS: dict[str, Row] = {
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
}
