"""The PostgreSQL path of an ingest: the checked rows go in by COPY, and one statement makes the
records and adds them to the daily rollups.

Rows are COPYed (binary) into a temporary table of the connection (made once per connection,
emptied at every commit), the fastest way into PostgreSQL. One statement then inserts the task
records a pilot does not have yet (a retry inserts nothing), and from exactly those sums the
daily rollup (pilot, day, task type, team, model) — counts, tokens, cost, the latency histogram
and the handoff reasons — adding to stored rows without reading them, and adds who used the
pilot on the day where not there yet. The statement answers which records were not new (a
retry's), usually none.

The records and the users of a day have no foreign key to the pilot in the database (it checked
the pilot once per row): the statement locks the batch's pilots as the key would (FOR KEY SHARE,
so a pilot cannot be deleted before the batch commits, while it can still be paused), once per
pilot, and a pilot gone meanwhile gets none of its records stored (migration 0005).

Rows are written in key order (the statement sorts them), so two batches touching the same
rollups lock them in the same order and wait for each other instead of deadlocking. The day and
the latency bucket of each row come from Python (`TaskRow.day`, `latency.bucket`), so both paths
count a task on the same day and in the same bucket as the portable path (SQLite under
`make run`).
"""

from django.db import connection, models

from pilots.models import Pilot

from .. import latency
from ..models import TaskDay, TaskRecord, TaskUserDay
from . import bulk_sql
from .rows import NO_REASON, RECORD_COLUMNS, RECORD_FIELDS, TaskRow

STAGE = "pilotdeck_task_stage"
KEY = ("pilot_id", "source_id", "started_at")
DAY_KEY = ("pilot_id", "day", "task_type", "team", "model_served")

# TaskDay's sums, from the new records of one (pilot, day, task type, team, model).
DAY_SUMS = {
    "tasks": "count(*)",
    "completed": "count(*) FILTER (WHERE outcome = 'completed')",
    "handed_off": "count(*) FILTER (WHERE outcome = 'handed_off')",
    "failed": "count(*) FILTER (WHERE outcome = 'failed')",
    "skipped": "count(*) FILTER (WHERE outcome = 'skipped')",
    "input_tokens": "sum(input_tokens)",
    "output_tokens": "sum(output_tokens)",
    "api_cost": "sum(api_cost)",
    "latency_ms_total": "sum(latency_ms)",
    "people_seconds": "COALESCE(sum(people_seconds), 0)",
}
DAY_COUNTERS = ("latency_buckets", "handoff_reasons")  # JSON {key: count} columns


def _stage_ddl() -> str:
    """The connection's stage (the first time), empty (a savepoint may have used it before).
    Its text sorts and groups bytewise ("C"): the statement's order only has to be the same for
    every batch, and a linguistic comparison costs several times more."""
    columns = ", ".join(
        f'{field.column} COLLATE "C" AS {field.column}'
        if isinstance(field, models.CharField)
        else field.column
        for field in RECORD_FIELDS
    )
    return (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ON COMMIT DELETE ROWS AS "
        f'SELECT {columns}, NULL::date AS day, NULL::text COLLATE "C" AS bucket '
        f"FROM {TaskRecord._meta.db_table} WITH NO DATA; DELETE FROM {STAGE}"
    )


STAGE_TYPES = [bulk_sql.copy_type(field) for field in RECORD_FIELDS] + ["date", "text"]


def _stage(rows: list[TaskRow], origin: str) -> None:
    bucket = latency.bucket
    with connection.cursor() as cursor:
        cursor.execute(_stage_ddl())
        bulk_sql.copy_rows(
            cursor,
            STAGE,
            [*RECORD_COLUMNS, "day", "bucket"],
            STAGE_TYPES,
            (
                (
                    row.pilot_id,
                    origin,
                    row.source_id,
                    row.started_at,
                    row.ended_at,
                    row.user,
                    row.team,
                    row.task_type,
                    row.model_requested,
                    row.model_served,
                    row.prompt_version,
                    row.input_tokens,
                    row.output_tokens,
                    row.api_cost,
                    row.latency_ms,
                    row.outcome,
                    row.handoff_reason,
                    row.trace_url,
                    None,  # picked_up_at: the receiving tool reports it later
                    row.people_seconds,
                    row.day,
                    bucket(row.latency_ms),
                )
                for row in rows
            ),
        )


