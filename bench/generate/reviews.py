"""Review weeks and their samples, failure modes and the error log.

Live pilots closed last week's review (a few are overdue); bigger pilots have more weeks on file.
Most errors are low and resolved; a handful of stop-now errors and serious repeats stay open, so
the sweep pauses a few pilots, as it would in a real company of this size.
"""

import random
from datetime import date, timedelta

from pilots.models import PilotRole
from reviews.models import ErrorEntry, FailureMode, ReviewWeek, Sample

from .copy import copy_rows, deferred_indexes, reset_sequence
from .people import at
from .plan import ACTIVE, PilotPlan

Kind = PilotRole.Kind
Severity, Status = ErrorEntry.Severity, ErrorEntry.Status
OUTCOMES = ["sent_as_is"] * 60 + ["minor_edit"] * 25 + ["major_rewrite"] * 10 + ["discarded"] * 5
CATEGORIES = list(ErrorEntry.Category.values)
FIXES = list(ErrorEntry.FixKind.values)
MODES = (
    "wrong-delivery-date",
    "missing-refund-rule",
    "invented-policy",
    "wrong-tone",
    "stale-data",
)


def exact_split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly to `total`."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _weeks_of(plan: PilotPlan, today: date, rng: random.Random) -> list[tuple[date, bool]]:
    """(Monday, closed) for each review week of the pilot, newest first."""
    if plan.started is None:
        return []
    this_monday = today - timedelta(days=today.weekday())
    end = plan.ended or today
    latest = min(this_monday, end - timedelta(days=end.weekday())) - timedelta(days=7)
    if plan.status in ACTIVE and plan.id != 1 and rng.random() < 0.03:
        latest -= timedelta(days=7 * rng.randint(2, 5))  # overdue: nobody closed a week lately
    first = plan.started - timedelta(days=plan.started.weekday())
    wanted = 1 + min(12, int(plan.weight))
    weeks = []
    monday = latest
    while monday >= first and len(weeks) < wanted:
        weeks.append((monday, True))
        monday -= timedelta(days=7)
    if plan.status in ACTIVE and rng.random() < 0.5:
        weeks.insert(0, (this_monday, False))
    return weeks


def load_reviews(
    cursor, plans: list[PilotPlan], *, today: date, samples: int, rng: random.Random
) -> dict[str, int]:
    week_rows, plan_of_week = [], []
    week_id = 0
    for plan in plans:
        reviewer = plan.reviewer
        for monday, closed in _weeks_of(plan, today, rng):
            week_id += 1
            sunday = monday + timedelta(days=6)
            closed_at = at(sunday, 16) if closed else None
            week_rows.append(
                (
                    week_id,
                    plan.id,
                    monday,
                    reviewer,
                    20,
                    "Reviewed the sample; two refund answers needed edits." if closed else "",
                    "closed" if closed else "open",
                    "Keep the prompt; test the refund rule next week." if closed else "",
                    closed_at,
                    reviewer if closed else None,
                    at(monday),
                    closed_at or at(monday),
                )
            )
            plan_of_week.append((plan, monday, min(sunday, today)))
    columns = [
        "id",
        "pilot_id",
        "week_start",
        "reviewer_id",
        "target_size",
        "notes",
        "status",
        "decision",
        "closed_at",
        "closed_by_id",
        "created_at",
        "updated_at",
    ]
    copy_rows(cursor, ReviewWeek, columns, week_rows)
    reset_sequence(cursor, ReviewWeek)
    sizes = exact_split(samples, [rng.uniform(0.5, 1.5) for _ in week_rows])
    with deferred_indexes(cursor, Sample):
        sample_count = copy_rows(
            cursor, Sample, SAMPLE_COLUMNS, _samples(plan_of_week, week_rows, sizes, rng)
        )
    return {"review weeks": len(week_rows), "review samples": sample_count}


SAMPLE_COLUMNS = [
    "week_id",
    "pilot_id",
    "reference",
    "produced_on",
    "produced_by",
    "case",
    "accuracy_ok",
    "accuracy_note",
    "tone_ok",
    "completeness_ok",
    "completeness_note",
    "should_have_gone_to_human",
    "outcome",
    "minutes_with_ai",
    "manual_minutes",
    "complaint",
    "logged_by_id",
    "created_at",
    "updated_at",
]


