"""The kill switch's cached status record: one small dict per pilot, in the shared cache.

Gateways read a pilot's status before every model call, so the answer comes from the cache
("default": Redis when REDIS_URL is set, else this process's memory). `pilots.services.
pilot_transition` publishes the new record when its transaction commits; readers that missed
only ever `add`, so a reader holding an older row can never overwrite a newer published record.
With an in-process cache other web processes cannot be told, so their entries live at most
PILOTDECK_STATUS_CACHE_SECONDS (1 s by default without Redis).
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches

from pilots.models import Pilot

PREFIX = "killswitch:pilot:"
MAY_CALL_MODEL = frozenset({Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED})


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
    _cache().set(PREFIX + str(pilot.pk), record_of(pilot), settings.PILOTDECK_STATUS_CACHE_SECONDS)


def records(pilot_ids: Iterable[int]) -> dict[int, dict]:
    """The records of these pilots that exist: from the cache, the rest in one query."""
    wanted = [int(pk) for pk in pilot_ids]
    cache = _cache()
    found = cache.get_many([PREFIX + str(pk) for pk in wanted]) if wanted else {}
    answer = {int(key[len(PREFIX) :]): value for key, value in found.items()}
    missing = [pk for pk in wanted if pk not in answer]
    if missing:
        fields = ("id", "status", "status_since", "status_reason")
        for pilot in Pilot.objects.filter(pk__in=missing).only(*fields):
            record = record_of(pilot)
            cache.add(PREFIX + str(pilot.pk), record, settings.PILOTDECK_STATUS_CACHE_SECONDS)
            answer[pilot.pk] = record
    return answer


def record(pilot_id: int) -> dict | None:
    """One pilot's record, or None if there is no such pilot."""
    found = _cache().get(PREFIX + str(pilot_id))
    if found is not None:
        return found
    return records([pilot_id]).get(int(pilot_id))
