"""The hand-written SQL each figure is compared with, run through the same connection.

Each baseline computes the same facts as the app's code path, the way someone writing SQL by hand
for one purpose would: no ORM, no objects, only the columns needed.
"""

from datetime import date, timedelta

import orjson
from django.db import connection

from costs.figures import month_so_far, months_back, week_of

ACTIVE = ("piloting", "expanding", "scaled")


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- 1. One page of the ledger ----------------------------------------------------------------

# The page and, as the API answers too, how many entries there are in all (one statement).
LEDGER_PAGE = """
SELECT id, pilot_id, date, category, task_type, amount, hours, hourly_rate, note, source,
       idempotency_key, created_by_id, created_at, updated_at, COUNT(*) OVER () AS total
FROM costs_costentry
WHERE pilot_id = %s AND date >= %s AND date <= %s
ORDER BY date DESC, id DESC
LIMIT %s
"""
LEDGER_FIELDS = (
    "id",
    "pilot",
    "date",
    "category",
    "task_type",
    "amount",
    "hours",
    "hourly_rate",
    "note",
    "source",
    "idempotency_key",
    "created_by",
    "created_at",
    "updated_at",
)


def ledger_page(pilot_id: int, start: date, end: date, size: int = 100) -> bytes:
    """The count and the rows as JSON, decimals as strings (as the API sends them)."""
    rows = _fetch(LEDGER_PAGE, [pilot_id, start, end, size])
    results = [
        {
            **dict(zip(LEDGER_FIELDS, row[:-1], strict=True)),
            "amount": str(row[5]),
            "hours": None if row[6] is None else str(row[6]),
            "hourly_rate": None if row[7] is None else str(row[7]),
        }
        for row in rows
    ]
    return orjson.dumps({"count": rows[0][-1] if rows else 0, "results": results})


# --- 2. The finance dashboard's figures, over the raw ledger -------------------------------------

DASHBOARD_ROWS = """
WITH spend AS (
    SELECT pilot_id,
           SUM(amount) FILTER (WHERE date >= %(month_start)s) AS month_total,
           SUM(amount) FILTER (WHERE date >= %(month_start)s AND category = 'model_api') AS month_api,
           SUM(amount) FILTER (WHERE date >= %(week_start)s) AS week_total,
           SUM(amount) FILTER (WHERE date >= %(week_start)s AND category = 'model_api') AS week_api
    FROM costs_costentry
    WHERE date >= LEAST(%(month_start)s, %(week_start)s)::date AND date <= %(month_end)s
    GROUP BY pilot_id
), tasks AS (
    SELECT pilot_id,
           SUM(completed) FILTER (WHERE date >= %(month_start)s) AS month_tasks,
           SUM(completed) FILTER (WHERE date >= %(week_start)s) AS week_tasks
    FROM costs_taskvolume
    WHERE date >= LEAST(%(month_start)s, %(week_start)s)::date AND date <= %(month_end)s
    GROUP BY pilot_id
), traffic AS (
    SELECT pilot_id,
           SUM(api_cost) FILTER (WHERE day >= %(month_start)s) AS month_api,
           SUM(completed) FILTER (WHERE day >= %(month_start)s) AS month_tasks,
           SUM(api_cost) FILTER (WHERE day >= %(week_start)s) AS week_api,
           SUM(completed) FILTER (WHERE day >= %(week_start)s) AS week_tasks
    FROM traffic_taskday
    WHERE day >= LEAST(%(month_start)s, %(week_start)s)::date AND day <= %(month_end)s
    GROUP BY pilot_id
), figures AS (
    SELECT p.id, p.name, p.status, p.team_id, p.monthly_cap, p.cost_per_task_limit,
           COALESCE(s.month_total, 0) + COALESCE(r.month_api, 0) AS month_total,
           COALESCE(s.month_api, 0) + COALESCE(r.month_api, 0) AS month_api,
           COALESCE(k.month_tasks, 0) + COALESCE(r.month_tasks, 0) AS month_tasks,
           COALESCE(s.week_total, 0) + COALESCE(r.week_api, 0) AS week_total,
           COALESCE(s.week_api, 0) + COALESCE(r.week_api, 0) AS week_api,
           COALESCE(k.week_tasks, 0) + COALESCE(r.week_tasks, 0) AS week_tasks
    FROM pilots_pilot p
    LEFT JOIN spend s ON s.pilot_id = p.id
    LEFT JOIN tasks k ON k.pilot_id = p.id
    LEFT JOIN traffic r ON r.pilot_id = p.id
)
SELECT f.id, f.name, t.name, f.status, f.monthly_cap, f.cost_per_task_limit,
       f.month_total, f.month_api, f.month_tasks, f.week_total, f.week_api, f.week_tasks,
       ROUND(f.month_total / NULLIF(f.month_tasks, 0), 4) AS full_per_task,
       ROUND(f.month_api / NULLIF(f.month_tasks, 0), 4) AS api_per_task,
       ROUND(100 * f.month_total / f.monthly_cap, 1) AS percent_of_cap
FROM figures f
LEFT JOIN pilots_team t ON t.id = f.team_id
ORDER BY f.name, f.id
"""
# A connected pilot's model spend comes from its traffic's daily rollup (its task records are kept
# for the retention period only); the generated traffic reports no people time.
DASHBOARD_TREND = """
SELECT month, category, SUM(amount)
FROM (
    SELECT date_trunc('month', date)::date AS month, category, amount
    FROM costs_costentry WHERE date >= %(start)s AND date <= %(end)s
    UNION ALL
    SELECT date_trunc('month', day)::date, 'model_api', api_cost
    FROM traffic_taskday WHERE day >= %(start)s AND day <= %(end)s
) AS spent
GROUP BY 1, 2
ORDER BY 1, 2
"""


