"""Reads for review weeks, samples and the error log: figures aggregated in the database, a fixed
number of queries whatever the row count.

Other apps call `error_rates_by_pilot` (costs), `weekly_figures`, `open_stop_now_errors` and
`serious_repeats` (the governance rule engine), `repeat_counts_by_pilot`, `data_concerns` and
`resolution_by_category` (the leadership view); keep their signatures stable.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from common.money import percent
from pilots.access import scope_by_pilot
from pilots.models import Pilot
from pilots.selectors import pilot_ids_q
from support.selectors import escalation_paths, target_minutes_expression

from .models import ErrorEntry, FailureMode, ReviewWeek, Sample, failing_sample_q, serious_repeat_q
from .weeks import week_label, week_start

MIN_DISTINCT_DAYS = 3
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class WeekFigures:
    """One review week's figures. Rates are percentages rounded to 0.1, None for an empty week."""

    iso_week: str
    week_id: int | None
    week_start: date
    samples: int
    target: int
    error_rate: Decimal | None
    correction_rate: Decimal | None
    complaints: int
    should_have_gone_to_human: int
    avg_minutes_saved: Decimal | None
    distinct_days: int
    distinct_users: int
    messy_count: int
    coverage_warnings: list[str] = field(default_factory=list)
    closed: bool = False
    failing: int = 0
    corrected: int = 0

    @property
    def below_target(self) -> bool:
        return self.samples < self.target

    @property
    def is_thin(self) -> bool:
        return bool(self.coverage_warnings)


def _minutes_saved() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("manual_minutes") - F("minutes_with_ai"),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


FIGURE_AGGREGATES = {
    "samples": Count("id"),
    "failing": Count("id", filter=failing_sample_q()),
    "corrected": Count("id", filter=Q(outcome__in=Sample.CORRECTED)),
    "complaints": Count("id", filter=Q(complaint=True)),
    "should_have_gone_to_human": Count("id", filter=Q(should_have_gone_to_human=True)),
    "avg_minutes_saved": Avg(_minutes_saved()),
    "distinct_days": Count("produced_on", distinct=True),
    "distinct_users": Count(Lower("produced_by"), distinct=True),
    "messy_count": Count("id", filter=Q(case=Sample.Case.MESSY)),
}


def coverage_warnings(
    *, samples: int, distinct_days: int, distinct_users: int, messy: int
) -> list[str]:
    """Why a week's sample does not cover enough days, people and hard cases to be trusted."""
    if samples == 0:
        return ["No samples logged yet."]
    warnings = []
    if distinct_days < MIN_DISTINCT_DAYS:
        warnings.append(
            f"Only {distinct_days} day{'s' if distinct_days != 1 else ''} covered: "
            f"pick outputs from at least {MIN_DISTINCT_DAYS} different days."
        )
    if distinct_users == 1:
        warnings.append("Every sample comes from one person: include other people's work.")
    if messy == 0:
        warnings.append("No messy cases: the sample only shows easy ones.")
    return warnings


def _figures(week: "ReviewWeek | _WeekKey", row: dict | None) -> WeekFigures:
    row = row or {}
    samples = row.get("samples", 0)
    average = row.get("avg_minutes_saved")
    return WeekFigures(
        iso_week=week.iso_week,
        week_id=week.pk,
        week_start=week.week_start,
        samples=samples,
        target=week.target_size,
        error_rate=percent(row.get("failing", 0), samples),
        correction_rate=percent(row.get("corrected", 0), samples),
        complaints=row.get("complaints", 0),
        should_have_gone_to_human=row.get("should_have_gone_to_human", 0),
        avg_minutes_saved=(
            None if average is None else Decimal(average).quantize(TENTH, rounding=ROUND_HALF_UP)
        ),
        distinct_days=row.get("distinct_days", 0),
        distinct_users=row.get("distinct_users", 0),
        messy_count=row.get("messy_count", 0),
        coverage_warnings=coverage_warnings(
            samples=samples,
            distinct_days=row.get("distinct_days", 0),
            distinct_users=row.get("distinct_users", 0),
            messy=row.get("messy_count", 0),
        ),
        closed=not week.is_open,
        failing=row.get("failing", 0),
        corrected=row.get("corrected", 0),
    )


@dataclass(frozen=True)
class _WeekKey:
    """What `_figures` reads of a week, read with `.values()`: for the tens of thousands of weeks
    a sweep looks at, building model instances would cost more than the query."""

    pk: int
    pilot_id: int
    week_start: date
    target_size: int
    status: str

    @property
    def iso_week(self) -> str:
        return week_label(self.week_start)

    @property
    def is_open(self) -> bool:
        return self.status == ReviewWeek.Status.OPEN


