"""A batch noted on its pilots' connections (one per pilot and origin): when traffic last came,
how many records were kept and refused, the last errors, and which versions run.

On PostgreSQL one statement adds the batch to every touched connection without reading them
(INSERT … ON CONFLICT, in pilot order so two batches take the rows in the same order); the
newest errors and the newest versions are merged in SQL exactly as `merge_versions` merges them
in Python, which the portable path (SQLite under `make run`) does after a locked read.
"""

from collections import Counter

from django.db import connection
from django.utils import timezone

from ..models import Connection
from . import bulk_sql
from .versions import KEEP, KINDS, merge_versions

LAST_ERRORS = 10
COUNTS = ["last_seen_at", "received", "refused", "last_errors", "versions_seen"]


def _errors_sql() -> str:
    """The batch's errors (newest first) before the stored ones, the newest LAST_ERRORS kept."""
    return (
        "CASE WHEN EXCLUDED.last_errors = '[]'::jsonb THEN t.last_errors ELSE (SELECT "
        "jsonb_agg(error ORDER BY n) FROM (SELECT error, n FROM jsonb_array_elements("
        "EXCLUDED.last_errors || t.last_errors) WITH ORDINALITY AS e(error, n) "
        f"ORDER BY n LIMIT {LAST_ERRORS}) AS newest) END"
    )


def _versions_sql() -> str:
    """Per kind, each value once with its newest day, the newest KEEP (as `merge_versions`)."""
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    each = (
        "SELECT key AS value, value #>> '{{}}' AS day FROM jsonb_each(COALESCE({side}.versions_seen "
        "-> kind, '{{}}'::jsonb))"
    )
    return (
        # Nearly every batch runs what the connection already holds, on the same day: kept as is.
        "CASE WHEN t.versions_seen @> EXCLUDED.versions_seen THEN t.versions_seen ELSE (SELECT "
        "jsonb_object_agg(kind, (SELECT COALESCE(jsonb_object_agg(value, day), '{}'::jsonb) FROM "
        f"(SELECT value, max(day) AS day FROM ({each.format(side='t')} UNION ALL "
        f"{each.format(side='EXCLUDED')}) AS values_ GROUP BY value "
        f'ORDER BY max(day) DESC, value COLLATE "C" DESC LIMIT {KEEP}) AS newest)) '
        f"FROM unnest(ARRAY[{kinds}]) AS kind) END"
    )


def _upsert(rows: list[dict]) -> None:
    table = Connection._meta.db_table
    columns = ["pilot_id", "origin", "first_seen_at", *COUNTS]
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS t ({names}) SELECT {names} FROM {bulk_sql.source(table)} "
            "ORDER BY pilot_id "
            "ON CONFLICT (pilot_id, origin) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, "
            "received = t.received + EXCLUDED.received, refused = t.refused + EXCLUDED.refused, "
            f"last_errors = {_errors_sql()}, versions_seen = {_versions_sql()}",
            [bulk_sql.as_json(rows)],
        )


def _read_and_write(origin: str, rows: list[dict]) -> None:
    existing = {
        c.pilot_id: c
        for c in Connection.objects.select_for_update().filter(
            pilot_id__in=[row["pilot_id"] for row in rows], origin=origin
        )
    }
    fresh, changed = [], []
    for row in rows:
        item = existing.get(row["pilot_id"])
        if item is None:
            fresh.append(Connection(**row))
            continue
        item.last_seen_at = row["last_seen_at"]
        item.received += row["received"]
        item.refused += row["refused"]
        item.last_errors = (row["last_errors"] + list(item.last_errors))[:LAST_ERRORS]
        if row["versions_seen"]:
            item.versions_seen = merge_versions(item.versions_seen, row["versions_seen"])
        changed.append(item)
    Connection.objects.bulk_create(fresh)  # one statement each, however many pilots
    bulk_sql.update_by_pk(Connection, changed, COUNTS)


def connections_note(
    origin: str, created: Counter, refused: dict[int, list[dict]], versions: dict | None = None
) -> None:
    """Add a batch (records kept and refused per pilot id, the versions it ran) to its pilots'
    connections for `origin`, making those not there yet."""
    pilots = set(created) | set(refused)
    if not pilots:
        return
    now = timezone.now()
    versions = versions or {}
    rows = [
        {
            "pilot_id": pilot_id,
            "origin": origin,
            "first_seen_at": now,
            "last_seen_at": now,
            "received": created.get(pilot_id, 0),
            "refused": len(refused.get(pilot_id, [])),
            "last_errors": refused.get(pilot_id, [])[::-1][:LAST_ERRORS],
            "versions_seen": merge_versions({}, versions[pilot_id]) if pilot_id in versions else {},
        }
        for pilot_id in sorted(pilots)
    ]
    if bulk_sql.supported():
        _upsert(rows)
    else:
        _read_and_write(origin, rows)
