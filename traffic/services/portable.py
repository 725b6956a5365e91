"""The portable path of an ingest (SQLite under `make run`; PostgreSQL takes traffic.services.
staged): the records by multi-row INSERT, the rollups summed in Python and added by one locked
read and one write per table. Both paths count the same rows into the same rollups (a test holds
them to it)."""

from collections import Counter
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import JSONField

from .. import latency
from ..models import Outcome, TaskDay, TaskRecord, TaskUserDay
from . import bulk_sql
from .rows import NO_REASON, RECORD_COLUMNS, RECORD_FIELDS, TaskRow

INSERT_BATCH = 500


def insert(rows: list[TaskRow], origin: str) -> list[TaskRow]:
    """Insert the rows a pilot does not have yet; answer those (a retry inserts nothing)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in RECORD_COLUMNS)
    inserted: list[TaskRow] = []
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
            inserted += [row for row in batch if (row.pilot_id, row.source_id) in new]
    return inserted


def _record_values(row: TaskRow, origin: str) -> dict:
    """The record's columns, by name."""
    return {
        "pilot_id": row.pilot_id,
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
def day_defaults() -> tuple[dict, tuple[str, ...]]:
    columns = [column for column in TaskDay._meta.concrete_fields if not column.primary_key]
    counters = tuple(column.column for column in columns if isinstance(column, JSONField))
    return {column.column: column.get_default() for column in columns}, counters


def _fresh_day() -> dict:
    """A TaskDay's columns at their defaults (a new, empty object for each JSON counter)."""
    defaults, counters = day_defaults()
    day = dict(defaults)
    for counter in counters:
        day[counter] = {}
    return day


def _day_totals(rows: list[TaskRow]) -> tuple[list[dict], list[dict]]:
    """The new records summed per rollup key: what they add to each day, as TaskDay columns, and
    who used the pilot on each day, as TaskUserDay columns (plain dicts: a batch makes a thousand
    of them)."""
    days: dict[tuple, dict] = {}
    users: dict[tuple, dict] = {}
    for row in rows:
        day = row.day
        key = (row.pilot_id, day, row.task_type, row.team, row.model_served)
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
            reason = row.handoff_reason or NO_REASON
            reasons[reason] = reasons.get(reason, 0) + 1
        if row.user:
            user_key = (row.pilot_id, day, row.team, row.user)
            if user_key not in users:
                users[user_key] = {
                    "pilot_id": key[0],
                    "day": day,
                    "team": row.team,
                    "user_ref": row.user,
                }
    return list(days.values()), list(users.values())


def roll_up(rows: list[TaskRow]) -> None:
    """Add the new records to their days: one locked read and one write per table."""
    days, users = _day_totals(rows)
    days = [TaskDay(**columns) for columns in days]
    users = [TaskUserDay(**columns) for columns in users]
    _add_by_reading(TaskDay, days, ("pilot_id", "day", "task_type", "team", "model"), ROLLUP_SUMS)
    TaskUserDay.objects.bulk_create(users, ignore_conflicts=True)  # the days not there yet


def _add_by_reading(model, totals: list, key: tuple[str, ...], sums: list[str]) -> None:
    """Read the days locked, add, write."""
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
