"""Nothing counted twice: what a connected pilot's traffic measures is not also typed in.

A pilot is *connected* once traffic has arrived for it: it has a `traffic.Connection` that
received at least one task (any origin — native API, LiteLLM or OpenTelemetry). From then on its
completed tasks per day and its model and API spend come from the traffic rollups
(costs.selectors.traffic), so typing them as well would count them twice. Every path that writes
the ledger or the task volumes — browser form, API single and bulk, CSV import — refuses them
with the same message. When the traffic also reports people's time on tasks, rework time is
measured too and refused by hand for the same reason. Other costs (reviewer time, support time,
escalations, tool fees) are still entered as before.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from traffic.models import Connection, TaskDay

from ..models import Category
from ..selectors.traffic import PEOPLE_TIME

VOLUMES_MEASURED = (
    "This pilot's completed tasks come from its traffic (it is connected), so they are not "
    "entered by hand: that would count them twice."
)
SPEND_MEASURED = (
    "This pilot's model and API spend comes from its traffic (it is connected), so it is not "
    "entered by hand: that would count it twice."
)
PEOPLE_TIME_MEASURED = (
    "This pilot's traffic reports the time people spend on each task: that is its rework time, "
    "measured, so it is not entered by hand as well."
)


@dataclass(frozen=True)
class Measured:
    """Which pilots' figures traffic measures: connected ones, and those reporting people time."""

    connected: frozenset[int] = frozenset()
    people_time: frozenset[int] = frozenset()

    def entry_problem(self, pilot_id: int | None, category: str | None) -> str:
        if pilot_id not in self.connected:
            return ""
        if category == Category.MODEL_API:
            return SPEND_MEASURED
        if category == PEOPLE_TIME and pilot_id in self.people_time:
            return PEOPLE_TIME_MEASURED
        return ""

    def volume_problem(self, pilot_id: int | None) -> str:
        return VOLUMES_MEASURED if pilot_id in self.connected else ""


def measured_for(pilot_ids: Iterable[int | None]) -> Measured:
    """One query, whatever the number of pilots."""
    ids = {pk for pk in pilot_ids if pk is not None}
    if not ids:
        return Measured()
    people = TaskDay.objects.filter(pilot_id=OuterRef("pilot_id"), people_seconds__gt=0)
    rows = (
        Connection.objects.filter(pilot_id__in=ids, received__gt=0)
        .values("pilot_id")
        .annotate(people_time=Exists(people))
        .values_list("pilot_id", "people_time")
        .distinct()
    )
    connected, people_time = set(), set()
    for pilot_id, reports_people in rows:
        connected.add(pilot_id)
        if reports_people:
            people_time.add(pilot_id)
    return Measured(frozenset(connected), frozenset(people_time))


def is_connected(pilot_id: int) -> bool:
    return pilot_id in measured_for([pilot_id]).connected
