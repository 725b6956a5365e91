"""Reads for the reviews pages, lists and the one page's Reviews panel."""

from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pilots.access import scope_by_pilot
from pilots.models import Pilot
from support.selectors import target_minutes_expression

from ..models import ErrorEntry, FailureMode, ReviewWeek, Sample, serious_repeat_q
from ..weeks import week_label, week_start

# --- Pages and lists ------------------------------------------------------------------------------


def week_by_label(*, pilot: Pilot, iso_week: str) -> ReviewWeek | None:
    return (
        # The draw rides along (no extra query): the week page says how its sample was chosen.
        ReviewWeek.objects.select_related("reviewer", "closed_by", "next_change", "draw")
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
