"""The candidate pool: at ingest, the text of a stratified reservoir of each pilot's tasks per day.

`pool_texts` and `pool_offer` are the hooks the ingest calls (traffic.services.ingest), after the
records are stored: the first reads the texts a batch carries, the second decides which of the
batch's tasks keep theirs. Every other task's text is dropped — the traffic records carry none —
so text storage is bounded by PILOTDECK_POOL_PER_DAY × pilots × days, whatever the traffic.

A day's pool keeps messy cases first (handed off, failed, retried on another model, unusually long
input, later reported), up to two thirds of the bound while clean tasks exist, and spreads both
over users and task types in round-robin order. Which tasks win is decided by a stable key from
each task's identity, so the pool does not depend on the order batches arrive in. A few queries
per batch: one locked read of the touched days' pools, one delete, one insert.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings

from common.validators import sent_id

from .queue_models import PoolCandidate, QueueItem

Messy = PoolCandidate.Messy
LONG_INPUT_CHARS = 8000
MESSY_SHARE = (2, 3)  # at most this share of a day's pool is messy while clean tasks exist


def task_rank(pilot_id: int, source_id: str, started_at) -> int:
    digest = hashlib.blake2b(
        f"{pilot_id}|{source_id}|{started_at.isoformat()}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit column


def messy_reasons(row, input_text: str) -> list[str]:
    reasons = []
    if row.outcome == "handed_off":
        reasons.append(Messy.HANDED_OFF)
    if row.outcome == "failed":
        reasons.append(Messy.FAILED)
    if row.model_requested and row.model_served and row.model_requested != row.model_served:
        reasons.append(Messy.RETRIED)
    long_tokens = settings.PILOTDECK_POOL_LONG_INPUT_TOKENS
    if row.input_tokens >= long_tokens or len(input_text) >= LONG_INPUT_CHARS:
        reasons.append(Messy.LONG_INPUT)
    return [str(reason) for reason in reasons]


@dataclass(frozen=True)
class Offer:
    """What the choice needs to know of a task (an existing candidate or a new one)."""

    key: tuple
    user: str
    task_type: str
    messy: bool
    rank: int


def _round_robin(offers: list[Offer], limit: int) -> list[Offer]:
    """Up to `limit` offers, one per (user, task type) in turn, each stratum in rank order."""
    strata: dict[tuple, list[Offer]] = defaultdict(list)
    for offer in sorted(offers, key=lambda o: o.rank):
        strata[(offer.user, offer.task_type)].append(offer)
    queues = sorted(strata.values(), key=lambda members: members[0].rank)
    chosen: list[Offer] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(q) for q in queues):
        for members in queues:
            if depth < len(members) and len(chosen) < limit:
                chosen.append(members[depth])
        depth += 1
    return chosen


def choose(offers: list[Offer], bound: int) -> list[Offer]:
    """Which offers a day keeps: messy first (at most two thirds while clean ones exist), spread
    across users and task types."""
    messy = [offer for offer in offers if offer.messy]
    clean = [offer for offer in offers if not offer.messy]
    share = bound * MESSY_SHARE[0] // MESSY_SHARE[1]
    messy_quota = max(share, bound - len(clean))
    kept = _round_robin(messy, messy_quota)
    kept += _round_robin(clean, bound - len(kept))
    if len(kept) < bound:  # clean tasks ran out: the rest of the messy ones fill the day
        taken = {offer.key for offer in kept}
        kept += _round_robin([o for o in messy if o.key not in taken], bound - len(kept))
    return kept


def pool_texts(raw: Iterable) -> dict[str, list[tuple[object, str, str]]]:
    """Input and output text per sent source id (with the sent pilot, to tell pilots apart)."""
    texts: dict[str, list[tuple[object, str, str]]] = defaultdict(list)
    for item in raw:
        if item.__class__ is not dict and not isinstance(item, Mapping):
            continue
        given_in, given_out = item.get("input_text"), item.get("output_text")
        if not (isinstance(given_in, str) or isinstance(given_out, str)):
            continue
        source = str(item.get("source_id") or "").strip()
        texts[source].append(
            (
                sent_id(item.get("pilot")),
                given_in.strip() if isinstance(given_in, str) else "",
                given_out.strip() if isinstance(given_out, str) else "",
            )
        )
    return texts


def _text_for(row, texts) -> tuple[str, str] | None:
    sent = texts.get(row.source_id)
    if not sent:
        return None
    match = [entry for entry in sent if entry[0] == row.pilot_id] or (
        sent if len(sent) == 1 else []
    )
    if not match or not (match[0][1] or match[0][2]):
        return None
    return match[0][1], match[0][2]


def pool_offer(*, inserted: list, texts: dict) -> int:
    """Keep the text (`pool_texts` of the batch) of the batch's tasks that win a place in their
    day's pool; answer how many."""
    if not texts:
        return 0
    bound = settings.PILOTDECK_POOL_PER_DAY
    fresh: dict[tuple, list[PoolCandidate]] = defaultdict(list)
    for row in inserted:
        text = _text_for(row, texts)
        if text is None:
            continue
        day = row.day
        fresh[(row.pilot_id, day)].append(
            PoolCandidate(
                pilot_id=row.pilot_id,
                day=day,
                source_id=row.source_id,
                started_at=row.started_at,
                user_ref=row.user,
                team=row.team,
                task_type=row.task_type,
                outcome=row.outcome,
                messy=messy_reasons(row, text[0]),
                input_tokens=row.input_tokens,
                people_seconds=row.people_seconds,
                input_text=text[0],
                output_text=text[1],
                rank=task_rank(row.pilot_id, row.source_id, row.started_at),
            )
        )
    if not fresh or bound <= 0:
        return 0
    existing: dict[tuple, list[PoolCandidate]] = defaultdict(list)
    locked = PoolCandidate.objects.select_for_update().filter(
        pilot_id__in={key[0] for key in fresh}, day__in={key[1] for key in fresh}
    )
    for candidate in locked.only("id", "pilot_id", "day", "user_ref", "task_type", "messy", "rank"):
        existing[(candidate.pilot_id, candidate.day)].append(candidate)
    evicted: list[int] = []
    kept: list[PoolCandidate] = []
    for key, new in fresh.items():
        everyone = {("old", c.pk): c for c in existing.get(key, [])}
        everyone.update({("new", index): c for index, c in enumerate(new)})
        offers = [
            Offer(name, c.user_ref, c.task_type, bool(c.messy), c.rank)
            for name, c in everyone.items()
        ]
        winners = {offer.key for offer in choose(offers, bound)}
        evicted += [
            c.pk for name, c in everyone.items() if name[0] == "old" and name not in winners
        ]
        kept += [c for name, c in everyone.items() if name[0] == "new" and name in winners]
    if evicted:  # a task already drawn for review keeps its text
        drawn = QueueItem.objects.filter(candidate_id__in=evicted).values("candidate_id")
        PoolCandidate.objects.filter(pk__in=evicted).exclude(pk__in=drawn).delete()
    PoolCandidate.objects.bulk_create(kept, ignore_conflicts=True)
    return len(kept)


def pool_mark_reported(*, pilot_id: int, source_id: str) -> PoolCandidate | None:
    """A user reported this task's output: it is a messy case from now on (if its text is kept)."""
    candidate = (
        PoolCandidate.objects.filter(pilot_id=pilot_id, source_id=source_id)
        .order_by("-started_at")
        .first()
    )
    if candidate is not None and Messy.REPORTED not in candidate.messy:
        candidate.messy = [*candidate.messy, str(Messy.REPORTED)]
        candidate.save(update_fields=["messy"])
    return candidate
