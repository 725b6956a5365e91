"""The ledger's list, the API's busiest read: entries read as tuples and shaped exactly as
`CostEntrySerializer` shapes them, with the count in the same query as the page.

Through the ModelSerializer a page of 100 entries cost some 5 ms of Python (a field object per
value); shaping plain rows costs a tenth of that. `tests/costs/test_ledger_rows.py` holds the two
to the same output.
"""

from decimal import Decimal

from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, Window
from django.utils import timezone

from common.api import Pagination

# (column read, key written) in CostEntrySerializer.Meta.fields order.
COLUMNS = (
    ("id", "id"),
    ("pilot_id", "pilot"),
    ("date", "date"),
    ("category", "category"),
    ("task_type", "task_type"),
    ("amount", "amount"),
    ("hours", "hours"),
    ("hourly_rate", "hourly_rate"),
    ("note", "note"),
    ("source", "source"),
    ("idempotency_key", "idempotency_key"),
    ("created_by_id", "created_by"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)
VALUES = tuple(column for column, _ in COLUMNS)
TOTAL = "_total_rows"


def _decimal(value: Decimal | None) -> str | None:
    # The columns keep four places (and Django's SQLite converter quantizes to them): as written.
    return None if value is None else f"{value:f}"


def entry_rows(rows) -> list[dict]:
    """Rows of `.values_list(*VALUES)` (any trailing columns ignored) as the API writes entries.

    Moments are written as DRF's DateTimeField writes them: in the current time zone, UTC as "Z"."""
    zone = timezone.get_current_timezone()
    shaped = []
    for row in rows:
        created, updated = (
            row[12].astimezone(zone).isoformat(),
            row[13].astimezone(zone).isoformat(),
        )
        shaped.append(
            {
                "id": row[0],
                "pilot": row[1],
                "date": row[2].isoformat(),
                "category": row[3],
                "task_type": row[4],
                "amount": _decimal(row[5]),
                "hours": _decimal(row[6]),
                "hourly_rate": _decimal(row[7]),
                "note": row[8],
                "source": row[9],
                "idempotency_key": row[10],
                "created_by": row[11],
                "created_at": _z(created),
                "updated_at": _z(updated),
            }
        )
    return shaped


def _z(text: str) -> str:
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CountedPaginator(DjangoPaginator):
    """Reads the page and the total in one query (`COUNT(*) OVER ()` beside each row); only a page
    with no rows falls back to counting on its own (to tell page 1 of nothing from page 9 of 3)."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # the usual "not an integer" error
        if number < 1:
            return super().page(number)
        start = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[start : start + self.per_page]
        )
        if not rows:
            if number == 1:  # page one of nothing: no need to count
                self.__dict__["count"] = 0
                return self._get_page([], number, self)
            return super().page(number)
        self.__dict__["count"] = rows[0][-1]  # Paginator.count is a cached property
        return self._get_page(rows, number, self)


class LedgerPagination(Pagination):
    django_paginator_class = CountedPaginator