def _counts(label: str, where: str) -> str:
    """A {label: count} object of one rollup key's new records (those `where` holds): built
    directly when they all share one label, which is nearly always (a key gets one or two
    records a batch); counted from their list of labels otherwise."""
    return (
        f"CASE WHEN count(*) FILTER (WHERE {where}) = 0 THEN '{{}}'::jsonb "
        f"WHEN min({label}) = max({label}) "
        f"THEN jsonb_build_object(min({label}), count(*) FILTER (WHERE {where})) "
        f"ELSE (SELECT jsonb_object_agg(one, n) FROM (SELECT one, count(*) AS n "
        f"FROM unnest(array_agg({label}) FILTER (WHERE {where})) AS one GROUP BY one) AS c) END"
    )


def _day_totals_sql() -> str:
    """The new records summed per rollup key, in one pass, with the latency histogram and the
    handoff reasons as {key: count} objects."""
    key = ", ".join(DAY_KEY)
    sums = ", ".join(f"{expression} AS {column}" for column, expression in DAY_SUMS.items())
    return (
        f"SELECT {key}, {sums}, {_counts('bucket', 'true')} AS latency_buckets, "
        f"{_counts('reason', 'reason IS NOT NULL')} AS handoff_reasons "
        f"FROM (SELECT *, CASE WHEN outcome = 'handed_off' THEN COALESCE(NULLIF(handoff_reason, "
        f"''), '{NO_REASON}') END AS reason FROM fresh) AS f GROUP BY {key}"
    )


def _days_sql(defaults: dict) -> tuple[str, list]:
    """INSERT … ON CONFLICT of TaskDay from `fresh`, and its parameters (the defaults of the
    columns a new record does not touch: the pick-up figures)."""
    quote = connection.ops.quote_name
    fields = [field for field in TaskDay._meta.concrete_fields if not field.primary_key]
    select, params = [], []
    for field in fields:
        column = field.column
        if column == "model":
            select.append("model_served")
        elif column in ("pilot_id", "day", "task_type", "team", *DAY_SUMS, *DAY_COUNTERS):
            select.append(column)
        else:
            select.append("%s")
            params.append(bulk_sql.prepared(field, defaults[column]))
    columns = ", ".join(quote(field.column) for field in fields)
    add = bulk_sql.adding(TaskDay, [*DAY_SUMS, *DAY_COUNTERS], number_keys=("latency_buckets",))
    return (
        f"INSERT INTO {TaskDay._meta.db_table} AS t ({columns}) "
        f"SELECT {', '.join(select)} FROM ({_day_totals_sql()}) AS totals "
        f"ORDER BY {', '.join(DAY_KEY)} "
        f"ON CONFLICT (pilot_id, day, task_type, team, model) DO UPDATE SET {add}",
        params,
    )


def insert_and_roll_up(rows: list[TaskRow], origin: str, day_defaults: dict) -> set[tuple]:
    """Store the new records of `rows` with their rollups; answer the (pilot id, source id) of
    those not stored (already there, or their pilot gone): usually none, so nothing comes back."""
    _stage(rows, origin)
    record_columns = ", ".join(RECORD_COLUMNS)
    days, params = _days_sql(day_defaults)
    users = TaskUserDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH pilots AS (SELECT id FROM {Pilot._meta.db_table} "
            f"WHERE id IN (SELECT pilot_id FROM {STAGE}) FOR KEY SHARE), "
            f"new AS (INSERT INTO {TaskRecord._meta.db_table} ({record_columns}) "
            f"SELECT {record_columns} FROM {STAGE} WHERE pilot_id IN (SELECT id FROM pilots) "
            f"ORDER BY {', '.join(KEY)} "
            f"ON CONFLICT ({', '.join(KEY)}) DO NOTHING RETURNING {', '.join(KEY)}), "
            f"fresh AS (SELECT s.* FROM {STAGE} AS s JOIN new USING ({', '.join(KEY)})), "
            f"days AS ({days}), "
            f"users AS (INSERT INTO {users} (pilot_id, day, team, user_ref) "
            "SELECT DISTINCT pilot_id, day, team, user_ref FROM fresh WHERE user_ref <> '' "
            "ORDER BY pilot_id, day, team, user_ref ON CONFLICT DO NOTHING) "
            f"SELECT pilot_id, source_id FROM {STAGE} AS s WHERE NOT EXISTS (SELECT FROM new "
            f"WHERE (new.pilot_id, new.source_id, new.started_at) = (s.pilot_id, s.source_id, "
            "s.started_at))",
            params,
        )
        return set(cursor.fetchall())
