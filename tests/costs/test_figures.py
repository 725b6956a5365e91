"""The figures against hand computations, without the database."""

from datetime import date
from decimal import Decimal

from costs.figures import (
    CostFigures,
    WindowSums,
    cap_level,
    month_so_far,
    monthly_estimate,
    months_back,
    per_task,
    task_type_table,
    week_of,
)
from pilots.models import Pilot

D = Decimal
TODAY = date(2026, 11, 24)  # a Tuesday


def make_pilot(**fields) -> Pilot:
    defaults = {
        "name": "Support drafts",
        "monthly_cap": D("1500.00"),
        "alert_thresholds": [50, 80, 100],
        "one_more_team_multiplier": D("2.00"),
        "busy_month_multiplier": D("1.50"),
        "average_daily_volume": None,
    }
    return Pilot(**{**defaults, **fields})


def test_the_article_example_three_cents_of_model_calls_and_90_seconds_of_review():
    # $0.03 of model calls, then a reviewer spends 90 seconds (0.025 h) at $40/h fixing the draft.
    review = (D("0.025") * D("40.00")).quantize(D("0.0001"))
    figures = CostFigures(total=D("0.03") + review, api=D("0.03"), tasks=1)
    assert review == D("1.0000")
    assert figures.full_per_task == D("1.0300")
    assert figures.api_per_task == D("0.0300")
    assert figures.hidden_per_task == D("1.0000")
    assert figures.times_api == D("34.3")  # the full cost is 34 times the token bill


def test_cost_per_task_over_a_period_divides_every_category_by_completed_tasks():
    figures = CostFigures(
        total=D("540.00") + D("180.00") + D("49.00"), api=D("540.00"), tasks=18000
    )
    assert figures.full_per_task == D("0.0427")  # 769 / 18,000 = 0.042722…
    assert figures.api_per_task == D("0.0300")


def test_spend_without_completed_tasks_has_no_cost_per_task_rather_than_a_division_by_zero():
    figures = CostFigures(total=D("12.50"), api=D("2.50"), tasks=0)
    assert figures.full_per_task is None
    assert figures.api_per_task is None
    assert figures.times_api is None
    assert figures.hidden_per_task is None
    assert figures.spend_without_tasks
    assert per_task(D("1"), 0) is None
    assert not CostFigures().spend_without_tasks


def test_cap_level_follows_the_pilots_alert_thresholds():
    pilot = make_pilot()
    assert cap_level(D("100"), pilot) == "ok"  # 6.7 %
    assert cap_level(D("1199.00"), pilot) == "ok"  # 79.9 %
    assert cap_level(D("1200"), pilot) == "near"  # 80 %
    assert cap_level(D("1500"), pilot) == "over"
    assert cap_level(D("100"), make_pilot(monthly_cap=None)) == "none"
    assert cap_level(D("700"), make_pilot(alert_thresholds=[40])) == "near"  # 46.7 % ≥ 40


