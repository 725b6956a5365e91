"""Figures 1–5 of the issue, each measured in-process against the generated data set.

Requests go through Django's test client (force_login) or DRF's APIClient with a real API token, so
every middleware, authentication, throttle, serializer and template the server runs is timed. Each
figure also checks that ours and its baseline found the same rows or facts: a baseline that computes
something else would make the ratio meaningless.
"""

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import orjson
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from bench.generate import Dataset
from costs import selectors as cost_selectors
from governance.facts import gather_facts
from governance.models import Alert
from governance.services import pilots_evaluate
from pilots.views import PAGE_SIZE

from . import baselines
from .timing import Timing, count_queries, measure, measure_pair, timed

User = get_user_model()
TREND_MONTHS = 12


@dataclass
class Options:
    repeat: int = 20  # timed runs of each request figure (after a warm-up)
    sweep_repeat: int = 5  # timed runs of the dashboard figures and of the sweep
    batches: int = 10  # bulk pushes of 1,000 rows
    batch_rows: int = 1000
    # Figures 7 and 8, served by gunicorn (bench/server.py): see `python -m bench --help`.
    workers: int = 2
    threads: int = 4
    status_requests: int = 4000  # per concurrency level, for the status answer and its floor
    pause_trials: int = 5
    ingest_records: int = 1_000_000  # through each receiver, and copied raw
    ingest_concurrency: int = 2
    server_log: Path | None = None  # gunicorn's output (errors with their tracebacks)


def result(figure: str, title: str, ours: Timing, *, target: str, passed: bool, **extra) -> dict:
    return {
        "figure": figure,
        "title": title,
        "ours": ours.as_dict(),
        "baseline": extra.pop("baseline").as_dict() if extra.get("baseline") else None,
        "ratio": extra.pop("ratio", None),
        "target": target,
        "passed": passed,
        **extra,
    }


def _ratio(ours: Timing, baseline: Timing) -> float:
    return round(ours.median / baseline.median, 2)


def _ok(response, status: int = 200):
    if response.status_code != status:
        raise AssertionError(f"{response.status_code} from {response.request['PATH_INFO']}")
    return response


def browser(user_id: int) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def api(user_id: int) -> APIClient:
    _, token = AuthToken.objects.create(User.objects.get(pk=user_id))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- 1 ---------------------------------------------------------------------------------------------


def ledger_list(ds: Dataset, options: Options) -> dict:
    """GET /api/cost-entries for one pilot and month, 100 rows, as the pilot's business owner."""
    end = ds.today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    client = api(ds.owner)
    url = f"/api/cost-entries?pilot={ds.big_pilot}&date__gte={start}&date__lte={end}&page_size=100"

    def ours():
        return _ok(client.get(url))

    def baseline():
        return baselines.ledger_page(ds.big_pilot, start, end)

    ours_timing, baseline_timing = measure_pair(ours, baseline, repeat=options.repeat)
    answer, expected = ours().json(), orjson.loads(baseline())
    same = answer["count"] == expected["count"] and [row["id"] for row in answer["results"]] == [
        row["id"] for row in expected["results"]
    ]
    # What any call of this endpoint costs before it has rows to list: the same request for a
    # month without entries (middleware, token, throttles, scoping, filters, an empty page).
    empty = url.replace(f"date__gte={start}", "date__gte=1990-01-01").replace(
        f"date__lte={end}", "date__lte=1990-01-31"
    )
    floor = measure(lambda: _ok(client.get(empty)), repeat=options.repeat)
    ratio = _ratio(ours_timing, baseline_timing)
    return result(
        "1",
        "API: 100 ledger entries of one pilot and month",
        ours_timing,
        baseline=baseline_timing,
        ratio=ratio,
        target="≤ 3×",
        passed=ratio <= 3 and same,
        check={
            "rows": len(answer["results"]),
            "count": answer["count"],
            "same_rows_as_baseline": same,
            "empty_month_request_ms": round(floor.median * 1000, 3),
            "ratio_beyond_empty_request": round(
                max(0.0, ours_timing.median - floor.median) / baseline_timing.median, 2
            ),
        },
    )


# --- 2 ---------------------------------------------------------------------------------------------


