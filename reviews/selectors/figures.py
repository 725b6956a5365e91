"""Reads for review weeks, samples and the error log: figures aggregated in the database, a fixed
number of queries whatever the row count.

Other apps call `error_rates_by_pilot` (costs), `weekly_figures`, `open_stop_now_errors` and
`serious_repeats` (the governance rule engine), `repeat_counts_by_pilot`, `data_concerns` and
`resolution_by_category` (the leadership view); keep their signatures stable.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import Lower

from common.money import percent
from pilots.models import Pilot
from pilots.selectors import pilot_ids_q

from ..models import ErrorEntry, ReviewWeek, Sample, failing_sample_q, serious_repeat_q
from ..weeks import week_label

MIN_DISTINCT_DAYS = 3
TENTH = Decimal("0.1")


@dataclass(slots=True)
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
    closed: bool = False
    failing: int = 0
    corrected: int = 0

    @property
    def coverage_warnings(self) -> list[str]:
        # Worked out when shown: the rule sweep builds tens of thousands of weeks and reads none.
        return coverage_warnings(
            samples=self.samples,
            distinct_days=self.distinct_days,
            distinct_users=self.distinct_users,
            messy=self.messy_count,
        )

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
        closed=not week.is_open,
        failing=row.get("failing", 0),
        corrected=row.get("corrected", 0),
    )


class _WeekKey(NamedTuple):
    """What `_figures` reads of a week, read with `.values_list()`: for the tens of thousands of
    weeks a sweep looks at, building model instances would cost more than the query."""

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


def figures_by_week(*, weeks) -> dict[int, WeekFigures]:
    """The figures of any list of review weeks, by week id: one query (none for no weeks)."""
    weeks = list(weeks)
    rows = _rows_by_week([week.pk for week in weeks]) if weeks else {}
    return {week.pk: _figures(week, rows.get(week.pk)) for week in weeks}


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
        _WeekKey._make(values)
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
