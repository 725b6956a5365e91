"""A write that may trip a stop rule says so here; the rule engine (governance) listens.

Apps below governance call `pilot_facts_changed(pilot_id)` (`pilots_facts_changed(ids)` for a
bulk write) inside their write's transaction. That
writes an outbox row (`PendingEvaluation`) in the same transaction, then — only once it commits —
runs the handlers (governance queues an evaluation). If the broker is down the handler's error is
logged and the write stands; the outbox drain re-dispatches the request when the broker is back.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from .models import PendingEvaluation

_handlers: list[Callable[[int], None]] = []


def on_pilot_facts_changed(handler: Callable[[int], None]) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def pilot_facts_changed(pilot_id: int) -> None:
    pilots_facts_changed([pilot_id])


def pilots_facts_changed(pilot_ids: Iterable[int]) -> None:
    """`pilot_facts_changed` for each of several pilots (a bulk write's): one upsert for all."""
    ids = sorted(set(pilot_ids))  # in id order, as every writer takes the rows' locks
    if not ids:
        return
    now = timezone.now()
    PendingEvaluation.objects.bulk_create(  # one upsert: the newest request wins
        [PendingEvaluation(pilot_id=pilot_id, requested_at=now) for pilot_id in ids],
        update_conflicts=True,
        unique_fields=["pilot_id"],
        update_fields=["requested_at"],
    )
    for pilot_id in ids:
        for handler in _handlers:

            def notify(handler=handler, pilot_id=pilot_id):
                handler(pilot_id)

            notify.__qualname__ = f"{handler.__qualname__}({pilot_id})"  # named in Django's log
            transaction.on_commit(notify, robust=True)


_stop_now_handlers: list[Callable[[int, str], None]] = []


def on_stop_now_reported(handler: Callable[[int, str], None]) -> None:
    if handler not in _stop_now_handlers:
        _stop_now_handlers.append(handler)


def stop_now_reported(pilot_id: int, reason: str) -> None:
    """A stop-now error was reported: the rule engine pauses the pilot and alerts the stop authority
    now, inside the caller's transaction, through the same alert path as every rule; `reason` is
    the pause's reason, written for people."""
    if not _stop_now_handlers:
        raise RuntimeError("No stop-now handler: the governance app is not installed.")
    for handler in _stop_now_handlers:
        handler(pilot_id, reason)
