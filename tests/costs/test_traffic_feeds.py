"""A connected pilot's figures come from its traffic, and nothing is counted twice.

Completed tasks and model spend are measured from the traffic rollups; typing them as well is
refused on every path (browser form, API single and bulk, CSV import). People's time reported by
the source is rework at the pilot's rate. Pilots without traffic keep every figure as before.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import ApplicationError
from costs.figures import Period, month_so_far, month_start
from costs.models import CostEntry, HourlyRate, TaskVolume
from costs.selectors import (
    cost_overview,
    daily_figures,
    monthly_trend,
    period_figures,
    pilot_costs_for,
)
from costs.services import cost_csv_preview
from costs.services.traffic_guard import SPEND_MEASURED, VOLUMES_MEASURED
from tests.costs.factories import record_cost, record_tasks
from traffic.services.ingest import tasks_ingest

D = Decimal
pytestmark = pytest.mark.django_db


def send_traffic(pilot, by, *, count=4, people_seconds=None, task_type="Shipping update"):
    """`count` tasks an hour ago at 0.01 each: all completed but the first, handed off."""
    ended = timezone.now() - timedelta(hours=1)
    rows = []
    for n in range(count):
        row = {
            "pilot": pilot.pk,
            "source_id": f"t-{task_type}-{n}",
            "started_at": (ended - timedelta(seconds=n + 2)).isoformat(),
            "ended_at": (ended - timedelta(seconds=n)).isoformat(),
            "task_type": task_type,
            "model_served": "gpt-4o-mini",
            "api_cost": "0.01",
            "outcome": "handed_off" if n == 0 else "completed",
        }
        if people_seconds is not None:
            row["people_seconds"] = people_seconds
        rows.append(row)
    tasks_ingest(by=by, rows=rows, origin="native", keep_valid=False)


@pytest.fixture
def connected(pilot, people):
    """Tool fees typed before traffic came; then four tasks (three completed), 0.04 of API."""
    record_cost(pilot, people["owner"], category="tool_fees", amount="49.00")
    send_traffic(pilot, people["tech"])
    return pilot


def this_month():
    today = timezone.localdate()
    return {"month": month_so_far(today, today)}


def test_traffic_tasks_and_api_spend_are_in_the_period_figures_in_two_queries(
    connected, django_assert_num_queries
):
    with django_assert_num_queries(2):
        figures = period_figures(pilot_ids=[connected.pk], periods=this_month())
    month = figures[connected.pk]["month"]
    assert (month.tasks, month.api, month.total) == (3, D("0.04"), D("49.04"))
    # The cap, spend alerts and cost per task read the same figures.
    assert pilot_costs_for(pilot_ids=[connected.pk])[connected.pk].month.total == D("49.04")


def test_the_one_page_panel_and_the_days_read_traffic_too(connected, django_assert_num_queries):
    with django_assert_num_queries(2):
        costs_now, window = cost_overview(pilot=connected)
    assert (costs_now.month.tasks, costs_now.month.api) == (3, D("0.04"))
    assert window.tasks == {"shipping update": 3}
    assert window.costs[("model_api", "shipping update")] == (D("0.04"), D("0"))
    today = timezone.localdate()
    (day,) = [
        d
        for d in daily_figures(pilot=connected, start=today - timedelta(days=2), end=today)
        if d.tasks
    ]
    assert (day.tasks, day.api) == (3, D("0.04"))


def test_people_time_from_the_source_is_rework_at_the_pilots_rate(pilot, people):
    HourlyRate.objects.create(pilot=pilot, category="rework", rate=D("40"))
    send_traffic(pilot, people["tech"], count=2, people_seconds=90)  # the article's 90 seconds
    month = period_figures(pilot_ids=[pilot.pk], periods=this_month())[pilot.pk]["month"]
    assert month.api == D("0.02")
    assert month.total == D("0.02") + D("2.00")  # 2 × 90 s at 40 an hour
    _, window = cost_overview(pilot=pilot)
    assert window.costs[("rework", "shipping update")] == (D("2.0000"), D("0.0500"))


def test_people_time_takes_the_company_default_rate_and_stays_unpriced_without_one(pilot, people):
    send_traffic(pilot, people["tech"], count=2, people_seconds=90)
    periods = this_month()
    assert period_figures(pilot_ids=[pilot.pk], periods=periods)[pilot.pk]["month"].total == D(
        "0.02"
    )
    HourlyRate.objects.create(pilot=None, category="rework", rate=D("20"))
    assert period_figures(pilot_ids=[pilot.pk], periods=periods)[pilot.pk]["month"].total == D(
        "1.02"
    )


def test_a_pilot_without_traffic_keeps_its_typed_figures(pilot, people):
    record_cost(pilot, people["owner"], amount="0.03")
    record_tasks(pilot, people["owner"], completed=10)
    month = period_figures(pilot_ids=[pilot.pk], periods=this_month())[pilot.pk]["month"]
    assert (month.tasks, month.api, month.total) == (10, D("0.03"), D("0.03"))


def test_typed_volumes_and_model_spend_are_refused_on_every_path(
    connected, people, api_for, client_for
):
    today = timezone.localdate().isoformat()
    api = api_for(people["tech"])
    single = api.post(
        "/api/cost-entries",
        {"pilot": connected.pk, "date": today, "category": "model_api", "amount": "1.00"},
        format="json",
    )
    assert single.status_code == 400 and single.json()["category"] == [SPEND_MEASURED]
    bulk = api.post(
        "/api/cost-entries/bulk",
        [{"pilot": connected.pk, "date": today, "category": "model_api", "amount": "1.00"}],
        format="json",
    )
    assert bulk.status_code == 400
    assert bulk.json()["errors"][0]["errors"]["category"] == [SPEND_MEASURED]
    volumes = api.post(
        "/api/task-volumes/bulk",
        [{"pilot": connected.pk, "date": today, "completed": 5}],
        format="json",
    )
    assert volumes.status_code == 400
    assert volumes.json()["errors"][0]["errors"]["completed"] == [VOLUMES_MEASURED]
    one_volume = api.post(
        "/api/task-volumes", {"pilot": connected.pk, "date": today, "completed": 5}, format="json"
    )
    assert one_volume.status_code == 400 and one_volume.json()["completed"] == [VOLUMES_MEASURED]
    page = client_for(people["owner"]).post(
        reverse("costs:volume-set", args=[connected.pk]), {"date": today, "completed": "12"}
    )
    assert page.status_code == 400 and "would count them twice" in page.content.decode()
    preview = cost_csv_preview(
        by=people["owner"], text=f"pilot,date,category,amount\n{connected.pk},{today},model_api,2\n"
    )
    assert [(e.line, e.field, e.message) for e in preview.errors] == [
        (2, "category", SPEND_MEASURED)
    ]
    assert not TaskVolume.objects.exists()
    assert CostEntry.objects.filter(category="model_api").count() == 0


def test_other_costs_of_a_connected_pilot_are_still_typed(connected, people):
    entry = record_cost(connected, people["owner"], category="reviewer_time", hours="1", rate="40")
    assert entry.amount == D("40.0000")
    with pytest.raises(ApplicationError) as refused:  # nor moved into model spend later
        from costs.services import cost_entry_update

        cost_entry_update(
            entry=entry, by=people["owner"], data={"category": "model_api", "amount": D("1")}
        )
    assert refused.value.field_errors == {"category": [SPEND_MEASURED]}


def test_typed_rework_is_refused_only_when_traffic_measures_peoples_time(pilot, people):
    send_traffic(pilot, people["tech"], count=2)
    record_cost(pilot, people["owner"], category="rework", amount="5")  # not measured: typed
    send_traffic(pilot, people["tech"], count=2, people_seconds=30, task_type="refund")
    with pytest.raises(ApplicationError) as refused:
        record_cost(pilot, people["owner"], category="rework", amount="5")
    assert "rework time, measured" in refused.value.field_errors["category"][0]


def test_periods_over_many_pilots_stay_two_queries(people, django_assert_num_queries):
    from tests.pilots.factories import PilotFactory

    pilots = [PilotFactory() for _ in range(3)]
    for each in pilots:
        send_traffic(each, people["admin"], count=2)
    today = timezone.localdate()
    with django_assert_num_queries(2):
        sums = period_figures(
            pilot_ids=[p.pk for p in pilots],
            periods={"today": Period(today, today), "month": month_so_far(today, today)},
        )
    assert [sums[p.pk]["month"].tasks for p in pilots] == [1, 1, 1]


def test_the_dashboard_trend_adds_traffic_spend_and_people_time_in_one_query(
    pilot, people, django_assert_num_queries
):
    HourlyRate.objects.create(pilot=pilot, category="rework", rate=D("40"))
    record_cost(pilot, people["owner"], category="tool_fees", amount="49.00")
    send_traffic(pilot, people["tech"], count=2, people_seconds=90)
    month = month_start(timezone.localdate())
    with django_assert_num_queries(1):
        ((first, spent),) = monthly_trend(pilot_ids=[pilot.pk], months=[month])
    assert first == month
    assert spent == {"tool_fees": D("49.00"), "model_api": D("0.02"), "rework": D("2.00")}
