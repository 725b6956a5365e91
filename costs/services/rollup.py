"""Keeps `DailyCost` equal to the ledger summed per (pilot, day, category, task type), and
`MonthlyCost` equal to it summed per (pilot, month, category).

Every service that writes `CostEntry` calls `rollup_apply` with the difference it made, inside its
own transaction. The change is one set-based upsert per table that *adds* to the stored totals
(`total = total + EXCLUDED.total`), so two transactions adding to the same day never lose each
other's amounts: PostgreSQL takes the row lock for the `DO UPDATE`, and the second writer adds to
what the first committed. Every writer locks daily rows before monthly ones, each in key order, so
two writers never wait on each other in a circle. The same statements run on SQLite (3.24 and
later) for `make run`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from costs.models import CostEntry, DailyCost, MonthlyCost

# Rows per upsert statement: 7 parameters each stays far below every driver's parameter limit.
UPSERT_BATCH = 1000

_TABLE = DailyCost._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (pilot_id, day, category, task_type, total, hours, entries) VALUES {{values}} "
    f"ON CONFLICT (pilot_id, day, category, task_type) DO UPDATE SET "
    f"total = {_TABLE}.total + EXCLUDED.total, "
    f"hours = {_TABLE}.hours + EXCLUDED.hours, "
    f"entries = {_TABLE}.entries + EXCLUDED.entries"
)
_MONTHLY = MonthlyCost._meta.db_table
_MONTHLY_UPSERT = (
    f"INSERT INTO {_MONTHLY} (pilot_id, month, category, total, entries) VALUES {{values}} "
    f"ON CONFLICT (pilot_id, month, category) DO UPDATE SET "
    f"total = {_MONTHLY}.total + EXCLUDED.total, "
    f"entries = {_MONTHLY}.entries + EXCLUDED.entries"
)


@dataclass(frozen=True)
class Delta:
    pilot_id: int
    day: date
    category: str
    task_type: str
    total: Decimal
    hours: Decimal
    entries: int


def delta_for(entry: CostEntry, *, sign: int = 1) -> Delta:
    """What adding (sign 1) or removing (sign -1) `entry` does to its rollup row."""
    return Delta(
        pilot_id=entry.pilot_id,
        day=entry.date,
        category=entry.category,
        task_type=entry.task_type,
        total=entry.amount * sign,
        hours=(entry.hours or Decimal("0")) * sign,
        entries=sign,
    )


def rollup_apply(deltas: Iterable[Delta]) -> None:
    """Add `deltas` to the rollup: one upsert per batch of keys, then drop rows left empty."""
    merged: dict[tuple, list] = defaultdict(lambda: [Decimal("0"), Decimal("0"), 0])
    for delta in deltas:
        row = merged[(delta.pilot_id, delta.day, delta.category, delta.task_type)]
        row[0] += delta.total
        row[1] += delta.hours
        row[2] += delta.entries
    # A stable key order means concurrent writers lock shared rows in the same order.
    keys = sorted(key for key, (total, hours, count) in merged.items() if total or hours or count)
    if not keys:
        return
    emptied_pilots = set()
    monthly: dict[tuple, list] = defaultdict(lambda: [Decimal("0"), 0])
    with connection.cursor() as cursor:
        for start in range(0, len(keys), UPSERT_BATCH):
            batch = keys[start : start + UPSERT_BATCH]
            params = []
            for key in batch:
                total, hours, count = merged[key]
                params.extend((*key, total, hours, count))
                if count < 0:
                    emptied_pilots.add(key[0])
                pilot_id, day, category, _ = key
                month = monthly[(pilot_id, day.replace(day=1), category)]
                month[0] += total
                month[1] += count
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(_UPSERT.format(values=values), params)
        month_keys = sorted(key for key, (total, count) in monthly.items() if total or count)
        for start in range(0, len(month_keys), UPSERT_BATCH):
            batch = month_keys[start : start + UPSERT_BATCH]
            params = [value for key in batch for value in (*key, *monthly[key])]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(_MONTHLY_UPSERT.format(values=values), params)
    if emptied_pilots:
        DailyCost.objects.filter(pilot_id__in=emptied_pilots, entries__lte=0).delete()
        MonthlyCost.objects.filter(pilot_id__in=emptied_pilots, entries__lte=0).delete()


@transaction.atomic
def rollup_rebuild(*, pilot_ids: Iterable[int] | None = None) -> int:
    """Recompute the rollup from the ledger (all pilots, or some); running it twice changes nothing.

    On PostgreSQL the ledger is locked against writes (reads go on) while the rows are rebuilt,
    so no push lands between the delete and the re-insert. Returns the number of rollup rows.
    """
    pilot_ids = None if pilot_ids is None else sorted(set(pilot_ids))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CostEntry._meta.db_table} IN SHARE MODE")
    ledger = CostEntry._meta.db_table
    where, params = "", []
    if pilot_ids is not None:
        if not pilot_ids:
            return 0
        where = f"WHERE pilot_id IN ({', '.join(['%s'] * len(pilot_ids))})"
        params = list(pilot_ids)
    for model in (DailyCost, MonthlyCost):
        stale = model.objects.all()
        if pilot_ids is not None:
            stale = stale.filter(pilot_id__in=pilot_ids)
        stale.delete()
    month = (
        "CAST(date_trunc('month', date) AS date)"
        if connection.vendor == "postgresql"
        else "date(date, 'start of month')"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (pilot_id, day, category, task_type, total, hours, entries) "
            f"SELECT pilot_id, date, category, task_type, SUM(amount), SUM(COALESCE(hours, 0)), "
            f"COUNT(*) FROM {ledger} {where} GROUP BY pilot_id, date, category, task_type",
            params,
        )
        rows = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {_MONTHLY} (pilot_id, month, category, total, entries) "
            f"SELECT pilot_id, {month}, category, SUM(amount), COUNT(*) FROM {ledger} {where} "
            f"GROUP BY pilot_id, {month}, category",
            params,
        )
        return rows
