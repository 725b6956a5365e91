"""Demo ledger: 60 days of completed tasks and costs for the two piloting pilots, shaped like the
article's example (a few cents of model calls per draft, and the reviewer's seconds that cost far
more). Idempotent: every row has an idempotency key, and volumes are re-sent unchanged."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from costs.models import Category, Source
from costs.services import cost_entries_push, task_volumes_push
from costs.services.traffic_guard import measured_for
from demo.traffic_data import measured_by_traffic

DAYS = 60
HOUR = Decimal("3600")
FOUR = Decimal("0.0001")

# task type → (share of the day's tasks, model spend per task, reviewer seconds per task)
SUPPORT_TYPES = {
    "shipping update": (Decimal("0.40"), Decimal("0.035"), 25),
    "password reset": (Decimal("0.35"), Decimal("0.020"), 8),
    "account question": (Decimal("0.25"), Decimal("0.030"), 15),
}
SUPPORT_RATE = Decimal("38.00")
SALES_RATE = Decimal("45.00")


def _wobble(day, spread: int = 11) -> Decimal:
    """A deterministic day-to-day variation between 0.9 and 1.1."""
    return Decimal("0.9") + Decimal((day.toordinal() * 7919) % spread) / Decimal(5 * (spread - 1))


def _hours(tasks: int, seconds: int) -> Decimal:
    return (Decimal(tasks * seconds) / HOUR).quantize(FOUR, rounding=ROUND_HALF_UP)


def _support_rows(pilot, today):
    volumes, entries = [], []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        weekend = day.weekday() >= 5
        total = int(
            (Decimal(180) * (Decimal("0.4") if weekend else 1) * _wobble(day)).to_integral_value()
        )
        for task_type, (share, model_cost, seconds) in SUPPORT_TYPES.items():
            tasks = int((total * share).to_integral_value())
            volumes.append(
                {"pilot": pilot.pk, "date": day, "task_type": task_type, "completed": tasks}
            )
            key = f"demo:{pilot.pk}:{day}:{task_type}"
            entries.append(
                {
                    "pilot": pilot.pk,
                    "date": day,
                    "category": Category.MODEL_API,
                    "task_type": task_type,
                    "amount": (model_cost * tasks).quantize(FOUR),
                    "note": f"LLM gateway: {tasks} drafts",
                    "idempotency_key": f"{key}:model",
                    "_source": Source.API,
                }
            )
            entries.append(
                {
                    "pilot": pilot.pk,
                    "date": day,
                    "category": Category.REVIEWER_TIME,
                    "task_type": task_type,
                    "hours": _hours(tasks, seconds),
                    "hourly_rate": SUPPORT_RATE,
                    "note": "Agent review and fixes (timesheet export)",
                    "idempotency_key": f"{key}:review",
                    "_source": Source.IMPORT,
                }
            )
        if not weekend:
            entries.append(
                {
                    "pilot": pilot.pk,
                    "date": day,
                    "category": Category.REWORK,
                    "hours": Decimal("0.2"),
                    "hourly_rate": SUPPORT_RATE,
                    "note": "Rewritten drafts (timesheet export)",
                    "idempotency_key": f"demo:{pilot.pk}:{day}:rework",
                    "_source": Source.IMPORT,
                }
            )
        if day.toordinal() % 7 == 3:
            entries.append(
                {
                    "pilot": pilot.pk,
                    "date": day,
                    "category": Category.ESCALATIONS,
                    "hours": Decimal("0.5"),
                    "hourly_rate": Decimal("52.00"),
                    "note": "Tier-2 handled drafts that quoted the wrong delivery date",
                    "idempotency_key": f"demo:{pilot.pk}:{day}:escalation",
                    "_source": Source.IMPORT,
                }
            )
        if day.day == 1:
            for name, fee in (
                ("Prompt logging tool", Decimal("49.00")),
                ("Eval runner", Decimal("29.00")),
            ):
                entries.append(
                    {
                        "pilot": pilot.pk,
                        "date": day,
                        "category": Category.TOOL_FEES,
                        "amount": fee,
                        "note": f"{name}, monthly plan",
                        "idempotency_key": f"demo:{pilot.pk}:{day}:{name}",
                        "_source": Source.MANUAL,
                    }
                )
    return volumes, entries


def _sales_rows(pilot, today):
    volumes, entries = [], []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        tasks = int((Decimal(60) * _wobble(day, 7)).to_integral_value())
        volumes.append({"pilot": pilot.pk, "date": day, "completed": tasks})
        key = f"demo:{pilot.pk}:{day}"
        entries.append(
            {
                "pilot": pilot.pk,
                "date": day,
                "category": Category.MODEL_API,
                "amount": (Decimal("0.02") * tasks).quantize(FOUR),
                "note": f"LLM gateway: {tasks} call summaries",
                "idempotency_key": f"{key}:model",
                "_source": Source.API,
            }
        )
        entries.append(
            {
                "pilot": pilot.pk,
                "date": day,
                "category": Category.REVIEWER_TIME,
                "hours": _hours(tasks, 20),
                "hourly_rate": SALES_RATE,
                "note": "Reps approving CRM notes",
                "idempotency_key": f"{key}:review",
                "_source": Source.IMPORT,
            }
        )
        if day.day == 1:
            entries.append(
                {
                    "pilot": pilot.pk,
                    "date": day,
                    "category": Category.TOOL_FEES,
                    "amount": Decimal("15.00"),
                    "note": "Transcription add-on, monthly plan",
                    "idempotency_key": f"{key}:transcription",
                    "_source": Source.MANUAL,
                }
            )
    return volumes, entries


def _push(entries, by) -> None:
    by_source: dict[str, list] = {}
    for entry in entries:
        by_source.setdefault(entry.pop("_source"), []).append(entry)
    for source, rows in by_source.items():
        cost_entries_push(by=by, rows=rows, source=source)


def load(users: dict, pilots_by_name: dict) -> None:
    today = timezone.localdate()
    builders = {
        "Support ticket first replies": _support_rows,
        "Sales call summaries": _sales_rows,
    }
    connected = measured_for(pilot.pk for pilot in pilots_by_name.values()).connected
    for name, build in builders.items():
        pilot = pilots_by_name.get(name)
        if pilot is None:
            continue
        volumes, entries = build(pilot, today)
        # What the demo traffic measures (the last two weeks, everything once connected) is not
        # typed as well: it would count twice, and the ledger refuses it.
        volumes = [v for v in volumes if not measured_by_traffic(pilot, v["date"], connected)]
        entries = [
            e
            for e in entries
            if e["category"] != Category.MODEL_API
            or not measured_by_traffic(pilot, e["date"], connected)
        ]
        if volumes:
            task_volumes_push(by=users["tomas"], rows=volumes, source=Source.API)
        _push(entries, users["tomas"])
