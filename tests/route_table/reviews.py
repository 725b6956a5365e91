"""The route table's rows for reviews: weeks, samples, the error log, failure modes."""

from tests.matrix import sample_form, sample_row
from tests.pilots.permission_helpers import SIGNED_IN, VIEWERS, api, browser
from tests.reviews.queue_helpers import QUEUE_SCORE, free_queue_item
from tests.route_table.base import (
    EDITED,
    ERROR_EDITORS,
    FIXERS,
    REVIEWERS,
    WEEK_KEEPERS,
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
    "reviews:queue": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/queue/", get(browser(VIEWERS, 200))
    ),
    "reviews:queue-draw": page(
        lambda m: f"/pilots/{m.pilot.pk}/reviews/{m.label}/queue/draw/",
        post(browser(REVIEWERS, 302)),
    ),
    "reviews:queue-score": page(
        lambda m: f"/queue/{free_queue_item(m).pk}/score/",
        post(browser(REVIEWERS, 302), lambda m: QUEUE_SCORE),
    ),
    "reviews:queue-skip": page(
        lambda m: f"/queue/{free_queue_item(m).pk}/skip/",
        post(browser(REVIEWERS, 302), lambda m: {"skip_reason": "Test traffic."}),
    ),
    "reviews:sample-delete": page(
        lambda m: f"/samples/{m.sample.pk}/delete/", post(browser(REVIEWERS, 302))
    ),
    "reviews:sample-edit": page(
        lambda m: f"/samples/{m.sample.pk}/edit/",
        get(browser(REVIEWERS, 200)),
        post(browser(REVIEWERS, 302), sample_form),
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
}

ENDPOINTS: dict[str, Row] = {
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
}
