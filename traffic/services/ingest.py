"""Taking in task records: check every row, store each task once, keep the rollups in step.

`tasks_ingest` is the one path for the native API and both gateway receivers. The native API is
all or nothing (`keep_valid=False`, like the ledger's bulk push); a gateway must never lose a batch
to one bad row, so its receivers keep the valid rows and record what they refused on the pilot's
connection (count and the last errors, shown on the Connections page).
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from common.validators import sent_id
from costs.services.common import RowErrors, id_resolver, visible_pilots
from governance.rules import Verdict
from governance.services.alerts import alert_raise
from pilots.models import Pilot
from reviews.pool import pool_offer

from .. import latency
from ..models import Connection, ModelPrice, Outcome, TaskDay, TaskRecord, TaskUserDay
from ..partitions import ensure_partitions
from . import bulk_sql
from .rows import TaskRow, parse_task
from .versions import merge_versions, versions_by_pilot

MAX_ROWS = 10_000
INSERT_BATCH = 500
LAST_ERRORS = 10
RECORD_FIELDS = [f for f in TaskRecord._meta.concrete_fields if f.name != "id"]
RECORD_COLUMNS = [f.column for f in RECORD_FIELDS]


@dataclass
class IngestResult:
    received: int = 0
    created: int = 0
    duplicates: int = 0
    refused: int = 0
    errors: list[dict] = field(default_factory=list)


def _price(rows: list[TaskRow]) -> None:
    """Cost for records that sent none: tokens × the model's price in force on the day."""
    unpriced = [row for row in rows if row.api_cost is None]
    models = {row.model_served for row in unpriced if row.model_served}
    prices = defaultdict(list)
    if models:
        for price in ModelPrice.objects.filter(model__in=models).order_by("-effective_from"):
            prices[price.model].append(price)
    million = Decimal(1_000_000)
    for row in unpriced:
        day = row.day
        price = next((p for p in prices[row.model_served] if p.effective_from <= day), None)
        row.api_cost = (
            (
                (
                    row.input_tokens * price.input_per_million
                    + row.output_tokens * price.output_per_million
                )
                / million
            ).quantize(Decimal("0.000001"))
            if price
            else Decimal(0)
        )


def _insert(rows: list[TaskRow], origin: str) -> list[TaskRow]:
    """Insert the rows a pilot does not have yet; answer those (a retry inserts nothing)."""
    ensure_partitions({row.day: row.started_at for row in rows}.values())  # one a day is enough
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in RECORD_COLUMNS)
    inserted: list[TaskRow] = []
    if bulk_sql.supported():  # one statement, one array per column
        new = bulk_sql.insert_returning(
            TaskRecord._meta.db_table,
            RECORD_FIELDS,
            [_record_values(row, origin) for row in rows],
            conflict="(pilot_id, source_id, started_at)",
            returning="pilot_id, source_id",
        )
        new = set(new)
        return [row for row in rows if (row.pilot.pk, row.source_id) in new]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            placeholders = ", ".join(
                ["(" + ", ".join(["%s"] * len(RECORD_COLUMNS)) + ")"] * len(batch)
            )
            params = []
            for row in batch:
                values = _record_values(row, origin)
                params.extend(
                    field.get_db_prep_value(values[field.column], connection)
                    for field in RECORD_FIELDS
                )
            cursor.execute(
                f"INSERT INTO {quote(TaskRecord._meta.db_table)} ({columns}) VALUES {placeholders} "
                "ON CONFLICT (pilot_id, source_id, started_at) DO NOTHING "
                "RETURNING pilot_id, source_id",
                params,
            )
            new = {(pilot_id, source_id) for pilot_id, source_id in cursor.fetchall()}
            inserted += [row for row in batch if (row.pilot.pk, row.source_id) in new]
    return inserted


def _record_values(row: TaskRow, origin: str) -> dict:
    """The record's columns, by name."""
    return {
        "pilot_id": row.pilot.pk,
        "origin": origin,
        "source_id": row.source_id,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "user_ref": row.user,
        "team": row.team,
        "task_type": row.task_type,
        "model_requested": row.model_requested,
        "model_served": row.model_served,
        "prompt_version": row.prompt_version,
        "input_tokens": row.input_tokens,
        "output_tokens": row.output_tokens,
        "api_cost": row.api_cost,
        "latency_ms": row.latency_ms,
        "outcome": row.outcome,
        "handoff_reason": row.handoff_reason,
        "trace_url": row.trace_url,
        "picked_up_at": None,
        "people_seconds": row.people_seconds,
    }


ROLLUP_SUMS = [
    "tasks",
    "completed",
    "handed_off",
    "failed",
    "skipped",
    "input_tokens",
    "output_tokens",
    "api_cost",
    "latency_ms_total",
    "latency_buckets",
    "handoff_reasons",
    "people_seconds",
]


