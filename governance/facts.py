"""Gather `PilotFacts` for many pilots at once: a fixed number of queries whatever their number.

This is the one place the rule engine reads other apps; it uses their selectors and models
read-only (governance sits on top of pilots, reviews and costs).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DateField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, TruncDate, TruncWeek
from django.utils import timezone

from common.batch import collector_paused
from costs.figures import Period, month_so_far
from costs.models import Category, DailyCost
from costs.selectors import period_figures
from pilots.models import Pilot, PilotRole
from pilots.selectors import pilot_ids_q
from reviews.models import ErrorEntry, ReviewWeek, serious_repeat_q
from reviews.selectors import weekly_figures_by_pilot
from support.selectors import tool_data_problems

from .models import Change, DecisionRight
from .rules import PilotFacts, WeekPoint
from .rules import RuleSettings as Settings
from .traffic_facts import TRAFFIC_FIELDS, traffic_annotations, traffic_facts

ACTIVE = (Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED)
CADENCE_DAYS = {Pilot.Cadence.WEEKLY: 7, Pilot.Cadence.FORTNIGHTLY: 14, Pilot.Cadence.MONTHLY: 31}
TREND_WEEKS = 13
ROLE_LABELS = dict(PilotRole.Kind.choices)
RIGHT_LABELS = dict(DecisionRight.Kind.choices)


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


# What the rules read of a pilot: the one page's long texts stay in the database.
PILOT_FIELDS = (
    "name",
    "status",
    "status_since",
    "review_cadence",
    "monthly_cap",
    "alert_thresholds",
    "cost_per_task_limit",
    "average_daily_volume",
    "savings_stop_minutes",
    "prompt_version",
    "model_version",
    "tools",
    "data_sources",
    "fallback_action",
    "override_cases",
    "expansion_metric",
    "expansion_threshold",
    "expansion_weeks",
    "rule_settings__review_grace_days",
    "rule_settings__rising_weeks",
    "rule_settings__max_live_changes_per_week",
    "rule_settings__max_failure_percent",
    "rule_settings__disabled_rules",
    "handoff_response_minutes",
    "model_name",
)


def _pilots(pilot_ids, active_only: bool, last_week: Period) -> list[tuple]:
    """The pilots as named tuples (`pilot.name`, `pilot.rule_settings__rising_weeks`): for the
    thousands of pilots of a sweep, model instances cost more than the query."""
    # The baseline is the first value ever filled in, not the empty field of a new draft: naming
    # the model and prompt for the first time is not a change (only a later change of them is).
    history = Pilot.history.filter(id=OuterRef("pk")).order_by("history_date", "history_id")
    queryset = Pilot.objects.annotate(
        first_prompt_version=Subquery(
            history.exclude(prompt_version="").values("prompt_version")[:1]
        ),
        first_model_version=Subquery(history.exclude(model_version="").values("model_version")[:1]),
        **traffic_annotations(last_week),
    )
    if pilot_ids is not None:
        queryset = queryset.filter(pilot_ids_q(pilot_ids, "pk"))
    if active_only:
        queryset = queryset.filter(status__in=ACTIVE)
    fields = (
        "pk",
        *PILOT_FIELDS,
        "first_prompt_version",
        "first_model_version",
        *TRAFFIC_FIELDS,
    )
    return list(queryset.order_by("pk").values_list(*fields, named=True))


def _per_kind(kinds, person_fields, **extra) -> dict:
    """One column per kind and person field (`Max` of the one row a pilot has of that kind), so
    the database answers one row per pilot rather than one per role."""
    columns = {
        f"{kind}__{name}": Max(name, filter=Q(kind=kind))
        for kind in kinds
        for name in person_fields
    }
    return columns | extra


def _ownership(pilot_ids) -> tuple[dict[int, list[str]], dict[int, str | None]]:
    """Gaps per pilot, and the one person holding prompts, review and stop decisions, if any."""
    roles = _per_kind(
        PilotRole.REQUIRED,
        ("primary_id", "backup_id"),
        first_name=Max("primary__first_name", filter=Q(kind=PilotRole.Kind.REVIEWER)),
        last_name=Max("primary__last_name", filter=Q(kind=PilotRole.Kind.REVIEWER)),
        username=Max("primary__username", filter=Q(kind=PilotRole.Kind.REVIEWER)),
    )
    role_rows = {
        row["pilot_id"]: row
        for row in PilotRole.objects.filter(pilot_ids_q(pilot_ids), kind__in=PilotRole.REQUIRED)
        .values("pilot_id")
        .annotate(**roles)
        .order_by()
    }
    rights = _per_kind(DecisionRight.Kind.values, ("owner_id", "backup_id"))
    right_rows = {
        row["pilot_id"]: row
        for row in DecisionRight.objects.filter(pilot_ids_q(pilot_ids))
        .values("pilot_id")
        .annotate(**rights)
        .order_by()
    }
    role_gaps = [
        (f"{kind}__primary_id", f"{kind}__backup_id", ROLE_LABELS[kind].lower())
        for kind in PilotRole.REQUIRED
    ]
    right_gaps = [
        (f"{kind}__owner_id", f"{kind}__backup_id", RIGHT_LABELS[kind].lower())
        for kind in DecisionRight.Kind.values
    ]
    reviewer, stopper = PilotRole.Kind.REVIEWER, PilotRole.Kind.STOP_AUTHORITY
    prompts = DecisionRight.Kind.PROMPT_CHANGES
    empty = {}
    gaps, single = {}, {}
    for pilot_id in pilot_ids:
        role, right = role_rows.get(pilot_id, empty), right_rows.get(pilot_id, empty)
        found = []
        for primary, backup, label in role_gaps:
            if not role.get(primary):
                found.append(f"no {label}")
            elif not role.get(backup):
                found.append(f"the {label} has no backup")
        for owner, backup, label in right_gaps:
            if not right.get(owner):
                found.append(f"nobody owns {label}")
            elif not right.get(backup):
                found.append(f"{label} has no backup")
        gaps[pilot_id] = found
        prompt_owner = right.get(f"{prompts}__owner_id")
        same = prompt_owner and prompt_owner == role.get(f"{reviewer}__primary_id") == role.get(
            f"{stopper}__primary_id"
        )
        single[pilot_id] = (
            _name(role["first_name"], role["last_name"], role["username"]) if same else None
        )
    return gaps, single


def _reviewer_time_by_week(pilot_ids, since: date) -> dict[int, dict[date, Decimal]]:
    series = defaultdict(dict)
    rows = (
        DailyCost.objects.filter(
            pilot_ids_q(pilot_ids), category=Category.REVIEWER_TIME, day__gte=since
        )
        # The week's Monday as a date (a timestamp would cost a parse per row).
        .annotate(week=Cast(TruncWeek("day", output_field=DateField()), DateField()))
        .values("pilot_id", "week")
        .annotate(total=Sum("total"))
        .values_list("pilot_id", "week", "total")
        .order_by()
    )
    for pilot_id, week, total in rows:
        series[pilot_id][week] = total
    return series


def _errors(pilot_ids, today: date) -> dict[int, dict[str, list[int]]]:
    found = defaultdict(lambda: {"stop_now": [], "serious": [], "unfixed": []})
    week_ago = today - timedelta(days=7)
    unfixed = Q(fix_kind="", occurred_on__lt=week_ago)
    rows = ErrorEntry.objects.filter(
        Q(severity=ErrorEntry.Severity.STOP_NOW) | serious_repeat_q() | unfixed,
        pilot_ids_q(pilot_ids),
        status=ErrorEntry.Status.OPEN,
    ).values("id", "pilot_id", "severity", "repeat_of_id", "fix_kind", "occurred_on")
    for row in rows:
        bucket = found[row["pilot_id"]]
        if row["severity"] == ErrorEntry.Severity.STOP_NOW:
            bucket["stop_now"].append(row["id"])
        if row["repeat_of_id"] and row["severity"] in ErrorEntry.SERIOUS:
            bucket["serious"].append(row["id"])
        if not row["fix_kind"] and row["occurred_on"] < week_ago:
            bucket["unfixed"].append(row["id"])
    return found


def _reviews_closed(pilot_ids, zone) -> dict[int, dict]:
    """The local day each pilot's last review week was closed, and last closed with notes."""
    closed_on = TruncDate("closed_at", tzinfo=zone)
    rows = (
        ReviewWeek.objects.filter(pilot_ids_q(pilot_ids), status=ReviewWeek.Status.CLOSED)
        .values("pilot_id")
        .annotate(last_closed=Max(closed_on), last_noted=Max(closed_on, filter=~Q(notes="")))
        .order_by()
    )
    return {row["pilot_id"]: row for row in rows}


