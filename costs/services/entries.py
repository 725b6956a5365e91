"""Writes to the cost ledger: one entry (browser, API) or thousands (API push, CSV import).

Each write adjusts the daily rollup by exactly the difference it makes, in the same transaction.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.services import audit_bulk_write
from common.errors import ApplicationError
from common.events import pilot_facts_changed, pilots_facts_changed
from common.validators import sent_id
from common.versions import check_version
from costs.models import Category, CostEntry, Source
from pilots.models import Pilot

from .bulk import insert_with_history
from .common import (
    PushResult,
    RowErrors,
    check_rows_payload,
    id_resolver,
    lock_pilots,
    require_may_record,
    visible_pilots,
)
from .rates import RateBook
from .rollup import delta_for, rollup_apply
from .rows import EntryRow, parse_entry
from .traffic_guard import PEOPLE_TIME, measured_for

EDITABLE = frozenset({"date", "category", "amount", "hours", "hourly_rate", "note", "task_type"})


def _added_by_pilot(entries: Sequence[CostEntry]) -> dict[int, dict]:
    """What an insert added per pilot, for the audit trail: entries and their total."""
    added: dict[int, dict] = {}
    for entry in entries:
        figures = added.setdefault(entry.pilot_id, {"entries": 0, "total": Decimal("0")})
        figures["entries"] += 1
        figures["total"] += entry.amount
    return added


def insert_entries(rows: Sequence[EntryRow], *, by, source: str) -> PushResult:
    """Insert validated rows; a row whose idempotency key its pilot already has is left alone.

    Set-based: one look-up of existing keys, `bulk_create` in batches, one rollup upsert per batch.
    """
    keyed_pilots = {row.pilot.pk for row in rows if row.idempotency_key}
    existing: dict[tuple[int, str], int] = {}
    if keyed_pilots:
        lock_pilots(keyed_pilots)
        keys = sorted({row.idempotency_key for row in rows if row.idempotency_key})
        for start in range(0, len(keys), 5000):
            found = CostEntry.objects.filter(
                pilot_id__in=keyed_pilots, idempotency_key__in=keys[start : start + 5000]
            ).values_list("pilot_id", "idempotency_key", "pk")
            existing.update({(pilot_id, key): pk for pilot_id, key, pk in found})
    # Ids rather than objects: assigning a related object checks it, a thousand times per push.
    fresh = [
        CostEntry(
            pilot_id=row.pilot.pk,
            date=row.date,
            category=row.category,
            task_type=row.task_type,
            amount=row.amount,
            hours=row.hours,
            hourly_rate=row.hourly_rate,
            note=row.note,
            source=source,
            idempotency_key=row.idempotency_key,
            created_by_id=getattr(by, "pk", None),
        )
        for row in rows
        if (row.pilot.pk, row.idempotency_key) not in existing
    ]
    insert_with_history(CostEntry, fresh, by=by)
    created = iter(fresh)
    rollup_apply(delta_for(entry) for entry in fresh)
    audit_bulk_write(
        user=by,
        object_type="costs.CostEntry",
        counts_by_pilot=_added_by_pilot(fresh),
        summary=f"Cost entries added ({source})",
    )
    pilots_facts_changed(entry.pilot_id for entry in fresh)  # spend may pass a cap or a limit
    result = PushResult()
    for row in rows:
        key = (row.pilot.pk, row.idempotency_key)
        if key in existing:
            result.rows.append(("existing", existing[key]))
        else:
            result.rows.append(("created", next(created).pk))
    return result


MEASURABLE = frozenset({Category.MODEL_API, PEOPLE_TIME})


def measured_errors(rows: Sequence[tuple[int, EntryRow]]) -> dict[int, dict]:
    """Rows typing what a connected pilot's traffic measures (costs.services.traffic_guard):
    one query, and none when no row is model spend or rework."""
    suspects = [(position, row) for position, row in rows if row.category in MEASURABLE]
    if not suspects:
        return {}
    measured = measured_for(row.pilot.pk for _, row in suspects)
    errors = {}
    for position, row in suspects:
        problem = measured.entry_problem(row.pilot.pk, row.category)
        if problem:
            errors[position] = {"category": [problem]}
    return errors


def duplicate_key_errors(
    rows: Sequence[tuple[int, EntryRow]], label: str = "row"
) -> dict[int, dict]:
    """A key sent twice in one push is a mistake in the push: name where it first appeared."""
    first: dict[tuple[int, str], int] = {}
    errors = {}
    for position, row in rows:
        if not row.idempotency_key:
            continue
        key = (row.pilot.pk, row.idempotency_key)
        if key in first:
            errors[position] = {
                "idempotency_key": [
                    f"This key already appears in {label} {first[key]} of this push."
                ]
            }
        else:
            first[key] = position
    return errors


@transaction.atomic
def cost_entries_push(*, by, rows: list, source: str = Source.API) -> PushResult:
    """Validate every row, then save all of them or none (400 with each bad row's errors)."""
    rows = check_rows_payload(rows)
    ids = {sent_id(row.get("pilot")) for row in rows if isinstance(row, Mapping)}
    resolve = id_resolver(by, visible_pilots(by, ids - {None}))
    rates = RateBook(pilot_ids=ids - {None})  # one query, and only if some hours lack a rate
    today = timezone.localdate()
    parsed, errors = [], []
    for index, raw in enumerate(rows):
        row, row_errors = parse_entry(raw, resolve_pilot=resolve, today=today, rates=rates)
        if row_errors:
            errors.append({"index": index, "errors": row_errors})
        else:
            parsed.append((index, row))
    duplicates = duplicate_key_errors(parsed, label="row")
    errors.extend({"index": index, "errors": problem} for index, problem in duplicates.items())
    refused = measured_errors(parsed)
    errors.extend({"index": index, "errors": problem} for index, problem in refused.items())
    if errors:
        raise RowErrors(sorted(errors, key=lambda error: error["index"]))
    return insert_entries([row for _, row in parsed], by=by, source=source)


@transaction.atomic
def cost_entry_create(
    *,
    by,
    pilot: Pilot,
    date: date,
    category: str,
    amount: Decimal | None = None,
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    note: str = "",
    task_type: str = "",
    idempotency_key: str | None = None,
    source: str = Source.MANUAL,
) -> tuple[CostEntry, bool]:
    """Record one cost; with a key its pilot already has, answer that entry and `False`."""
    require_may_record(by, pilot)
    raw = {
        "pilot": pilot.pk,
        "date": date,
        "category": category,
        "amount": amount,
        "hours": hours,
        "hourly_rate": hourly_rate,
        "note": note,
        "task_type": task_type,
        "idempotency_key": idempotency_key,
    }
    row, errors = parse_entry(raw, resolve_pilot=lambda _: (pilot, ""), today=timezone.localdate())
    errors = errors or measured_errors([(0, row)]).get(0, {})
    if errors:
        raise ApplicationError("The cost could not be recorded.", field_errors=errors)
    result = insert_entries([row], by=by, source=source)
    status, pk = result.rows[0]
    return CostEntry.objects.select_related("pilot").get(pk=pk), status == "created"


def _locked(entry: CostEntry) -> CostEntry:
    return (
        CostEntry.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=entry.pk)
    )


