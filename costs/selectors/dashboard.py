"""The finance dashboard: every visible pilot's spend against its cap, cost per task and trend."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from common.batch import collector_paused
from pilots.access import scope_pilots, sees_every_pilot
from pilots.models import Pilot, Team

from ..figures import (
    ZERO,
    CostFigures,
    Period,
    PilotCosts,
    month_end,
    month_so_far,
    months_back,
    week_of,
)
from ..models import Category
from .sums import EVERY_PILOT, monthly_trend, pilot_costs

# --- The finance dashboard ---------------------------------------------------------------------

TREND_MONTHS = 6


@dataclass
class Dashboard:
    month: Period
    week: Period
    rows: list[PilotCosts]
    trend: list[tuple[date, dict[str, Decimal]]]
    today: date | None = None

    # --- Labels that follow the chosen month: "this month" only while it runs ------------------

    @property
    def is_current_month(self) -> bool:
        return self.today is None or self.month.start <= self.today <= month_end(self.month.start)

    @property
    def month_name(self) -> str:
        return f"{self.month.start:%B %Y}"

    @property
    def spend_label(self) -> str:
        return "Spend this month" if self.is_current_month else f"Spend in {self.month_name}"

    @property
    def month_column(self) -> str:
        return "This month" if self.is_current_month else self.month_name

    @property
    def tasks_column(self) -> str:
        return "Tasks this month" if self.is_current_month else f"Tasks in {self.month_name}"

    @property
    def cap_chart_caption(self) -> str:
        if self.is_current_month:
            return "Month-to-date spend against the cap"
        return f"Spend in {self.month_name} against the cap"

    @property
    def week_column(self) -> str:
        """The week beside the month: this week so far, or the past month's last week (cut at
        the month's end)."""
        days = _days(self.week)
        if self.is_current_month:
            return f"This week ({days})"
        return f"Last week of {self.month.start:%B} ({days})"

    @property
    def week_note(self) -> str:
        """Why the week's figure can be more than the month's, or why the week is short."""
        if self.week.start < self.month.start:
            return (
                f"This week began on {self.week.start:%A} {_day(self.week.start)}, in the previous "
                f"month: its spend includes days before {_day(self.month.start)}, so it can be "
                "more than the month-to-date spend."
            )
        if self.week.days < 7 and not self.is_current_month:
            return (
                f"The last week of {self.month.start:%B} is cut at {_day(self.month.end)}, the end "
                "of the month: days of the next month are not counted here."
            )
        return ""

    @property
    def category_labels(self) -> list[str]:
        return list(Category.labels)

    @property
    def trend_table(self) -> list[dict]:
        rows = []
        for month, amounts in self.trend:
            values = [amounts.get(category, ZERO) for category in Category.values]
            rows.append({"month": month, "amounts": values, "total": sum(values, ZERO)})
        return rows

    @property
    def totals(self) -> CostFigures:
        return CostFigures(
            total=sum((row.month.total for row in self.rows), ZERO),
            api=sum((row.month.api for row in self.rows), ZERO),
            tasks=sum(row.month.tasks for row in self.rows),
        )


def _day(day: date, month: str = "%B") -> str:
    return f"{day.day} {day:{month}}"


def _days(period: Period) -> str:
    if period.start == period.end:
        return _day(period.start, "%b")
    return f"{_day(period.start, '%b')}–{_day(period.end, '%b')}"


# What the dashboard, its CSV files and the cost-summary API read of each pilot. Loading only these
# keeps thousands of pilots cheap (the one page's texts and lists stay in the database).
DASHBOARD_PILOT_FIELDS = (
    "name",
    "status",
    "team",
    "monthly_cap",
    "alert_thresholds",
    "cost_per_task_limit",
)


def dashboard_pilots(*, user, team: int | None = None, status: str = "") -> QuerySet[Pilot]:
    queryset = scope_pilots(user).select_related("team").only(*DASHBOARD_PILOT_FIELDS)
    if team:
        queryset = queryset.filter(team_id=team)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("name", "id")


def dashboard(
    *,
    user,
    month: date,
    team: int | None = None,
    status: str = "",
    today: date | None = None,
    trend_months: int = TREND_MONTHS,
) -> Dashboard:
    """All pilots `user` may see on one screen: spend against caps, cost per task, the trend.

    Queries: the pilots, their teams, their spend, their tasks, the trend: one each."""
    with collector_paused():
        return _dashboard(user, month, team, status, today, trend_months)


@dataclass(slots=True)
class DashboardPilot:
    """What the dashboard, its charts and CSV files show of a pilot, read as plain values: ten
    thousand `Pilot` instances with deferred fields cost more to build than the dashboard's
    queries take to run."""

    pk: int
    name: str
    status: str
    team: Team | None
    monthly_cap: Decimal | None
    alert_thresholds: list
    cost_per_task_limit: Decimal | None

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


STATUS_LABELS = dict(Pilot.Status.choices)


def _dashboard(user, month, team, status, today, trend_months) -> Dashboard:
    today = today or timezone.localdate()
    queryset = dashboard_pilots(user=user, team=team, status=status)
    rows = list(queryset.select_related(None).values_list("pk", *DASHBOARD_PILOT_FIELDS))
    # Thousands of pilots share a few hundred teams: read once, shared by their pilots.
    teams = Team.objects.in_bulk({row[3] for row in rows if row[3] is not None})
    pilots = [
        DashboardPilot(pk, name, status_, teams.get(team_id), cap, thresholds, limit)
        for pk, name, status_, team_id, cap, thresholds, limit in rows
    ]
    scope = EVERY_PILOT if sees_every_pilot(user) and not team and not status else queryset
    rows = pilot_costs(pilots=pilots, month=month, today=today, scope=scope)
    months = months_back(month, trend_months)
    trend = monthly_trend(pilot_ids=[pilot.pk for pilot in pilots], months=months, scope=scope)
    if rows:
        month_period, week_period = rows[0].month_period, rows[0].week_period
    else:
        month_period = month_so_far(month, today)
        week = week_of(month_period.end)
        week_period = Period(week.start, min(week.end, month_period.end, today))
    return Dashboard(month=month_period, week=week_period, rows=rows, trend=trend, today=today)
