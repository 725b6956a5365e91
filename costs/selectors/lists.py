"""The ledger and task volumes as scoped lists, for pages and the API."""

from datetime import date

from django.db.models import QuerySet

from pilots.access import scope_by_pilot
from pilots.models import Pilot

from ..models import CostEntry, TaskVolume

# --- Lists -------------------------------------------------------------------------------------


def entry_list(*, user) -> QuerySet[CostEntry]:
    """Ledger entries of the pilots `user` may see, newest day first."""
    return scope_by_pilot(user, CostEntry.objects.select_related("pilot", "created_by")).order_by(
        "-date", "-id"
    )


def volume_list(*, user) -> QuerySet[TaskVolume]:
    return scope_by_pilot(user, TaskVolume.objects.select_related("pilot")).order_by(
        "-date", "task_type", "id"
    )


def pilot_entries(*, pilot: Pilot) -> QuerySet[CostEntry]:
    return (
        CostEntry.objects.filter(pilot=pilot).select_related("created_by").order_by("-date", "-id")
    )


def pilot_volumes(*, pilot: Pilot, start: date, end: date) -> list[TaskVolume]:
    return list(
        TaskVolume.objects.filter(pilot=pilot, date__range=(start, end)).order_by(
            "-date", "task_type"
        )
    )
