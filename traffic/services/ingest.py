"""Taking in task records: check every row, store each task once, keep the rollups in step.

`tasks_ingest` is the one path for the native API and both gateway receivers; it stores through
traffic.services.staged on PostgreSQL (COPY, then one statement) and traffic.services.portable
elsewhere. The native API is all or nothing (`keep_valid=False`, like the ledger's bulk push); a
gateway must never lose a batch to one bad row, so its receivers keep the valid rows and record
what they refused on the pilot's connection (count and the last errors, shown on the Connections
page).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from common.validators import sent_id
from costs.services.common import RowErrors, id_resolver, visible_pilots
from governance.rules import Verdict
from governance.services.alerts import alert_raise
from pilots.models import Pilot
from reviews.pool import pool_offer, pool_texts

from ..models import ModelPrice
from ..partitions import ensure_partitions
from . import bulk_sql, portable, staged
from .connections import connections_note
from .rows import TaskRow, is_mapping, parse_task
from .versions import versions_by_pilot

MAX_ROWS = 10_000


@dataclass
class IngestResult:
    received: int = 0
    created: int = 0
    duplicates: int = 0
    refused: int = 0
    errors: list[dict] = field(default_factory=list)


def _price(rows: list[TaskRow]) -> None:
    """Cost for records that sent none: tokens × the model's price in force on the day."""
    unpriced = [row for row in rows if row.api_cost is None]
    models = {row.model_served for row in unpriced if row.model_served}
    prices = defaultdict(list)
    if models:
        for price in ModelPrice.objects.filter(model__in=models).order_by("-effective_from"):
            prices[price.model].append(price)
    million = Decimal(1_000_000)
    for row in unpriced:
        day = row.day
        price = next((p for p in prices[row.model_served] if p.effective_from <= day), None)
        row.api_cost = (
            (
                (
                    row.input_tokens * price.input_per_million
                    + row.output_tokens * price.output_per_million
                )
                / million
            ).quantize(Decimal("0.000001"))
            if price
            else Decimal(0)
        )


def _store(rows: list[TaskRow], origin: str) -> list[TaskRow]:
    """Store the rows a pilot does not have yet, with their rollups; answer those (a retry
    stores nothing)."""
    if not bulk_sql.supported():
        inserted = portable.insert(rows, origin)
        portable.roll_up(inserted)
        return inserted
    ensure_partitions([row.started_at for row in rows])
    not_new = staged.insert_and_roll_up(rows, origin, portable.day_defaults()[0])
    return (
        [row for row in rows if (row.pilot_id, row.source_id) not in not_new] if not_new else rows
    )


def _alert_if_paused(pilots: dict[int, Pilot], created: Counter) -> None:
    """Traffic for a paused pilot means a tool ignored the kill switch: the stop authority hears
    of it at once, once per pause."""
    for pilot_id in created:
        if pilots[pilot_id].status != Pilot.Status.PAUSED:
            continue
        pilot = Pilot.objects.get(pk=pilot_id)  # all of it, for the alert (a rare path)
        count = created[pilot_id]
        verdict = Verdict(
            rule="traffic_while_paused",
            actions=frozenset({"alert"}),
            period=f"paused-{pilot.status_since:%Y%m%dT%H%M%S}",
            message=f"{count} task(s) ran while the pilot is paused: a tool ignored the kill switch.",
            next_step="Find the tool (see the pilot's Connections page) and make it check the "
            "pilot's status before every model call; the tasks are recorded.",
            figures={"tasks_while_paused": str(count)},
        )
        alert_raise(pilot=pilot, verdict=verdict, paused=False)


def _lock_pilots(pilot_ids: set[int]) -> None:
    """Ingests offering text to the same pilot's review pool take turns from here to their commit
    (PostgreSQL: one advisory lock per pilot, in id order so two batches never wait on each other
    crosswise): without it two concurrent batches both find a new day's pool empty and both fill
    it past its bound. A batch without text takes no turn, and the records and rollups before it
    need none: their upserts wait row by row."""
    if not pilot_ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('traffic-ingest:' || id, 0)) "
            "FROM unnest(%s::bigint[]) AS id ORDER BY id",
            [sorted(pilot_ids)],
        )


# What an ingest reads of a pilot: whether it is paused (and since when), and its earliest day.
PILOT_FIELDS = ("id", "status", "status_since", "created_at")


def resolver(by, rows: list):
    ids = {sent_id(row.get("pilot")) for row in rows if is_mapping(row)}
    pilots = visible_pilots(by, ids - {None}, only=PILOT_FIELDS)
    return id_resolver(by, pilots), pilots


@transaction.atomic
def tasks_ingest(*, by, rows: list, origin: str, keep_valid: bool) -> IngestResult:
    """Check and store task records. All or nothing (RowErrors) unless `keep_valid`."""
    if not isinstance(rows, list):
        raise RowErrors([{"index": 0, "errors": {"non_field_errors": ["Send a list of tasks."]}}])
    if len(rows) > MAX_ROWS:
        message = f"Send at most {MAX_ROWS:,} tasks per request."
        raise RowErrors([{"index": 0, "errors": {"non_field_errors": [message]}}])
    resolve, pilots = resolver(by, rows)
    now, zone = timezone.now(), timezone.get_current_timezone()
    result = IngestResult(received=len(rows))
    parsed: list[TaskRow] = []
    refused: dict[int, list[dict]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for index, raw in enumerate(rows):
        row, errors = parse_task(raw, resolve_pilot=resolve, now=now, zone=zone)
        if row and (row.pilot_id, row.source_id) in seen:
            row, errors = None, {"source_id": ["This task appears twice in the request."]}
        if errors:
            result.errors.append({"index": index, "errors": errors})
            pilot_id = sent_id(raw.get("pilot")) if is_mapping(raw) else None
            if pilot_id in pilots:  # only a pilot the sender may see hears of its refusals
                source = raw.get("source_id") if is_mapping(raw) else None
                refused[pilot_id].append(
                    {"at": now.isoformat(), "source_id": str(source or "")[:200], "errors": errors}
                )
            continue
        seen.add((row.pilot_id, row.source_id))
        parsed.append(row)
    result.refused = len(result.errors)
    if result.errors and not keep_valid:
        raise RowErrors(result.errors)
    _price(parsed)
    inserted = _store(parsed, origin) if parsed else []
    result.created = len(inserted)
    result.duplicates = len(parsed) - len(inserted)
    texts = pool_texts(rows) if inserted else {}
    if texts:
        # The review pool keeps the text of a bounded sample of the new tasks; the rest is dropped.
        _lock_pilots({row.pilot_id for row in inserted})
        pool_offer(inserted=inserted, texts=texts)
    created = Counter(row.pilot_id for row in inserted)
    connections_note(origin, created, refused, versions_by_pilot(inserted))
    _alert_if_paused(pilots, created)
    return result
