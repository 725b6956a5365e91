"""Task texts for the review queue's tests: ingest through the real path, or fill a pool."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from reviews.models import PoolCandidate, QueueItem
from reviews.pool import task_rank
from traffic.services.ingest import tasks_ingest


def task_row(pilot, n, *, day, user="ana@example.com", **overrides):
    started = timezone.make_aware(datetime.combine(day, time(9))) + timedelta(seconds=n)
    row = {
        "pilot": pilot.pk,
        "source_id": f"req-{day:%m%d}-{n}",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(seconds=2)).isoformat(),
        "user": user,
        "task_type": "Shipping update",
        "model_served": "gpt-4o-mini",
        "input_tokens": 800,
        "output_tokens": 90,
        "api_cost": "0.0031",
        "outcome": "completed",
        "input_text": f"Where is order {n}?",
        "output_text": f"Order {n} ships on Friday.",
    }
    row.update(overrides)
    return row


def ingest(by, rows):
    return tasks_ingest(by=by, rows=rows, origin="native", keep_valid=False)


def candidate(pilot, n, *, day, user="ana", messy=(), **fields):
    started = timezone.make_aware(datetime.combine(day, time(10))) + timedelta(seconds=n)
    source = fields.pop("source_id", f"T-{day:%m%d}-{n}")
    return PoolCandidate.objects.create(
        pilot=pilot,
        day=day,
        source_id=source,
        started_at=started,
        user_ref=user,
        task_type=fields.pop("task_type", "shipping update"),
        outcome=fields.pop("outcome", "completed"),
        messy=list(messy),
        input_text=fields.pop("input_text", f"Where is order {n}?"),
        output_text=fields.pop("output_text", f"Order {n} ships on Friday."),
        rank=task_rank(pilot.pk, source, started),
        **fields,
    )


def free_queue_item(m):
    """A drawn, unopened item of the route table's week (made inside each role's rolled-back call)."""
    task = candidate(m.pilot, 1, day=m.week.week_start - timedelta(days=2))
    return QueueItem.objects.create(
        week=m.week, candidate=task, reference=task.source_id, position=1
    )


QUEUE_SCORE = {
    "accuracy_ok": "True",
    "tone_ok": "True",
    "completeness_ok": "True",
    "outcome": "sent_as_is",
    "minutes_with_ai": "2",
    "manual_minutes": "7",
}
