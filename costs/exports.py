"""The dashboard's tables as CSV, with the same filters as the page and the same figures.

Columns are named for people, money columns with the currency ("Model and API spend (EUR)").
Money is rounded as everywhere (common.money): totals half-up to the cent, costs per task half-up
to four places. A number cell holds a number or nothing; why it is empty has its own column.

A cell that starts with = + - @ (or a tab or carriage return) is prefixed with a single quote,
so a spreadsheet never runs it as a formula.
"""

import csv
from decimal import Decimal

from common.money import to_money, to_per_task, with_currency

from .models import Category
from .selectors import Dashboard

TABLES = {
    "caps": "Spend against caps",
    "cost-per-task": "Cost per completed task",
    "trend": "Monthly spend by category",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _money(value: Decimal | None) -> Decimal | None:
    """A total to the cent, half-up (common.money): the page shows the same figure."""
    return None if value is None else to_money(value)


def _per_task(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_per_task(value)


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


CAP_LEVELS = {
    "none": "no cap",
    "ok": "within the cap",
    "near": "near the cap",
    "over": "over the cap",
}


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def caps_rows(data: Dashboard):
    yield [
        "Pilot",
        "Team",
        "Status",
        "Month",
        with_currency("Monthly cap"),
        with_currency("Spend in the month"),
        "Month: percent of cap",
        "Week from",
        "Week to",
        with_currency("Spend in the week"),
        "Week: percent of cap",
        "Cap level",
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
            row.week_period.end.isoformat(),
            _money(row.week.total),
            row.week_percent,
            CAP_LEVELS.get(row.level, row.level),
        ]


def cost_per_task_rows(data: Dashboard):
    """Costs per task to four places; a period without completed tasks leaves its cost cells
    empty and says so in its own column, so every cost cell is a number or nothing."""
    yield [
        "Pilot",
        "Team",
        "Month",
        "Completed tasks in the month",
        with_currency("Full cost per task, month"),
        with_currency("Model/API cost per task, month"),
        "No completed tasks in the month",
        "Week from",
        "Week to",
        "Completed tasks in the week",
        with_currency("Full cost per task, week"),
        with_currency("Model/API cost per task, week"),
        "No completed tasks in the week",
        with_currency("Limit on full cost per task"),
    ]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.pilot.team.name if row.pilot.team else "",
            f"{data.month.start:%Y-%m}",
            row.month.tasks,
            _per_task(row.month.full_per_task),
            _per_task(row.month.api_per_task),
            _flag(not row.month.tasks),
            row.week_period.start.isoformat(),
            row.week_period.end.isoformat(),
            row.week.tasks,
            _per_task(row.week.full_per_task),
            _per_task(row.week.api_per_task),
            _flag(not row.week.tasks),
            _per_task(row.pilot.cost_per_task_limit),
        ]


def trend_rows(data: Dashboard):
    """Each category's spend and the month's total, each the exact sum rounded half-up to the
    cent: the same figures as the page's table."""
    yield ["Month", *[with_currency(label) for label in Category.labels], with_currency("Total")]
    for month in data.trend_table:
        yield [
            f"{month['month']:%Y-%m}",
            *[_money(amount) for amount in month["amounts"]],
            _money(month["total"]),
        ]


WRITERS = {"caps": caps_rows, "cost-per-task": cost_per_task_rows, "trend": trend_rows}


def write(table: str, data: Dashboard, stream) -> None:
    writer = csv.writer(stream)
    for row in WRITERS[table](data):
        writer.writerow([safe_cell(value) for value in row])
