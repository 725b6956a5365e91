"""Users, teams, pilots with their one page, the ownership matrix, decision rights, rule settings,
status history and the change log."""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from governance.models import Change, DecisionRight, RuleSettings
from pilots.access import FINANCE_GROUP
from pilots.models import Pilot, PilotRole, StatusChange, Team

from .copy import copy_rows, reset_sequence
from .plan import ACTIVE, PilotPlan

User = get_user_model()
FIRST = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kofi")
LAST = ("Lopez", "Novak", "Okafor", "Patel", "Berg", "Park", "Sato", "Meyer", "Costa", "Ibsen")
# No password: the benchmark signs people in with force_login; nobody can sign in with these.
UNUSABLE = "!bench-no-password"
Kind = PilotRole.Kind
Right = DecisionRight.Kind


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def load_users(cursor, *, count: int, now: datetime) -> dict[str, int]:
    """`count` people, plus finance, an LLM gateway account (in finance) and an administrator.

    Returns the ids of the special accounts; people are ids 1..count."""
    special = {
        "finance": count + 1,
        "finance2": count + 2,
        "gateway": count + 3,
        "admin": count + 4,
    }
    rows = []
    for number in range(1, count + 1):
        first, last = FIRST[number % len(FIRST)], LAST[(number // 7) % len(LAST)]
        username = f"user{number:05d}"
        rows.append(
            (number, username, first, last, f"{username}@example.com", UNUSABLE, False, False, now)
        )
    for name, pk in special.items():
        rows.append(
            (pk, f"bench-{name}", name.title(), "Bench", f"{name}@example.com", UNUSABLE)
            + (name == "admin",) * 2
            + (now,)
        )
    columns = [
        "id",
        "username",
        "first_name",
        "last_name",
        "email",
        "password",
        "is_superuser",
        "is_staff",
        "date_joined",
    ]
    copy_rows(cursor, User, columns, rows)
    reset_sequence(cursor, User)
    finance, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    membership = User.groups.through
    copy_rows(
        cursor,
        membership,
        ["user_id", "group_id"],
        [(special[name], finance.pk) for name in ("finance", "finance2", "gateway")],
    )
    return special


def load_teams(cursor, count: int) -> None:
    copy_rows(cursor, Team, ["id", "name"], [(n, f"Team {n:03d}") for n in range(1, count + 1)])
    reset_sequence(cursor, Team)


PILOT_COLUMNS = [
    "id",
    "name",
    "team_id",
    "summary",
    "status",
    "status_since",
    "status_reason",
    "status_before_pause",
    "trigger",
    "task_input",
    "task_output",
    "limits",
    "never_do",
    "skip_ai_cases",
    "override_cases",
    "handoff_conditions",
    "handoff_receiver",
    "handoff_response_minutes",
    "fallback_action",
    "model_name",
    "model_version",
    "prompt_version",
    "data_sources",
    "average_daily_volume",
    "review_sample_size",
    "next_review_date",
    "monthly_cap",
    "cost_per_task_limit",
    "savings_stop_minutes",
    "expansion_metric",
    "expansion_threshold",
    "expansion_weeks",
    "created_at",
    "updated_at",
]
WORKFLOWS = (
    ("Support ticket first replies", "Draft first replies to routine support tickets."),
    ("Sales call summaries", "Summarise sales calls into the CRM."),
    ("Invoice variance summaries", "Explain invoice variances to finance."),
    ("Contract clause checks", "Flag unusual clauses in supplier contracts."),
    ("HR policy answers", "Answer routine HR policy questions for staff."),
)


def _pilot_row(plan: PilotPlan, today: date, rng: random.Random) -> tuple:
    title, summary = WORKFLOWS[plan.id % len(WORKFLOWS)]
    since = plan.ended or plan.started or plan.created
    paused = plan.status == Pilot.Status.PAUSED
    live = plan.status in ACTIVE
    metric = rng.random() < 0.6
    return (
        plan.id,
        f"{title} {plan.id:05d}",
        plan.team_id,
        summary,
        plan.status,
        at(since),
        "Paused after a cost review." if paused else "",
        Pilot.Status.PILOTING if paused else "",
        "a routine request arrives in the queue.",
        "the request and the records it refers to.",
        "a draft for a person to check.",
        "Routine requests only.",
        ["Approve refunds", "Change account data"],
        ["Billing disputes", "Legal threats"],
        ["The draft quotes a refund rule"] if rng.random() < 0.9 else [],
        "the lookup fails or the customer wrote twice.",
        "tier-2 support",
        rng.choice((30, 60, 120)),
        "hand_to_person" if rng.random() < 0.95 else "",
        rng.choice(("GPT-4.1 mini", "Claude Haiku", "Gemini Flash")),
        "2025-01",
        f"v{plan.prompt_changes + 1}",
        ["Help center", "Order data"],
        plan.daily_volume or None,
        20,
        (today + timedelta(days=rng.randint(0, 6))) if live else None,
        None,  # monthly cap: set from the generated ledger (see ledger.calibrate_limits)
        None,  # cost per task limit: likewise
        15 if plan.daily_volume >= 40 and rng.random() < 0.3 else None,
        "error_rate" if metric else "",
        5 if metric else None,
        4 if metric else None,
        at(plan.created),
        at(since),
    )


def load_pilots(cursor, plans: list[PilotPlan], today: date, rng: random.Random) -> None:
    copy_rows(cursor, Pilot, PILOT_COLUMNS, (_pilot_row(plan, today, rng) for plan in plans))
    reset_sequence(cursor, Pilot)


def load_roles(cursor, plans: list[PilotPlan]) -> int:
    rows, members = [], []
    role_id = 0
    for plan in plans:
        created = at(plan.created)
        for kind, (primary, backup) in plan.people.items():
            role_id += 1
            rows.append((role_id, plan.id, kind, primary, backup, 60, created, created))
            if kind == Kind.REVIEWER:
                members.extend((role_id, user) for user in plan.members)
        if plan.security:
            role_id += 1
            rows.append(
                (role_id, plan.id, Kind.LANE_SECURITY, *plan.security, 240, created, created)
            )
    columns = [
        "id",
        "pilot_id",
        "kind",
        "primary_id",
        "backup_id",
        "response_minutes",
        "created_at",
        "updated_at",
    ]
    copy_rows(cursor, PilotRole, columns, rows)
    reset_sequence(cursor, PilotRole)
    copy_rows(cursor, PilotRole.members.through, ["pilotrole_id", "user_id"], members)
    return len(rows) + len(members)


def _right_holders(plan: PilotPlan) -> dict[str, tuple[int, int | None]]:
    owner, owner_backup = plan.people[Kind.BUSINESS_OWNER]
    tech, tech_backup = plan.people[Kind.TECHNICAL_OWNER]
    stopper, _ = plan.people[Kind.STOP_AUTHORITY]
    data = plan.security or (tech_backup, tech)
    return {
        Right.MODEL_CHOICE: (tech, tech_backup),
        Right.PROMPT_CHANGES: (tech, tech_backup),
        Right.TOOL_ACCESS: (tech, tech_backup),
        Right.DATA_ACCESS: data,
        Right.APPROVAL_RULES: (owner, owner_backup),
        Right.POLICY_UPDATES: (owner, owner_backup),
        Right.HIGHER_USAGE: (owner, stopper),
        Right.FINAL_SIGNOFF: (stopper, owner),
    }


def load_decision_rights(cursor, plans: list[PilotPlan], rng: random.Random) -> int:
    """Every right owned, with a distinct backup — except on about one pilot in fifty."""
    rows = []
    for plan in plans:
        created = at(plan.created)
        gap = rng.random() < 0.02
        for kind, (owner, backup) in _right_holders(plan).items():
            if gap and kind == Right.FINAL_SIGNOFF:
                backup = None
            rows.append((plan.id, kind, owner, backup, created, created))
    columns = ["pilot_id", "kind", "owner_id", "backup_id", "created_at", "updated_at"]
    return copy_rows(cursor, DecisionRight, columns, rows)


def load_rule_settings(cursor, plans: list[PilotPlan], rng: random.Random) -> int:
    rows = [
        (plan.id, rng.choice((1, 2, 3)), rng.choice((3, 4)), 1, at(plan.created), at(plan.created))
        for plan in plans
        if rng.random() < 0.1
    ]
    columns = [
        "pilot_id",
        "review_grace_days",
        "rising_weeks",
        "max_live_changes_per_week",
        "created_at",
        "updated_at",
    ]
    return copy_rows(cursor, RuleSettings, columns, rows)


def load_status_changes(cursor, plans: list[PilotPlan]) -> int:
    rows = []
    for plan in plans:
        if plan.started is None:
            continue
        owner = plan.owner
        rows.append((plan.id, "draft", "piloting", owner, "Ready to pilot.", at(plan.started)))
        if plan.status in (Pilot.Status.EXPANDING, Pilot.Status.SCALED):
            rows.append(
                (plan.id, "piloting", "expanding", owner, "Target held.", at(plan.started, 12))
            )
        if plan.status == Pilot.Status.SCALED:
            rows.append(
                (plan.id, "expanding", "scaled", owner, "Rolled out.", at(plan.started, 15))
            )
        if plan.ended:
            stopper = plan.people[Kind.STOP_AUTHORITY][0]
            rows.append(
                (plan.id, "piloting", plan.status, stopper, "Stopped after review.", at(plan.ended))
            )
    columns = ["pilot_id", "from_status", "to_status", "by_id", "reason", "at"]
    return copy_rows(cursor, StatusChange, columns, rows)


def load_changes(cursor, plans: list[PilotPlan], today: date, rng: random.Random) -> int:
    """The prompt changes that led to each pilot's current version, one at a time, weeks apart."""
    rows = []
    change_id = 0
    for plan in plans:
        if not plan.prompt_changes or plan.started is None:
            continue
        tech = plan.people[Kind.TECHNICAL_OWNER][0]
        last = (plan.ended or today) - timedelta(days=14)
        gap = max(7, ((last - plan.started).days) // (plan.prompt_changes + 1))
        for number in range(1, plan.prompt_changes + 1):
            live = min(plan.started + timedelta(days=gap * number), last)
            if live < plan.started:
                live = plan.started
            change_id += 1
            latest = number == plan.prompt_changes
            rows.append(
                (
                    change_id,
                    plan.id,
                    "prompt",
                    f"Prompt v{number + 1}",
                    "Fewer missing refund rules.",
                    f"v{number + 1}",
                    "live" if latest else "closed",
                    plan.owner,
                    tech,
                    at(live - timedelta(days=1)),
                    at(live),
                    "" if latest else "Kept: fewer corrections.",
                    "" if latest else "kept",
                    None if latest else at(live + timedelta(days=7)),
                    at(live - timedelta(days=2)),
                    at(live),
                )
            )
    columns = [
        "id",
        "pilot_id",
        "kind",
        "title",
        "hypothesis",
        "new_value",
        "status",
        "requested_by_id",
        "approved_by_id",
        "decided_at",
        "live_at",
        "outcome",
        "verdict",
        "outcome_at",
        "created_at",
        "updated_at",
    ]
    copy_rows(cursor, Change, columns, rows)
    reset_sequence(cursor, Change)
    return len(rows)