def _changes(
    pilot_ids, last_week: Period, zone
) -> tuple[dict[int, int], dict[int, dict[str, set[str]]]]:
    live_last_week, documented = (
        defaultdict(int),
        defaultdict(lambda: {"prompt": set(), "model": set()}),
    )
    # Last week as a span of instants, so each row's moment is compared, not converted.
    week_from = datetime.combine(last_week.start, time.min, tzinfo=zone)
    week_until = datetime.combine(last_week.end + timedelta(days=1), time.min, tzinfo=zone)
    for row in Change.objects.filter(
        pilot_ids_q(pilot_ids), status__in=[Change.Status.LIVE, Change.Status.CLOSED]
    ).values("pilot_id", "kind", "new_value", "live_at"):
        if row["live_at"] and week_from <= row["live_at"] < week_until:
            live_last_week[row["pilot_id"]] += 1
        if row["kind"] in ("prompt", "model") and row["new_value"]:
            documented[row["pilot_id"]][row["kind"]].add(row["new_value"])
    return live_last_week, documented


def _per_task(total: Decimal, tasks: int) -> Decimal | None:
    if not tasks:
        return None
    return (total / tasks).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def gather_facts(
    *, pilot_ids=None, today: date | None = None, active_only: bool = True
) -> list[PilotFacts]:
    """Facts for the given pilots (default: every active pilot), in 15 queries (live traffic is
    read in the pilots' query: governance.traffic_facts)."""
    with collector_paused():
        return _gather(pilot_ids, today, active_only)


