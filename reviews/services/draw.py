"""The draw: a week's sample chosen from the previous week's pool, stratified across days, users
and messy cases, with the seed and strata recorded on the week (WeekDraw), so anyone can see how
the sample was chosen and draw it again identically (`draw_choose` with the recorded seed).

The week opens and draws by itself on its first day (reviews.services.draw_due, by beat) for
every pilot whose pool holds tasks, or on demand from the queue page. Pilots without traffic keep the manual form.
"""

import random
import secrets
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from common.errors import ApplicationError, PermissionDenied
from pilots import access
from pilots.models import PilotRole
from traffic.services import bulk_sql

from ..models import PoolCandidate, QueueItem, ReviewWeek, WeekDraw

MIN_DAYS = 3
MIN_USERS = 2


class DrawFacts(NamedTuple):
    key: int
    day: date
    user: str
    messy: bool
    reference: str = ""  # the task's source id


def _pick(members: list[DrawFacts], *, want_messy: bool, users_drawn: Counter) -> int:
    """Which of a day's remaining tasks comes next: the wanted kind (messy or clean) first, then
    the person drawn least so far, then the shuffled order."""
    best, best_rank = 0, None
    for index, facts in enumerate(members):
        rank = (facts.messy != want_messy, users_drawn[facts.user])
        if rank == (False, 0):  # nothing ranks before it, nor anything after it with its rank
            return index
        if best_rank is None or rank < best_rank:
            best, best_rank = index, rank
    return best


def draw_choose(pool: list[DrawFacts], *, target: int, seed: int) -> list[int]:
    """The keys drawn, in review order, never one twice; the same pool and seed give the same
    draw whatever order the pool is listed in.

    1. A messy case first, when one exists.
    2. Coverage: tasks that add a missing day (until three) or person (until two), so a target of
       four or more covers three days and two people whenever the pool has them.
    3. The rest round robin across days, alternating messy and clean, each day's pick preferring
       the people drawn least so far.
    """
    rng = random.Random(seed)
    order = sorted(pool)  # by key: keys are unique, the tuple's first field
    rng.shuffle(order)
    chosen: list[DrawFacts] = []
    taken: set[int] = set()
    users_drawn: Counter[str] = Counter()

    def take(facts: DrawFacts) -> None:
        chosen.append(facts)
        taken.add(facts.key)
        users_drawn[facts.user] += 1

    messy = [facts for facts in order if facts.messy]
    if messy and target > 0:
        take(messy[0])
    need_days = min(MIN_DAYS, len({facts.day for facts in order}))
    need_users = min(MIN_USERS, len({facts.user for facts in order if facts.user}))
    while len(chosen) < target:
        days = {facts.day for facts in chosen}
        users = {facts.user for facts in chosen if facts.user}
        want_day, want_user = len(days) < need_days, len(users) < need_users
        if not (want_day or want_user):
            break
        best, most = None, 0
        for facts in order:
            if facts.key in taken:
                continue
            adds = (want_day and facts.day not in days) + (
                want_user and bool(facts.user) and facts.user not in users
            )
            if adds > most:
                best, most = facts, adds
                if most == want_day + want_user:  # nothing can add more
                    break
        if best is None:  # cannot happen while a day or person is missing; kept as a guard
            break
        take(best)
    by_day: dict[date, list[DrawFacts]] = {}
    for facts in order:
        if facts.key not in taken:
            by_day.setdefault(facts.day, []).append(facts)
    want_messy = not chosen or not chosen[-1].messy
    while len(chosen) < target and any(by_day.values()):
        for day in sorted(by_day):
            members = by_day[day]
            if not members or len(chosen) >= target:
                continue
            index = _pick(members, want_messy=want_messy, users_drawn=users_drawn)
            take(members.pop(index))
            want_messy = not want_messy
    return [facts.key for facts in chosen]


def pool_period(week: ReviewWeek) -> tuple[date, date]:
    """The days a week draws from: the seven before it starts."""
    return week.week_start - timedelta(days=7), week.week_start - timedelta(days=1)


def draw_gaps(pool: list[DrawFacts], chosen: list[DrawFacts], target: int) -> list[str]:
    """Why the sample cannot cover what it should, in words."""
    if not pool:
        return ["No task texts arrived in the previous week: log samples by hand this week."]
    gaps = []
    days = {facts.day for facts in pool}
    users = {facts.user for facts in pool if facts.user}
    if len(users) < MIN_USERS:
        if not users:
            gaps.append(
                "The tasks did not say who ran them, so the sample cannot spread across people."
            )
        else:
            gaps.append(f"Only one person used it in the previous week ({next(iter(users))}).")
    if len(days) < MIN_DAYS:
        named = ", ".join(f"{day:%a %d %b}" for day in sorted(days))
        gaps.append(
            f"It was used on only {len(days)} day{'s' if len(days) > 1 else ''} ({named}), "
            f"so the sample cannot cover three days."
        )
    if len(chosen) < target:
        gaps.append(
            f"The pool holds {len(pool)} task{'s' if len(pool) != 1 else ''}, "
            f"fewer than the target of {target}."
        )
    if not any(facts.messy for facts in pool):
        gaps.append("No messy case (handed off, failed, retried, long, reported) arrived.")
    return gaps


