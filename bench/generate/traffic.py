"""Task records (issue 12): millions of rows made by PostgreSQL itself, with their daily rollups.

Every record is one INSERT … SELECT over generate_series into the month-partitioned table (the
partitions made first, as ingest makes them): nothing crosses the wire but the statement, which
is faster than COPY of Python-made lines. Every live pilot with spend is connected: pilots get
records in proportion to their ledger (the busy pilots are busy here too), on the days they were
live within the retention period; the rollups (`TaskDay`, `TaskUserDay`) are made from the records
with one aggregate each, as ingest would have kept them.
"""

import math
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from traffic.latency import GROWTH
from traffic.models import TaskDay, TaskRecord, TaskUserDay
from traffic.partitions import ensure_partitions

from .copy import _default
from .plan import ACTIVE, PilotPlan

DAYS = 60  # within the default 90-day retention
PICKS = 20_000  # the length of the weighted pilot array a row's pilot is drawn from
PEOPLE = 40  # people using one pilot (each in one of 11 teams), out of 6,000
TASK_TYPES = ("refund question", "shipping update", "password reset", "order change")
HANDOFF_REASONS = ("customer asked for a person", "low confidence", "policy exception")

RECORDS = """
INSERT INTO traffic_taskrecord (
    pilot_id, origin, source_id, started_at, ended_at, user_ref, team, task_type,
    model_requested, model_served, prompt_version, input_tokens, output_tokens, api_cost,
    latency_ms, outcome, handoff_reason, trace_url, picked_up_at, people_seconds{rest_columns}
)
SELECT pilot_id, 'litellm', 'gen-' || g, started, started + latency_ms * interval '1 ms',
       'user' || person || '@example.com', 'team ' || (person %% 11),
       (%(task_types)s::text[])[1 + g %% 4], 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18',
       'v' || (1 + g %% 3), input_tokens, output_tokens,
       round((input_tokens * 0.15 + output_tokens * 0.6) / 1000000.0, 6), latency_ms,
       CASE WHEN g %% 50 = 0 THEN 'failed' WHEN g %% 9 = 0 THEN 'handed_off' ELSE 'completed' END,
       CASE WHEN g %% 50 <> 0 AND g %% 9 = 0 THEN (%(reasons)s::text[])[1 + g %% 3] ELSE '' END,
       '', NULL, NULL{rest_values}
FROM (
    SELECT g, pilot_id, (pilot_id * 37 + (g * 7) %% %(people)s) %% 6000 AS person,
           %(end)s::timestamptz - (1 + g %% live_days) * interval '1 day'
               + ((g * 104729) %% 86000) * interval '1 s' AS started,
           200 + (g * 31) %% 1800 AS input_tokens,
           50 + (g * 17) %% 600 AS output_tokens,
           (300 + exp(((g * 13) %% 1000) / 1000.0 * 3) * 250)::int AS latency_ms
    FROM (
        SELECT g, (%(pilots)s::bigint[])[pick] AS pilot_id, (%(live)s::int[])[pick] AS live_days
        FROM (SELECT g, 1 + (g * 7919) %% %(picks)s AS pick
              FROM generate_series(1::bigint, %(count)s) AS g) AS drawn
    ) AS picked
) AS made
"""

