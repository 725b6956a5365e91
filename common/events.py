"""A write that may trip a stop rule says so here; the rule engine (governance) listens.

Apps below governance call `pilot_facts_changed(pilot_id)` inside their write's transaction. That
writes an outbox row (`PendingEvaluation`) in the same transaction, then — only once it commits —
runs the handlers (governance queues an evaluation). If the broker is down the handler's error is
logged and the write stands; the outbox drain re-dispatches the request when the broker is back.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import PendingEvaluation

_handlers: list[Callable[[int], None]] = []


def on_pilot_facts_changed(handler: Callable[[int], None]) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def pilot_facts_changed(pilot_id: int) -> None:
    PendingEvaluation.objects.bulk_create(  # one upsert: the newest request wins
        [PendingEvaluation(pilot_id=pilot_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["pilot_id"],
        update_fields=["requested_at"],
    )
    for handler in _handlers:

        def notify(handler=handler):
            handler(pilot_id)

        notify.__qualname__ = f"{handler.__qualname__}({pilot_id})"  # named in Django's error log
        transaction.on_commit(notify, robust=True)
