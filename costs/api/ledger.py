"""The ledger's list, the API's busiest read: entries read as tuples and shaped exactly as
`CostEntrySerializer` shapes them, with the count in the same query as the page.

Through the ModelSerializer a page of 100 entries cost some 5 ms of Python (a field object per
value); shaping plain rows costs a tenth of that. `tests/costs/test_ledger_rows.py` holds the two
to the same output.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection
from django.db.models import Count, Window
from django.utils import timezone

from common.api import Pagination
from costs.models import CostEntry
from pilots import access

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

    def page_of(self, request, rows: list, number: int, size: int, count: int) -> list:
        """Stand for `paginate_queryset` when the rows and total were read by `simple_page`."""
        paginator = self.django_paginator_class([], size)
        paginator.__dict__["count"] = count
        self.page = Page(rows, number, paginator)
        self.request = request
        if self.template is not None and paginator.num_pages > 1:
            self.display_page_controls = True
        return rows


# --- The common call as one statement ------------------------------------------------------------
#
# Nearly every call is a gateway's or a dashboard's "this pilot, this month, page n". Building that
# query through django-filter and the ORM cost more than running it, so when the query string asks
# exactly that (and the database is PostgreSQL) one hand-written statement answers it. Anything
# else — another filter, an ordering, a value that needs judging — takes the generic path, which
# also answers every 400 and 404. `tests/costs/test_ledger_rows.py` holds the two to the same
# answers.

SIMPLE_PARAMS = frozenset({"pilot", "date__gte", "date__lte", "page", "page_size"})
ID = re.compile(r"[1-9][0-9]{0,17}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class SimpleQuery:
    pilot_id: int
    since: date | None
    until: date | None
    number: int


def simple_query(params) -> SimpleQuery | None:
    """The query string as a SimpleQuery, or None when it asks anything else."""
    if connection.vendor != "postgresql" or "pilot" not in params:
        return None
    if not params.keys() <= SIMPLE_PARAMS or any(len(params.getlist(key)) > 1 for key in params):
        return None
    pilot, number = params["pilot"], params.get("page", "1")
    if not ID.fullmatch(pilot) or not ID.fullmatch(number):
        return None
    days = []
    for key in ("date__gte", "date__lte"):
        text = params.get(key)
        if text is None:
            days.append(None)
            continue
        if not DAY.fullmatch(text):
            return None
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            return None
    return SimpleQuery(pilot_id=int(pilot), since=days[0], until=days[1], number=int(number))


@cache
def _select() -> str:
    meta = CostEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name.removesuffix("_id")).column) for name in VALUES)
    return f"SELECT {columns}, COUNT(*) OVER () FROM {quote(meta.db_table)}"


def simple_page(query: SimpleQuery, *, user, size: int) -> tuple[list, int] | None:
    """The page's rows (as `.values_list(*VALUES)` reads them) and the total; None when the page
    is past the end (the generic path answers 404)."""
    quote, field = connection.ops.quote_name, CostEntry._meta.get_field
    day, pilot = quote(field("date").column), quote(field("pilot").column)
    conditions, params = [f"{pilot} = %s"], [query.pilot_id]
    if query.since is not None:
        conditions.append(f"{day} >= %s")
        params.append(query.since)
    if query.until is not None:
        conditions.append(f"{day} <= %s")
        params.append(query.until)
    if not access.sees_every_pilot(user):
        conditions.append(access.holds_role_sql())
        params += [query.pilot_id, user.pk, user.pk, user.pk]
    sql = (
        f"{_select()} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {day} DESC, {quote(CostEntry._meta.pk.column)} DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size, (query.number - 1) * size])
        rows = cursor.fetchall()
    if not rows:
        return None if query.number > 1 else ([], 0)
    return rows, rows[0][-1]
