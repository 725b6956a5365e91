"""What a connected pilot's traffic adds to the ledger figures, read from its daily rollups.

A pilot with traffic (see `costs.services.traffic_guard`) has its completed tasks and its model
and API spend measured: `traffic.TaskDay` counts every completed task and sums what each call
cost. People's time on a task, when the source reports it (`people_seconds`), is rework time at
the pilot's rework rate (else the company default; unpriced while neither is set).

Each helper answers a `values(...).annotate(...)` over the rollups with the same columns as the
task-volume read it is joined to (`UNION ALL`), so the figures cost no extra query: a pilot
without traffic has no rollup rows and its figures are exactly what they were.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth

from traffic.models import TaskDay

from ..models import Category, HourlyRate

FOUR_PLACES = Decimal("0.0001")
SECONDS_PER_HOUR = Decimal(3600)
MONEY = DecimalField(max_digits=18, decimal_places=6)
PEOPLE_TIME = Category.REWORK  # what measured people time on a task is, in the ledger


def _rate_subquery():
    """The pilot's rework rate, else the company default, for a rollup row's pilot."""
    own = HourlyRate.objects.filter(pilot_id=OuterRef("pilot_id"), category=PEOPLE_TIME)
    default = HourlyRate.objects.filter(pilot__isnull=True, category=PEOPLE_TIME)
    return Coalesce(
        Subquery(own.values("rate")[:1]),
        Subquery(default.values("rate")[:1]),
        output_field=MONEY,
    )


def people_cost(seconds, rate) -> tuple[Decimal, Decimal]:
    """(amount, hours) of measured people time: hours × rate to four places (0 without a rate)."""
    hours = (Decimal(seconds or 0) / SECONDS_PER_HOUR).quantize(FOUR_PLACES, ROUND_HALF_UP)
    if not seconds or rate is None:
        return Decimal(0), hours if seconds else Decimal(0)
    amount = (Decimal(seconds) * Decimal(rate) / SECONDS_PER_HOUR).quantize(
        FOUR_PLACES, ROUND_HALF_UP
    )
    return amount, hours


def volume_padding(names: list[str]) -> dict:
    """The traffic-only columns, empty, for the task-volume side of the union."""
    padding = {}
    for name in names:
        padding[f"{name}_api"] = Value(Decimal(0), output_field=MONEY)
        padding[f"{name}_people"] = Value(0, output_field=IntegerField())
    padding["rework_rate"] = Value(None, output_field=MONEY)
    return padding


def traffic_by_month(*, where: Q):
    """Model spend and priced people time per month and category, with the same columns as the
    monthly rollup's read (month, category, amount): two parts of its `UNION ALL`."""
    # DATE_TRUNC answers a timestamp; as a date it unites with the monthly rollup's dates.
    month = Cast(TruncMonth("day", output_field=DateField()), DateField())
    api = (
        TaskDay.objects.filter(where)
        .values(month=month, category=Value(Category.MODEL_API.value, output_field=CharField()))
        .annotate(amount=Sum("api_cost", output_field=MONEY))
        .order_by()
    )
    priced = F("people_seconds") * _rate_subquery() / SECONDS_PER_HOUR
    people = (
        TaskDay.objects.filter(where, people_seconds__gt=0)
        .values(month=month, category=Value(PEOPLE_TIME.value, output_field=CharField()))
        .annotate(amount=Sum(ExpressionWrapper(priced, output_field=MONEY)))
        .order_by()
    )
    return api, people


def traffic_sums(*, where: Q, group: str, windows: dict[str, Q], tasks_alias: dict[str, str]):
    """Rollup rows grouped by `group` with, per window: completed tasks (under the same alias as
    the volume side), API cost and people seconds; then the rework rate. Column order matches
    `volume_padding` after the volume side's task sums."""
    annotations = {}
    for name, condition in windows.items():
        annotations[tasks_alias[name]] = Sum("completed", filter=condition)
    for name, condition in windows.items():
        annotations[f"{name}_api"] = Sum("api_cost", filter=condition, output_field=MONEY)
        annotations[f"{name}_people"] = Sum("people_seconds", filter=condition)
    annotations["rework_rate"] = _rate_subquery()
    return TaskDay.objects.filter(where).values(group).annotate(**annotations).order_by()
