"""The live-traffic figures, read from the daily rollups (`TaskDay`, `TaskUserDay`), never from
the task records: each read below is a fixed number of queries whatever the traffic.

Definitions shown on the pages:
- *Low and higher volume*: a day of the window is a low-volume day when the pilot ran fewer tasks
  that day than its median day in the window, else a higher-volume day.
- *Has access*: a team that has used the pilot at any time since it began (seen in its traffic),
  or the pilot's own team.
- *Barely uses it*: a team with access that ran under `BARELY_SHARE` of the pilot's tasks in the
  window (none at all counts too).
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek

from common.money import percent, to_per_task

from . import latency
from .models import TaskDay, TaskUserDay

WINDOW_DAYS = 14
BARELY_SHARE = Decimal("0.05")
WEEKS = 4
ONE_PLACE = Decimal("0.1")
NO_TEAM = "(no team)"


class OutcomeShares:
    """Shares of tasks handed off, failed and skipped (the fallback path), for any counts."""

    tasks: int
    handed_off: int
    failed: int
    skipped: int

    @property
    def handoff_percent(self) -> Decimal | None:
        return percent(self.handed_off, self.tasks)

    @property
    def failed_percent(self) -> Decimal | None:
        return percent(self.failed, self.tasks)

    @property
    def skipped_percent(self) -> Decimal | None:
        return percent(self.skipped, self.tasks)


def _average(total: int, count: int) -> int | None:
    return round(total / count) if count else None


@dataclass
class Mix(OutcomeShares):
    """Counts by outcome, summed latency and the latency histogram of some rollup rows."""

    tasks: int = 0
    completed: int = 0
    handed_off: int = 0
    failed: int = 0
    skipped: int = 0
    latency_total: int = 0
    buckets: Counter = field(default_factory=Counter)

    def add(self, row: dict) -> None:
        self.tasks += row["tasks"]
        self.completed += row["completed"]
        self.handed_off += row["handed_off"]
        self.failed += row["failed"]
        self.skipped += row["skipped"]
        self.latency_total += row["latency_ms_total"]
        self.buckets.update(row["latency_buckets"])

    @property
    def average_ms(self) -> int | None:
        return _average(self.latency_total, self.tasks)

    @property
    def median_ms(self) -> int | None:
        return latency.percentile(self.buckets, 0.5)

    @property
    def p95_ms(self) -> int | None:
        return latency.percentile(self.buckets, 0.95)


@dataclass
class Day:
    day: date
    mix: Mix
    low_volume: bool = False


@dataclass
class TaskTypeRow:
    task_type: str
    mix: Mix
    low: Mix
    high: Mix


@dataclass
class Pickups:
    handed_off: int = 0
    picked_up: int = 0
    late: int = 0
    seconds_total: int = 0
    buckets: Counter = field(default_factory=Counter)
    rule_minutes: int | None = None

    @property
    def waiting(self) -> int:
        return max(0, self.handed_off - self.picked_up)

    @property
    def average_minutes(self) -> Decimal | None:
        if not self.picked_up:
            return None
        return (Decimal(self.seconds_total) / 60 / self.picked_up).quantize(ONE_PLACE)

    def _minutes(self, share: float) -> Decimal | None:
        ms = latency.percentile(self.buckets, share)  # waits are stored in milliseconds
        return None if ms is None else (Decimal(ms) / 60_000).quantize(ONE_PLACE)

    @property
    def median_minutes(self) -> Decimal | None:
        return self._minutes(0.5)

    @property
    def p95_minutes(self) -> Decimal | None:
        return self._minutes(0.95)

    @property
    def late_percent(self) -> Decimal | None:
        return percent(self.late, self.picked_up)


@dataclass
class TeamUse:
    team: str
    users_by_week: list[int]
    tasks: int
    share: Decimal | None
    barely: bool


@dataclass
class PilotTraffic:
    start: date
    end: date
    days: list[Day]
    types: list[TaskTypeRow]
    total: Mix
    reasons: list[tuple[str, int]]
    pickups: Pickups
    weeks: list[date]
    teams: list[TeamUse]
    median_day_tasks: Decimal | None = None

    @property
    def has_traffic(self) -> bool:
        return bool(self.total.tasks)

    @property
    def barely(self) -> list[TeamUse]:
        return [team for team in self.teams if team.barely]


ROLLUP_COLUMNS = (
    "day",
    "task_type",
    "team",
    "tasks",
    "completed",
    "handed_off",
    "failed",
    "skipped",
    "latency_ms_total",
    "latency_buckets",
    "handoff_reasons",
    "picked_up",
    "picked_up_late",
    "pickup_seconds_total",
    "pickup_buckets",
)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _team_use(shares: Counter, access: set[str], users, weeks: list[date]) -> list[TeamUse]:
    total = sum(shares.values())
    teams = []
    for team in sorted(access | set(shares), key=str.lower):
        share = percent(shares[team], total)
        teams.append(
            TeamUse(
                team=team or NO_TEAM,
                users_by_week=[users.get((team, week), 0) for week in weeks],
                tasks=shares[team],
                share=share,
                barely=share is None or share < BARELY_SHARE * 100,
            )
        )
    return teams


def _weekly_users(pilot_ids, weeks: list[date], end: date) -> dict:
    """{(pilot id, team, week start): distinct active users}: one query."""
    rows = (
        TaskUserDay.objects.filter(pilot_id__in=pilot_ids, day__gte=weeks[0], day__lte=end)
        .annotate(week=TruncWeek("day"))
        .values("pilot_id", "team", "week")
        .annotate(users=Count("user_ref", distinct=True))
        .order_by()
    )
    result = {}
    for row in rows:
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        result[(row["pilot_id"], row["team"], week)] = row["users"]
    return result


def _own_team(pilot) -> set[str]:
    return {pilot.team.name} if pilot.team_id else set()


def _teams_seen(pilot_ids) -> dict[int, set[str]]:
    """Every team seen in each pilot's traffic since it began: one query."""
    seen = defaultdict(set)
    rows = TaskDay.objects.filter(pilot_id__in=pilot_ids).values_list("pilot_id", "team")
    for pilot_id, team in rows.distinct().order_by():
        seen[pilot_id].add(team)
    return seen