def _samples(plan_of_week, week_rows, sizes, rng: random.Random):
    random_, randint = rng.random, rng.randint
    reference = 0
    for (plan, monday, last), row, size in zip(plan_of_week, week_rows, sizes, strict=True):
        week_id = row[0]
        days = (last - monday).days + 1
        quality = 0.04 + (plan.id % 7) * 0.015
        for _ in range(size):
            reference += 1
            day = monday + timedelta(days=randint(0, days - 1))
            accurate = random_() > quality
            complete = random_() > quality
            stamp = at(day, 17)
            yield (
                week_id,
                plan.id,
                f"T-{reference}",
                day,
                f"Agent {randint(1, plan.producers)}",
                "messy" if random_() < 0.3 else "easy",
                accurate,
                "" if accurate else "Quoted the wrong delivery date.",
                random_() > 0.03,
                complete,
                "" if complete else "Left out the 30-day return rule.",
                random_() < 0.03,
                OUTCOMES[randint(0, 99)],
                f"{randint(10, 60) / 10:.1f}",
                f"{randint(40, 150) / 10:.1f}",
                random_() < 0.02,
                plan.reviewer,
                stamp,
                stamp,
            )


def _router(plan: PilotPlan, category: str) -> tuple[str, int]:
    for kind in ErrorEntry.ROUTES[category]:
        if kind == Kind.LANE_SECURITY:
            if plan.security:
                return kind, plan.security[0]
            continue
        return kind, plan.people[kind][0]
    return Kind.BUSINESS_OWNER, plan.owner


def load_errors(
    cursor, plans: list[PilotPlan], *, today: date, errors: int, rng: random.Random
) -> dict[str, int]:
    live = [plan for plan in plans if plan.started is not None]
    counts = exact_split(errors, [plan.weight**0.5 for plan in live])
    mode_rows, error_rows = [], []
    mode_id = error_id = 0
    for plan, count in zip(live, counts, strict=True):
        if not count:
            continue
        modes = []
        for slug in rng.sample(MODES, rng.randint(1, 4)):
            mode_id += 1
            modes.append(mode_id)
            mode_rows.append(
                (mode_id, plan.id, slug, slug.replace("-", " "), at(plan.started), at(plan.started))
            )
        span = plan.span(today)
        days = sorted(plan.started + timedelta(days=rng.randrange(span)) for _ in range(count))
        fixed: dict[int, int] = {}
        for day in days:
            error_id += 1
            error_rows.append(_error_row(error_id, plan, day, modes, fixed, today, rng))
    copy_rows(
        cursor,
        FailureMode,
        ["id", "pilot_id", "slug", "label", "created_at", "updated_at"],
        mode_rows,
    )
    reset_sequence(cursor, FailureMode)
    copy_rows(cursor, ErrorEntry, ERROR_COLUMNS, error_rows)
    reset_sequence(cursor, ErrorEntry)
    return {"failure modes": len(mode_rows), "error entries": len(error_rows)}


ERROR_COLUMNS = [
    "id",
    "pilot_id",
    "what_went_wrong",
    "reference",
    "task_asked",
    "output",
    "why_wrong",
    "reported_by_id",
    "caught_by_id",
    "occurred_on",
    "frequency",
    "severity",
    "failure_mode_id",
    "category",
    "routed_role",
    "routed_to_id",
    "status",
    "resolved_at",
    "resolved_by_id",
    "resolution_note",
    "repeat_of_id",
    "fix_kind",
    "fix_description",
    "fix_date",
    "created_at",
    "updated_at",
]


def _error_row(error_id, plan, day, modes, fixed, today: date, rng: random.Random) -> tuple:
    roll = rng.random()
    severity = (
        Severity.STOP_NOW if roll < 0.03 else Severity.MEDIUM if roll < 0.22 else Severity.LOW
    )
    mode = rng.choice(modes)
    repeat_of = None
    if severity != Severity.LOW and mode in fixed and rng.random() < 0.5:
        repeat_of = fixed[mode]
    if severity == Severity.STOP_NOW:
        still_open = rng.random() < 0.03
    elif repeat_of:
        still_open = rng.random() < 0.05
    else:
        still_open = rng.random() < 0.12
    category = rng.choice(CATEGORIES)
    routed_role, routed_to = _router(plan, category)
    fix = rng.choice(FIXES) if (not still_open and rng.random() < 0.85) else ""
    if fix:
        fixed[mode] = error_id
    resolved_on = min(day + timedelta(days=rng.randint(1, 5)), today)
    resolved = None if still_open else at(resolved_on, 0)
    return (
        error_id,
        plan.id,
        "The draft promised a refund the policy does not allow.",
        f"T-E{error_id}",
        "Draft a reply to a refund request.",
        "We will refund you in full today.",
        "Refunds over 30 days need a manager.",
        plan.reviewer,
        plan.reviewer,
        day,
        rng.choice(("once", "sometimes", "often")),
        severity,
        mode,
        category,
        routed_role,
        routed_to,
        Status.OPEN if still_open else Status.RESOLVED,
        resolved,
        None if still_open else routed_to,
        "" if still_open else "Fixed and checked in the next review.",
        repeat_of,
        fix,
        "Added the refund rule to the prompt." if fix else "",
        resolved.date() if fix else None,
        at(day, 11),
        resolved or at(day, 11),
    )
