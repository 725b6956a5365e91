"""The cost ledger (COPY), its rollups (the app's own `rollup_rebuild`: INSERT … SELECT … GROUP BY),
completed-task volumes, and caps and limits calibrated to what each pilot really spends."""

import random
from datetime import UTC, date, datetime, time, timedelta

from costs.models import ALL_TASKS, Category, CostEntry, DailyCost, Source, TaskVolume
from costs.services import rollup_rebuild
from pilots.models import Pilot

from .copy import copy_rows, deferred_indexes
from .plan import ACTIVE, PilotPlan

# 100 slots: picking one at random gives the category mix of a real ledger.
CATEGORY_SLOTS = [
    category.value
    for category, slots in (
        (Category.MODEL_API, 60),
        (Category.REVIEWER_TIME, 16),
        (Category.REWORK, 7),
        (Category.SUPPORT_TIME, 6),
        (Category.ESCALATIONS, 5),
        (Category.TOOL_FEES, 4),
        (Category.OTHER, 2),
    )
    for _ in range(slots)
]
TIMED = {Category.REVIEWER_TIME, Category.REWORK, Category.SUPPORT_TIME}
HOURS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
COLUMNS = [
    "pilot_id",
    "date",
    "category",
    "task_type",
    "amount",
    "hours",
    "hourly_rate",
    "note",
    "source",
    "idempotency_key",
    "created_by_id",
    "created_at",
    "updated_at",
]


def _entries(plans: list[PilotPlan], *, today: date, finance: int, gateway: int, rng):
    """Ledger rows as lines of COPY text, in COLUMNS order (values are known to need no escaping)."""
    stamps: dict[date, str] = {}
    key = 0
    randrange, random_, lognorm, uniform = (
        rng.randrange,
        rng.random,
        rng.lognormvariate,
        rng.uniform,
    )
    for plan in plans:
        if not plan.entries:
            continue
        span, start, types = plan.span(today), plan.started, plan.task_types
        owner, rate = plan.owner, plan.hourly_rate
        for _ in range(plan.entries):
            day = start + timedelta(days=randrange(span))
            stamp = stamps.get(day)
            if stamp is None:
                moment = datetime.combine(day, time(20), tzinfo=UTC)
                stamp = stamps[day] = f"{day}\t{{}}\t{{}}\t{{}}\t{moment}\t{moment}"
            category = CATEGORY_SLOTS[randrange(100)]
            task_type = ALL_TASKS
            if types and category != Category.TOOL_FEES and random_() < 0.9:
                task_type = types[randrange(len(types))]
            if category == Category.MODEL_API:
                key += 1
                amount = max(0.0001, plan.unit_cost * lognorm(0, 0.5))
                rest = f"{amount:.4f}\t\\N\t\\N\t\t{Source.API.value}\tgw-{key}\t{gateway}"
            elif category in TIMED:
                hours = HOURS[randrange(6)]
                rest = f"{hours * rate:.4f}\t{hours}\t{rate}\tTimesheet\t{Source.IMPORT.value}\t\\N\t{finance}"
            else:
                top = 60 if category == Category.ESCALATIONS else 200
                rest = (
                    f"{uniform(5, top):.4f}\t\\N\t\\N\tInvoice\t{Source.MANUAL.value}\t\\N\t{owner}"
                )
            yield f"{plan.id}\t" + stamp.format(category, task_type, rest)


def load_ledger(
    cursor, plans: list[PilotPlan], *, today: date, finance: int, gateway: int, rng: random.Random
) -> dict[str, int]:
    with deferred_indexes(cursor, CostEntry):
        entries = copy_rows(
            cursor,
            CostEntry,
            COLUMNS,
            _entries(plans, today=today, finance=finance, gateway=gateway, rng=rng),
            lines=True,
        )
    with deferred_indexes(cursor, DailyCost):
        rollup = rollup_rebuild()
    with deferred_indexes(cursor, TaskVolume):
        volumes = _load_volumes(cursor, plans, gateway=gateway)
    return {"cost entries": entries, "daily cost rollup": rollup, "task volumes": volumes}