def pilot_traffic(*, pilot, today: date, days: int = WINDOW_DAYS) -> PilotTraffic:
    """Everything the one page's Live traffic panel shows: three queries."""
    start, end = today - timedelta(days=days - 1), today
    rows = list(
        TaskDay.objects.filter(pilot=pilot, day__gte=start, day__lte=end)
        .values(*ROLLUP_COLUMNS)
        .order_by("day")
    )
    weeks = [week_start(today) - timedelta(weeks=back) for back in range(WEEKS - 1, -1, -1)]
    total, by_day = Mix(), defaultdict(Mix)
    reasons: Counter = Counter()
    pickups = Pickups(rule_minutes=pilot.handoff_response_minutes)
    team_tasks: Counter = Counter()
    for row in rows:
        total.add(row)
        by_day[row["day"]].add(row)
        reasons.update(row["handoff_reasons"])
        team_tasks[row["team"]] += row["tasks"]
        pickups.handed_off += row["handed_off"]
        pickups.picked_up += row["picked_up"]
        pickups.late += row["picked_up_late"]
        pickups.seconds_total += row["pickup_seconds_total"]
        pickups.buckets.update(row["pickup_buckets"])
    median = statistics.median([mix.tasks for mix in by_day.values()]) if by_day else None
    day_list = [
        Day(day=day, mix=mix, low_volume=median is not None and mix.tasks < median)
        for day, mix in sorted(by_day.items())
    ]
    low_days = {item.day for item in day_list if item.low_volume}
    types: dict[str, TaskTypeRow] = {}
    for row in rows:
        item = types.setdefault(
            row["task_type"], TaskTypeRow(row["task_type"], Mix(), Mix(), Mix())
        )
        item.mix.add(row)
        (item.low if row["day"] in low_days else item.high).add(row)
    users = {}
    teams: list[TeamUse] = []
    if rows:
        weekly = _weekly_users([pilot.pk], weeks, end)
        users = {(team, week): count for (_, team, week), count in weekly.items()}
        access = _teams_seen([pilot.pk])[pilot.pk] | _own_team(pilot)
        teams = _team_use(team_tasks, access, users, weeks)
    return PilotTraffic(
        start=start,
        end=end,
        days=day_list,
        types=sorted(types.values(), key=lambda item: (-item.mix.tasks, item.task_type)),
        total=total,
        reasons=reasons.most_common(),
        pickups=pickups,
        weeks=weeks,
        teams=teams,
        median_day_tasks=None if median is None else Decimal(str(median)),
    )


