"""Ledger rows are made through the services, so the rollup is always in step in tests too."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from costs.models import Category, Source
from costs.services import cost_entry_create, task_volume_set


def record_cost(
    pilot,
    by,
    *,
    day: date | None = None,
    category: str = Category.MODEL_API,
    amount: str | Decimal | None = None,
    hours: str | Decimal | None = None,
    rate: str | Decimal | None = None,
    task_type: str = "",
    note: str = "",
    key: str | None = None,
    source: str = Source.MANUAL,
):
    entry, _ = cost_entry_create(
        by=by,
        pilot=pilot,
        date=day or timezone.localdate(),
        category=category,
        amount=None if amount is None else Decimal(amount),
        hours=None if hours is None else Decimal(hours),
        hourly_rate=None if rate is None else Decimal(rate),
        task_type=task_type,
        note=note,
        idempotency_key=key,
        source=source,
    )
    return entry


def record_tasks(pilot, by, *, completed: int, day: date | None = None, task_type: str = ""):
    volume, _ = task_volume_set(
        by=by,
        pilot=pilot,
        date=day or timezone.localdate(),
        completed=completed,
        task_type=task_type,
    )
    return volume


def entry_row(pilot, **overrides) -> dict:
    """One row of a bulk push, as a gateway sends it (JSON-ready)."""
    row = {
        "pilot": pilot.pk,
        "date": timezone.localdate().isoformat(),
        "category": "model_api",
        "amount": "0.0300",
    }
    row.update(overrides)
    return row