def _gather(pilot_ids, today: date | None, active_only: bool) -> list[PilotFacts]:
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    this_monday = today - timedelta(days=today.weekday())
    last_week = Period(this_monday - timedelta(days=7), this_monday - timedelta(days=1))
    pilots = _pilots(pilot_ids, active_only, last_week)
    ids = [pilot.pk for pilot in pilots]
    if not ids:
        return []
    month = month_so_far(today, today)
    costs = period_figures(pilot_ids=ids, periods={"month": month, "last_week": last_week})
    trend_since = this_monday - timedelta(weeks=TREND_WEEKS)
    reviewer_time = _reviewer_time_by_week(ids, min(trend_since, month.start))
    weeks = weekly_figures_by_pilot(pilot_ids=ids, since=trend_since)
    gaps, single = _ownership(ids)
    errors = _errors(ids, today)
    closed = _reviews_closed(ids, zone)
    live_last_week, documented = _changes(ids, last_week, zone)
    tools_and_data = tool_data_problems(
        pilot_ids=ids,
        declared={pilot.pk: (pilot.tools, pilot.data_sources) for pilot in pilots},
        today=today,
    )

    facts = []
    for pilot in pilots:
        settings = (
            Settings(
                review_grace_days=pilot.rule_settings__review_grace_days,
                rising_weeks=pilot.rule_settings__rising_weeks,
                max_live_changes_per_week=pilot.rule_settings__max_live_changes_per_week,
                max_failure_percent=pilot.rule_settings__max_failure_percent,
                disabled_rules=frozenset(pilot.rule_settings__disabled_rules or []),
            )
            if pilot.rule_settings__rising_weeks is not None
            else Settings()
        )
        month_costs, week_costs = costs[pilot.pk]["month"], costs[pilot.pk]["last_week"]
        figures = weeks.get(pilot.pk, [])
        reviewer = reviewer_time.get(pilot.pk, {})
        points = tuple(
            WeekPoint(
                iso_week=week.iso_week,
                samples=week.samples,
                error_rate=week.error_rate,
                correction_rate=week.correction_rate,
                complaints=week.complaints,
                avg_minutes_saved=week.avg_minutes_saved,
                review_minutes=reviewer.get(week.week_start),
            )
            for week in figures
            if week.closed
        )
        review_row = closed.get(pilot.pk, {})
        cadence = CADENCE_DAYS.get(pilot.review_cadence, 7)
        last_noted = review_row.get("last_noted")
        undocumented = []
        for kind, field, first in (
            ("prompt", "prompt_version", pilot.first_prompt_version),
            ("model", "model_version", pilot.first_model_version),
        ):
            current = getattr(pilot, field)
            if first and current and current != first and current not in documented[pilot.pk][kind]:
                undocumented.append(f"{kind} {first} → {current}")
        latest_week = next(
            (week for week in reversed(figures) if week.closed and week.samples), None
        )
        minutes_per_employee = None
        daily_tasks = (
            Decimal(week_costs.tasks) / 7 if week_costs.tasks else pilot.average_daily_volume
        )
        if (
            latest_week
            and latest_week.avg_minutes_saved is not None
            and latest_week.distinct_users
            and daily_tasks
        ):
            minutes_per_employee = (
                latest_week.avg_minutes_saved * Decimal(daily_tasks) / latest_week.distinct_users
            ).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        facts.append(
            PilotFacts(
                pilot_id=pilot.pk,
                name=pilot.name,
                status=pilot.status,
                today=today,
                month=f"{today:%Y-%m}",
                iso_week=iso_week_label(today),
                last_full_week=iso_week_label(last_week.start),
                settings=settings,
                monthly_cap=pilot.monthly_cap,
                alert_thresholds=tuple(pilot.alert_thresholds or ()),
                month_to_date=month_costs.total,
                cost_per_task_limit=pilot.cost_per_task_limit,
                last_week_cost_per_task=_per_task(week_costs.total, week_costs.tasks),
                last_week_api_cost_per_task=_per_task(week_costs.api, week_costs.tasks),
                has_cost_per_task=bool(month_costs.tasks and month_costs.total),
                has_weekly_spend=bool(month_costs.total),
                review_time_tracked=any(
                    week >= month.start - timedelta(days=6) for week in reviewer
                ),
                open_stop_now_error_ids=tuple(errors[pilot.pk]["stop_now"]),
                serious_repeat_ids=tuple(errors[pilot.pk]["serious"]),
                errors_without_fix=len(errors[pilot.pk]["unfixed"]),
                last_closed_review=review_row.get("last_closed"),
                active_since=pilot.status_since.astimezone(zone).date(),
                review_cadence_days=cadence,
                recent_review_notes=bool(
                    last_noted and (today - last_noted).days <= 2 * cadence + 2
                ),
                weeks=points,
                minutes_saved_per_employee_day=minutes_per_employee,
                savings_stop_minutes=pilot.savings_stop_minutes,
                ownership_gaps=tuple(gaps[pilot.pk]),
                single_person=single[pilot.pk],
                live_changes_last_week=live_last_week[pilot.pk],
                undocumented_version_changes=tuple(undocumented),
                **traffic_facts(pilot, documented[pilot.pk], since=last_week.start),
                tool_data_problems=tuple(tools_and_data[pilot.pk]),
                fallback_written=bool(pilot.fallback_action),
                override_cases_named=bool(pilot.override_cases),
                success_metrics=sum(
                    bool(value)
                    for value in (
                        pilot.expansion_metric,
                        pilot.cost_per_task_limit,
                        pilot.savings_stop_minutes,
                    )
                ),
                expansion_metric=pilot.expansion_metric,
                expansion_threshold=pilot.expansion_threshold,
                expansion_weeks=pilot.expansion_weeks,
            )
        )
    return facts