def dashboard_periods(month: date, today: date, trend_months: int) -> dict:
    period = month_so_far(month, today)
    week = week_of(period.end)
    months = months_back(month, trend_months)
    return {
        "month_start": period.start,
        "month_end": period.end,
        "week_start": week.start,
        "week_end": min(week.end, today),
        "trend_start": months[0],
        "trend_end": period.end,
    }


def dashboard(month: date, today: date, trend_months: int) -> tuple[list[tuple], list[tuple]]:
    """Every pilot's month and week against its cap, and spend per month and category."""
    periods = dashboard_periods(month, today, trend_months)
    rows = _fetch(DASHBOARD_ROWS, periods)
    trend = _fetch(DASHBOARD_TREND, {"start": periods["trend_start"], "end": periods["trend_end"]})
    return rows, trend


# --- 4. The stop-rule sweep's facts, for every active pilot, in one statement --------------------

SWEEP_FACTS = """
WITH p AS (
    SELECT id, name, status, status_since, monthly_cap, alert_thresholds, cost_per_task_limit,
           review_cadence, fallback_action, override_cases, expansion_metric, expansion_threshold,
           expansion_weeks, savings_stop_minutes, average_daily_volume, prompt_version,
           model_version
    FROM pilots_pilot WHERE status IN ('piloting', 'expanding', 'scaled')
), first_version AS (
    SELECT DISTINCT ON (h.id) h.id AS pilot_id, h.prompt_version, h.model_version
    FROM pilots_historicalpilot h JOIN p ON p.id = h.id
    ORDER BY h.id, h.history_date, h.history_id
), spend AS (
    SELECT pilot_id,
           SUM(total) FILTER (WHERE day >= %(month_start)s) AS month_total,
           SUM(total) FILTER (WHERE day >= %(month_start)s AND category = 'model_api') AS month_api,
           SUM(total) FILTER (WHERE day BETWEEN %(week_start)s AND %(week_end)s) AS week_total,
           SUM(total) FILTER (WHERE day BETWEEN %(week_start)s AND %(week_end)s
                              AND category = 'model_api') AS week_api
    FROM costs_dailycost
    WHERE (day BETWEEN %(month_start)s AND %(today)s) OR (day BETWEEN %(week_start)s AND %(week_end)s)
    GROUP BY pilot_id
), tasks AS (
    SELECT pilot_id,
           SUM(completed) FILTER (WHERE date >= %(month_start)s) AS month_tasks,
           SUM(completed) FILTER (WHERE date BETWEEN %(week_start)s AND %(week_end)s) AS week_tasks
    FROM costs_taskvolume
    WHERE (date BETWEEN %(month_start)s AND %(today)s) OR (date BETWEEN %(week_start)s AND %(week_end)s)
    GROUP BY pilot_id
), traffic AS (
    SELECT pilot_id,
           SUM(api_cost) FILTER (WHERE day >= %(month_start)s) AS month_api,
           SUM(completed) FILTER (WHERE day >= %(month_start)s) AS month_tasks,
           SUM(api_cost) FILTER (WHERE day BETWEEN %(week_start)s AND %(week_end)s) AS week_api,
           SUM(completed) FILTER (WHERE day BETWEEN %(week_start)s AND %(week_end)s) AS week_tasks
    FROM traffic_taskday
    WHERE (day BETWEEN %(month_start)s AND %(today)s) OR (day BETWEEN %(week_start)s AND %(week_end)s)
    GROUP BY pilot_id
), reviewer AS (
    SELECT pilot_id, json_agg(json_build_array(week, total) ORDER BY week) AS weeks
    FROM (SELECT pilot_id, date_trunc('week', day)::date AS week, SUM(total) AS total
          FROM costs_dailycost
          WHERE category = 'reviewer_time' AND day >= %(reviewer_since)s
          GROUP BY 1, 2) r
    GROUP BY pilot_id
), sample_figures AS (
    SELECT week_id,
           COUNT(*) AS samples,
           COUNT(*) FILTER (WHERE NOT (accuracy_ok AND tone_ok AND completeness_ok)) AS failing,
           COUNT(*) FILTER (WHERE outcome IN ('minor_edit', 'major_rewrite')) AS corrected,
           COUNT(*) FILTER (WHERE complaint) AS complaints,
           COUNT(*) FILTER (WHERE should_have_gone_to_human) AS to_human,
           AVG(manual_minutes - minutes_with_ai) AS saved,
           COUNT(DISTINCT produced_on) AS days,
           COUNT(DISTINCT lower(produced_by)) AS users,
           COUNT(*) FILTER (WHERE "case" = 'messy') AS messy
    FROM reviews_sample
    WHERE week_id IN (SELECT id FROM reviews_reviewweek WHERE week_start >= %(trend_since)s)
    GROUP BY week_id
), review_weeks AS (
    SELECT w.pilot_id,
           json_agg(json_build_array(w.week_start, w.status, f.samples, f.failing, f.corrected,
                                     f.complaints, f.to_human, f.saved, f.days, f.users, f.messy)
                    ORDER BY w.week_start) AS weeks
    FROM reviews_reviewweek w LEFT JOIN sample_figures f ON f.week_id = w.id
    WHERE w.week_start >= %(trend_since)s
    GROUP BY w.pilot_id
), roles AS (
    SELECT pilot_id,
           4 - COUNT(*) FILTER (WHERE primary_id IS NOT NULL AND backup_id IS NOT NULL) AS gaps,
           MAX(primary_id) FILTER (WHERE kind = 'reviewer') AS reviewer_id,
           MAX(primary_id) FILTER (WHERE kind = 'stop_authority') AS stopper_id
    FROM pilots_pilotrole
    WHERE kind IN ('business_owner', 'technical_owner', 'reviewer', 'stop_authority')
    GROUP BY pilot_id
), rights AS (
    SELECT pilot_id,
           8 - COUNT(*) FILTER (WHERE owner_id IS NOT NULL AND backup_id IS NOT NULL) AS gaps,
           MAX(owner_id) FILTER (WHERE kind = 'prompt_changes') AS prompt_owner_id
    FROM governance_decisionright GROUP BY pilot_id
), errors AS (
    SELECT pilot_id,
           array_agg(id) FILTER (WHERE severity = 'stop_now') AS stop_now,
           array_agg(id) FILTER (WHERE repeat_of_id IS NOT NULL
                                 AND severity IN ('medium', 'stop_now')) AS serious,
           COUNT(*) FILTER (WHERE fix_kind = '' AND occurred_on < %(week_ago)s) AS unfixed
    FROM reviews_errorentry
    WHERE status = 'open'
      AND (severity = 'stop_now' OR (repeat_of_id IS NOT NULL AND severity IN ('medium', 'stop_now'))
           OR (fix_kind = '' AND occurred_on < %(week_ago)s))
    GROUP BY pilot_id
), closed AS (
    SELECT pilot_id, MAX(closed_at) AS last_closed,
           MAX(closed_at) FILTER (WHERE notes <> '') AS last_noted
    FROM reviews_reviewweek WHERE status = 'closed' GROUP BY pilot_id
), changes AS (
    SELECT pilot_id,
           COUNT(*) FILTER (WHERE live_at::date BETWEEN %(week_start)s AND %(week_end)s) AS live,
           array_agg(DISTINCT new_value) FILTER (WHERE kind = 'prompt' AND new_value <> '') AS prompts,
           array_agg(DISTINCT new_value) FILTER (WHERE kind = 'model' AND new_value <> '') AS models
    FROM governance_change WHERE status IN ('live', 'closed') GROUP BY pilot_id
)
SELECT p.id, p.name, p.status, p.status_since, p.monthly_cap, p.alert_thresholds,
       p.cost_per_task_limit, p.review_cadence, p.fallback_action, p.override_cases,
       p.expansion_metric, p.expansion_threshold, p.expansion_weeks, p.savings_stop_minutes,
       p.average_daily_volume, p.prompt_version, p.model_version,
       fv.prompt_version, fv.model_version,
       rs.review_grace_days, rs.rising_weeks, rs.max_live_changes_per_week, rs.disabled_rules,
       COALESCE(s.month_total, 0) + COALESCE(tr.month_api, 0),
       COALESCE(s.month_api, 0) + COALESCE(tr.month_api, 0),
       COALESCE(t.month_tasks, 0) + COALESCE(tr.month_tasks, 0),
       COALESCE(s.week_total, 0) + COALESCE(tr.week_api, 0),
       COALESCE(s.week_api, 0) + COALESCE(tr.week_api, 0),
       COALESCE(t.week_tasks, 0) + COALESCE(tr.week_tasks, 0),
       r.weeks, w.weeks,
       COALESCE(ro.gaps, 4) + COALESCE(ri.gaps, 8) AS gaps,
       CASE WHEN ri.prompt_owner_id = ro.reviewer_id AND ro.reviewer_id = ro.stopper_id
            THEN COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username)
       END AS single_person,
       COALESCE(e.stop_now, '{}'), COALESCE(e.serious, '{}'), COALESCE(e.unfixed, 0),
       c.last_closed, c.last_noted,
       COALESCE(ch.live, 0), ch.prompts, ch.models
FROM p
LEFT JOIN first_version fv ON fv.pilot_id = p.id
LEFT JOIN governance_rulesettings rs ON rs.pilot_id = p.id
LEFT JOIN spend s ON s.pilot_id = p.id
LEFT JOIN tasks t ON t.pilot_id = p.id
LEFT JOIN traffic tr ON tr.pilot_id = p.id
LEFT JOIN reviewer r ON r.pilot_id = p.id
LEFT JOIN review_weeks w ON w.pilot_id = p.id
LEFT JOIN roles ro ON ro.pilot_id = p.id
LEFT JOIN rights ri ON ri.pilot_id = p.id
LEFT JOIN auth_user u ON u.id = ro.reviewer_id
LEFT JOIN errors e ON e.pilot_id = p.id
LEFT JOIN closed c ON c.pilot_id = p.id
LEFT JOIN changes ch ON ch.pilot_id = p.id
ORDER BY p.id
"""
# Positions in a SWEEP_FACTS row that the check compares with the app's facts.
SWEEP_COLUMNS = {
    "id": 0,
    "month_total": 23,
    "week_total": 26,
    "week_tasks": 28,
    "gaps": 31,
    "stop_now": 33,
    "serious": 34,
    "last_closed": 36,
}


def sweep_periods(today: date) -> dict:
    this_monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    trend_since = this_monday - timedelta(weeks=13)
    return {
        "today": today,
        "month_start": month_start,
        "week_start": this_monday - timedelta(days=7),
        "week_end": this_monday - timedelta(days=1),
        "week_ago": today - timedelta(days=7),
        "trend_since": trend_since,
        "reviewer_since": min(trend_since, month_start),
    }


def sweep_facts(today: date) -> list[tuple]:
    return _fetch(SWEEP_FACTS, sweep_periods(today))
