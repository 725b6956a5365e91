"""Hourly rates set once per kind of time (per pilot, or the company default), and the look-up
the ledger rows use when hours arrive without a rate.

Finance and administrators set the company defaults; whoever may record a pilot's costs (its
business and technical owners, finance, administrators) sets that pilot's rates.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from common.errors import ApplicationError, PermissionDenied
from costs.models import TIME_CATEGORIES, HourlyRate
from pilots import access
from pilots.models import Pilot

from .common import may_record_costs

MAX_RATE = Decimal("999999.9999")
TIME_CATEGORY_VALUES = frozenset(category.value for category in TIME_CATEGORIES)


def may_set_hourly_rate(user, pilot: Pilot | None) -> bool:
    if pilot is None:
        return access.is_admin(user) or access.is_finance(user)
    return may_record_costs(user, pilot)


def _require_may_set(user, pilot: Pilot | None) -> None:
    if not may_set_hourly_rate(user, pilot):
        if pilot is None:
            raise PermissionDenied("Only finance or an administrator sets the company's rates.")
        raise PermissionDenied(
            "Only the pilot's business or technical owner, or finance, sets its hourly rates."
        )


def _checked_rate(*, category: str, rate) -> Decimal:
    errors = {}
    if category not in TIME_CATEGORY_VALUES:
        kinds = ", ".join(sorted(TIME_CATEGORY_VALUES))
        errors["category"] = [f"Hourly rates are for time only: {kinds}."]
    if not isinstance(rate, Decimal) or not rate.is_finite():
        errors["rate"] = ["Give the rate per hour as a number such as 45.00."]
    elif rate <= 0:
        errors["rate"] = ["The rate must be more than zero."]
    elif rate > MAX_RATE:
        errors["rate"] = [f"The rate is larger than {MAX_RATE.normalize():f}."]
    elif rate != rate.quantize(Decimal("0.0001")):
        errors["rate"] = ["Give the rate with at most 4 decimal places."]
    if errors:
        raise ApplicationError("The hourly rate could not be saved.", field_errors=errors)
    return rate


@transaction.atomic
def hourly_rate_set(
    *, by, pilot: Pilot | None, category: str, rate: Decimal
) -> tuple[HourlyRate, bool]:
    """Set the rate of one kind of time (for the pilot, or the company default with no pilot).

    Setting it again replaces it (history keeps the old one); answers the rate and whether it was
    new. Entries already recorded keep the rate they used."""
    _require_may_set(by, pilot)
    rate = _checked_rate(category=category, rate=rate)
    found = (
        HourlyRate.objects.select_for_update().filter(pilot=pilot, category=category).first()
        if pilot is not None
        else HourlyRate.objects.select_for_update()
        .filter(pilot__isnull=True, category=category)
        .first()
    )
    if found is None:
        found = HourlyRate(pilot=pilot, category=category, rate=rate, updated_by=by)
        found._history_user = by
        found.save()
        return found, True
    if found.rate != rate:
        found.rate = rate
        found.updated_by = by
        found._history_user = by
        found.save(update_fields=["rate", "updated_by", "updated_at"])
    return found, False


@transaction.atomic
def hourly_rate_delete(*, by, hourly_rate: HourlyRate) -> None:
    """Remove a rate: hours without a rate then fall back to the company default (or are refused)."""
    _require_may_set(by, hourly_rate.pilot)
    hourly_rate._history_user = by
    hourly_rate.delete()


class RateBook:
    """The rate for hours sent without one: the pilot's rate for the category, else the company
    default, else None. Read lazily in one query for any number of rows (nothing is read when
    every row names its own rate); `pilot_ids` narrows the read when the pilots are known."""

    def __init__(self, pilot_ids: Iterable[int] | None = None):
        self._pilot_ids = None if pilot_ids is None else sorted(set(pilot_ids))
        self._rates: dict[tuple[int | None, str], Decimal] | None = None

    def _load(self) -> dict[tuple[int | None, str], Decimal]:
        rates = HourlyRate.objects.all()
        if self._pilot_ids is not None:
            rates = rates.filter(pilot_id__in=self._pilot_ids) | rates.filter(pilot__isnull=True)
        return {
            (pilot_id, category): rate
            for pilot_id, category, rate in rates.order_by().values_list(
                "pilot_id", "category", "rate"
            )
        }

    def rate_for(self, pilot: Pilot | None, category: str) -> Decimal | None:
        if category not in TIME_CATEGORY_VALUES:
            return None
        if self._rates is None:
            self._rates = self._load()
        pilot_id = getattr(pilot, "pk", None)
        return self._rates.get((pilot_id, category)) or self._rates.get((None, category))