@cache
def _day_defaults() -> tuple[dict, tuple[str, ...]]:
    columns = [column for column in TaskDay._meta.concrete_fields if not column.primary_key]
    counters = tuple(column.column for column in columns if isinstance(column, JSONField))
    return {column.column: column.get_default() for column in columns}, counters


def _fresh_day() -> dict:
    """A TaskDay's columns at their defaults (a new, empty object for each JSON counter)."""
    defaults, counters = _day_defaults()
    day = dict(defaults)
    for counter in counters:
        day[counter] = {}
    return day


def _day_totals(rows: list[TaskRow]) -> tuple[list[dict], list[dict]]:
    """The new records summed per rollup key: what they add to each day, as TaskDay and
    TaskUserDay columns (plain dicts: a batch makes a thousand of them)."""
    days: dict[tuple, dict] = {}
    users: dict[tuple, dict] = {}
    for row in rows:
        day = row.day
        key = (row.pilot.pk, day, row.task_type, row.team, row.model_served)
        rollup = days.get(key)
        if rollup is None:
            rollup = days[key] = _fresh_day()
            rollup.update(
                pilot_id=key[0],
                day=day,
                task_type=row.task_type,
                team=row.team,
                model=row.model_served,
                api_cost=Decimal(0),
            )
        outcome = row.outcome
        rollup["tasks"] += 1
        rollup["completed"] += outcome == Outcome.COMPLETED
        rollup["handed_off"] += outcome == Outcome.HANDED_OFF
        rollup["failed"] += outcome == Outcome.FAILED
        rollup["skipped"] += outcome == Outcome.SKIPPED
        rollup["input_tokens"] += row.input_tokens
        rollup["output_tokens"] += row.output_tokens
        rollup["api_cost"] += row.api_cost
        rollup["latency_ms_total"] += row.latency_ms
        rollup["people_seconds"] += row.people_seconds or 0
        buckets = rollup["latency_buckets"]
        bucket = latency.bucket(row.latency_ms)
        buckets[bucket] = buckets.get(bucket, 0) + 1
        if outcome == Outcome.HANDED_OFF:
            reasons = rollup["handoff_reasons"]
            reason = row.handoff_reason or "no reason given"
            reasons[reason] = reasons.get(reason, 0) + 1
        if row.user:
            user_key = (row.pilot.pk, day, row.team, row.user)
            used = users.get(user_key)
            if used is None:
                used = users[user_key] = {
                    "pilot_id": key[0],
                    "day": day,
                    "team": row.team,
                    "user_ref": row.user,
                    "tasks": 0,
                }
            used["tasks"] += 1
    return list(days.values()), list(users.values())


def _roll_up(rows: list[TaskRow]) -> None:
    """Add the new records to their days. PostgreSQL: one upsert per table that adds to the
    stored rows without reading them; elsewhere one locked read and one write per table."""
    days, users = _day_totals(rows)
    if bulk_sql.supported():
        bulk_sql.upsert_adding(
            TaskDay, days, unique=["pilot", "day", "task_type", "team", "model"], add=ROLLUP_SUMS
        )
        bulk_sql.upsert_adding(
            TaskUserDay, users, unique=["pilot", "day", "team", "user_ref"], add=["tasks"]
        )
        return
    days = [TaskDay(**columns) for columns in days]
    users = [TaskUserDay(**columns) for columns in users]
    _add_by_reading(TaskDay, days, ("pilot_id", "day", "task_type", "team", "model"), ROLLUP_SUMS)
    _add_by_reading(TaskUserDay, users, ("pilot_id", "day", "team", "user_ref"), ["tasks"])


def _add_by_reading(model, totals: list, key: tuple[str, ...], sums: list[str]) -> None:
    """The portable path (SQLite under `make run`): read the days locked, add, write."""
    if not totals:
        return
    pilots = {item.pilot_id for item in totals}
    days = {item.day for item in totals}
    stored = {
        tuple(getattr(item, name) for name in key): item
        for item in model.objects.select_for_update().filter(pilot_id__in=pilots, day__in=days)
    }
    fresh, changed = [], []
    for total in totals:
        item = stored.get(tuple(getattr(total, name) for name in key))
        if item is None:
            fresh.append(total)
            continue
        for name in sums:
            value = getattr(total, name)
            if isinstance(value, dict):
                merged = Counter(getattr(item, name))
                merged.update(value)
                setattr(item, name, dict(merged))
            else:
                setattr(item, name, getattr(item, name) + value)
        changed.append(item)
    model.objects.bulk_create(fresh)
    bulk_sql.update_by_pk(model, changed, sums)


CONNECTION_COUNTS = ["last_seen_at", "received", "refused", "last_errors", "versions_seen"]


