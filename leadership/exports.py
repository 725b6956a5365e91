"""Every table of the leadership view as CSV. Columns are named for people, money with the
currency and rounded as everywhere (common.money: half-up to the cent). Cells go through
costs.exports.safe_cell, so a cell starting with = + - @ is prefixed with a single quote and a
spreadsheet never runs it."""

import csv

from common.money import to_money, with_currency
from costs.exports import safe_cell

from .selectors import Dashboard

TABLES = {
    "readiness": "Pilots by status and readiness",
    "time-saved": "Time saved against full cost",
    "revision-rates": "Output revision rates",
    "repeats": "Repeat failures",
    "data-concerns": "Escalated data concerns",
    "resolution": "Time to resolve by category",
    "use-cases": "Approved use cases",
}


def readiness_rows(data: Dashboard):
    yield ["Pilot", "Team", "Status", "Ready to expand", "Why not"]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.pilot.team.name if row.pilot.team else "",
            row.pilot.get_status_display(),
            "yes" if row.ready else "no",
            " | ".join(row.reasons),
        ]


def time_saved_rows(data: Dashboard):
    yield [
        "Week",
        "Pilot",
        "Minutes saved per task",
        "Completed tasks",
        "Completed tasks estimated",
        "Hours saved",
        with_currency("Full cost"),
        "No reviewed samples",
    ]
    for index, total in enumerate(data.totals):
        for row in data.rows:
            value = row.weeks[index]
            yield [
                total.label,
                row.pilot.name,
                value.minutes_saved_per_task,
                value.tasks,
                "yes" if value.tasks_estimated else "no",
                value.hours_saved,
                to_money(value.full_cost),
                "yes" if value.minutes_saved_per_task is None else "no",
            ]
        yield [
            total.label,
            "all pilots",
            "",
            "",
            "",
            total.hours_saved,
            to_money(total.full_cost),
            "",
        ]


def revision_rows(data: Dashboard):
    yield ["Pilot", *[f"Correction rate {total.label} (%)" for total in data.totals]]
    for row in data.rows:
        yield [row.pilot.name, *[week.correction_rate for week in row.weeks]]


def repeat_rows(data: Dashboard):
    yield ["Pilot", "Repeats in the last 90 days", "Open repeats", "Open serious repeats"]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.repeats["recent"],
            row.repeats["open"],
            row.repeats["serious_open"],
        ]


def concern_rows(data: Dashboard):
    yield ["Entry", "Pilot", "Raised at", "Category", "What went wrong", "Routed to", "Status"]
    for entry in data.concerns:
        person = entry.routed_to
        yield [
            entry.pk,
            entry.pilot.name,
            entry.created_at.isoformat(),
            entry.get_category_display(),
            entry.what_went_wrong,
            (person.get_full_name() or person.get_username()) if person else "",
            entry.get_status_display(),
        ]


def resolution_rows(data: Dashboard):
    yield [
        "Category",
        "Target (minutes)",
        "Raised",
        "Open",
        "Resolved",
        "Overdue",
        "Answered in time",
        "Answered in time (%)",
        "Average hours to resolve",
    ]
    for item in data.resolution:
        yield [
            item.label,
            item.target_minutes,
            item.raised,
            item.open,
            item.resolved,
            item.overdue,
            item.answered_in_time,
            item.in_time_percent,
            item.average_hours_to_resolve,
        ]


def use_case_rows(data: Dashboard):
    yield ["Request", "Team", "Tool", "Requested by", "Approved on", "Pilot", "Pilot status"]
    for item in data.approved:
        person = item.requested_by
        yield [
            item.name,
            item.team_name,
            item.tool,
            person.get_full_name() or person.get_username(),
            item.decided_at.date().isoformat() if item.decided_at else "",
            item.pilot.name if item.pilot else "",
            item.pilot.get_status_display() if item.pilot else "",
        ]


WRITERS = {
    "readiness": readiness_rows,
    "time-saved": time_saved_rows,
    "revision-rates": revision_rows,
    "repeats": repeat_rows,
    "data-concerns": concern_rows,
    "resolution": resolution_rows,
    "use-cases": use_case_rows,
}


def write(table: str, data: Dashboard, stream) -> None:
    writer = csv.writer(stream)
    for row in WRITERS[table](data):
        writer.writerow([safe_cell(value) for value in row])
