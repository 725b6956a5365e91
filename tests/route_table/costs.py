"""The route table's rows for costs: the finance pages, the ledger, entries and volumes."""

from decimal import Decimal

from costs.models import HourlyRate
from tests.matrix import cost_csv, cost_row, volume_row, without
from tests.pilots.permission_helpers import SIGNED_IN, VIEWERS, api, browser
from tests.route_table.base import (
    COST_RECORDERS,
    EDITED,
    Row,
    delete,
    endpoint,
    get,
    on_pilot,
    page,
    patch,
    post,
)

FINANCE_AND_ADMIN = frozenset({"finance", "admin"})


def pilot_rate(m) -> HourlyRate:
    """The pilot's reviewer-time rate, made on first use (the matrix itself has none) without a
    history row: the matrix counts each call's audit events, and this one is no call's doing."""
    rate = HourlyRate.objects.filter(pilot=m.pilot, category="reviewer_time").first()
    if rate is None:
        (rate,) = HourlyRate.objects.bulk_create(
            [HourlyRate(pilot=m.pilot, category="reviewer_time", rate=Decimal("40"))]
        )
    return rate


def rates_listing_the_pilot(m) -> str:
    pilot_rate(m)
    return "/api/hourly-rates"


PAGES: dict[str, Row] = {
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
}

ENDPOINTS: dict[str, Row] = {
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
    "hourly-rate-list": endpoint(
        rates_listing_the_pilot,
        get(api(SIGNED_IN, 200)),
        # Set (or replace) the pilot's rate: whoever records its costs; a stranger's pilot is
        # an id that does not exist (400).
        post(
            api(COST_RECORDERS, 201, stranger=400),
            lambda m: {"pilot": m.pilot.pk, "category": "rework", "rate": "35.00"},
        ),
        # The company default: finance and administrators only.
        post(
            api(FINANCE_AND_ADMIN, 201, stranger=403),
            lambda m: {"pilot": None, "category": "support_time", "rate": "30.00"},
            note="company default",
        ),
        lists_pilot="pilot",
    ),
    "hourly-rate-detail": endpoint(
        lambda m: f"/api/hourly-rates/{pilot_rate(m).pk}",
        get(api(VIEWERS, 200)),
        patch(api(COST_RECORDERS, 200), lambda m: {"rate": "42.50"}),
        delete(api(COST_RECORDERS, 204)),
    ),
    "cost-summary-list": endpoint(
        lambda m: "/api/cost-summaries", get(api(SIGNED_IN, 200)), lists_pilot="pilot"
    ),
    "cost-summary-detail": endpoint(
        lambda m: f"/api/cost-summaries/{m.pilot.pk}", get(api(VIEWERS, 200))
    ),
}
