"""Reads for the ledger and its figures: sums come from the daily rollup and the task volumes,
aggregated in the database, a fixed number of queries whatever the number of rows or pilots.

The rule engine (governance) reads `pilot_costs_for` for month-to-date spend against the cap and
the full cost per completed task.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min, Q, Sum
from django.utils import timezone

from pilots.models import Pilot
from pilots.selectors import pilot_ids_q

from ..figures import (
    ESTIMATE_DAYS,
    ZERO,
    CostFigures,
    DayFigures,
    Period,
    PilotCosts,
    WindowSums,
    month_end,
    month_so_far,
    week_of,
)
from ..models import ALL_TASKS, Category, DailyCost, MonthlyCost, TaskVolume
from .traffic import PEOPLE_TIME, people_cost, traffic_by_month, traffic_sums, volume_padding

API = Category.MODEL_API


# A `scope` meaning "these are all the pilots there are": the rows need no pilot filter at all.
EVERY_PILOT = object()


def _pilots_in(pilot_ids: list[int], scope) -> Q:
    """Rows of these pilots. With `scope` (the same pilots as a queryset) the database reads them
    in a subquery, or not at all for EVERY_PILOT: thousands of ids sent as a list make each query
    slow to send, plan and run."""
    if scope is EVERY_PILOT:
        return Q()
    if scope is not None:
        return Q(pilot_id__in=scope.order_by().values("pk"))
    return pilot_ids_q(pilot_ids)


def period_figures(
    *,
    pilot_ids: Iterable[int],
    periods: Mapping[str, Period],
    scope=None,
) -> dict[int, dict[str, CostFigures]]:
    """Spend (all, API-only) and completed tasks per pilot for each named period: two queries.

    Typed task volumes and a connected pilot's traffic (completed tasks, API cost, measured
    people time as rework) are read in one `UNION ALL` (costs.selectors.traffic).
    `scope`, when given, is a queryset of exactly the pilots in `pilot_ids`, or EVERY_PILOT."""
    pilot_ids = list(pilot_ids)
    result: dict[int, dict[str, CostFigures]] = {
        pk: {name: CostFigures() for name in periods} for pk in pilot_ids
    }
    if not pilot_ids or not periods:
        return result
    first = min(period.start for period in periods.values())
    last = max(period.end for period in periods.values())
    cost_sums = {}
    task_sums = {}
    for name, period in periods.items():
        in_period = Q(day__range=(period.start, period.end))
        cost_sums[f"{name}_total"] = Sum("total", filter=in_period)
        cost_sums[f"{name}_api"] = Sum("total", filter=in_period & Q(category=API))
        task_sums[f"{name}_tasks"] = Sum(
            "completed", filter=Q(date__range=(period.start, period.end))
        )
    in_scope = _pilots_in(pilot_ids, scope)
    costs = (
        DailyCost.objects.filter(in_scope, day__range=(first, last))
        .values("pilot_id")
        .annotate(**cost_sums)
        .order_by()
    )
    for row in costs:
        by_period = result.get(row["pilot_id"])
        if by_period is None:  # a pilot made after the pilots were read: not on this page
            continue
        for name in periods:
            figures = by_period[name]
            figures.total = row[f"{name}_total"] or ZERO
            figures.api = row[f"{name}_api"] or ZERO
    tasks = (
        TaskVolume.objects.filter(in_scope, date__range=(first, last))
        .values("pilot_id")
        .annotate(**task_sums, **volume_padding(list(periods)))
        .order_by()
    )
    traffic = traffic_sums(
        where=in_scope & Q(day__range=(first, last)),
        group="pilot_id",
        windows={name: Q(day__range=(p.start, p.end)) for name, p in periods.items()},
        tasks_alias={name: f"{name}_tasks" for name in periods},
    )
    for row in tasks.union(traffic, all=True):
        by_period = result.get(row["pilot_id"])
        if by_period is None:
            continue
        for name in periods:
            figures = by_period[name]
            figures.tasks += row[f"{name}_tasks"] or 0
            api = row[f"{name}_api"] or ZERO
            rework, _ = people_cost(row[f"{name}_people"], row["rework_rate"])
            figures.api += api
            figures.total += api + rework
    return result


def pilot_costs(
    *,
    pilots: Iterable[Pilot],
    month: date | None = None,
    today: date | None = None,
    scope=None,
) -> list[PilotCosts]:
    """Each pilot's spend this month (to date) and this week, against its cap: two queries.

    For a past `month` the month is whole and the week is its last week, cut at the month's end:
    a past month never shows days of the next one. While a month runs the week is this week so
    far, which may begin in the previous month (`week_began_last_month`)."""
    today = today or timezone.localdate()
    month_period = month_so_far(month or today, today)
    week_period = week_of(month_period.end)
    week_period = Period(week_period.start, min(week_period.end, month_period.end, today))
    pilots = list(pilots)
    sums = period_figures(
        pilot_ids=[pilot.pk for pilot in pilots],
        periods={"month": month_period, "week": week_period},
        scope=scope,
    )
    return [
        PilotCosts(
            pilot=pilot,
            month_period=month_period,
            week_period=week_period,
            month=sums[pilot.pk]["month"],
            week=sums[pilot.pk]["week"],
        )
        for pilot in pilots
    ]


def pilot_costs_for(
    *, pilot_ids: Iterable[int], today: date | None = None
) -> dict[int, PilotCosts]:
    """Month-to-date and this week's figures by pilot id, for the rule engine: three queries."""
    pilots = Pilot.objects.filter(pk__in=list(pilot_ids))
    return {costs.pilot.pk: costs for costs in pilot_costs(pilots=pilots, today=today)}