@transaction.atomic
def cost_entry_update(
    *, entry: CostEntry, by, data: Mapping, expected_version: str | None = None
) -> CostEntry:
    """Correct an entry; the rollup moves by the difference (also across days and categories).

    Giving hours or a rate recomputes the amount; giving only an amount drops hours and rate.
    With `expected_version`, a correction over someone else's newer one raises StaleEdit.
    """
    entry = _locked(entry)
    require_may_record(by, entry.pilot)
    check_version(entry, expected_version)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ApplicationError(
            "These fields cannot be changed.",
            field_errors={
                field: ["This cannot be changed; delete the entry and record a new one."]
                for field in unknown
            },
        )
    merged = {field: getattr(entry, field) for field in EDITABLE}
    merged.update(data)
    if data.keys() & {"hours", "hourly_rate"}:
        merged["amount"] = data.get("amount")
    elif "amount" in data:
        merged["hours"] = merged["hourly_rate"] = None
    row, errors = parse_entry(
        {"pilot": entry.pilot_id, **merged},
        resolve_pilot=lambda _: (entry.pilot, ""),
        today=max(timezone.localdate(), entry.date),
    )
    if errors:
        raise ApplicationError("The cost could not be changed.", field_errors=errors)
    changed = [field for field in EDITABLE if getattr(entry, field) != getattr(row, field)]
    if not changed:
        return entry
    if "category" in changed:  # an entry kept as it was stays; moving one into a measured kind not
        errors = measured_errors([(0, row)]).get(0, {})
        if errors:
            raise ApplicationError("The cost could not be changed.", field_errors=errors)
    before = delta_for(entry, sign=-1)
    for field in changed:
        setattr(entry, field, getattr(row, field))
    entry._history_user = by
    entry.save(update_fields=[*changed, "updated_at"])
    rollup_apply([before, delta_for(entry)])
    pilot_facts_changed(entry.pilot_id)
    return entry


@transaction.atomic
def cost_entry_delete(*, entry: CostEntry, by) -> None:
    entry = _locked(entry)
    require_may_record(by, entry.pilot)
    removed = delta_for(entry, sign=-1)
    entry._history_user = by
    entry.delete()
    rollup_apply([removed])
    pilot_facts_changed(removed.pilot_id)
