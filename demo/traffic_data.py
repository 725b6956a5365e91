"""Demo traffic: two weeks of gateway traffic for the two piloting pilots, so the Live traffic
figures (response time, handoffs and their pick-up, failures, the fallback path, adoption by
team) show on `make run`. Stored through the one ingest service in bulk — not over HTTP — and
idempotent: every task has a fixed source id and start, so a second load adds nothing.

Once a pilot has traffic its completed tasks and model spend come from it (nothing counted
twice), so demo/costs_data.py leaves those two to the traffic for these pilots.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from traffic.models import Origin, TaskRecord
from traffic.services.ingest import tasks_ingest
from traffic.services.pickup import task_pick_up

TRAFFIC_DAYS = 14

# task type → (share of the day's tasks, API cost per call, typical response time in ms)
SUPPORT_TYPES = {
    "shipping update": (Decimal("0.40"), Decimal("0.035"), 1400),
    "password reset": (Decimal("0.35"), Decimal("0.020"), 700),
    "account question": (Decimal("0.25"), Decimal("0.030"), 1900),
}
# team → the people who use the pilot; Billing has access but barely uses it.
SUPPORT_TEAMS = {
    "Customer Support": [f"agent{n}@example.com" for n in range(1, 9)],
    "Returns desk": ["ines@example.com", "omar@example.com", "paula@example.com"],
    "Billing": ["bill@example.com"],
}
HANDOFF_REASONS = ["order lookup failed", "no help-center article cited", "refund over limit"]
# task type → (what the customer wrote, what the AI drafted): the review queue shows these.
SUPPORT_TEXTS = {
    "shipping update": (
        "Hi, my order #{n} was meant to arrive on Monday and the tracking has not moved. Where is it?",
        "Hello, thank you for your patience. Order #{n} left our warehouse on Friday and the "
        "carrier shows it at the local depot; it should reach you within two working days.",
    ),
    "password reset": (
        "I can't sign in to my account, the reset e-mail never comes. Ticket {n}.",
        "Sorry about the trouble signing in. I have sent a new reset link; it is valid for one "
        "hour. If it does not arrive, please check your spam folder.",
    ),
    "account question": (
        "Can I change the e-mail address on my account to a work address? (ref {n})",
        "Yes: under Settings → Profile choose 'Change e-mail', confirm the new address from the "
        "message we send, and the old one stops working at once.",
    ),
}


def _spread(*numbers: int) -> int:
    """A deterministic pseudo-random number in 0–999 from the task's coordinates."""
    value = 0
    for number in numbers:
        value = (value * 7919 + number * 104729 + 13) % 1_000_003
    return value % 1000


def _started(day, index: int, count: int):
    """Tasks spread over the working day 08:00–18:00, local time."""
    seconds = 8 * 3600 + (10 * 3600 * index) // max(count, 1)
    return timezone.make_aware(datetime.combine(day, time()) + timedelta(seconds=seconds))


def _day_count(day, busy: int) -> int:
    weekend = day.weekday() >= 5
    wobble = 0.85 + (_spread(day.toordinal()) % 300) / 1000
    return int(busy * (0.35 if weekend else 1) * wobble)


def _support_rows(pilot, day, now) -> list[dict]:
    count = _day_count(day, 180)
    people = [(team, user) for team, users in SUPPORT_TEAMS.items() for user in users]
    main = [person for person in people if person[0] != "Billing"]
    rows = []
    for index in range(count):
        started = _started(day, index, count)
        if started > now - timedelta(minutes=5):
            break
        roll = _spread(day.toordinal(), index)
        share = roll / 1000
        task_type = "shipping update" if share < 0.40 else "password reset"
        if share >= 0.75:
            task_type = "account question"
        _, cost, typical = SUPPORT_TYPES[task_type]
        # Busy days answer a little slower; one call in twenty is much slower.
        latency = int(typical * (0.6 + (roll % 97) / 97) * (1.15 if count > 150 else 1))
        if roll % 20 == 0:
            latency *= 4
        team, user = ("Billing", "bill@example.com") if roll % 97 == 0 else main[roll % len(main)]
        outcome, reason = "completed", ""
        if roll % 100 < 11:
            outcome, reason = "handed_off", HANDOFF_REASONS[roll % len(HANDOFF_REASONS)]
        elif roll % 100 < 13:
            outcome = "failed"
        elif roll % 100 < 17:
            outcome = "skipped"  # a skip-AI case: the fallback path ran
        rows.append(
            {
                "pilot": pilot.pk,
                "source_id": f"demo-support-{day:%Y%m%d}-{index}",
                "started_at": started.isoformat(),
                "ended_at": (started + timedelta(milliseconds=latency)).isoformat(),
                "latency_ms": latency,
                "user": user,
                "team": team,
                "task_type": task_type,
                "model_requested": pilot.model_name,
                "model_served": pilot.model_name,
                "prompt_version": pilot.prompt_version,
                "input_tokens": 900 + roll,
                "output_tokens": 120 + roll % 200,
                "api_cost": str(cost if outcome != "skipped" else Decimal(0)),
                "outcome": outcome,
                "handoff_reason": reason,
                "input_text": SUPPORT_TEXTS[task_type][0].format(n=40000 + roll),
                "output_text": SUPPORT_TEXTS[task_type][1].format(n=40000 + roll),
            }
        )
    return rows


