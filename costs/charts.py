"""The dashboard's chart data, put in the page with `json_script` and drawn by static/js/costs.js.

Amounts travel as decimal strings; the browser turns them into numbers only to draw.
"""

from decimal import Decimal

from common.money import money_text

from .models import Category
from .selectors import Dashboard

CATEGORY_COLOURS = {
    Category.MODEL_API: "#2856d8",
    Category.REVIEWER_TIME: "#a15c00",
    Category.REWORK: "#b42318",
    Category.SUPPORT_TIME: "#7a3fb0",
    Category.ESCALATIONS: "#c2410c",
    Category.TOOL_FEES: "#1f7a4d",
    Category.OTHER: "#5d6677",
}
LEVEL_COLOURS = {"ok": "#1f7a4d", "near": "#d68a00", "over": "#b42318", "none": "#9aa3b2"}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def chart_data(data: Dashboard) -> dict:
    capped = [row for row in data.rows if row.cap]
    return {
        "caps": {
            "labels": [row.pilot.name for row in capped],
            "percent": [_text(row.month_percent) for row in capped],
            "spend": [money_text(row.month.total) for row in capped],
            "cap": [_text(row.cap) for row in capped],
            "colours": [LEVEL_COLOURS[row.level] for row in capped],
        },
        "perTask": {
            "labels": [row.pilot.name for row in data.rows],
            "full": [_text(row.month.full_per_task) for row in data.rows],  # four places
            "api": [_text(row.month.api_per_task) for row in data.rows],
        },
        "trend": {
            "labels": [f"{month:%b %Y}" for month, _ in data.trend],
            "datasets": [
                {
                    "label": label,
                    "colour": CATEGORY_COLOURS[value],
                    "data": [
                        money_text(amounts.get(value, Decimal("0"))) for _, amounts in data.trend
                    ],
                }
                for value, label in Category.choices
            ],
        },
    }