# One pass of hash aggregates, no joins: the day's figures per latency bucket and the handed-off
# tasks per reason, united, then folded into one row per rollup key (joining the three groupings
# on five columns instead made the planner nest loops over unanalysed CTEs: a minute at 50,000).
TASK_DAYS = """
INSERT INTO traffic_taskday (
    pilot_id, day, task_type, team, model, tasks, completed, handed_off, failed, skipped,
    input_tokens, output_tokens, api_cost, latency_ms_total, latency_buckets, handoff_reasons,
    people_seconds{rest_columns}
)
WITH keyed AS (
    SELECT pilot_id, (started_at AT TIME ZONE %(tz)s)::date AS day, task_type, team,
           model_served AS model, outcome, handoff_reason, input_tokens, output_tokens, api_cost,
           latency_ms,
           CASE WHEN latency_ms < 1 THEN 0
                ELSE floor(ln(latency_ms) / ln(%(growth)s))::int + 1 END AS bucket
    FROM traffic_taskrecord
), parts AS (
    SELECT pilot_id, day, task_type, team, model, 'bucket' AS part, bucket::text AS label,
           count(*) AS n,
           count(*) FILTER (WHERE outcome = 'completed') AS completed,
           count(*) FILTER (WHERE outcome = 'handed_off') AS handed_off,
           count(*) FILTER (WHERE outcome = 'failed') AS failed,
           count(*) FILTER (WHERE outcome = 'skipped') AS skipped,
           sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
           sum(api_cost) AS api_cost, sum(latency_ms) AS latency_ms_total
    FROM keyed GROUP BY 1, 2, 3, 4, 5, 7
    UNION ALL
    SELECT pilot_id, day, task_type, team, model, 'reason', handoff_reason, count(*),
           0, 0, 0, 0, 0, 0, 0, 0
    FROM keyed WHERE outcome = 'handed_off' GROUP BY 1, 2, 3, 4, 5, 7
)
SELECT pilot_id, day, task_type, team, model,
       sum(n) FILTER (WHERE part = 'bucket'), sum(completed), sum(handed_off), sum(failed),
       sum(skipped), sum(input_tokens), sum(output_tokens), sum(api_cost), sum(latency_ms_total),
       jsonb_object_agg(label, n) FILTER (WHERE part = 'bucket'),
       COALESCE(jsonb_object_agg(label, n) FILTER (WHERE part = 'reason'), '{{}}'::jsonb),
       0{rest_values}
FROM parts
GROUP BY 1, 2, 3, 4, 5
"""

USER_DAYS = """
INSERT INTO traffic_taskuserday (pilot_id, day, team, user_ref{rest_columns})
SELECT pilot_id, (started_at AT TIME ZONE %(tz)s)::date, team, user_ref{rest_values}
FROM traffic_taskrecord WHERE user_ref <> '' GROUP BY 1, 2, 3, 4
"""


def _statement(sql: str, model, params: dict) -> tuple[str, dict]:
    """`sql` with the model's columns it does not name set to their fields' defaults, so a field
    added to the model later needs no change here (bench/generate/copy.py does the same)."""
    head = sql.split(")", 1)[0]
    now = timezone.now()
    rest = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not re.search(rf"\b{field.column}\b", head)
    ]
    values = {
        f"rest_{index}": field.get_db_prep_value(_default(field, now), connection)
        for index, field in enumerate(rest)
    }
    filled = sql.format(
        rest_columns="".join(", " + connection.ops.quote_name(field.column) for field in rest),
        rest_values="".join(f", %({name})s" for name in values),
    )
    return filled, {**params, **values}


def weighted_pilots(plans: list[PilotPlan], today) -> tuple[list[int], list[int]]:
    """Pilot ids, each repeated by its share of the ledger, with the days (up to DAYS) it has
    been live before today: every live pilot with spend is connected, and no record falls on a
    day before its pilot started."""
    live = [
        plan
        for plan in plans
        if plan.status in ACTIVE and plan.started and plan.entries and _live_days(plan, today)
    ]
    if not live:
        live = [max(plans, key=lambda plan: plan.entries)]
    total = sum(plan.entries for plan in live)
    picks, days = [], []
    for plan in live:
        share = max(1, math.floor(PICKS * plan.entries / total))
        picks += [plan.id] * share
        days += [max(1, _live_days(plan, today))] * share
    return picks, days


def _live_days(plan: PilotPlan, today) -> int:
    """Whole days between the pilot's start and today, a day kept clear for time zones."""
    return min(DAYS, (today - plan.started).days - 1) if plan.started else 0


def load_task_records(cursor, plans: list[PilotPlan], *, today, count: int) -> dict[str, int]:
    end = datetime(today.year, today.month, today.day, tzinfo=UTC)
    ensure_partitions([end - timedelta(days=days) for days in range(DAYS + 2)])
    picks, live_days = weighted_pilots(plans, today)
    cursor.execute(
        *_statement(
            RECORDS,
            TaskRecord,
            {
                "pilots": picks,
                "live": live_days,
                "people": PEOPLE,
                "picks": len(picks),
                "end": end,
                "count": count,
                "task_types": list(TASK_TYPES),
                "reasons": list(HANDOFF_REASONS),
            },
        )
    )
    records = cursor.rowcount
    cursor.execute(*_statement(TASK_DAYS, TaskDay, {"tz": settings.TIME_ZONE, "growth": GROWTH}))
    days = cursor.rowcount
    cursor.execute(*_statement(USER_DAYS, TaskUserDay, {"tz": settings.TIME_ZONE}))
    return {"task records": records, "task rollup days": days, "task user days": cursor.rowcount}