def _load_volumes(cursor, plans: list[PilotPlan], *, gateway: int) -> int:
    """Completed tasks for every pilot-day with costs: per task type where the pilot tracks them."""
    typed = [plan.id for plan in plans if plan.task_types] or [0]
    cursor.execute(
        f"""
        INSERT INTO {TaskVolume._meta.db_table}
            (pilot_id, date, task_type, completed, source, recorded_by_id, created_at, updated_at)
        SELECT d.pilot_id, d.day, d.task_type,
               GREATEST(1, ROUND(p.average_daily_volume * (0.6 + random() * 0.8)
                   / CASE WHEN d.task_type = %s THEN 1 ELSE 2 END))::int,
               %s, %s, d.day + TIME '21:00', d.day + TIME '21:00'
        FROM (SELECT DISTINCT pilot_id, day, task_type FROM {DailyCost._meta.db_table}
              WHERE task_type <> %s OR NOT (pilot_id = ANY(%s))) d
        JOIN {Pilot._meta.db_table} p ON p.id = d.pilot_id
        """,
        [ALL_TASKS, Source.API, gateway, ALL_TASKS, typed],
    )
    return cursor.rowcount


def calibrate_limits(
    cursor, plans: list[PilotPlan], *, today: date, rng: random.Random
) -> tuple[dict[str, int], list[int]]:
    """Caps and cost-per-task limits set from each pilot's own spend, as finance would set them.

    Most pilots sit well inside their cap (1.6–3× their busiest month). A few are planted close to
    it (80–95 % of the cap this month: threshold alerts) or over it (a pause), and a few have a
    setup change nobody logged (prompt drift): the sweep has something to find, as in real life.
    """
    pilot_table, rollup, volumes = (
        Pilot._meta.db_table,
        DailyCost._meta.db_table,
        TaskVolume._meta.db_table,
    )
    cursor.execute(
        f"""
        UPDATE {pilot_table} p SET
            monthly_cap = ROUND(s.busiest * (1.6 + random()::numeric * 1.4) + 100, 0),
            cost_per_task_limit = CASE WHEN random() < 0.85 AND t.tasks > 0
                THEN ROUND(s.total / t.tasks * (3 + random()::numeric * 3), 4) END
        FROM (SELECT pilot_id, SUM(month_total) AS total, MAX(month_total) AS busiest
              FROM (SELECT pilot_id, SUM(total) AS month_total FROM {rollup}
                    GROUP BY pilot_id, date_trunc('month', day)) m
              GROUP BY pilot_id) s
        LEFT JOIN (SELECT pilot_id, SUM(completed) AS tasks FROM {volumes} GROUP BY pilot_id) t
            ON t.pilot_id = s.pilot_id
        WHERE p.id = s.pilot_id
        """
    )
    # Pilots with no spend yet still have a cap on their one page.
    cursor.execute(f"UPDATE {pilot_table} SET monthly_cap = 500 WHERE monthly_cap IS NULL")
    live = [plan.id for plan in plans if plan.status in ACTIVE and plan.id != 1]
    near = [pilot for pilot in live if rng.random() < 0.015]
    over = [pilot for pilot in live if rng.random() < 0.005]
    drift = [pilot for pilot in live if rng.random() < 0.005]
    month_start = today.replace(day=1)
    for pilots, low, high in ((near, 0.80, 0.95), (over, 1.05, 1.3)):
        cursor.execute(
            f"""
            UPDATE {pilot_table} p SET monthly_cap = ROUND(m.spent / (%s + random()::numeric * %s), 2)
            FROM (SELECT pilot_id, SUM(total) AS spent FROM {rollup}
                  WHERE day >= %s AND pilot_id = ANY(%s) GROUP BY pilot_id) m
            WHERE p.id = m.pilot_id AND m.spent > 0
            """,
            [low, high - low, month_start, pilots or [0]],
        )
    planted = {"near cap": len(near), "over cap": len(over), "prompt drift": len(drift)}
    return planted, drift


def set_drift(cursor, pilot_ids: list[int]) -> None:
    """Change the prompt version of a few pilots without a change-log entry (after their history)."""
    if pilot_ids:
        cursor.execute(
            f"UPDATE {Pilot._meta.db_table} SET prompt_version = 'hotfix' WHERE id = ANY(%s)",
            [pilot_ids],
        )