def dashboard(ds: Dataset, options: Options) -> dict:
    """The finance dashboard's figures for every pilot: month to date against the cap, cost per
    task (full and API-only), this week, and spend per category for 12 months."""
    finance = User.objects.get(pk=ds.finance)
    month = ds.today.replace(day=1)

    def ours():
        data = cost_selectors.dashboard(
            user=finance, month=month, today=ds.today, trend_months=TREND_MONTHS
        )
        figures = [
            (
                row.month_percent,
                row.level,
                row.month.full_per_task,
                row.month.api_per_task,
                row.over_task_limit,
            )
            for row in data.rows
        ]
        return data, figures, data.trend_table, data.totals

    def baseline():
        return baselines.dashboard(month, ds.today, TREND_MONTHS)

    ours_timing, baseline_timing = measure_pair(
        ours, baseline, repeat=options.sweep_repeat, warmup=1
    )
    data = ours()[0]
    rows, trend = baseline()
    mine = {row.pilot.pk: (row.month.total, row.month.tasks) for row in data.rows}
    theirs = {row[0]: (row[6], row[8]) for row in rows}
    trend_mine = {
        (month_, category): amount
        for month_, amounts in data.trend
        for category, amount in amounts.items()
        if amount
    }
    trend_theirs = {(row[0], row[1]): row[2] for row in trend if row[2]}
    same = mine == theirs and trend_mine == trend_theirs
    ratio = _ratio(ours_timing, baseline_timing)
    return result(
        "2",
        f"Finance dashboard figures, {len(rows):,} pilots (raw-ledger SQL baseline)",
        ours_timing,
        baseline=baseline_timing,
        ratio=ratio,
        target="≤ 1.5×",
        passed=ratio <= 1.5 and same,
        check={"pilots": len(rows), "trend_cells": len(trend_theirs), "same_figures": same},
    )


# --- 3 ---------------------------------------------------------------------------------------------


def one_page(ds: Dataset, options: Options) -> dict:
    """The pilot's one page, every panel rendered, as its business owner."""
    big = browser(ds.owner)
    small = browser(ds.small_owner)
    big_url = reverse("pilots:detail", args=[ds.big_pilot])
    small_url = reverse("pilots:detail", args=[ds.small_pilot])
    timing = measure(lambda: _ok(big.get(big_url)), repeat=options.repeat)
    small_queries, _ = count_queries(lambda: _ok(small.get(small_url)))
    fixed = timing.queries == small_queries
    return result(
        "3a",
        "One page of a pilot (full render, all panels)",
        timing,
        target="fixed query count; p95 reported",
        passed=fixed,
        check={"queries_busiest_pilot": timing.queries, "queries_quiet_pilot": small_queries},
    )


def portfolio(ds: Dataset, options: Options) -> dict:
    """The portfolio as finance, who sees every pilot: first page, and the last page's queries."""
    client = browser(ds.finance)
    url = reverse("pilots:portfolio")
    timing = measure(lambda: _ok(client.get(url)), repeat=options.repeat)
    last_page = math.ceil(ds.counts.pilots / PAGE_SIZE)  # finance sees every pilot
    last_queries, _ = count_queries(lambda: _ok(client.get(url, {"page": last_page})))
    fixed = timing.queries == last_queries
    return result(
        "3b",
        f"Portfolio, {ds.counts.pilots:,} pilots, {PAGE_SIZE} a page",
        timing,
        target="fixed query count; p95 reported",
        passed=fixed,
        check={"queries_first_page": timing.queries, "queries_last_page": last_queries},
    )


# --- 4 ---------------------------------------------------------------------------------------------


