"""Figures read from the database against hand computations on a small ledger."""

from datetime import date
from decimal import Decimal

import pytest

from costs.figures import Period, monthly_estimate, task_type_table
from costs.selectors import (
    cost_overview,
    daily_figures,
    dashboard,
    monthly_trend,
    period_figures,
    pilot_costs,
    pilot_costs_for,
    window_sums,
)
from tests.costs.factories import record_cost, record_tasks
from tests.pilots.factories import PilotFactory

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 21)  # a Wednesday; its week runs 19–25 October


@pytest.fixture
def ledger(pilot, people):
    """A small ledger by hand. This month to the 21st: 79.03 spent, 9.03 of it API, 101 tasks."""
    by = people["owner"]
    pilot.monthly_cap = D("1000.00")
    pilot.save(update_fields=["monthly_cap"])
    record_cost(pilot, by, day=date(2026, 9, 30), amount="500")  # last month
    record_cost(pilot, by, day=date(2026, 10, 1), category="tool_fees", amount="49.00")
    record_cost(pilot, by, day=date(2026, 10, 5), amount="3.00")
    record_cost(pilot, by, day=date(2026, 10, 5), category="reviewer_time", hours="0.5", rate="40")
    record_tasks(pilot, by, day=date(2026, 10, 5), completed=100)
    # The article's example: $0.03 of model calls and 90 seconds of review at $40 an hour.
    record_cost(pilot, by, day=date(2026, 10, 19), amount="0.03")
    record_cost(
        pilot, by, day=date(2026, 10, 19), category="reviewer_time", hours="0.025", rate="40"
    )
    record_tasks(pilot, by, day=date(2026, 10, 19), completed=1)
    record_cost(pilot, by, day=date(2026, 10, 20), amount="6.00")  # spend, no completed tasks
    record_cost(pilot, by, day=date(2026, 10, 22), amount="100")  # after "today"
    other = PilotFactory()
    record_cost(other, people["admin"], day=date(2026, 10, 5), amount="1000")
    return pilot


def test_month_to_date_and_week_against_the_cap(ledger):
    (costs,) = pilot_costs(pilots=[ledger], today=TODAY)
    assert (costs.month_period.start, costs.month_period.end) == (date(2026, 10, 1), TODAY)
    assert (costs.week_period.start, costs.week_period.end) == (date(2026, 10, 19), TODAY)
    assert (costs.month.total, costs.month.api, costs.month.tasks) == (D("79.03"), D("9.03"), 101)
    assert costs.month.full_per_task == D("0.7825")  # 79.03 / 101
    assert costs.month.api_per_task == D("0.0894")  # 9.03 / 101
    assert costs.month_percent == D("7.9")
    assert (costs.week.total, costs.week.api, costs.week.tasks) == (D("7.03"), D("6.03"), 1)
    assert costs.week_percent == D("0.7")
    assert costs.level == "ok"


def test_a_past_month_is_whole_and_its_week_is_the_last_one_cut_at_the_months_end(ledger):
    (costs,) = pilot_costs(pilots=[ledger], month=date(2026, 9, 1), today=TODAY)
    assert (costs.month_period.start, costs.month_period.end) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
    )
    assert (costs.week_period.start, costs.week_period.end) == (
        date(2026, 9, 28),
        date(2026, 9, 30),
    )
    assert costs.month.total == D("500")
    assert costs.month.full_per_task is None  # no completed tasks, no division
    assert costs.week.total == D("500")  # 30 Sep; the tool fees of 1 Oct belong to October


def test_the_article_example_day_costs_a_dollar_three_per_task_and_a_day_without_tasks_has_none(
    ledger,
):
    days = {day.day: day for day in daily_figures(pilot=ledger, start=date(2026, 10, 1), end=TODAY)}
    example = days[date(2026, 10, 19)]
    assert (example.full_per_task, example.api_per_task) == (D("1.0300"), D("0.0300"))
    no_tasks = days[date(2026, 10, 20)]
    assert no_tasks.total == D("6") and no_tasks.tasks == 0
    assert no_tasks.full_per_task is None and no_tasks.spend_without_tasks
    assert list(days) == [
        date(2026, 10, 20),
        date(2026, 10, 19),
        date(2026, 10, 5),
        date(2026, 10, 1),
    ]


