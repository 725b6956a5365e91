"""The cost figures as plain values: computed from sums the selectors read, no database here.

Kept free of the ORM so the arithmetic can be checked by hand (tests/costs/test_figures.py) and
read by the rule engine. Everything is `Decimal`; a period with spend but no completed tasks has
no cost per task (None, shown as "no completed tasks"), never a division by zero.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from common.money import percent
from pilots.models import Pilot

from .models import ALL_TASKS, SCALING_CATEGORIES, Category

PER_TASK_PLACES = Decimal("0.0001")
ZERO = Decimal("0")
ESTIMATE_DAYS = 30  # "a month" in the estimate, and the window today's volume is measured over
DEFAULT_NEAR_CAP = 80


def per_task(amount: Decimal, tasks: int | Decimal) -> Decimal | None:
    """`amount` ÷ `tasks` to four places, or None when there are no completed tasks."""
    if not tasks:
        return None
    return (Decimal(amount) / Decimal(tasks)).quantize(PER_TASK_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_so_far(month: date, today: date) -> Period:
    """The month of `month`: up to today while it runs, whole once it is over."""
    start = month_start(month)
    return Period(start, min(month_end(month), today) if start <= today else month_end(month))


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) that holds `day`."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def months_back(last: date, count: int) -> list[date]:
    """The first days of `count` months ending with the month of `last`, oldest first."""
    year, month = last.year, last.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


@dataclass
class CostFigures:
    """Spend and completed tasks over one period: the full cost per task next to the API-only one."""

    total: Decimal = ZERO
    api: Decimal = ZERO
    tasks: int = 0

    @property
    def full_per_task(self) -> Decimal | None:
        return per_task(self.total, self.tasks)

    @property
    def api_per_task(self) -> Decimal | None:
        return per_task(self.api, self.tasks)

    @property
    def spend_without_tasks(self) -> bool:
        return self.total > 0 and not self.tasks

    @property
    def times_api(self) -> Decimal | None:
        """Full cost as a multiple of the API-only cost: the headline gap (None if no API spend)."""
        if not self.api or not self.tasks:
            return None
        return (self.total / self.api).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def hidden_per_task(self) -> Decimal | None:
        """What a task costs beyond its model calls: review, rework, support, escalations, tools."""
        if not self.tasks:
            return None
        return self.full_per_task - self.api_per_task


@dataclass
class DayFigures(CostFigures):
    day: date | None = None


def cap_level(spent: Decimal, pilot: Pilot) -> str:
    """'none' (no cap), 'ok', 'near' (past the highest alert threshold under 100 %) or 'over'."""
    share = percent(spent, pilot.monthly_cap)
    if share is None:
        return "none"
    if share >= 100:
        return "over"
    below_cap = [t for t in (pilot.alert_thresholds or []) if isinstance(t, int) and t < 100]
    near = max(below_cap) if below_cap else DEFAULT_NEAR_CAP
    return "near" if share >= near else "ok"


@dataclass
class PilotCosts:
    """One pilot's spend against its cap and its cost per task, this month and this week."""

    pilot: Pilot
    month_period: Period
    week_period: Period
    month: CostFigures = field(default_factory=CostFigures)
    week: CostFigures = field(default_factory=CostFigures)

    @property
    def cap(self) -> Decimal | None:
        return self.pilot.monthly_cap

    @property
    def month_percent(self) -> Decimal | None:
        return percent(self.month.total, self.cap)

    @property
    def week_percent(self) -> Decimal | None:
        return percent(self.week.total, self.cap)

    @property
    def level(self) -> str:
        return cap_level(self.month.total, self.pilot)

    @property
    def week_began_last_month(self) -> bool:
        """This week began before the month: its spend can be more than the month's so far."""
        return self.week_period.start < self.month_period.start

    @property
    def over_task_limit(self) -> bool:
        limit, cost = self.pilot.cost_per_task_limit, self.month.full_per_task
        return limit is not None and cost is not None and cost > limit


# --- The monthly estimate at three volumes -----------------------------------------------------


@dataclass(frozen=True)
class WindowSums:
    """What the last 30 days hold, per (category, task type) and per task type."""

    costs: Mapping[tuple[str, str], tuple[Decimal, Decimal]]  # → (amount, hours)
    tasks: Mapping[str, int]  # task type → completed tasks
    first_day: date | None  # first day with any cost or task in the window
    end: date

    @property
    def span(self) -> int:
        """Days the window really covers: fewer than 30 while records are younger than that."""
        if self.first_day is None:
            return ESTIMATE_DAYS
        return max(1, min(ESTIMATE_DAYS, (self.end - self.first_day).days + 1))

    @property
    def to_month(self) -> Decimal:
        return Decimal(ESTIMATE_DAYS) / Decimal(self.span)


@dataclass
class EstimateRow:
    label: str
    multiplier: Decimal
    tasks: Decimal | None
    scaling: Decimal
    fixed: Decimal
    cap: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.scaling + self.fixed

    @property
    def per_task(self) -> Decimal | None:
        return per_task(self.total, self.tasks) if self.tasks else None

    @property
    def percent_of_cap(self) -> Decimal | None:
        return percent(self.total, self.cap)


@dataclass
class Estimate:
    rows: list[EstimateRow]
    volume_source: str  # "recorded" (task volumes) or "one page" (average daily volume) or ""
    span: int

    @property
    def has_data(self) -> bool:
        return any(row.total for row in self.rows) or any(row.tasks for row in self.rows)