def _record_connections(
    origin: str, created: Counter, refused: dict[int, list[dict]], versions: dict | None = None
) -> None:
    now = timezone.now()
    pilots = set(created) | set(refused)
    if not pilots:
        return
    existing = {
        c.pilot_id: c
        for c in Connection.objects.select_for_update().filter(pilot_id__in=pilots, origin=origin)
    }
    fresh, changed = [], []
    for pilot_id in sorted(pilots):
        item = existing.get(pilot_id)
        if item is None:
            item = Connection(pilot_id=pilot_id, origin=origin, first_seen_at=now)
            fresh.append(item)
        else:
            changed.append(item)
        item.last_seen_at = now
        item.received += created.get(pilot_id, 0)
        item.refused += len(refused.get(pilot_id, []))
        item.last_errors = (refused.get(pilot_id, [])[::-1] + list(item.last_errors))[:LAST_ERRORS]
        if versions and pilot_id in versions:  # what actually runs, for the drift rule
            item.versions_seen = merge_versions(item.versions_seen, versions[pilot_id])
    Connection.objects.bulk_create(fresh)  # one statement each, however many pilots
    bulk_sql.update_by_pk(Connection, changed, CONNECTION_COUNTS)


def _alert_if_paused(pilots: dict[int, Pilot], created: Counter) -> None:
    """Traffic for a paused pilot means a tool ignored the kill switch: the stop authority hears
    of it at once, once per pause."""
    for pilot_id in created:
        pilot = pilots[pilot_id]
        if pilot.status != Pilot.Status.PAUSED:
            continue
        count = created[pilot_id]
        verdict = Verdict(
            rule="traffic_while_paused",
            actions=frozenset({"alert"}),
            period=f"paused-{pilot.status_since:%Y%m%dT%H%M%S}",
            message=f"{count} task(s) ran while the pilot is paused: a tool ignored the kill switch.",
            next_step="Find the tool (see the pilot's Connections page) and make it check the "
            "pilot's status before every model call; the tasks are recorded.",
            figures={"tasks_while_paused": str(count)},
        )
        alert_raise(pilot=pilot, verdict=verdict, paused=False)


def _lock_pilots(pilot_ids: set[int]) -> None:
    """Ingests for the same pilot take turns from here to their commit (PostgreSQL: one advisory
    lock per pilot, in id order so two batches never wait on each other crosswise): without it two
    concurrent batches both find no rollup row for a new day and both insert it, and one fails."""
    if not pilot_ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('traffic-ingest:' || id, 0)) "
            "FROM unnest(%s::bigint[]) AS id ORDER BY id",
            [sorted(pilot_ids)],
        )


def resolver(by, rows: list):
    ids = {sent_id(row.get("pilot")) for row in rows if isinstance(row, Mapping)}
    pilots = visible_pilots(by, ids - {None})
    return id_resolver(by, pilots), pilots


@transaction.atomic
def tasks_ingest(*, by, rows: list, origin: str, keep_valid: bool) -> IngestResult:
    """Check and store task records. All or nothing (RowErrors) unless `keep_valid`."""
    if not isinstance(rows, list):
        raise RowErrors([{"index": 0, "errors": {"non_field_errors": ["Send a list of tasks."]}}])
    if len(rows) > MAX_ROWS:
        message = f"Send at most {MAX_ROWS:,} tasks per request."
        raise RowErrors([{"index": 0, "errors": {"non_field_errors": [message]}}])
    resolve, pilots = resolver(by, rows)
    now, zone = timezone.now(), timezone.get_current_timezone()
    result = IngestResult(received=len(rows))
    parsed: list[TaskRow] = []
    refused: dict[int, list[dict]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for index, raw in enumerate(rows):
        row, errors = parse_task(raw, resolve_pilot=resolve, now=now, zone=zone)
        if row and (row.pilot.pk, row.source_id) in seen:
            row, errors = None, {"source_id": ["This task appears twice in the request."]}
        if errors:
            result.errors.append({"index": index, "errors": errors})
            pilot_id = sent_id(raw.get("pilot")) if isinstance(raw, Mapping) else None
            if pilot_id in pilots:  # only a pilot the sender may see hears of its refusals
                source = raw.get("source_id") if isinstance(raw, Mapping) else None
                refused[pilot_id].append(
                    {"at": now.isoformat(), "source_id": str(source or "")[:200], "errors": errors}
                )
            continue
        seen.add((row.pilot.pk, row.source_id))
        parsed.append(row)
    result.refused = len(result.errors)
    if result.errors and not keep_valid:
        raise RowErrors(result.errors)
    _price(parsed)
    inserted = _insert(parsed, origin) if parsed else []
    result.created = len(inserted)
    result.duplicates = len(parsed) - len(inserted)
    _lock_pilots({row.pilot.pk for row in inserted} | set(refused))
    if inserted:
        _roll_up(inserted)
        # The review pool keeps the text of a bounded sample of the new tasks; the rest is dropped.
        pool_offer(inserted=inserted, raw=rows)
    created = Counter(row.pilot.pk for row in inserted)
    _record_connections(origin, created, refused, versions_by_pilot(inserted))
    _alert_if_paused(pilots, created)
    return result
