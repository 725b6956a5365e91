"""The demo company: three pilots, one of them the support-drafting pilot from the article, filled in
completely, and a user for each role. Loading is idempotent: existing rows are left as they are."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo import costs_data, reviews_data, support_data, traffic_data
from governance import services as governance
from governance.models import Change, DecisionRight
from pilots import services as pilots
from pilots.access import FINANCE_GROUP
from pilots.models import Pilot, PilotRole

User = get_user_model()
DEMO_PASSWORD = "pilotdeck-demo"

PEOPLE = {
    "maria": ("Maria", "Lopez", "manager — support lead, business owner"),
    "tomas": ("Tomás", "Novak", "technical owner"),
    "rita": ("Rita", "Okafor", "reviewer — senior support agent"),
    "dev": ("Dev", "Patel", "reviewer group, backups"),
    "sam": ("Sam", "Whitfield", "stop authority — head of customer operations"),
    "lena": ("Lena", "Park", "security lane, backups"),
    "fiona": ("Fiona", "Berg", "finance — reads every pilot's costs"),
    "admin": ("Ada", "Admin", "administrator"),
}


def _users() -> dict[str, object]:
    users = {}
    for username, (first, last, _) in PEOPLE.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if username == "admin":
                user.is_superuser = user.is_staff = True
            user.save()
        users[username] = user
    finance, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    users["fiona"].groups.add(finance)
    return users


def _support_pilot(u) -> Pilot:
    today = timezone.localdate()
    next_monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    pilot = pilots.pilot_create(
        by=u["maria"],
        name="Support ticket first replies",
        team=pilots.team_get_or_create(name="Customer Support"),
        summary="Draft first replies to routine support tickets using the help center and order data.",
        trigger="a routine ticket (password reset, shipping update, basic account question) lands in the support queue.",
        task_input="the ticket text, the customer's last five orders and the matching help-center articles.",
        task_output="a draft first reply in the agent's queue; the agent checks facts, edits tone and sends it.",
        limits="Drafts only — nothing is sent without an agent. English tickets only; one ticket at a time.",
        never_do=["Approve refunds", "Change account data", "Answer legal complaints"],
        skip_ai_cases=[
            "Billing disputes",
            "Angry complaints",
            "Legal threats",
            "Chargebacks",
            "Customers who already wrote in twice",
        ],
        override_cases=[
            "The draft quotes a refund rule or a delivery deadline",
            "The order data is missing or older than 24 hours",
            "The customer mentions a contract, an invoice or a lawyer",
        ],
        handoff_conditions=(
            "the ticket matches a skip-AI case, the order lookup fails, or the draft cites no help-center article."
        ),
        handoff_receiver="the tier-2 support queue",
        handoff_response_minutes=120,
        fallback_action=Pilot.Fallback.HAND_TO_PERSON,
        fallback_detail="Tickets return to the normal queue with the tag ai-unavailable; agents answer from macros.",
        model_name="GPT-4.1 mini",
        model_version="2025-04-14",
        prompt_version="v7",
        data_sources=["Help center articles", "Order history (read-only)"],
        tools=["Order lookup", "Help-center search"],
        average_daily_volume=180,
        review_cadence=Pilot.Cadence.WEEKLY,
        review_weekday=Pilot.Weekday.MONDAY,
        review_sample_size=20,
        next_review_date=next_monday,
        monthly_cap=Decimal("1500.00"),
        alert_thresholds=[50, 80, 100],
        cost_per_task_limit=Decimal("0.9000"),
        savings_stop_minutes=15,
        one_more_team_multiplier=Decimal("2.00"),
        busy_month_multiplier=Decimal("1.60"),
        expansion_metric=Pilot.ExpansionMetric.ERROR_RATE,
        expansion_threshold=Decimal("5.00"),
        expansion_weeks=4,
        drills_run_on=today - timedelta(days=21),
        normal_day_walkthrough="a password-reset ticket — draft in 20 seconds, agent checks the link and sends.",
        normal_day_agreed=True,
        bad_day_scenarios=["missing data", "wrong answer", "timeout", "cost spike"],
        bad_day_walkthrough=(
            "order data missing for a shipping question — the draft said 'delivered'; the agent spotted it, "
            "handed off to tier 2 and logged a medium error."
        ),
        bad_day_agreed=True,
    )
    Kind = PilotRole.Kind
    assignments = [
        (Kind.BUSINESS_OWNER, "maria", "sam", 240, []),
        (Kind.TECHNICAL_OWNER, "tomas", "dev", 120, []),
        (Kind.REVIEWER, "rita", "dev", 1440, []),
        (Kind.STOP_AUTHORITY, "sam", "maria", 30, []),
        (Kind.LANE_SECURITY, "lena", None, 60, []),
        (Kind.LANE_IT, "tomas", None, 240, []),
    ]
    for kind, primary, backup, minutes, members in assignments:
        pilots.role_assign(
            pilot=pilot,
            kind=kind,
            by=u["maria"],
            primary=u[primary],
            backup=u[backup] if backup else None,
            response_minutes=minutes,
            members=[u[m] for m in members],
        )
    rights = {
        DecisionRight.Kind.MODEL_CHOICE: ("tomas", "maria"),
        DecisionRight.Kind.PROMPT_CHANGES: ("tomas", "dev"),
        DecisionRight.Kind.TOOL_ACCESS: ("tomas", "lena"),
        DecisionRight.Kind.DATA_ACCESS: ("lena", "tomas"),
        DecisionRight.Kind.APPROVAL_RULES: ("maria", "sam"),
        DecisionRight.Kind.POLICY_UPDATES: ("maria", "sam"),
        DecisionRight.Kind.HIGHER_USAGE: ("sam", "maria"),
        DecisionRight.Kind.FINAL_SIGNOFF: ("sam", "maria"),
    }
    for kind, (owner, backup) in rights.items():
        governance.decision_right_assign(
            pilot=pilot, kind=kind, by=u["maria"], owner=u[owner], backup=u[backup]
        )
    pilots.pilot_transition(
        pilot=pilot,
        to_status=Pilot.Status.PILOTING,
        by=u["maria"],
        reason="One-page model written with the team; drills agreed.",
    )
    change = governance.change_propose(
        pilot=pilot,
        by=u["rita"],
        kind=Change.Kind.PROMPT,
        new_value="v7",
        title="Quote the delivery window from order data, never from the help center",
        hypothesis="Shipping drafts stop promising the wrong delivery date; wrong-fact errors fall below 5%.",
    )
    governance.change_decide(
        change=change, by=u["tomas"], approve=True, note="One change this week."
    )
    governance.change_mark_live(
        change=change, by=u["tomas"], live_at=timezone.now() - timedelta(days=9)
    )
    governance.change_record_outcome(
        change=change,
        by=u["rita"],
        verdict=Change.Verdict.KEPT,
        outcome="2 of 20 shipping drafts needed edits, down from 6; no wrong dates in the sample.",
    )
    governance.change_propose(
        pilot=pilot,
        by=u["rita"],
        kind=Change.Kind.DATA_SOURCE,
        title="Add the returns policy page as a data source",
        hypothesis="Drafts for return questions stop missing the 30-day rule.",
    )
    return pilot


def _sales_pilot(u) -> Pilot:
    pilot = pilots.pilot_create(
        by=u["maria"],
        name="Sales call summaries",
        team=pilots.team_get_or_create(name="Sales"),
        summary="Summarize recorded sales calls into CRM notes with next steps.",
        trigger="a recorded call longer than five minutes ends.",
        task_input="the call transcript and the account's open opportunities.",
        task_output="a CRM note with summary, objections and next steps, for the rep to approve.",
        never_do=["Update deal stages", "Send anything to the customer"],
        skip_ai_cases=["Calls with legal or procurement"],
        model_name="Claude Sonnet",
        prompt_version="v2",
        data_sources=["Call transcripts", "CRM opportunities"],
        average_daily_volume=60,
        monthly_cap=Decimal("400.00"),
        review_sample_size=25,
    )
    Kind = PilotRole.Kind
    pilots.role_assign(
        pilot=pilot,
        kind=Kind.BUSINESS_OWNER,
        by=u["maria"],
        primary=u["maria"],
        backup=u["sam"],
        response_minutes=480,
    )
    pilots.role_assign(
        pilot=pilot,
        kind=Kind.TECHNICAL_OWNER,
        by=u["maria"],
        primary=u["tomas"],
        response_minutes=240,
    )
    pilots.role_assign(
        pilot=pilot,
        kind=Kind.REVIEWER,
        by=u["maria"],
        primary=u["dev"],
        backup=u["rita"],
        members=[u["rita"]],
        response_minutes=1440,
    )
    pilots.pilot_transition(
        pilot=pilot,
        to_status=Pilot.Status.PILOTING,
        by=u["maria"],
        reason="Three reps started using it.",
    )
    return pilot


def _invoice_pilot(u) -> Pilot:
    pilot = pilots.pilot_create(
        by=u["tomas"],
        name="Invoice variance summaries",
        team=pilots.team_get_or_create(name="Finance"),
        summary="Summarize month-end invoice variances for the controller.",
        trigger="the month-end close starts.",
        model_name="GPT-4.1",
    )
    pilots.role_assign(
        pilot=pilot, kind=PilotRole.Kind.TECHNICAL_OWNER, by=u["tomas"], primary=u["tomas"]
    )
    pilots.role_assign(pilot=pilot, kind=PilotRole.Kind.REVIEWER, by=u["tomas"], primary=u["rita"])
    return pilot


DEMO_PILOTS = {
    "Support ticket first replies": _support_pilot,
    "Sales call summaries": _sales_pilot,
    "Invoice variance summaries": _invoice_pilot,
}


# Each app adds its own demo rows (review weeks, ledger entries, …) through a function
# `load(users, pilots_by_name)` that must itself be idempotent.
# traffic_data comes after costs_data: once a pilot has traffic, the ledger refuses typed tasks.
DEMO_EXTENSIONS: list = [
    support_data.load,
    costs_data.load,
    traffic_data.load,
    reviews_data.load,
]


@transaction.atomic
def load_demo_company() -> tuple[dict[str, tuple[str, str]], bool]:
    """Load what is missing; returns the logins to print and whether anything was added."""
    users = _users()
    existing = set(Pilot.objects.filter(name__in=DEMO_PILOTS).values_list("name", flat=True))
    for name, build in DEMO_PILOTS.items():
        if name not in existing:
            build(users)
    pilots_by_name = {pilot.name: pilot for pilot in Pilot.objects.filter(name__in=DEMO_PILOTS)}
    for extend in DEMO_EXTENSIONS:
        extend(users, pilots_by_name)
    logins = {
        username: (f"{first} {last}", role) for username, (first, last, role) in PEOPLE.items()
    }
    return logins, len(existing) < len(DEMO_PILOTS)
