"""Generate the benchmark's data set into the (migrated, empty) database Django is connected to.

    dataset = generate(scale=1.0)

Rows built in Python go in with COPY through Django's connection; derived rows (the daily rollup,
task volumes, history records) with one INSERT … SELECT each. Never the ORM row by row.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from governance.models import Change, DecisionRight, RuleSettings
from pilots.models import Pilot, PilotRole
from reviews.models import ErrorEntry, ReviewWeek

from . import ledger, people, pool, reviews, traffic
from .copy import copy_history
from .plan import ACTIVE, Counts, plan_pilots

__all__ = ["Counts", "Dataset", "generate"]


@dataclass
class Dataset:
    """What was generated, and the people and pilots the measurements use."""

    scale: float
    today: date
    counts: Counts
    rows: dict[str, int]
    planted: dict[str, int]
    seconds: float
    big_pilot: int  # the busiest live pilot: the one page and the ledger list read it
    small_pilot: int  # a quiet live pilot: same query count expected
    owner: int  # business owner of the big pilot
    small_owner: int
    finance: int
    gateway: int  # the LLM gateway's account (finance group): pushes costs by API
    admin: int
    active_pilots: list[int] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per generation step


def generate(*, scale: float = 1.0, seed: int = 8, today: date | None = None) -> Dataset:
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts = Counts.at(scale)
    rows: dict[str, int] = {}
    now = timezone.now()
    steps: dict[str, float] = {}
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        steps[name] = round(time.perf_counter() - mark, 2)
        mark = time.perf_counter()

    with connection.cursor() as cursor:
        # Memory for the loading session's sorts and index builds only; reset before measuring.
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT setseed(%s)", [rng.random() * 2 - 1]
        )  # SQL-side random(), repeatable
        special = people.load_users(cursor, count=counts.users, now=now)
        rows["users"] = counts.users + len(special)
        people.load_teams(cursor, counts.teams)
        rows["teams"] = counts.teams
        plans = plan_pilots(counts, regular_users=range(1, counts.users + 1), today=today, rng=rng)
        people.load_pilots(cursor, plans, today, rng)
        rows["pilots"] = len(plans)
        rows["roles and reviewer-group members"] = people.load_roles(cursor, plans)
        rows["decision rights"] = people.load_decision_rights(cursor, plans, rng)
        rows["rule settings"] = people.load_rule_settings(cursor, plans, rng)
        rows["status changes"] = people.load_status_changes(cursor, plans)
        rows["change log"] = people.load_changes(cursor, plans, today, rng)
        step("people, pilots, ownership, changes")
        rows.update(
            ledger.load_ledger(
                cursor,
                plans,
                today=today,
                finance=special["finance"],
                gateway=special["gateway"],
                rng=rng,
            )
        )
        step("ledger, rollup, volumes")
        planted, drift = ledger.calibrate_limits(cursor, plans, today=today, rng=rng)
        step("caps and limits")
        rows.update(
            reviews.load_reviews(cursor, plans, today=today, samples=counts.samples, rng=rng)
        )
        rows.update(reviews.load_errors(cursor, plans, today=today, errors=counts.errors, rng=rng))
        step("reviews and errors")
        rows.update(traffic.load_task_records(cursor, plans, today=today, count=counts.tasks))
        step("task records and their rollups")
        rows["review pool texts"] = pool.load_pool(cursor, today=today)
        step("review pool")
        history = 0
        # What people made has its '+' record (the one page's history panel reads them); bulk
        # ledger rows, volumes and samples do not, as with the app's own bulk writes by machines.
        for model in (
            Pilot,
            PilotRole,
            DecisionRight,
            Change,
            RuleSettings,
            ReviewWeek,
            ErrorEntry,
        ):
            history += copy_history(cursor, model, where="TRUE", params=[])
        rows["history records"] = history
        ledger.set_drift(cursor, drift)
        step("history")
        _analyze(cursor)
        step("vacuum and analyze")
        cursor.execute("RESET work_mem")
        cursor.execute("RESET maintenance_work_mem")
    # Live with spend and connected (traffic.py: started before yesterday), so the busiest and the
    # quiet pilot show the same panels.
    live = [plan for plan in plans if plan.status in ACTIVE and plan.entries and plan.started]
    live = [plan for plan in live if (today - plan.started).days >= 2] or live
    big = max(live, key=lambda plan: plan.entries)
    small = min(live, key=lambda plan: (plan.entries, plan.id))
    return Dataset(
        scale=scale,
        today=today,
        counts=counts,
        rows=rows,
        planted=planted,
        seconds=time.perf_counter() - started,
        steps=steps,
        big_pilot=big.id,
        small_pilot=small.id,
        owner=big.owner,
        small_owner=small.owner,
        finance=special["finance"],
        gateway=special["gateway"],
        admin=special["admin"],
        active_pilots=[plan.id for plan in plans if plan.status in ACTIVE],
    )


def _analyze(cursor) -> None:
    """Fresh statistics and visibility maps, as autovacuum would leave a long-lived database."""
    if connection.in_atomic_block:
        cursor.execute("ANALYZE")  # inside a test's transaction VACUUM is not allowed
    else:
        cursor.execute("VACUUM ANALYZE")
