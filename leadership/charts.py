"""The leadership view's chart data, put in the page with `json_script` and drawn by
static/js/leadership.js. Decimals travel as strings; the browser turns them into numbers to draw."""

from decimal import ROUND_HALF_UP, Decimal

from common.money import money_text

from .selectors import Dashboard

STATUS_COLOURS = {"ready": "#1f7a4d", "blocked": "#b42318"}
LINE_COLOURS = ["#2856d8", "#a15c00", "#7a3fb0", "#1f7a4d", "#c2410c", "#0e7490", "#5d6677"]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def chart_data(data: Dashboard) -> dict:
    measured = [
        row for row in data.rows if any(week.correction_rate is not None for week in row.weeks)
    ]
    with_repeats = [row for row in data.rows if any(row.repeats.values())]
    return {
        "status": {
            "labels": [label for _, label, _, _ in data.status_readiness],
            "ready": [ready for _, _, ready, _ in data.status_readiness],
            "notReady": [not_ready for _, _, _, not_ready in data.status_readiness],
            "colours": STATUS_COLOURS,
        },
        "useCases": {
            "labels": ["Waiting for approval", "Approved", "Rejected"],
            "counts": [
                data.use_cases["pending"],
                data.use_cases["approved"],
                data.use_cases["rejected"],
            ],
        },
        "timeSaved": {
            "labels": [total.label for total in data.totals],
            "hours": [_text(total.hours_saved) for total in data.totals],
            "cost": [money_text(total.full_cost) for total in data.totals],
        },
        "revision": {
            "labels": [total.label for total in data.totals],
            "datasets": [
                {
                    "label": row.pilot.name,
                    "colour": LINE_COLOURS[index % len(LINE_COLOURS)],
                    "data": [_text(week.correction_rate) for week in row.weeks],
                }
                for index, row in enumerate(measured)
            ],
        },
        "repeats": {
            "labels": [row.pilot.name for row in with_repeats],
            "recent": [row.repeats["recent"] for row in with_repeats],
            "seriousOpen": [row.repeats["serious_open"] for row in with_repeats],
        },
        "resolution": {
            "labels": [item.label for item in data.resolution],
            "hours": [_text(item.average_hours_to_resolve) for item in data.resolution],
            "target": [
                _text((Decimal(item.target_minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP))
                for item in data.resolution
            ],
        },
    }