def monthly_trend(
    *, pilot_ids: Iterable[int], months: list[date], scope=None
) -> list[tuple[date, dict[str, Decimal]]]:
    """Spend per category for each month in `months` (first days, oldest first): one query.

    Connected pilots' model spend and priced people time come from the traffic rollups in the
    same query (costs.selectors.traffic)."""
    pilot_ids = list(pilot_ids)
    by_month: dict[date, dict[str, Decimal]] = {month: {} for month in months}
    if pilot_ids and months:
        in_scope = _pilots_in(pilot_ids, scope)
        rows = (
            MonthlyCost.objects.filter(in_scope, month__range=(months[0], months[-1]))
            .values("month", "category")
            .annotate(amount=Sum("total"))
            .order_by()
        )
        api, people = traffic_by_month(
            where=in_scope & Q(day__range=(months[0], month_end(months[-1])))
        )
        for row in rows.union(api, people, all=True):
            if row["amount"] is None:
                continue
            spent = by_month.setdefault(row["month"], {})
            spent[row["category"]] = spent.get(row["category"], ZERO) + row["amount"]
    return [(month, by_month.get(month, {})) for month in months]


def daily_figures(*, pilot: Pilot, start: date, end: date) -> list[DayFigures]:
    """Every day with spend or completed tasks, newest first: two queries."""
    days: dict[date, DayFigures] = {}
    costs = (
        DailyCost.objects.filter(pilot=pilot, day__range=(start, end))
        .values("day")
        .annotate(spend=Sum("total"), api_spend=Sum("total", filter=Q(category=API)))
        .order_by()
    )
    for row in costs:
        days[row["day"]] = DayFigures(
            day=row["day"], total=row["spend"] or ZERO, api=row["api_spend"] or ZERO
        )
    volumes = (
        TaskVolume.objects.filter(pilot=pilot, date__range=(start, end))
        .values("date")
        .annotate(day_tasks=Sum("completed"), **volume_padding(["day"]))
        .order_by()
    )
    traffic = traffic_sums(
        where=Q(pilot=pilot, day__range=(start, end)),
        group="day",
        windows={"day": Q()},
        tasks_alias={"day": "day_tasks"},
    )
    for row in volumes.union(traffic, all=True):
        figures = days.setdefault(row["date"], DayFigures(day=row["date"]))
        figures.tasks += row["day_tasks"] or 0
        api = row["day_api"] or ZERO
        rework, _ = people_cost(row["day_people"], row["rework_rate"])
        figures.api += api
        figures.total += api + rework
    return [days[day] for day in sorted(days, reverse=True)]


def _add_traffic_costs(cost_sums: dict, task_type: str, row: dict, name: str) -> None:
    """A traffic row's API cost and measured people time, into (category, task type) sums."""
    api = row[f"{name}_api"] or ZERO
    rework, hours = people_cost(row[f"{name}_people"], row["rework_rate"])
    for category, amount, spent_hours in ((API, api, ZERO), (PEOPLE_TIME, rework, hours)):
        if amount or spent_hours:
            spend, before = cost_sums.get((category, task_type), (ZERO, ZERO))
            cost_sums[(category, task_type)] = (spend + amount, before + spent_hours)


