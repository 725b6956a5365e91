"""The live-traffic figures, read from the rollups: response time per day and at low and higher
volume, handoffs and their pick-up, failures and the fallback path, active users by team —
on the one page, the finance dashboard and the leadership view, in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from traffic.figures import adoption_by_team, pilot_traffic, spend_by_pilot
from traffic.services.ingest import tasks_ingest
from traffic.services.pickup import task_pick_up

pytestmark = pytest.mark.django_db


def noon(days_ago: int):
    """Noon that day; today, halfway between midnight and now (never in the future)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    moment = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))
    if days_ago == 0:
        midnight = moment.replace(hour=0)
        moment = midnight + (timezone.now() - midnight) / 2
    return moment


def task(pilot, n, *, days_ago=1, latency=1000, outcome="completed", **extra):
    started = noon(days_ago) + timedelta(seconds=n)
    row = {
        "pilot": pilot.pk,
        "source_id": f"fig-{days_ago}-{n}",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(milliseconds=latency)).isoformat(),
        "latency_ms": latency,
        "user": f"user{n % 3}@example.com",
        "team": "Support",
        "task_type": "shipping update",
        "model_served": "gpt-4o-mini",
        "api_cost": "0.0030",
        "outcome": outcome,
    }
    row.update(extra)
    return row


def ingest(people, rows):
    tasks_ingest(by=people["admin"], rows=rows, origin="native", keep_valid=False)


def test_response_time_median_and_p95_per_day_and_at_low_and_higher_volume(pilot, people):
    # Day 3: 4 quick tasks (a low-volume day); days 1 and 2: 10 slower tasks each.
    ingest(people, [task(pilot, n, days_ago=3, latency=200) for n in range(4)])
    for days_ago in (1, 2):
        rows = [task(pilot, n, days_ago=days_ago, latency=1000) for n in range(9)]
        rows.append(task(pilot, 9, days_ago=days_ago, latency=8000))
        ingest(people, rows)
    figures = pilot_traffic(pilot=pilot, today=timezone.localdate())
    assert [item.mix.tasks for item in figures.days] == [4, 10, 10]
    assert figures.median_day_tasks == Decimal(10)
    low_day, busy_day = figures.days[0], figures.days[-1]
    assert low_day.low_volume and not busy_day.low_volume
    assert 190 <= low_day.mix.median_ms <= 210  # histogram buckets are 10 % wide
    assert 950 <= busy_day.mix.median_ms <= 1050
    assert 7600 <= busy_day.mix.p95_ms <= 8400
    (row,) = figures.types
    assert row.low.average_ms == 200
    assert row.high.average_ms == 1700  # (9 × 1000 + 8000) / 10


def test_handoffs_reasons_failures_and_fallback_runs(pilot, people):
    rows = [task(pilot, n) for n in range(6)]
    rows += [task(pilot, 6, outcome="handed_off", handoff_reason="refund over limit")]
    rows += [task(pilot, 7, outcome="handed_off", handoff_reason="refund over limit")]
    rows += [task(pilot, 8, outcome="handed_off", handoff_reason="angry customer")]
    rows += [task(pilot, 9, outcome="failed"), task(pilot, 10, outcome="skipped")]
    ingest(people, rows)
    figures = pilot_traffic(pilot=pilot, today=timezone.localdate())
    assert figures.total.tasks == 11
    assert figures.reasons == [("refund over limit", 2), ("angry customer", 1)]
    assert figures.total.handoff_percent == Decimal("27.3")
    assert figures.total.failed_percent == Decimal("9.1")
    assert figures.total.skipped_percent == Decimal("9.1")