def _rows_by_week(week_ids) -> dict[int, dict]:
    rows = (
        Sample.objects.filter(week_id__in=week_ids)
        .order_by()
        .values("week_id")
        .annotate(**FIGURE_AGGREGATES)
    )
    return {row["week_id"]: row for row in rows}


def week_figures(*, week: ReviewWeek) -> WeekFigures:
    """One week's figures: one query."""
    return _figures(week, _rows_by_week([week.pk]).get(week.pk))


def weekly_figures(*, pilot: Pilot, weeks: int = 12) -> list[WeekFigures]:
    """The figures of the pilot's latest `weeks` review weeks, oldest first: two queries."""
    recent = list(ReviewWeek.objects.filter(pilot=pilot).order_by("-week_start")[:weeks])
    rows = _rows_by_week([week.pk for week in recent]) if recent else {}
    return [_figures(week, rows.get(week.pk)) for week in reversed(recent)]


def weekly_figures_by_pilot(*, pilot_ids, since: date) -> dict[int, list[WeekFigures]]:
    """Figures of every review week starting on or after `since`, per pilot, oldest first.

    Two queries for any number of pilots (the rule engine's trends); pilots without weeks map to [].
    """
    pilot_ids = list(pilot_ids)
    weeks = [
        _WeekKey(*values)
        for values in ReviewWeek.objects.filter(pilot_ids_q(pilot_ids), week_start__gte=since)
        .order_by("pilot_id", "week_start")
        .values_list("pk", "pilot_id", "week_start", "target_size", "status")
    ]
    rows = {}
    if weeks:
        # The same weeks, joined, rather than tens of thousands of week ids sent back.
        samples = Sample.objects.filter(
            pilot_ids_q(pilot_ids, "week__pilot_id"), week__week_start__gte=since
        )
        rows = {
            row["week_id"]: row
            for row in samples.order_by().values("week_id").annotate(**FIGURE_AGGREGATES)
        }
    figures: dict[int, list[WeekFigures]] = {pilot_id: [] for pilot_id in pilot_ids}
    for week in weeks:
        figures[week.pilot_id].append(_figures(week, rows.get(week.pk)))
    return figures


def error_rates_by_pilot(*, pilot_ids, start: date, end: date) -> dict[int, Decimal | None]:
    """Percent of samples produced in [start, end] with any failing score; None without samples."""
    pilot_ids = list(pilot_ids)
    rates: dict[int, Decimal | None] = dict.fromkeys(pilot_ids)
    rows = (
        Sample.objects.filter(pilot_id__in=pilot_ids, produced_on__gte=start, produced_on__lte=end)
        .order_by()
        .values("pilot_id")
        .annotate(samples=Count("id"), failing=Count("id", filter=failing_sample_q()))
    )
    for row in rows:
        rates[row["pilot_id"]] = percent(row["failing"], row["samples"])
    return rates


def _open_counts(pilot_ids, condition: Q) -> dict[int, int]:
    pilot_ids = list(pilot_ids)
    counts = dict.fromkeys(pilot_ids, 0)
    rows = (
        ErrorEntry.objects.filter(condition, pilot_id__in=pilot_ids, status=ErrorEntry.Status.OPEN)
        .order_by()
        .values("pilot_id")
        .annotate(count=Count("id"))
    )
    for row in rows:
        counts[row["pilot_id"]] = row["count"]
    return counts


def open_stop_now_errors(*, pilot_ids) -> dict[int, int]:
    """Open stop-now entries per pilot (0 for pilots without any): one query."""
    return _open_counts(pilot_ids, Q(severity=ErrorEntry.Severity.STOP_NOW))


def serious_repeats(*, pilot_ids) -> dict[int, int]:
    """Open medium or stop-now repeats per pilot (0 for pilots without any): one query."""
    return _open_counts(pilot_ids, serious_repeat_q())


# --- Pages and lists ------------------------------------------------------------------------------


def week_by_label(*, pilot: Pilot, iso_week: str) -> ReviewWeek | None:
    return (
        ReviewWeek.objects.select_related("reviewer", "closed_by", "next_change")
        .filter(pilot=pilot, week_start=week_start(iso_week))
        .first()
    )


def week_samples(*, week: ReviewWeek) -> list[Sample]:
    return list(week.samples.select_related("error", "logged_by").order_by("-created_at", "-id"))


def last_sample(*, week: ReviewWeek) -> Sample | None:
    """The latest sample logged for the pilot: the defaults of the next row."""
    return Sample.objects.filter(pilot_id=week.pilot_id).order_by("-created_at", "-id").first()


