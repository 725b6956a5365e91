"""What the data set holds, decided in Python before any row is written: sizes and each pilot's plan.

Sizes follow the issue: at scale 1, 10,000 pilots, 1,000,000 ledger entries over 12 months,
200,000 review samples and 20,000 error entries; everything else grows with them. Distributions
are meant to look like a company's: most pilots piloting, some paused or expanding; spend skewed
(a Pareto weight per pilot: a few pilots carry most of the ledger).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from pilots.models import Pilot

STATUS_SHARES = (
    (Pilot.Status.DRAFT, 8),
    (Pilot.Status.PILOTING, 62),
    (Pilot.Status.EXPANDING, 12),
    (Pilot.Status.SCALED, 5),
    (Pilot.Status.PAUSED, 9),
    (Pilot.Status.RETIRED, 4),
)
ACTIVE = (Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED)
# Pareto shape 1.16: the 80/20 rule — a fifth of the pilots carry most of the spend. Capped, so
# that the busiest pilot holds about half a percent of the ledger rather than a third of it.
SKEW = 1.16
MAX_WEIGHT = 300.0
TASK_TYPES = ("refund question", "shipping update", "password reset", "order change")
REQUIRED = ("business_owner", "technical_owner", "reviewer", "stop_authority")


@dataclass(frozen=True)
class Counts:
    pilots: int
    users: int
    teams: int
    ledger: int
    samples: int
    errors: int
    tasks: int  # task records (issue 12): 5,000,000 at scale 1

    @classmethod
    def at(cls, scale: float) -> "Counts":
        if scale <= 0:
            raise ValueError("The scale must be above zero.")
        return cls(
            pilots=max(3, round(10_000 * scale)),
            users=max(16, round(6_000 * scale)),
            teams=max(2, round(200 * scale)),
            ledger=max(30, round(1_000_000 * scale)),
            samples=max(10, round(200_000 * scale)),
            errors=max(5, round(20_000 * scale)),
            tasks=max(1_000, round(5_000_000 * scale)),
        )


@dataclass
class PilotPlan:
    id: int
    team_id: int
    status: str
    created: date
    started: date | None  # piloting began (None: still a draft)
    ended: date | None  # paused or retired on
    weight: float
    people: dict[str, tuple[int, int | None]] = field(
        default_factory=dict
    )  # kind → (primary, backup)
    security: tuple[int, int] | None = None
    members: tuple[int, ...] = ()
    task_types: tuple[str, ...] = ()
    unit_cost: float = 0.3
    hourly_rate: int = 55
    entries: int = 0
    daily_volume: int = 0
    prompt_changes: int = 0
    producers: int = 3

    def span(self, today: date) -> int:
        """Days with activity: from piloting until paused or retired (or today)."""
        if self.started is None:
            return 0
        return ((self.ended or today) - self.started).days + 1

    @property
    def owner(self) -> int:
        return self.people["business_owner"][0]

    @property
    def reviewer(self) -> int:
        return self.people["reviewer"][0]


def plan_pilots(counts: Counts, *, regular_users: range, today: date, rng: random.Random):
    """Each pilot's status, dates, weight and people. The first pilot is always a big, live one,
    so even the smallest scale has a pilot worth measuring."""
    statuses = [status for status, share in STATUS_SHARES for _ in range(share)]
    users = list(regular_users)
    security_group = users[: max(2, len(users) // 300)]
    everyone_else = users[len(security_group) :]
    plans = []
    for number in range(1, counts.pilots + 1):
        status = Pilot.Status.PILOTING if number == 1 else rng.choice(statuses)
        created = today - timedelta(days=rng.randint(20, 364))
        started = ended = None
        if status != Pilot.Status.DRAFT:
            started = created + timedelta(days=rng.randint(0, 10))
            if number == 1:
                created, started = today - timedelta(days=300), today - timedelta(days=290)
            if status in (Pilot.Status.PAUSED, Pilot.Status.RETIRED):
                ended = started + timedelta(days=rng.randint(7, max(7, (today - started).days)))
                ended = min(ended, today - timedelta(days=1))
                if ended < started:
                    ended = started
        picked = rng.sample(everyone_else, 8)
        people = {
            kind: (picked[2 * index], picked[2 * index + 1]) for index, kind in enumerate(REQUIRED)
        }
        plan = PilotPlan(
            id=number,
            team_id=rng.randint(1, counts.teams),
            status=status,
            created=created,
            started=started,
            ended=ended,
            weight=MAX_WEIGHT if number == 1 else min(MAX_WEIGHT, rng.paretovariate(SKEW)),
            people=people,
            unit_cost=rng.lognormvariate(-1.0, 0.7),
            hourly_rate=rng.choice((45, 55, 65, 80)),
            producers=rng.randint(2, 8),
        )
        if rng.random() < 0.3:
            plan.security = tuple(rng.sample(security_group, 2))
        if rng.random() < 0.3:
            taken = {user for pair in people.values() for user in pair}
            plan.members = tuple(
                rng.sample([user for user in everyone_else[:200] if user not in taken], 2)
            )[: rng.randint(1, 2)]
        if rng.random() < 0.1:
            plan.task_types = tuple(rng.sample(TASK_TYPES, rng.randint(2, 3)))
        if status != Pilot.Status.DRAFT:
            plan.prompt_changes = rng.randint(0, 3)
        plans.append(plan)
    _allocate_entries(plans, counts.ledger, today)
    return plans


def _allocate_entries(plans: list[PilotPlan], total: int, today: date) -> None:
    """Split `total` ledger entries over pilots by weight × days active, exactly."""
    shares = [plan.weight * plan.span(today) for plan in plans]
    whole = sum(shares)
    exact = [total * share / whole for share in shares]
    for plan, value in zip(plans, exact, strict=True):
        plan.entries = int(value)
    left = total - sum(plan.entries for plan in plans)
    by_remainder = sorted(
        range(len(plans)), key=lambda index: exact[index] - plans[index].entries, reverse=True
    )
    for index in by_remainder[:left]:
        plans[index].entries += 1
    for plan in plans:
        days = plan.span(today)
        per_day = plan.entries / days if days else 0
        # Tasks a day: a pushed cost covers a few dozen model calls (one task each).
        plan.daily_volume = max(5, round(per_day * 40)) if days else 0