def test_pick_up_time_is_compared_with_the_handoff_rule(pilot, people):
    pilot.handoff_response_minutes = 30
    pilot.save(update_fields=["handoff_response_minutes"])
    rows = [task(pilot, n, outcome="handed_off", handoff_reason="refund") for n in range(3)]
    ingest(people, rows)
    for n, minutes in ((0, 10), (1, 50)):
        ended = noon(1) + timedelta(seconds=n, milliseconds=1000)
        picked = (ended + timedelta(minutes=minutes)).isoformat()
        task_pick_up(
            by=people["admin"], pilot=pilot, source_id=f"fig-1-{n}", data={"picked_up_at": picked}
        )
    pickups = pilot_traffic(pilot=pilot, today=timezone.localdate()).pickups
    assert (pickups.handed_off, pickups.picked_up, pickups.waiting) == (3, 2, 1)
    assert pickups.late == 1 and pickups.rule_minutes == 30
    assert pickups.average_minutes == Decimal("30.0")


def test_active_users_by_team_per_week_and_teams_that_barely_use_it(pilot, people):
    rows = [task(pilot, n, team="Support") for n in range(30)]
    rows.append(task(pilot, 30, team="Billing", user="bo@example.com"))
    ingest(people, rows)
    figures = pilot_traffic(pilot=pilot, today=timezone.localdate())
    teams = {team.team: team for team in figures.teams}
    week = figures.weeks.index(noon(1).date() - timedelta(days=noon(1).weekday()))
    assert teams["Support"].users_by_week[week] == 3
    assert teams["Billing"].users_by_week[week] == 1
    assert not teams["Support"].barely
    assert teams["Billing"].barely  # 1 of 31 tasks: under 5 %
    # The pilot's own team has access even before its first task: it barely uses it.
    assert teams[pilot.team.name].barely and teams[pilot.team.name].tasks == 0


def queries(function, **kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        function(**kwargs)
    return len(context.captured_queries)


def test_figures_run_a_fixed_number_of_queries_whatever_the_traffic(pilot, people):
    ingest(people, [task(pilot, 0)])
    today = timezone.localdate()
    small = (
        queries(pilot_traffic, pilot=pilot, today=today),
        queries(spend_by_pilot, pilot_ids=[pilot.pk], start=today - timedelta(days=30), end=today),
        queries(adoption_by_team, pilots=[pilot], today=today),
    )
    for days_ago in range(1, 14):
        ingest(
            people,
            [task(pilot, n, days_ago=days_ago, team=f"Team {n % 4}") for n in range(40)],
        )
    large = (
        queries(pilot_traffic, pilot=pilot, today=today),
        queries(spend_by_pilot, pilot_ids=[pilot.pk], start=today - timedelta(days=30), end=today),
        queries(adoption_by_team, pilots=[pilot], today=today),
    )
    assert small == large == (3, 1, 3)


def test_a_pilot_without_traffic_shows_a_not_connected_line(pilot, people, client_for):
    response = client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk]))
    html = response.content.decode()
    assert 'data-testid="traffic-not-connected"' in html
    assert reverse("traffic:connections", args=[pilot.pk]) in html
    assert "traffic-task-types" not in html


def test_the_one_page_shows_live_traffic(pilot, people, client_for):
    ingest(people, [task(pilot, n, outcome="failed" if n == 0 else "completed") for n in range(5)])
    response = client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk]))
    html = response.content.decode()
    assert "Live traffic" in html and 'data-testid="traffic-task-types"' in html
    assert "shipping update" in html
    assert "1 failed (<strong>20.0%</strong>)" in html
    assert "traffic-chart-data" in html


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_finance_dashboard_and_leadership_show_traffic_in_fixed_queries(pilot, people, client_for):
    client = client_for(people["finance"])
    ingest(people, [task(pilot, 0, days_ago=0)])
    finance, leadership = reverse("costs:dashboard"), reverse("leadership:dashboard")
    before = page_queries(client, finance), page_queries(client, leadership)
    for days_ago in range(0, 5):
        ingest(people, [task(pilot, n + 1, days_ago=days_ago) for n in range(30)])
    assert (page_queries(client, finance), page_queries(client, leadership)) == before
    html = client.get(finance).content.decode()
    assert 'data-testid="finance-traffic"' in html and "Measured from traffic" in html
    html = client.get(leadership).content.decode()
    assert 'data-testid="leadership-adoption"' in html and "Support" in html