def test_periods_by_name_cover_many_pilots_in_two_queries(ledger, django_assert_num_queries):
    periods = {
        "oct": Period(date(2026, 10, 1), date(2026, 10, 31)),
        "sep": Period(date(2026, 9, 1), date(2026, 9, 30)),
    }
    with django_assert_num_queries(2):
        sums = period_figures(pilot_ids=[ledger.pk, 0], periods=periods)
    assert sums[ledger.pk]["oct"].total == D("179.03")
    assert sums[ledger.pk]["sep"].total == D("500")
    assert sums[0]["oct"].total == 0


def test_monthly_trend_by_category(ledger):
    trend = dict(
        monthly_trend(
            pilot_ids=[ledger.pk], months=[date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
        )
    )
    assert trend[date(2026, 8, 1)] == {}
    assert trend[date(2026, 9, 1)] == {"model_api": D("500")}
    assert trend[date(2026, 10, 1)] == {
        "model_api": D("109.03"),
        "reviewer_time": D("21"),
        "tool_fees": D("49"),
    }


def test_estimate_from_the_last_thirty_days_of_the_ledger(ledger):
    # Window 1–30 October: 130.03 of costs that grow with volume, 49 of tool fees, 101 tasks.
    window = window_sums(pilot=ledger, today=date(2026, 10, 30))
    assert window.span == 30
    today, one_more_team, busy = monthly_estimate(window, ledger).rows
    assert (today.tasks, today.total, today.per_task) == (D("101"), D("179.03"), D("1.7726"))
    assert (one_more_team.tasks, one_more_team.total, one_more_team.per_task) == (
        D("202"),
        D("309.06"),
        D("1.5300"),
    )
    assert (busy.tasks, busy.total) == (D("152"), D("244.045"))  # 130.03 × 1.5 + 49; 151.5 tasks
    (row,) = task_type_table(window, ledger, error_rate=None)
    assert row.review_seconds_per_task == D("19")  # 0.525 h over 101 tasks


def test_dashboard_shows_only_pilots_the_user_has_a_role_on_unless_finance(ledger, people):
    reviewer_view = dashboard(user=people["reviewer"], month=date(2026, 10, 1), today=TODAY)
    assert [row.pilot.pk for row in reviewer_view.rows] == [ledger.pk]
    finance_view = dashboard(user=people["finance"], month=date(2026, 10, 1), today=TODAY)
    assert len(finance_view.rows) == 2
    assert finance_view.totals.total == D("1079.03")
    team_view = dashboard(
        user=people["finance"], month=date(2026, 10, 1), team=ledger.team_id, today=TODAY
    )
    assert [row.pilot.pk for row in team_view.rows] == [ledger.pk]
    assert dashboard(user=people["stranger"], month=date(2026, 10, 1), today=TODAY).rows == []


def test_rule_engine_reads_month_to_date_against_cap_by_pilot_id(ledger):
    facts = pilot_costs_for(pilot_ids=[ledger.pk], today=TODAY)
    assert facts[ledger.pk].month.total == D("79.03")
    assert facts[ledger.pk].month_percent == D("7.9")
    assert ledger.cost_per_task_limit == D("0.5000")
    assert facts[ledger.pk].over_task_limit  # 0.7825 a task is above the 0.50 limit


@pytest.mark.parametrize(
    "today", [TODAY, date(2026, 10, 30), date(2026, 10, 2), date(2026, 10, 31)]
)
def test_the_panels_single_pass_gives_the_same_figures_as_the_separate_reads(ledger, today):
    overview, window = cost_overview(pilot=ledger, today=today)
    (separate,) = pilot_costs(pilots=[ledger], today=today)
    assert (overview.month_period, overview.week_period) == (
        separate.month_period,
        separate.week_period,
    )
    assert overview.month == separate.month
    assert overview.week == separate.week
    assert window == window_sums(pilot=ledger, today=today)
