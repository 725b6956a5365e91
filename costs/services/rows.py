"""Validation of ledger and volume rows, shared by the forms, the API (one row or thousands) and
the CSV import, so a row means the same wherever it comes from.

Values arrive as text (CSV, JSON strings), as exact JSON numbers (parsed to `Decimal`, see
costs/api/parsers.py) or as Python values (forms). A `float` is refused: money never passes
through binary floating point.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.dateparse import parse_date

from common.validators import text_problem
from costs.models import ALL_TASKS, Category
from pilots.models import Pilot

from .rates import MAX_RATE, TIME_CATEGORY_VALUES, RateBook

FOUR_PLACES = Decimal("0.0001")
MAX_AMOUNT = Decimal("9999999999.9999")  # fits the ledger's 14 digits, 4 after the point
MAX_HOURS = Decimal("100000")
MAX_COMPLETED = 10_000_000
ENTRY_FIELDS = frozenset(
    {
        "pilot",
        "date",
        "category",
        "amount",
        "hours",
        "hourly_rate",
        "note",
        "task_type",
        "idempotency_key",
        "currency",
    }
)
VOLUME_FIELDS = frozenset({"pilot", "date", "task_type", "completed"})

_CATEGORY_BY_WORD = {
    **{value: value for value in Category.values},
    **{label.lower(): value for value, label in Category.choices},
}

Errors = dict[str, list[str]]
# Turns a row's pilot cell into a pilot the caller may record on, or says why not.
PilotResolver = Callable[[object], tuple[Pilot | None, str]]


@dataclass
class EntryRow:
    pilot: Pilot
    date: date
    category: str
    amount: Decimal
    hours: Decimal | None
    hourly_rate: Decimal | None
    note: str
    task_type: str
    idempotency_key: str | None


@dataclass
class VolumeRow:
    pilot: Pilot
    date: date
    task_type: str
    completed: int


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_decimal(value, *, label: str, places: int = 4) -> Decimal:
    """Exact decimal from text, an int or a Decimal; ValueError with a readable message otherwise."""
    if isinstance(value, float):
        raise ValueError(f"Send the {label} as a string or an exact number, not a float.")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"Write the {label} as a number such as 12.50.")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"Write the {label} as a plain number such as 12.50.") from None
    if not number.is_finite():
        raise ValueError(f"Write the {label} as a plain number such as 12.50.")
    try:
        exact = number == number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        raise ValueError(f"The {label} is too large.") from None
    if not exact:
        raise ValueError(f"Give the {label} with at most {places} decimal places.")
    return number


def parse_day(value, *, today: date) -> date:
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and value.strip():
        try:
            day = parse_date(value.strip())
        except ValueError:
            day = None
        if day is None:
            raise ValueError("Write the date as YYYY-MM-DD, e.g. 2026-11-03.")
    else:
        raise ValueError("Give the day, as YYYY-MM-DD.")
    if day > today:
        raise ValueError("The day is in the future: record costs and tasks once the day has begun.")
    return day


def check_day_for_pilot(day: date | None, pilot: Pilot | None, fail) -> None:
    """The one earliest-day rule (see Pilot.earliest_record_day), once day and pilot are known."""
    if day is not None and pilot is not None:
        problem = pilot.record_day_problem(day)
        if problem:
            fail("date", problem)


def refuse_unstorable(raw: Mapping, fields, fail) -> None:
    """What the single-row endpoints refuse, refused here too (NUL, lone surrogates)."""
    for field in fields:
        problem = text_problem(raw.get(field))
        if problem:
            fail(field, problem)


def parse_task_type(value) -> str:
    if _blank(value):
        return ALL_TASKS
    if not isinstance(value, str):
        raise ValueError("Write the task type as text, e.g. shipping update.")
    if text_problem(value):
        raise ValueError(text_problem(value))
    text = " ".join(value.split()).lower()
    if len(text) > 60:
        raise ValueError("Keep the task type to 60 characters.")
    return text


def parse_category(value) -> str:
    word = " ".join(str(value or "").split()).lower()
    if word in _CATEGORY_BY_WORD:
        return _CATEGORY_BY_WORD[word]
    choices = ", ".join(Category.values)
    if not word:
        raise ValueError(f"Choose the category: {choices}.")
    raise ValueError(f"“{value}” is not a category; use one of {choices}.")


def missing_rate_message(category: str | None) -> str:
    if category not in TIME_CATEGORY_VALUES:
        return "Give the hourly rate for these hours."
    kind = Category(category).label.lower()
    return (
        "Give the hourly rate for these hours, or set an hourly rate for "
        f"{kind} once (for this pilot, or as the company default)."
    )


def parse_entry(
    raw: Mapping, *, resolve_pilot: PilotResolver, today: date, rates: RateBook | None = None
) -> tuple[EntryRow | None, Errors]:
    """One ledger row, or the errors per field. Amount, or hours × hourly rate (both stored).

    Hours of a kind of time sent without a rate take the rate set for it (`rates`: the pilot's,
    else the company default); a push passes one RateBook for all its rows."""
    errors: Errors = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not isinstance(raw, Mapping):
        return None, {
            "non_field_errors": ["Each row is an object with pilot, date, category and amount."]
        }
    for field in sorted(set(raw) - ENTRY_FIELDS):
        fail(field, "Unknown field.")

    pilot, problem = resolve_pilot(raw.get("pilot"))
    if problem:
        fail("pilot", problem)
    day = None
    try:
        day = parse_day(raw.get("date"), today=today)
    except ValueError as error:
        fail("date", str(error))
    check_day_for_pilot(day, pilot, fail)
    refuse_unstorable(raw, ("note", "idempotency_key"), fail)
    category = None
    try:
        category = parse_category(raw.get("category"))
    except ValueError as error:
        fail("category", str(error))
    try:
        task_type = parse_task_type(raw.get("task_type"))
    except ValueError as error:
        fail("task_type", str(error))
        task_type = ALL_TASKS
    currency = raw.get("currency")
    if not _blank(currency) and str(currency).strip().upper() != settings.PILOTDECK_CURRENCY:
        fail("currency", f"Amounts are in {settings.PILOTDECK_CURRENCY}, the company currency.")

    numbers = {}
    for field, label, places, ceiling in (
        ("amount", "amount", 4, MAX_AMOUNT),
        ("hours", "hours", 4, MAX_HOURS),
        ("hourly_rate", "hourly rate", 4, MAX_RATE),
    ):
        if _blank(raw.get(field)):
            numbers[field] = None
            continue
        try:
            number = parse_decimal(raw.get(field), label=label, places=places)
        except ValueError as error:
            fail(field, str(error))
            numbers[field] = None
            continue
        if number < 0:
            fail(field, f"The {label} cannot be negative: correct the entry instead.")
        elif number > ceiling:
            fail(field, f"The {label} is larger than {ceiling.normalize():f}.")
        numbers[field] = number
    amount, hours, rate = numbers["amount"], numbers["hours"], numbers["hourly_rate"]
    given = {field for field in ("amount", "hours", "hourly_rate") if not _blank(raw.get(field))}
    if "hours" in given and "hourly_rate" not in given and not errors.keys() & {"hours"}:
        rate = (rates or RateBook()).rate_for(pilot, category) if pilot and category else None
        if rate is not None:
            given.add("hourly_rate")
    if not errors.keys() & {"amount", "hours", "hourly_rate"}:
        if "hours" in given and "hourly_rate" not in given:
            fail("hourly_rate", missing_rate_message(category))
        elif "hourly_rate" in given and "hours" not in given:
            fail("hours", "Give the hours this rate applies to.")
        elif hours is not None and rate is not None:
            if hours == 0:
                fail("hours", "Give more than zero hours.")
            computed = (hours * rate).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
            if amount is not None and amount != computed:
                fail(
                    "amount",
                    f"The amount must be hours × rate ({computed.normalize():f}), or left out.",
                )
            amount = computed
        elif amount is None:
            fail("amount", "Give the amount, or the hours and the hourly rate.")
    if amount is not None and amount > MAX_AMOUNT and "amount" not in errors:
        fail("amount", f"The amount is larger than {MAX_AMOUNT.normalize():f}.")

    note = raw.get("note")
    note = "" if _blank(note) else str(note).strip()
    if len(note) > 1000:
        fail("note", "Keep the note to 1000 characters.")
    key = raw.get("idempotency_key")
    key = None if _blank(key) else str(key).strip()
    if key is not None and len(key) > 200:
        fail("idempotency_key", "Keep the idempotency key to 200 characters.")

    if errors:
        return None, errors
    return (
        EntryRow(
            pilot=pilot,
            date=day,
            category=category,
            amount=amount,
            hours=hours,
            hourly_rate=rate,
            note=note,
            task_type=task_type,
            idempotency_key=key,
        ),
        {},
    )


def parse_volume(
    raw: Mapping, *, resolve_pilot: PilotResolver, today: date
) -> tuple[VolumeRow | None, Errors]:
    """One day's completed tasks (per task type), or the errors per field."""
    errors: Errors = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not isinstance(raw, Mapping):
        return None, {"non_field_errors": ["Each row is an object with pilot, date and completed."]}
    for field in sorted(set(raw) - VOLUME_FIELDS):
        fail(field, "Unknown field.")
    pilot, problem = resolve_pilot(raw.get("pilot"))
    if problem:
        fail("pilot", problem)
    day = None
    try:
        day = parse_day(raw.get("date"), today=today)
    except ValueError as error:
        fail("date", str(error))
    check_day_for_pilot(day, pilot, fail)
    try:
        task_type = parse_task_type(raw.get("task_type"))
    except ValueError as error:
        fail("task_type", str(error))
        task_type = ALL_TASKS
    completed = raw.get("completed")
    count = None
    if isinstance(completed, bool) or _blank(completed):
        fail("completed", "Give the number of completed tasks.")
    else:
        try:
            count = int(completed.strip() if isinstance(completed, str) else completed)
            if isinstance(completed, float | Decimal) and completed != count:
                raise ValueError
        except (TypeError, ValueError, ArithmeticError):
            fail("completed", "Give a whole number of tasks.")
        else:
            if count < 0:
                fail("completed", "The number of tasks cannot be negative.")
            elif count > MAX_COMPLETED:
                fail("completed", f"More than {MAX_COMPLETED:,} tasks in a day? Check the number.")
    if errors:
        return None, errors
    return VolumeRow(pilot=pilot, date=day, task_type=task_type, completed=count), {}