def _facts_check(ds: Dataset) -> dict:
    """Compare the app's facts with the SQL's, pilot by pilot, on the figures the rules read."""
    facts = {fact.pilot_id: fact for fact in gather_facts(today=ds.today)}
    rows = baselines.sweep_facts(ds.today)
    columns = baselines.SWEEP_COLUMNS
    mismatches = []
    for row in rows:
        fact = facts.get(row[columns["id"]])
        if fact is None:
            mismatches.append((row[0], "missing"))
            continue
        closed = row[columns["last_closed"]]
        week_total, week_tasks = row[columns["week_total"]], row[columns["week_tasks"]]
        per_task = (
            (Decimal(week_total) / week_tasks).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            if week_tasks
            else None
        )
        compared = {
            "month_to_date": (fact.month_to_date, row[columns["month_total"]]),
            "last_week_cost_per_task": (fact.last_week_cost_per_task, per_task),
            "ownership_gaps": (len(fact.ownership_gaps), row[columns["gaps"]]),
            "stop_now": (sorted(fact.open_stop_now_error_ids), sorted(row[columns["stop_now"]])),
            "serious": (sorted(fact.serious_repeat_ids), sorted(row[columns["serious"]])),
            "last_closed_review": (fact.last_closed_review, closed.date() if closed else None),
        }
        mismatches += [(row[0], name) for name, (a, b) in compared.items() if a != b]
    return {
        "pilots": len(rows),
        "same_pilots": len(rows) == len(facts),
        "mismatches": len(mismatches),
        "first_mismatches": mismatches[:5],
    }


def sweep(ds: Dataset, options: Options) -> dict:
    """Evaluate every active pilot's stop rules, against one SQL statement for the same facts."""
    first, first_result = timed(lambda: pilots_evaluate(today=ds.today))

    def ours():
        return pilots_evaluate(today=ds.today)

    def baseline():
        return baselines.sweep_facts(ds.today)

    ours_timing, baseline_timing = measure_pair(
        ours, baseline, repeat=options.sweep_repeat, warmup=0
    )
    # Ten pilots, among them some with breaches (so every query of the sweep runs for them too).
    alerted = list(Alert.objects.order_by().values_list("pilot_id", flat=True).distinct()[:5])
    few = alerted + [pk for pk in ds.active_pilots if pk not in alerted][: 10 - len(alerted)]
    few_queries, _ = count_queries(lambda: pilots_evaluate(pilot_ids=few, today=ds.today))
    check = _facts_check(ds)
    ratio = _ratio(ours_timing, baseline_timing)
    independent = few_queries == ours_timing.queries
    return result(
        "4",
        f"Stop-rule sweep, {check['pilots']:,} active pilots",
        ours_timing,
        baseline=baseline_timing,
        ratio=ratio,
        target="≤ 3× and ≤ 2 s; queries independent of pilot count",
        passed=ratio <= 3 and ours_timing.median <= 2 and independent and not check["mismatches"],
        check={
            **check,
            "queries_for_10_pilots": few_queries,
            "first_sweep_seconds": round(first, 3),
            "first_sweep_alerts": len(first_result.alerts),
            "first_sweep_paused": len(first_result.paused),
        },
    )


# --- 5 ---------------------------------------------------------------------------------------------


def bulk_ingest(ds: Dataset, options: Options) -> dict:
    """POST /api/cost-entries/bulk, 1,000 rows a call, as the LLM gateway's account."""
    client = api(ds.gateway)
    pilots = ds.active_pilots[:50]
    size = options.batch_rows

    def payload(batch: int) -> str:
        rows = [
            {
                "pilot": pilots[n % len(pilots)],
                "date": str(ds.today - timedelta(days=n % 3)),
                "category": "model_api",
                "amount": f"0.{(batch * size + n) % 9000 + 1000:04d}",
                "task_type": "all",
                "idempotency_key": f"bench-ingest-{batch}-{n}",
            }
            for n in range(size)
        ]
        return json.dumps(rows)

    bodies = [payload(batch) for batch in range(options.batches + 2)]
    url = "/api/cost-entries/bulk"

    def push(body: str):
        response = _ok(client.post(url, data=body, content_type="application/json"), 201)
        if response.json()["created"] != size:
            raise AssertionError("A bulk push did not create every row.")

    push(bodies[0])  # warm-up
    queries, _ = count_queries(lambda: push(bodies[1]))
    seconds = [timed(lambda body=body: push(body))[0] for body in bodies[2:]]
    timing = Timing(seconds=seconds, queries=queries)
    rate = round(size / timing.median) if timing.median else 0
    return result(
        "5",
        f"Bulk ingest through the API, {size:,} rows a call",
        timing,
        target="≥ 5,000 rows/s",
        passed=rate >= 5000,
        rows_per_second=rate,
        check={"calls": len(bodies), "pilots": len(pilots)},
    )


FIGURES = {
    "1": ledger_list,
    "2": dashboard,
    "3a": one_page,
    "3b": portfolio,
    "4": sweep,
    "5": bulk_ingest,
}