def test_periods_month_to_date_whole_past_month_iso_week_and_trend_months():
    assert month_so_far(date(2026, 11, 1), TODAY).start == date(2026, 11, 1)
    assert month_so_far(date(2026, 11, 1), TODAY).end == TODAY
    october = month_so_far(date(2026, 10, 1), TODAY)
    assert (october.start, october.end, october.days) == (date(2026, 10, 1), date(2026, 10, 31), 31)
    week = week_of(TODAY)
    assert (week.start, week.end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert months_back(date(2026, 2, 1), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def window(costs, tasks, first_day=date(2026, 10, 26)) -> WindowSums:
    return WindowSums(costs=costs, tasks=tasks, first_day=first_day, end=TODAY)


def test_monthly_estimate_scales_costs_that_grow_with_volume_and_keeps_tool_fees_fixed():
    # 30 days of records: 3,000 tasks; $90 model, $300 review, $60 rework, $49 tool fees.
    sums = window(
        {
            ("model_api", "all"): (D("90"), D("0")),
            ("reviewer_time", "all"): (D("300"), D("7.5")),
            ("rework", "all"): (D("60"), D("1.5")),
            ("tool_fees", "all"): (D("49"), D("0")),
        },
        {"all": 3000},
    )
    assert sums.span == 30
    estimate = monthly_estimate(sums, make_pilot())
    today, one_more_team, busy = estimate.rows
    assert (today.tasks, today.total, today.per_task) == (D("3000"), D("499"), D("0.1663"))
    # ×2: (90 + 300 + 60) × 2 + 49 = 949 for 6,000 tasks
    assert (one_more_team.tasks, one_more_team.total) == (D("6000"), D("949"))
    assert one_more_team.per_task == D("0.1582")
    # ×1.5: 450 × 1.5 + 49 = 724 for 4,500 tasks
    assert (busy.tasks, busy.total) == (D("4500"), D("724"))
    assert today.percent_of_cap == D("33.3")
    assert one_more_team.percent_of_cap == D("63.3")
    assert estimate.volume_source == "recorded"


def test_estimate_scales_a_younger_record_to_thirty_days():
    # Ten days of records (first day 15 Nov): $100 of model spend and 1,000 tasks → ×3.
    sums = window(
        {("model_api", "all"): (D("100"), D("0"))}, {"all": 1000}, first_day=date(2026, 11, 15)
    )
    assert sums.span == 10
    today = monthly_estimate(sums, make_pilot()).rows[0]
    assert (today.tasks, today.total) == (D("3000"), D("300.0000"))


def test_estimate_uses_the_one_pages_average_volume_when_no_tasks_are_recorded():
    sums = window({("model_api", "all"): (D("30"), D("0"))}, {})
    estimate = monthly_estimate(sums, make_pilot(average_daily_volume=40))
    assert estimate.volume_source == "one page"
    assert estimate.rows[0].tasks == D("1200")
    assert estimate.rows[0].per_task == D("0.0250")


def test_estimate_without_any_volume_has_no_cost_per_task():
    estimate = monthly_estimate(window({("model_api", "all"): (D("30"), D("0"))}, {}), make_pilot())
    assert estimate.rows[0].tasks is None
    assert estimate.rows[0].per_task is None
    assert estimate.rows[0].total == D("30")


def test_short_table_keeps_tagged_costs_with_their_task_type_and_shares_the_rest_by_volume():
    sums = window(
        {
            ("model_api", "shipping update"): (D("40"), D("0")),
            ("reviewer_time", "shipping update"): (D("100"), D("2.5")),
            ("model_api", "password reset"): (D("10"), D("0")),
            ("tool_fees", "all"): (D("60"), D("0")),  # shared 3:1 by tasks
        },
        {"shipping update": 1500, "password reset": 500},
    )
    password, shipping = task_type_table(sums, make_pilot(), error_rate=D("4.5"))
    assert shipping.label == "Shipping update"
    assert shipping.tasks == D("1500")
    # (40 + 100) + 60 × 3/4 = 185 for 1,500 tasks; at ×2: 140 × 2 + 45 = 325 for 3,000 tasks
    assert shipping.cost_per_task == D("0.1233")
    assert shipping.cost_per_task_higher == D("0.1083")
    assert shipping.review_hours_today == D("2.5")
    assert shipping.review_hours_higher == D("5.0")
    assert shipping.review_seconds_per_task == D("6")  # 2.5 h × 3,600 / 1,500
    assert password.cost_per_task == D("0.0500")  # (10 + 15) / 500
    assert password.review_seconds_per_task is None
    assert shipping.error_rate == password.error_rate == D("4.5")


def test_short_table_with_spend_and_no_tasks_shows_one_row_without_cost_per_task():
    sums = window({("model_api", "all"): (D("5"), D("0"))}, {})
    (row,) = task_type_table(sums, make_pilot(), error_rate=None)
    assert row.label == "All tasks"
    assert row.cost_per_task is None
    assert row.error_rate is None