@dataclass
class PilotSpend(OutcomeShares):
    """The finance dashboard's traffic line for one pilot in the chosen month."""

    tasks: int
    completed: int
    handed_off: int
    failed: int
    skipped: int
    api_cost: Decimal

    @property
    def api_per_completed(self) -> Decimal | None:
        if not self.completed:
            return None
        return to_per_task(self.api_cost / self.completed)


def spend_by_pilot(*, pilot_ids, start: date, end: date) -> dict[int, PilotSpend]:
    """Volume and API spend per pilot from its traffic between two days: one query, summed in
    the database. Pilots without traffic are absent."""
    rows = (
        TaskDay.objects.filter(pilot_id__in=list(pilot_ids), day__gte=start, day__lte=end)
        .values("pilot_id")
        .annotate(
            sum_tasks=Sum("tasks"),
            sum_completed=Sum("completed"),
            sum_handed_off=Sum("handed_off"),
            sum_failed=Sum("failed"),
            sum_skipped=Sum("skipped"),
            sum_api_cost=Sum("api_cost"),
        )
        .order_by()
    )
    return {
        row["pilot_id"]: PilotSpend(
            tasks=row["sum_tasks"] or 0,
            completed=row["sum_completed"] or 0,
            handed_off=row["sum_handed_off"] or 0,
            failed=row["sum_failed"] or 0,
            skipped=row["sum_skipped"] or 0,
            api_cost=row["sum_api_cost"] or Decimal(0),
        )
        for row in rows
    }


@dataclass
class PilotAdoption:
    pilot: object
    teams: list[TeamUse]


def adoption_by_team(*, pilots, today: date) -> tuple[list[date], list[PilotAdoption]]:
    """Active users by team per week for the last `WEEKS` weeks (this one included) and the
    teams with access that barely use each pilot, for every pilot with traffic: three queries."""
    pilots = list(pilots)
    weeks = [week_start(today) - timedelta(weeks=back) for back in range(WEEKS - 1, -1, -1)]
    ids = [pilot.pk for pilot in pilots]
    if not ids:
        return weeks, []
    shares = defaultdict(Counter)
    rows = (
        TaskDay.objects.filter(pilot_id__in=ids, day__gte=weeks[0], day__lte=today)
        .values("pilot_id", "team")
        .annotate(sum_tasks=Sum("tasks"))
        .order_by()
    )
    for row in rows:
        shares[row["pilot_id"]][row["team"]] += row["sum_tasks"] or 0
    if not shares:
        return weeks, []
    weekly = _weekly_users(list(shares), weeks, today)
    seen = _teams_seen(list(shares))
    result = []
    for pilot in pilots:
        if pilot.pk not in shares:
            continue
        users = {(team, week): n for (pk, team, week), n in weekly.items() if pk == pilot.pk}
        access = seen[pilot.pk] | _own_team(pilot)
        result.append(PilotAdoption(pilot, _team_use(shares[pilot.pk], access, users, weeks)))
    return weeks, result


def spend_lines(*, pilots, start: date, end: date) -> list[tuple[object, PilotSpend]]:
    """(pilot, its traffic figures) for the pilots with traffic between the days, in order."""
    pilots = list(pilots)
    spend = spend_by_pilot(pilot_ids=[pilot.pk for pilot in pilots], start=start, end=end)
    return [(pilot, spend[pilot.pk]) for pilot in pilots if pilot.pk in spend]