def known_producers(*, pilot: Pilot, limit: int = 30) -> list[str]:
    """Names already used as 'produced by' on the pilot, for the row form's suggestions."""
    rows = (
        Sample.objects.filter(pilot=pilot)
        .order_by()
        .values_list("produced_by", flat=True)
        .distinct()[:limit]
    )
    return sorted(rows, key=str.lower)


def week_neighbours(*, pilot: Pilot, limit: int = 8) -> list[ReviewWeek]:
    return list(ReviewWeek.objects.filter(pilot=pilot).order_by("-week_start")[:limit])


def failure_modes(*, pilot: Pilot) -> list[FailureMode]:
    return list(FailureMode.objects.filter(pilot=pilot).order_by("label"))


ERROR_RELATED = (
    "failure_mode",
    "routed_to",
    "reported_by",
    "caught_by",
    "resolved_by",
    "repeat_of",
    "fix_change",
)


def with_response_fields(queryset: QuerySet[ErrorEntry]) -> QuerySet[ErrorEntry]:
    """Annotate entries with what their response time is judged on, inside the same query:
    `target_minutes` (the escalation path of their category) and `first_fix_at` (when a fix was
    first recorded). `{{ entry|response_time }}` (support's `escalation` tags) reads them."""
    first_fix = (
        ErrorEntry.history.filter(id=OuterRef("pk"))
        .exclude(fix_kind="")
        .order_by("history_date", "history_id")
        .values("history_date")[:1]
    )
    return queryset.annotate(
        first_fix_at=Subquery(first_fix), target_minutes=target_minutes_expression()
    )


def error_list(
    *,
    user,
    pilot: Pilot | None = None,
    severity: str = "",
    status: str = "",
    category: str = "",
    failure_mode: int | str | None = None,
    repeats_only: bool = False,
) -> QuerySet[ErrorEntry]:
    """The error log `user` may see, newest first, filtered, with its people and links loaded."""
    queryset = with_response_fields(
        scope_by_pilot(user, ErrorEntry.objects.select_related("pilot", *ERROR_RELATED))
    )
    if pilot is not None:
        queryset = queryset.filter(pilot=pilot)
    if severity:
        queryset = queryset.filter(severity=severity)
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if failure_mode:
        queryset = queryset.filter(failure_mode_id=failure_mode)
    if repeats_only:
        queryset = queryset.filter(repeat_of__isnull=False)
    return queryset.order_by("-created_at", "-id")


def error_get(*, user, pk: int) -> ErrorEntry:
    return get_object_or_404(error_list(user=user), pk=pk)


def week_list(*, user) -> QuerySet[ReviewWeek]:
    return scope_by_pilot(
        user, ReviewWeek.objects.select_related("reviewer", "closed_by")
    ).order_by("-week_start", "pilot_id")


def sample_list(*, user) -> QuerySet[Sample]:
    return scope_by_pilot(user, Sample.objects.all()).order_by("-created_at", "-id")


def failure_mode_list(*, user) -> QuerySet[FailureMode]:
    return scope_by_pilot(user, FailureMode.objects.all()).order_by("pilot_id", "label")


# --- The one page's Reviews panel ---------------------------------------------------------------


def stop_now_entries(*, pilot: Pilot) -> list[ErrorEntry]:
    """Open stop-now entries, shown on top of the pilot page until a stop authority resolves them."""
    return list(
        with_response_fields(
            ErrorEntry.objects.filter(
                pilot=pilot, status=ErrorEntry.Status.OPEN, severity=ErrorEntry.Severity.STOP_NOW
            )
        )
        .select_related("reported_by", "routed_to", "failure_mode")
        .order_by("-created_at", "-id")
    )


def panel_errors(*, pilot: Pilot, limit: int = 6) -> dict:
    """Open serious repeats (blocking expansion), the latest open entries and counts: 3 queries."""
    open_entries = ErrorEntry.objects.filter(pilot=pilot, status=ErrorEntry.Status.OPEN)
    related = with_response_fields(
        open_entries.select_related("failure_mode", "routed_to", "repeat_of")
    )
    repeats = list(related.filter(serious_repeat_q()).order_by("-created_at", "-id"))
    latest = list(
        related.exclude(severity=ErrorEntry.Severity.STOP_NOW).order_by("-created_at", "-id")[
            :limit
        ]
    )
    counts = open_entries.aggregate(
        open=Count("id"),
        medium=Count("id", filter=Q(severity=ErrorEntry.Severity.MEDIUM)),
        stop_now=Count("id", filter=Q(severity=ErrorEntry.Severity.STOP_NOW)),
    )
    shown = len(latest) + counts["stop_now"]
    return {
        "serious_repeats": repeats,
        "latest": latest,
        "counts": counts,
        "more": counts["open"] > shown,
    }


