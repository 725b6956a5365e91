"""Every table of the leadership view as CSV. Cells go through costs.exports.safe_cell, so a cell
starting with = + - @ is prefixed with a single quote and a spreadsheet never runs it."""

import csv
from decimal import Decimal

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
    yield ["pilot", "team", "status", "ready_to_expand", "why_not"]
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
        "week",
        "pilot",
        "minutes_saved_per_task",
        "completed_tasks",
        "tasks_estimated",
        "hours_saved",
        "full_cost",
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
                value.full_cost.quantize(Decimal("0.01")),
            ]
        yield [
            total.label,
            "all pilots",
            "",
            "",
            "",
            total.hours_saved,
            total.full_cost.quantize(Decimal("0.01")),
        ]


def revision_rows(data: Dashboard):
    yield ["pilot", *[total.label for total in data.totals]]
    for row in data.rows:
        yield [row.pilot.name, *[week.correction_rate for week in row.weeks]]


def repeat_rows(data: Dashboard):
    yield ["pilot", "repeats_last_90_days", "open_repeats", "open_serious_repeats"]
    for row in data.rows:
        yield [
            row.pilot.name,
            row.repeats["recent"],
            row.repeats["open"],
            row.repeats["serious_open"],
        ]


def concern_rows(data: Dashboard):
    yield ["entry", "pilot", "raised_at", "category", "what_went_wrong", "routed_to", "status"]
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
        "category",
        "target_minutes",
        "raised",
        "open",
        "resolved",
        "overdue",
        "answered_in_time",
        "percent_in_time",
        "average_hours_to_resolve",
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
    yield ["request", "team", "tool", "requested_by", "approved_on", "pilot", "pilot_status"]
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