def window_sums(*, pilot: Pilot, today: date | None = None) -> WindowSums:
    """The last 30 days per category and task type, for the estimate and the short table: two queries."""
    today = today or timezone.localdate()
    start = today - timedelta(days=ESTIMATE_DAYS - 1)
    costs = (
        DailyCost.objects.filter(pilot=pilot, day__range=(start, today))
        .values("category", "task_type")
        .annotate(spend=Sum("total"), hours_sum=Sum("hours"), first=Min("day"))
        .order_by()
    )
    firsts = []
    cost_sums = {}
    for row in costs:
        cost_sums[(row["category"], row["task_type"])] = (
            row["spend"] or ZERO,
            row["hours_sum"] or ZERO,
        )
        firsts.append(row["first"])
    volumes = (
        TaskVolume.objects.filter(pilot=pilot, date__range=(start, today))
        .values("task_type")
        .annotate(window_tasks=Sum("completed"), **volume_padding(["window"]), first=Min("date"))
        .order_by()
    )
    traffic = traffic_sums(
        where=Q(pilot=pilot, day__range=(start, today)),
        group="task_type",
        windows={"window": Q()},
        tasks_alias={"window": "window_tasks"},
    ).annotate(first=Min("day"))
    task_sums = {}
    for row in volumes.union(traffic, all=True):
        task_type = row["task_type"] or ALL_TASKS
        task_sums[task_type] = task_sums.get(task_type, 0) + (row["window_tasks"] or 0)
        _add_traffic_costs(cost_sums, task_type, row, "window")
        firsts.append(row["first"])
    return WindowSums(
        costs=cost_sums, tasks=task_sums, first_day=min(firsts) if firsts else None, end=today
    )


def cost_overview(*, pilot: Pilot, today: date | None = None) -> tuple[PilotCosts, WindowSums]:
    """One pilot's month, week and last 30 days at once (the one page's panel): two queries.

    The same figures as `pilot_costs` and `window_sums`, read in one pass over the rollup and one
    over the volumes."""
    today = today or timezone.localdate()
    month = month_so_far(today, today)
    week = Period(week_of(today).start, today)
    window_start = today - timedelta(days=ESTIMATE_DAYS - 1)
    start = min(month.start, week.start, window_start)
    in_window, in_month, in_week = (
        Q(day__gte=window_start),
        Q(day__gte=month.start),
        Q(day__gte=week.start),
    )
    costs = (
        DailyCost.objects.filter(pilot=pilot, day__range=(start, today))
        .values("category", "task_type")
        .annotate(
            window_spend=Sum("total", filter=in_window),
            window_hours=Sum("hours", filter=in_window),
            first=Min("day", filter=in_window),
            month_spend=Sum("total", filter=in_month),
            week_spend=Sum("total", filter=in_week),
        )
        .order_by()
    )
    month_figures, week_figures = CostFigures(), CostFigures()
    cost_sums, firsts = {}, []
    for row in costs:
        for figures, spend in (
            (month_figures, row["month_spend"]),
            (week_figures, row["week_spend"]),
        ):
            figures.total += spend or ZERO
            if row["category"] == API:
                figures.api += spend or ZERO
        if row["first"] is not None:
            cost_sums[(row["category"], row["task_type"])] = (
                row["window_spend"] or ZERO,
                row["window_hours"] or ZERO,
            )
            firsts.append(row["first"])
    names = ["window", "month", "week"]
    volumes = (
        TaskVolume.objects.filter(pilot=pilot, date__range=(start, today))
        .values("task_type")
        .annotate(
            window_tasks=Sum("completed", filter=Q(date__gte=window_start)),
            month_tasks=Sum("completed", filter=Q(date__gte=month.start)),
            week_tasks=Sum("completed", filter=Q(date__gte=week.start)),
            **volume_padding(names),
            first=Min("date", filter=Q(date__gte=window_start)),
        )
        .order_by()
    )
    traffic = traffic_sums(
        where=Q(pilot=pilot, day__range=(start, today)),
        group="task_type",
        windows={
            "window": Q(day__gte=window_start),
            "month": Q(day__gte=month.start),
            "week": Q(day__gte=week.start),
        },
        tasks_alias={name: f"{name}_tasks" for name in names},
    ).annotate(first=Min("day", filter=Q(day__gte=window_start)))
    task_sums = {}
    for row in volumes.union(traffic, all=True):
        month_figures.tasks += row["month_tasks"] or 0
        week_figures.tasks += row["week_tasks"] or 0
        for figures, name in ((month_figures, "month"), (week_figures, "week")):
            api = row[f"{name}_api"] or ZERO
            rework, _ = people_cost(row[f"{name}_people"], row["rework_rate"])
            figures.api += api
            figures.total += api + rework
        if row["first"] is not None:
            task_type = row["task_type"] or ALL_TASKS
            task_sums[task_type] = task_sums.get(task_type, 0) + (row["window_tasks"] or 0)
            _add_traffic_costs(cost_sums, task_type, row, "window")
            firsts.append(row["first"])
    costs_now = PilotCosts(
        pilot=pilot, month_period=month, week_period=week, month=month_figures, week=week_figures
    )
    window = WindowSums(
        costs=cost_sums, tasks=task_sums, first_day=min(firsts) if firsts else None, end=today
    )
    return costs_now, window