def current_week_label() -> str:
    return week_label(timezone.localdate())


# --- Company-wide figures (the leadership view) ---------------------------------------------------

DATA_CONCERN_CATEGORIES = (
    ErrorEntry.Category.DATA_HANDLING,
    ErrorEntry.Category.SECURITY_INCIDENT,
)


def repeat_counts_by_pilot(*, pilot_ids, since: datetime) -> dict[int, dict[str, int]]:
    """Repeat failures per pilot: logged since `since`, still open, and open serious ones (medium
    or stop-now): one query; pilots without repeats map to zeros."""
    pilot_ids = list(pilot_ids)
    counts = {pilot_id: {"recent": 0, "open": 0, "serious_open": 0} for pilot_id in pilot_ids}
    rows = (
        ErrorEntry.objects.filter(pilot_id__in=pilot_ids, repeat_of__isnull=False)
        .order_by()
        .values("pilot_id")
        .annotate(
            recent=Count("id", filter=Q(created_at__gte=since)),
            open=Count("id", filter=Q(status=ErrorEntry.Status.OPEN)),
            serious_open=Count("id", filter=serious_repeat_q()),
        )
    )
    for row in rows:
        counts[row["pilot_id"]] = {key: row[key] for key in ("recent", "open", "serious_open")}
    return counts


def data_concerns(*, pilot_ids, since: datetime, limit: int = 50) -> list[ErrorEntry]:
    """Data-handling and security entries raised since `since`, open ones first, with their pilot,
    routing and response fields: one query."""
    return list(
        with_response_fields(
            ErrorEntry.objects.filter(
                pilot_id__in=list(pilot_ids),
                category__in=DATA_CONCERN_CATEGORIES,
                created_at__gte=since,
            )
        )
        .select_related("pilot", "routed_to")
        .order_by("-status", "-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class CategoryResolution:
    category: str
    label: str
    target_minutes: int
    raised: int
    open: int
    resolved: int
    overdue: int  # open, no fix recorded, past the target
    waiting: int  # open, no fix recorded, still within the target: not decided yet
    answered_in_time: int  # resolved or first fix recorded within the target
    average_hours_to_resolve: Decimal | None

    @property
    def in_time_percent(self) -> Decimal | None:
        """Of the entries whose target has come or been met, the share answered in time."""
        return percent(self.answered_in_time, self.raised - self.waiting)


def resolution_by_category(
    *, pilot_ids, since: datetime, now: datetime | None = None
) -> list[CategoryResolution]:
    """For each escalation category, the entries raised since `since`: how many, open, resolved,
    overdue, answered within the target, and the average time to resolve. Two queries (the paths,
    then one aggregate); the targets are constants per category, so no per-row arithmetic is
    needed in SQL."""
    now = now or timezone.now()
    paths = escalation_paths()
    in_time, overdue = Q(pk__in=[]), Q(pk__in=[])
    for category, path in paths.items():
        target = timedelta(minutes=path.target_minutes)
        in_time |= Q(category=category) & (
            Q(resolved_at__lte=F("created_at") + target)
            | Q(first_fix_at__lte=F("created_at") + target)
        )
        overdue |= Q(category=category, created_at__lt=now - target)
    is_open = Q(status=ErrorEntry.Status.OPEN)
    rows = (
        with_response_fields(
            ErrorEntry.objects.filter(pilot_id__in=list(pilot_ids), created_at__gte=since)
        )
        .exclude(category="")
        .order_by()
        .values("category")
        .annotate(
            raised=Count("id"),
            open=Count("id", filter=is_open),
            resolved=Count("id", filter=~is_open),
            overdue=Count("id", filter=is_open & Q(first_fix_at__isnull=True) & overdue),
            waiting=Count("id", filter=is_open & Q(first_fix_at__isnull=True) & ~overdue),
            answered_in_time=Count("id", filter=in_time),
            average=Avg(
                ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()),
                filter=~is_open,
            ),
        )
    )
    by_category = {row["category"]: row for row in rows}
    result = []
    for category, path in paths.items():
        row = by_category.get(category, {})
        average = row.get("average")
        result.append(
            CategoryResolution(
                category=category,
                label=path.label,
                target_minutes=path.target_minutes,
                raised=row.get("raised", 0),
                open=row.get("open", 0),
                resolved=row.get("resolved", 0),
                overdue=row.get("overdue", 0),
                waiting=row.get("waiting", 0),
                answered_in_time=row.get("answered_in_time", 0),
                average_hours_to_resolve=(
                    None
                    if average is None
                    else (Decimal(average.total_seconds()) / 3600).quantize(
                        TENTH, rounding=ROUND_HALF_UP
                    )
                ),
            )
        )
    return result
