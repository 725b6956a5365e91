"""What a pilot's live traffic tells the stop rules, read inside the pilots' own query.

Correlated subqueries on the traffic rollups (`TaskDay`, last full week) and on the pilot's
connections (`versions_seen`, one per origin), so the rules gain no query whatever the number of
pilots or records: failures against the failure-rate limit, pick-ups later than the handoff
rule's response time, and prompt versions or models running that nothing documented.
"""

import re
from collections.abc import Mapping

from django.db.models import IntegerField, JSONField, OuterRef, Subquery, Sum

from costs.figures import Period
from traffic.models import Connection, Origin, TaskDay

ROLLUP_SUMS = {
    "traffic_tasks": "tasks",
    "traffic_failed": "failed",
    "traffic_picked_up": "picked_up",
    "traffic_late": "picked_up_late",
}
VERSION_FIELDS = tuple(f"versions_{origin}" for origin in Origin.values)
TRAFFIC_FIELDS = (*ROLLUP_SUMS, *VERSION_FIELDS)


def traffic_annotations(last_week: Period) -> dict:
    days = TaskDay.objects.filter(
        pilot_id=OuterRef("pk"), day__range=(last_week.start, last_week.end)
    ).values("pilot_id")
    annotations = {
        name: Subquery(
            days.annotate(total=Sum(column)).values("total")[:1], output_field=IntegerField()
        )
        for name, column in ROLLUP_SUMS.items()
    }
    for origin, name in zip(Origin.values, VERSION_FIELDS, strict=True):
        seen = Connection.objects.filter(pilot_id=OuterRef("pk"), origin=origin)
        annotations[name] = Subquery(seen.values("versions_seen")[:1], output_field=JSONField())
    return annotations


# A provider's dated snapshot of a documented model: gpt-4o-2024-08-06, gpt-4-0613,
# claude-3-5-sonnet@20240620, gpt-4o-latest. A different model (gpt-4o-mini) is not one.
SNAPSHOT = re.compile(r"(-\d{4}(-?\d{2}-?\d{2})?|@.+|-latest)")


def _documents(value: str, documented: set[str]) -> bool:
    """A served name matches a documented one exactly, with a provider prefix
    (`openai/gpt-4o`), or as a dated snapshot of it (`gpt-4o-2024-08-06`)."""
    bare = value.lower().rsplit("/", 1)[-1]
    for name in documented:
        name = name.rsplit("/", 1)[-1]
        if bare == name or (bare.startswith(name) and SNAPSHOT.fullmatch(bare[len(name) :])):
            return True
    return False


def undocumented_in_traffic(pilot, documented: Mapping[str, set[str]], since) -> list[str]:
    """Prompt versions and models seen running since `since` that neither the pilot's setup nor
    a change-log entry that went live put there. A kind nothing documents yet is left to the
    one page's setup check (there is nothing to drift from)."""
    known = {
        "prompt": {pilot.prompt_version, pilot.first_prompt_version, *documented["prompt"]},
        "model": {
            pilot.model_name,
            pilot.model_version,
            pilot.first_model_version,
            *documented["model"],
        },
    }
    cutoff = since.isoformat()
    found = []
    for kind in ("prompt", "model"):
        names = {name.strip().lower() for name in known[kind] if name and name.strip()}
        if not names:
            continue
        seen = {}
        for field in VERSION_FIELDS:
            for value, day in ((getattr(pilot, field) or {}).get(kind) or {}).items():
                seen[value] = max(seen.get(value, ""), day)
        found += [
            f"{kind} {value}"
            for value, day in sorted(seen.items())
            if day >= cutoff and not _documents(value, names)
        ]
    return found


def traffic_facts(pilot, documented: Mapping[str, set[str]], *, since) -> dict:
    return {
        "traffic_tasks_last_week": pilot.traffic_tasks or 0,
        "traffic_failed_last_week": pilot.traffic_failed or 0,
        "pickups_last_week": pilot.traffic_picked_up or 0,
        "late_pickups_last_week": pilot.traffic_late or 0,
        "handoff_response_minutes": pilot.handoff_response_minutes,
        "undocumented_in_traffic": tuple(undocumented_in_traffic(pilot, documented, since)),
    }
