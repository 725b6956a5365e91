"""The kill switch's cached status record: one small dict per pilot, in the shared cache.

Gateways read a pilot's status before every model call, so the answer comes from the cache
("default": Redis when REDIS_URL is set, else this process's memory). `pilots.services.
pilot_transition` publishes the new record when its transaction commits; readers that missed
only ever `add`, so a reader holding an older row can never overwrite a newer published record.
With an in-process cache other web processes cannot be told, so their entries live at most
PILOTDECK_STATUS_CACHE_SECONDS (1 s by default without Redis).

With Redis, each process also keeps a record it read for PILOTDECK_STATUS_LOCAL_SECONDS (0.5 s by
default): a Redis round trip costs more than the rest of the answer, and a gateway asks about the
same few pilots thousands of times a second. A pause is then seen by every process within that
time; the process that made the change sees it at once.
"""

import hashlib
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches

from pilots.models import Pilot

PREFIX = "killswitch:pilot:"
MAY_CALL_MODEL = frozenset({Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED})
RECENT_LIMIT = 10_000  # records kept per process; past it, forget them all

clock = time.monotonic
_recent: dict[int, tuple[float, dict]] = {}  # pilot id → (when read, record)


def forget_recent() -> None:
    _recent.clear()


def _remember(pilot_id: int, found: dict) -> None:
    if settings.PILOTDECK_STATUS_LOCAL_SECONDS > 0:
        if len(_recent) >= RECENT_LIMIT:
            _recent.clear()
        _recent[pilot_id] = (clock(), found)


def _recalled(pilot_ids: list[int]) -> dict[int, dict]:
    """The records this process read less than PILOTDECK_STATUS_LOCAL_SECONDS ago."""
    seconds = settings.PILOTDECK_STATUS_LOCAL_SECONDS
    if seconds <= 0:
        return {}
    oldest = clock() - seconds
    answer = {}
    for pk in pilot_ids:
        hit = _recent.get(pk)
        if hit is not None and hit[0] > oldest:
            answer[pk] = hit[1]
    return answer


def _cache():
    return caches["default"]


def record_of(pilot: Pilot) -> dict:
    """The answer for one pilot, with the ETag that changes whenever the answer does."""
    since = pilot.status_since.isoformat() if pilot.status_since else None
    tag = hashlib.blake2b(
        f"{pilot.pk}|{pilot.status}|{since}|{pilot.status_reason}".encode(), digest_size=8
    ).hexdigest()
    return {
        "id": pilot.pk,
        "status": pilot.status,
        "since": since,
        "reason": pilot.status_reason,
        "paused": pilot.status == Pilot.Status.PAUSED,
        "may_call_model": pilot.status in MAY_CALL_MODEL,
        "etag": tag,
    }


def publish(pilot: Pilot) -> None:
    """Write the pilot's current record (called on commit of a status change)."""
    found = record_of(pilot)
    _cache().set(PREFIX + str(pilot.pk), found, settings.PILOTDECK_STATUS_CACHE_SECONDS)
    _recent.pop(pilot.pk, None)
    _remember(pilot.pk, found)


def records(pilot_ids: Iterable[int]) -> dict[int, dict]:
    """The records of these pilots that exist: recalled, from the cache, the rest in one query."""
    wanted = [int(pk) for pk in pilot_ids]
    answer = _recalled(wanted)
    asked = [pk for pk in wanted if pk not in answer]
    cache = _cache()
    found = cache.get_many([PREFIX + str(pk) for pk in asked]) if asked else {}
    for key, value in found.items():
        pk = int(key[len(PREFIX) :])
        answer[pk] = value
        _remember(pk, value)
    missing = [pk for pk in asked if pk not in answer]
    if missing:
        fields = ("id", "status", "status_since", "status_reason")
        for pilot in Pilot.objects.filter(pk__in=missing).only(*fields):
            record = record_of(pilot)
            cache.add(PREFIX + str(pilot.pk), record, settings.PILOTDECK_STATUS_CACHE_SECONDS)
            answer[pilot.pk] = record
            _remember(pilot.pk, record)
    return answer


def record(pilot_id: int) -> dict | None:
    """One pilot's record, or None if there is no such pilot."""
    pilot_id = int(pilot_id)
    recalled = _recalled([pilot_id])
    if recalled:
        return recalled[pilot_id]
    found = _cache().get(PREFIX + str(pilot_id))
    if found is not None:
        _remember(pilot_id, found)
        return found
    return records([pilot_id]).get(pilot_id)
