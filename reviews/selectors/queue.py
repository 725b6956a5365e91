"""Reads of the review queue: progress, per-reviewer counts, the draw, and agreement pairs."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from ..agreement import Agreement, disagreements, week_agreement
from ..models import PoolCandidate, QueueItem, ReviewWeek, Sample, WeekDraw

SCORE_NAMES = ("accuracy_ok", "tone_ok", "completeness_ok", "should_have_gone_to_human", "outcome")


@dataclass
class QueueProgress:
    total: int = 0
    done: int = 0
    scored: int = 0
    skipped: int = 0
    seconds: int = 0
    reviewers: list[dict] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def queue_progress(*, week: ReviewWeek) -> QueueProgress:
    """Two queries: the totals, and the counts per reviewer (with their names)."""
    totals = QueueItem.objects.filter(week=week).aggregate(
        total=Count("id"),
        scored=Count("id", filter=Q(status=QueueItem.Status.SCORED)),
        skipped=Count("id", filter=Q(status=QueueItem.Status.SKIPPED)),
        seconds=Sum("seconds_spent"),
    )
    rows = (
        QueueItem.objects.filter(week=week, scored_by__isnull=False)
        .values("scored_by", "scored_by__username", "scored_by__first_name", "scored_by__last_name")
        .annotate(
            scored=Count("id", filter=Q(status=QueueItem.Status.SCORED)),
            skipped=Count("id", filter=Q(status=QueueItem.Status.SKIPPED)),
            seconds=Sum("seconds_spent"),
        )
        .order_by("scored_by__username")
    )
    reviewers = [
        {
            "name": " ".join(
                filter(None, [row["scored_by__first_name"], row["scored_by__last_name"]])
            )
            or row["scored_by__username"],
            "scored": row["scored"],
            "skipped": row["skipped"],
            "minutes": round((row["seconds"] or 0) / 60, 1),
        }
        for row in rows
    ]
    return QueueProgress(
        total=totals["total"],
        done=totals["scored"] + totals["skipped"],
        scored=totals["scored"],
        skipped=totals["skipped"],
        seconds=totals["seconds"] or 0,
        reviewers=reviewers,
    )


def week_draw(*, week: ReviewWeek) -> WeekDraw | None:
    return WeekDraw.objects.filter(week=week).first()


def week_has_pool(*, week: ReviewWeek) -> bool:
    """Whether the pilot has task texts to draw from at all (else: the manual form only)."""
    return PoolCandidate.objects.filter(pilot_id=week.pilot_id).exists()


@dataclass
class WeekAgreement:
    figures: list[Agreement]
    disagreed: list[dict]
    pairs: int


def agreement_of(*, week: ReviewWeek) -> WeekAgreement:
    """Items scored by two reviewers: agreement per dimension and the ones they disagreed on."""
    scored = (
        QueueItem.objects.filter(week=week, status=QueueItem.Status.SCORED)
        .select_related("scored_by")
        .order_by("position", "pass_number")
    )
    by_position: dict[int, list[QueueItem]] = defaultdict(list)
    for item in scored:
        by_position[item.position].append(item)
    twice = [items[:2] for items in by_position.values() if len(items) >= 2]
    pairs = [
        ({n: getattr(a, n) for n in SCORE_NAMES}, {n: getattr(b, n) for n in SCORE_NAMES})
        for a, b in twice
    ]
    differing = disagreements(pairs)
    disagreed = [
        {"reference": a.reference, "reviewers": (a.scored_by, b.scored_by), "on": on}
        for (a, b), on in zip(twice, differing, strict=True)
        if on
    ]
    return WeekAgreement(figures=week_agreement(pairs), disagreed=disagreed, pairs=len(pairs))


def pilot_last_sample(*, pilot_id: int) -> Sample | None:
    """The pilot's latest sample, any week: where the queue's manual baseline is carried from."""
    return Sample.objects.filter(pilot_id=pilot_id).order_by("-created_at", "-id").first()
