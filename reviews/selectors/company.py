"""Company-wide review figures, for the leadership view."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.utils import timezone

from common.money import percent
from support.selectors import escalation_paths

from ..models import ErrorEntry, serious_repeat_q
from .figures import TENTH
from .pages import with_response_fields

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
