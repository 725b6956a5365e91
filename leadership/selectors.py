"""The leadership view: the portfolio's status and readiness, time saved against full cost, revision
rates, repeat failures, escalated data concerns, time to resolve AI issues, approved use cases and
which pilots may expand. It reads every app's selectors (it sits on top) and runs a fixed number of
queries whatever the number of pilots, weeks or entries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from common.money import to_money
from costs.figures import Period
from costs.selectors import period_figures
from governance.facts import gather_facts, iso_week_label
from governance.rules import Check, Verdict, evaluate, readiness_checks
from pilots.access import scope_pilots
from pilots.models import Pilot
from reviews.models import ErrorEntry
from reviews.selectors import (
    CategoryResolution,
    data_concerns,
    repeat_counts_by_pilot,
    resolution_by_category,
)
from support.models import UseCaseRequest
from support.selectors import approved_use_cases, use_case_counts

WEEKS = 8  # full weeks shown in the trends
WINDOW_DAYS = 90  # repeats, data concerns and resolution times look this far back
LIVE = (Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")
# A blocking rule that says the same as a failing readiness check is not repeated under "why not".
SAME_AS_CHECK = {
    "ownership_gap": "owners",
    "serious_repeat": "no_serious_repeat",
    "prompt_drift": "prompt_changes",
}


@dataclass
class WeekValue:
    """One pilot in one full week: minutes saved per task (from review samples), completed tasks,
    the hours that makes, the full cost, and the manual-correction (revision) rate."""

    week: Period
    pilot_id: int = 0
    minutes_saved_per_task: Decimal | None = None
    tasks: int = 0
    tasks_estimated: bool = False
    full_cost: Decimal = Decimal("0")
    correction_rate: Decimal | None = None
    samples: int = 0

    @property
    def label(self) -> str:
        return iso_week_label(self.week.start)

    @property
    def hours_saved(self) -> Decimal | None:
        if self.minutes_saved_per_task is None or not self.tasks:
            return None
        return (self.minutes_saved_per_task * self.tasks / 60).quantize(
            TENTH, rounding=ROUND_HALF_UP
        )


@dataclass
class PilotRow:
    pilot: Pilot
    checks: list[Check]
    blocking: list[Verdict]
    weeks: list[WeekValue]
    repeats: dict[str, int]

    @property
    def ready(self) -> bool:
        return all(check.passed for check in self.checks) and not self.blocking

    @property
    def live(self) -> bool:
        return self.pilot.status in LIVE

    @property
    def reasons(self) -> list[str]:
        """Why it may not expand: each failing check and each rule that blocks expansion."""
        failing = {check.name for check in self.checks if not check.passed}
        found = [f"{check.title}: {check.reason}" for check in self.checks if not check.passed]
        found += [
            verdict.message
            for verdict in self.blocking
            if SAME_AS_CHECK.get(verdict.rule) not in failing
        ]
        return list(dict.fromkeys(found))

    @property
    def latest(self) -> WeekValue | None:
        """The latest week with a reviewed saving or a correction rate."""
        return next(
            (
                week
                for week in reversed(self.weeks)
                if week.minutes_saved_per_task is not None or week.correction_rate is not None
            ),
            None,
        )


@dataclass
class WeekTotal:
    week: Period
    hours_saved: Decimal = Decimal("0")
    full_cost: Decimal = Decimal("0")
    pilots_measured: int = 0
    values: list[WeekValue] = field(default_factory=list)  # each pilot's figures that week

    @property
    def label(self) -> str:
        return iso_week_label(self.week.start)

    @property
    def cost_per_hour_saved(self) -> Decimal | None:
        if not self.hours_saved:
            return None
        return (self.full_cost / self.hours_saved).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Dashboard:
    today: date
    since: datetime
    weeks: list[Period]
    rows: list[PilotRow]
    totals: list[WeekTotal]
    concerns: list[ErrorEntry]
    resolution: list[CategoryResolution]
    use_cases: dict[str, int]
    approved: list[UseCaseRequest]
    status_readiness: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def ready_rows(self) -> list[PilotRow]:
        return [row for row in self.rows if row.live and row.ready]

    @property
    def blocked_rows(self) -> list[PilotRow]:
        return [row for row in self.rows if row.live and not row.ready]

    @property
    def live_count(self) -> int:
        return sum(1 for row in self.rows if row.live)

    @property
    def open_concerns(self) -> int:
        return sum(1 for entry in self.concerns if entry.status == ErrorEntry.Status.OPEN)


def full_weeks(today: date, count: int = WEEKS) -> list[Period]:
    """The last `count` full ISO weeks before this one, oldest first."""
    this_monday = today - timedelta(days=today.weekday())
    return [
        Period(this_monday - timedelta(weeks=back), this_monday - timedelta(weeks=back, days=-6))
        for back in range(count, 0, -1)
    ]


def _week_values(pilot, facts, costs, weeks: list[Period]) -> list[WeekValue]:
    points = {point.iso_week: point for point in facts.weeks} if facts else {}
    values = []
    for index, week in enumerate(weeks):
        figures = costs[pilot.pk][f"w{index}"]
        value = WeekValue(
            week=week, pilot_id=pilot.pk, full_cost=to_money(figures.total), tasks=figures.tasks
        )
        point = points.get(iso_week_label(week.start))
        if point is not None and point.samples:
            value.minutes_saved_per_task = point.avg_minutes_saved
            value.correction_rate = point.correction_rate
            value.samples = point.samples
            if not value.tasks and pilot.average_daily_volume:
                value.tasks = pilot.average_daily_volume * 7
                value.tasks_estimated = True
        values.append(value)
    return values


def dashboard(*, user, today: date | None = None) -> Dashboard:
    """Everything on the leadership view, for the pilots `user` can see."""
    today = today or timezone.localdate()
    now = timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    pilots = list(scope_pilots(user).select_related("team").order_by("name", "id"))
    ids = [pilot.pk for pilot in pilots]
    weeks = full_weeks(today)
    facts = {
        item.pilot_id: item for item in gather_facts(pilot_ids=ids, today=today, active_only=False)
    }
    costs = period_figures(
        pilot_ids=ids, periods={f"w{index}": week for index, week in enumerate(weeks)}
    )
    repeats = repeat_counts_by_pilot(pilot_ids=ids, since=since)
    rows = []
    for pilot in pilots:
        pilot_facts = facts.get(pilot.pk)
        rows.append(
            PilotRow(
                pilot=pilot,
                checks=readiness_checks(pilot_facts) if pilot_facts else [],
                blocking=[v for v in evaluate(pilot_facts) if v.blocks_expansion]
                if pilot_facts
                else [],
                weeks=_week_values(pilot, pilot_facts, costs, weeks),
                repeats=repeats[pilot.pk],
            )
        )
    totals = []
    for index, week in enumerate(weeks):
        total = WeekTotal(week=week)
        for row in rows:
            value = row.weeks[index]
            total.values.append(value)
            total.full_cost += value.full_cost
            if value.hours_saved is not None:
                total.hours_saved += value.hours_saved
                total.pilots_measured += 1
        totals.append(total)
    counts = Counter((row.pilot.status, row.ready) for row in rows)
    status_readiness = [
        (status, label, counts[(status, True)], counts[(status, False)])
        for status, label in Pilot.Status.choices
    ]
    return Dashboard(
        today=today,
        since=since,
        weeks=weeks,
        rows=rows,
        totals=totals,
        concerns=data_concerns(pilot_ids=ids, since=since),
        resolution=resolution_by_category(pilot_ids=ids, since=since, now=now),
        use_cases=use_case_counts(),
        approved=approved_use_cases(pilot_ids=ids),
        status_readiness=status_readiness,
    )