def reviewer_groups(pilot_ids) -> dict[int, list[int]]:
    """Per pilot, the reviewer role's primary, backup and named members (user ids, in that order):
    two queries of ids for any number of pilots."""
    groups: dict[int, list[int]] = {pilot_id: [] for pilot_id in pilot_ids}
    roles = PilotRole.objects.filter(pilot_id__in=groups, kind=PilotRole.Kind.REVIEWER)
    members: dict[int, list[int]] = {}
    through = PilotRole.members.through.objects.filter(pilotrole__in=roles.values("pk"))
    for role_id, user_id in through.order_by("pk").values_list("pilotrole_id", "user_id"):
        members.setdefault(role_id, []).append(user_id)
    for role_id, pilot_id, primary, backup in roles.values_list(
        "pk", "pilot_id", "primary_id", "backup_id"
    ):
        ids = groups[pilot_id]
        for user_id in [primary, backup, *members.get(role_id, [])]:
            if user_id and user_id not in ids:
                ids.append(user_id)
    return groups


def _double_count(drawn: int, reviewers: int) -> int:
    if reviewers < 2 or drawn == 0 or settings.PILOTDECK_AGREEMENT_PERCENT <= 0:
        return 0
    return max(1, round(drawn * settings.PILOTDECK_AGREEMENT_PERCENT / 100))


class DueWeek(NamedTuple):
    """What the draw reads of a review week (a ReviewWeek reads the same)."""

    pk: int
    pilot_id: int
    week_start: date
    target_size: int


ITEM_COLUMNS = (
    "week_id", "candidate_id", "reference", "position", "pass_number",
    "status", "skip_reason", "outcome",
)  # fmt: skip
ITEM_DEFAULTS = (QueueItem.Status.PENDING.value, "", "")  # status, skip_reason, outcome


def items_insert(items: Iterable[tuple]) -> None:
    """Queue items (tuples of ITEM_COLUMNS) by one COPY on PostgreSQL, however many weeks they
    belong to, written as `items` yields them; elsewhere (SQLite under `make run`) through
    bulk_create."""
    if bulk_sql.supported():
        bulk_sql.copy_in(QueueItem, ITEM_COLUMNS, items)
    else:
        QueueItem.objects.bulk_create(
            [QueueItem(**dict(zip(ITEM_COLUMNS, item, strict=True))) for item in items],
            batch_size=500,
        )


def draw_build(
    week: DueWeek | ReviewWeek, pool: list[DrawFacts], *, reviewers: int, seed: int, by=None
) -> tuple[dict, list[tuple]]:
    """The draw's fields (WeekDraw's, by attribute name) and its queue items (for `items_insert`)
    for `week`, unsaved (one pilot's or many pilots' at once), from the week's pool (`pools_of`)."""
    start, end = pool_period(week)
    keys = draw_choose(pool, target=week.target_size, seed=seed)
    by_key = {facts.key: facts for facts in pool}
    chosen = [by_key[key] for key in keys]
    doubles = _double_count(len(keys), reviewers)
    double_keys = set(random.Random(seed + 1).sample(keys, doubles)) if doubles else set()
    items = [
        (week.pk, key, by_key[key].reference, position, pass_number, *ITEM_DEFAULTS)
        for position, key in enumerate(keys, start=1)
        for pass_number in ((1, 2) if key in double_keys else (1,))
    ]
    strata = {
        "pool": len(pool),
        "drawn": len(keys),
        "double_reviewed": len(double_keys),
        "days": {str(day): n for day, n in sorted(Counter(f.day for f in chosen).items())},
        "people": dict(sorted(Counter(f.user or "unnamed" for f in chosen).items())),
        "messy": sum(f.messy for f in chosen),
        "pool_days": len({f.day for f in pool}),
        "pool_people": len({f.user for f in pool if f.user}),
        "pool_messy": sum(f.messy for f in pool),
    }
    draw = {
        "week_id": week.pk,
        "seed": seed,
        "period_start": start,
        "period_end": end,
        "strata": strata,
        "gaps": draw_gaps(pool, chosen, week.target_size),
        "drawn_by_id": by.pk if by is not None else None,
    }
    return draw, items


def pools_of(pilot_ids: list[int], period: tuple[date, date]) -> dict[int, list[DrawFacts]]:
    """Each pilot's pool in `period` as the draw sees it, read in one query with `messy` as true
    or false (no model instances, no JSON decoded: the beat reads every pilot's pool at once)."""
    rows = (
        PoolCandidate.objects.filter(pilot_id__in=pilot_ids, day__range=period)
        .order_by()
        .annotate(is_messy=ExpressionWrapper(~Q(messy=[]), output_field=BooleanField()))
        .values_list("pilot_id", "id", "day", "user_ref", "is_messy", "source_id")
    )
    pools: dict[int, list[DrawFacts]] = {pk: [] for pk in pilot_ids}
    for pilot_id, key, day, user, messy, reference in rows:
        pools[pilot_id].append(DrawFacts(key, day, user or "", messy, reference))
    return pools


@transaction.atomic
def review_week_draw(*, week: ReviewWeek, by, seed: int | None = None) -> WeekDraw:
    """Draw the week's sample from the previous week's pool (once: drawing again answers the
    recorded draw). `by` None is the beat task; otherwise one of the pilot's reviewers."""
    if by is not None and not access.can_review(by, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers draw the week's sample.")
    week = (
        ReviewWeek.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=week.pk)
    )
    existing = WeekDraw.objects.filter(week=week).first()
    if existing is not None:
        return existing
    if not week.is_open:
        raise ApplicationError(f"Review week {week.iso_week} is closed: nothing is drawn for it.")
    start, end = pool_period(week)
    pool = pools_of([week.pilot_id], (start, end))[week.pilot_id]
    seed = secrets.randbelow(2**31) if seed is None else seed
    reviewers = len(reviewer_groups([week.pilot_id])[week.pilot_id])
    fields, items = draw_build(week, pool, reviewers=reviewers, seed=seed, by=by)
    items_insert(items)
    draw = WeekDraw(**fields)
    draw.save()
    return draw
