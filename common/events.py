"""A write that may trip a stop rule says so here; the rule engine (governance) listens.

Apps below governance call `pilot_facts_changed(pilot_id)` inside their write's transaction;
handlers run only after it commits (nothing runs for a rolled-back write), and a failing handler
(e.g. the broker is down) is logged, never undoes the write — the scheduled sweep catches up.
"""

from collections.abc import Callable

from django.db import transaction

_handlers: list[Callable[[int], None]] = []


def on_pilot_facts_changed(handler: Callable[[int], None]) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def pilot_facts_changed(pilot_id: int) -> None:
    for handler in _handlers:

        def notify(handler=handler):
            handler(pilot_id)

        notify.__qualname__ = f"{handler.__qualname__}({pilot_id})"  # named in Django's error log
        transaction.on_commit(notify, robust=True)
