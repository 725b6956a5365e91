"""Which prompt versions and models a pilot's traffic actually runs, kept on its connection.

At ingest each batch's prompt versions and served models are merged into the connection's
`versions_seen` (the day each was last seen, the newest few per kind): no extra query, and
storage bounded by versions, not by traffic. The prompt-drift rule compares them with the pilot's
documented setup and the change log (governance.facts)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

KINDS = ("prompt", "model")
KEEP = 20  # per kind: the newest last-seen values


def versions_by_pilot(rows: Iterable) -> dict[int, dict[str, dict[str, str]]]:
    """{pilot id: {"prompt": {version: newest day}, "model": {...}}} of a batch of TaskRows."""
    newest: dict[tuple[int, str, str], date] = {}  # a few keys however many rows
    for row in rows:
        key = (row.pilot_id, row.prompt_version, row.model_served)
        day = newest.get(key)
        if day is None or row.day > day:
            newest[key] = row.day
    seen: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: {"prompt": {}, "model": {}})
    for (pilot_id, prompt, model), day in newest.items():
        text = day.isoformat()
        for kind, value in (("prompt", prompt), ("model", model)):
            if value:
                known = seen[pilot_id][kind]
                known[value] = max(known.get(value, ""), text)
    return dict(seen)


def merge_versions(current: Mapping | None, fresh: Mapping | None) -> dict:
    merged = {}
    for kind in KINDS:
        values = dict((current or {}).get(kind) or {})
        for value, day in ((fresh or {}).get(kind) or {}).items():
            values[value] = max(values.get(value, ""), day)
        # Newest day first, ties by value (as the SQL merge in traffic.services.connections).
        newest = sorted(values.items(), key=lambda item: (item[1], item[0]), reverse=True)[:KEEP]
        merged[kind] = dict(newest)
    return merged