def monthly_tasks(window: WindowSums, pilot: Pilot) -> tuple[Decimal | None, str]:
    recorded = sum(window.tasks.values())
    if window.tasks:
        return Decimal(recorded) * window.to_month, "recorded"
    if pilot.average_daily_volume:
        return Decimal(pilot.average_daily_volume * ESTIMATE_DAYS), "one page"
    return None, ""


def monthly_estimate(window: WindowSums, pilot: Pilot) -> Estimate:
    """Today's month, one more team and a busy month.

    Today's month is the last 30 days (scaled up when records are younger); model/API spend,
    reviewer time, rework, support time and escalations grow with the volume multiplier, tool fees
    and other fixed costs do not.
    """
    scaling = sum(
        (amount for (cat, _), (amount, _) in window.costs.items() if cat in SCALING_CATEGORIES),
        ZERO,
    )
    fixed = sum(
        (amount for (cat, _), (amount, _) in window.costs.items() if cat not in SCALING_CATEGORIES),
        ZERO,
    )
    scaling, fixed = scaling * window.to_month, fixed * window.to_month
    tasks, source = monthly_tasks(window, pilot)
    rows = []
    for label, multiplier in (
        ("Today's volume", Decimal("1")),
        ("One more team", pilot.one_more_team_multiplier),
        ("A busy month", pilot.busy_month_multiplier),
    ):
        rows.append(
            EstimateRow(
                label=label,
                multiplier=multiplier,
                tasks=None
                if tasks is None
                else (tasks * multiplier).quantize(Decimal("1"), ROUND_HALF_UP),
                scaling=(scaling * multiplier).quantize(PER_TASK_PLACES, ROUND_HALF_UP),
                fixed=fixed.quantize(PER_TASK_PLACES, ROUND_HALF_UP),
                cap=pilot.monthly_cap,
            )
        )
    return Estimate(rows=rows, volume_source=source, span=window.span)


@dataclass
class TaskTypeRow:
    """One row of the article's short table: a task type at today's and at a higher volume."""

    task_type: str
    tasks: Decimal  # a month at today's volume
    scaling: Decimal  # a month's cost that grows with volume
    fixed: Decimal
    review_hours: Decimal  # a month of reviewer time at today's volume
    higher: Decimal  # the higher-volume multiplier
    error_rate: Decimal | None

    @property
    def label(self) -> str:
        return "All tasks" if self.task_type == ALL_TASKS else self.task_type.capitalize()

    @property
    def cost_per_task(self) -> Decimal | None:
        return per_task(self.scaling + self.fixed, self.tasks)

    @property
    def cost_per_task_higher(self) -> Decimal | None:
        return per_task(self.scaling * self.higher + self.fixed, self.tasks * self.higher)

    @property
    def tasks_higher(self) -> Decimal:
        return (self.tasks * self.higher).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def review_seconds_per_task(self) -> Decimal | None:
        if not self.tasks or not self.review_hours:
            return None
        return (self.review_hours * 3600 / self.tasks).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def review_hours_today(self) -> Decimal:
        return self.review_hours.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def review_hours_higher(self) -> Decimal:
        return (self.review_hours * self.higher).quantize(Decimal("0.1"), ROUND_HALF_UP)


def task_type_table(
    window: WindowSums, pilot: Pilot, error_rate: Decimal | None
) -> list[TaskTypeRow]:
    """Costs tagged with a task type stay with it; costs for all tasks are shared by task count."""
    higher = max(pilot.one_more_team_multiplier, pilot.busy_month_multiplier)
    tasks_by_type = {
        task_type: Decimal(count) * window.to_month for task_type, count in window.tasks.items()
    }
    if not window.tasks and pilot.average_daily_volume:
        tasks_by_type = {ALL_TASKS: Decimal(pilot.average_daily_volume * ESTIMATE_DAYS)}
    all_tasks = sum(tasks_by_type.values(), ZERO)
    types = set(tasks_by_type) | {
        task_type for _, task_type in window.costs if task_type != ALL_TASKS
    }
    shared_costs = any(task_type == ALL_TASKS for _, task_type in window.costs)
    if shared_costs and not all_tasks:
        types.add(ALL_TASKS)

    def share(task_type: str) -> Decimal:
        if all_tasks:
            return tasks_by_type.get(task_type, ZERO) / all_tasks
        return Decimal("1") if task_type == ALL_TASKS else ZERO

    rows = []
    for task_type in sorted(types, key=lambda t: (t == ALL_TASKS, t)):
        weight = share(task_type)
        scaling = fixed = hours = ZERO
        for (category, cost_type), (amount, cost_hours) in window.costs.items():
            if cost_type == task_type and task_type != ALL_TASKS:
                part = Decimal("1")
            elif cost_type == ALL_TASKS:
                part = weight
            else:
                continue
            if category in SCALING_CATEGORIES:
                scaling += amount * part
            else:
                fixed += amount * part
            if category == Category.REVIEWER_TIME:
                hours += cost_hours * part
        rows.append(
            TaskTypeRow(
                task_type=task_type,
                tasks=tasks_by_type.get(task_type, ZERO).quantize(Decimal("1"), ROUND_HALF_UP),
                scaling=scaling * window.to_month,
                fixed=fixed * window.to_month,
                review_hours=hours * window.to_month,
                higher=higher,
                error_rate=error_rate,
            )
        )
    return rows
