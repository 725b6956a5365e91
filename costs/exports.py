"""The dashboard's tables as CSV, with the same filters as the page.

A cell that starts with = + - @ (or a tab or carriage return) is prefixed with a single quote,
so a spreadsheet never runs it as a formula.
"""

import csv
from decimal import Decimal

from .models import Category
from .selectors import Dashboard

TABLES = {
    "caps": "Spend against caps",
    "cost-per-task": "Cost per completed task",
    "trend": "Monthly spend by category",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _money(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places))


def caps_rows(data: Dashboard):
    yield [
        "pilot",
        "team",
        "status",
        "month",
        "monthly_cap",
        "month_spend",
        "month_percent_of_cap",
        "week_start",
        "week_spend",
        "week_percent_of_cap",
        "cap_level",
    ]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.pilot.team.name if row.pilot.team else "",
            row.pilot.get_status_display(),
            f"{data.month.start:%Y-%m}",
            _money(row.cap),
            _money(row.month.total),
            row.month_percent,
            row.week_period.start.isoformat(),
            _money(row.week.total),
            row.week_percent,
            row.level,
        ]


def cost_per_task_rows(data: Dashboard):
    yield [
        "pilot",
        "team",
        "month",
        "completed_tasks_month",
        "full_cost_per_task_month",
        "api_cost_per_task_month",
        "week_start",
        "completed_tasks_week",
        "full_cost_per_task_week",
        "api_cost_per_task_week",
        "cost_per_task_limit",
    ]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.pilot.team.name if row.pilot.team else "",
            f"{data.month.start:%Y-%m}",
            row.month.tasks,
            row.month.full_per_task if row.month.tasks else "no completed tasks",
            row.month.api_per_task if row.month.tasks else "no completed tasks",
            row.week_period.start.isoformat(),
            row.week.tasks,
            row.week.full_per_task if row.week.tasks else "no completed tasks",
            row.week.api_per_task if row.week.tasks else "no completed tasks",
            row.pilot.cost_per_task_limit,
        ]


def trend_rows(data: Dashboard):
    yield ["month", *Category.values, "total"]
    for month, amounts in data.trend:
        values = [_money(amounts.get(category, Decimal("0"))) for category in Category.values]
        yield [f"{month:%Y-%m}", *values, sum(values, Decimal("0"))]


WRITERS = {"caps": caps_rows, "cost-per-task": cost_per_task_rows, "trend": trend_rows}


def write(table: str, data: Dashboard, stream) -> None:
    writer = csv.writer(stream)
    for row in WRITERS[table](data):
        writer.writerow([safe_cell(value) for value in row])