def _sales_rows(pilot, day, now) -> list[dict]:
    if day.weekday() >= 5:
        return []
    count = _day_count(day, 60)
    reps = [f"rep{n}@example.com" for n in range(1, 6)]
    rows = []
    for index in range(count):
        started = _started(day, index, count)
        if started > now - timedelta(minutes=5):
            break
        roll = _spread(day.toordinal(), index, 7)
        latency = int(2600 * (0.7 + (roll % 89) / 89))
        outcome = "failed" if roll % 100 < 3 else "completed"
        if roll % 100 in (3, 4):
            outcome = "handed_off"
        rows.append(
            {
                "pilot": pilot.pk,
                "source_id": f"demo-sales-{day:%Y%m%d}-{index}",
                "started_at": started.isoformat(),
                "ended_at": (started + timedelta(milliseconds=latency)).isoformat(),
                "latency_ms": latency,
                "user": reps[roll % len(reps)],
                "team": "Sales",
                "task_type": "call summary",
                "model_requested": pilot.model_name,
                "model_served": pilot.model_name,
                "prompt_version": pilot.prompt_version,
                "input_tokens": 4000 + roll * 3,
                "output_tokens": 300 + roll % 150,
                "api_cost": "0.020",
                "outcome": outcome,
                "handoff_reason": "no CRM match for the caller" if outcome == "handed_off" else "",
            }
        )
    return rows


BUILDERS = {"Support ticket first replies": _support_rows, "Sales call summaries": _sales_rows}


def _pick_up_handoffs(pilot, by, now) -> None:
    """The tier-2 queue reports when a person took each handoff over: 5 to 95 minutes later,
    inside the support pilot's two-hour rule. Handoffs of the last hour are still waiting."""
    handoffs = TaskRecord.objects.filter(
        pilot=pilot, outcome="handed_off", picked_up_at__isnull=True, ended_at__lt=now
    ).values_list("source_id", "ended_at")
    for source_id, ended in handoffs:
        picked = ended + timedelta(minutes=5 + _spread(*map(ord, source_id[-8:])) % 90)
        if picked >= now:
            continue
        task_pick_up(by=by, pilot=pilot, source_id=source_id, data={"picked_up_at": picked})


def load(users: dict, pilots_by_name: dict) -> None:
    now = timezone.now()
    today = timezone.localdate()
    by = users["admin"]
    for name, build in BUILDERS.items():
        pilot = pilots_by_name.get(name)
        if pilot is None:
            continue
        rows = []
        for back in range(TRAFFIC_DAYS - 1, -1, -1):
            rows += build(pilot, today - timedelta(days=back), now)
        for start in range(0, len(rows), 5000):
            tasks_ingest(
                by=by, rows=rows[start : start + 5000], origin=Origin.LITELLM, keep_valid=False
            )
        if name == "Support ticket first replies":
            _pick_up_handoffs(pilot, by, now)


def measured_by_traffic(pilot, day, connected: set[int]) -> bool:
    """Whether the demo's traffic measures this pilot's tasks and model spend on `day`."""
    if pilot.name not in BUILDERS:
        return False
    return pilot.pk in connected or day > timezone.localdate() - timedelta(days=TRAFFIC_DAYS)
