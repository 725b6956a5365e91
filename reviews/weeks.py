"""ISO weeks as people write them ("2026-W47") and as the database stores them (their Monday)."""

import re
from datetime import date, timedelta
from functools import lru_cache

ISO_WEEK_PATTERN = r"[0-9]{4}-W[0-9]{2}"
_ISO_WEEK = re.compile(rf"^{ISO_WEEK_PATTERN}$")


def week_start(label: str) -> date:
    """'2026-W47' → the Monday of that week; ValueError for anything that is not a real ISO week."""
    label = (label or "").strip().upper()
    if not _ISO_WEEK.match(label):
        raise ValueError(f"“{label}” is not an ISO week such as 2026-W47.")
    year, week = int(label[:4]), int(label[6:])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise ValueError(f"{year} has no week {week}.") from error


@lru_cache(maxsize=4096)
def week_label(day: date) -> str:
    """Any day → the ISO week it belongs to, e.g. '2026-W47'. Cached: a sweep labels tens of
    thousands of review weeks, all of them on a dozen Mondays."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class IsoWeekConverter:
    """URL converter: /pilots/3/reviews/2026-W47/ passes the label through; bad weeks 404."""

    regex = ISO_WEEK_PATTERN

    def to_python(self, value: str) -> str:
        week_start(value)  # a ValueError here makes the URL not match
        return value

    def to_url(self, value: str) -> str:
        return value
