"""One task record from what a source sent, checked field by field (the same checks for the native
API, the LiteLLM receiver and the OTLP receiver, which first map their payloads to these fields)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.validators import text_problem
from pilots.models import Pilot

from ..models import Outcome, TaskRecord

MAX_TOKENS = 10_000_000
MAX_COST = Decimal("1000000")
MAX_TEXT = 20_000  # characters of input or output text a record may carry
CLOCK_SKEW = timedelta(minutes=5)
EPOCH_END = 253_402_300_800  # 10000-01-01 in epoch seconds
COUNTS = (  # field, what it counts, the most it may be
    ("input_tokens", "input tokens", MAX_TOKENS),
    ("output_tokens", "output tokens", MAX_TOKENS),
    ("latency_ms", "milliseconds", 24 * 3600 * 1000),
    ("people_seconds", "seconds", 24 * 3600),
)
FIELDS = frozenset(
    {
        "pilot",
        "source_id",
        "started_at",
        "ended_at",
        "user",
        "team",
        "task_type",
        "model_requested",
        "model_served",
        "prompt_version",
        "input_tokens",
        "output_tokens",
        "api_cost",
        "latency_ms",
        "outcome",
        "handoff_reason",
        "trace_url",
        "people_seconds",
        "input_text",
        "output_text",
    }
)
TEXT_LIMITS = {
    "source_id": 200,
    "user": 254,
    "team": 120,
    "task_type": 60,
    "model_requested": 120,
    "model_served": 120,
    "prompt_version": 120,
    "handoff_reason": 300,
    "trace_url": 500,
    "input_text": MAX_TEXT,
    "output_text": MAX_TEXT,
}
TEXT_ITEMS = tuple(TEXT_LIMITS.items())
OUTCOMES = frozenset(Outcome.values)
NO_REASON = "no reason given"  # what a handoff without a reason counts under in the rollups
# The task record's columns a row fills, in table order (every path writes them in this order).
RECORD_FIELDS = TaskRecord._meta.concrete_fields
RECORD_COLUMNS = [f.column for f in RECORD_FIELDS]
Errors = dict[str, list[str]]
PilotResolver = Callable[[object], tuple[Pilot | None, str]]


@dataclass(slots=True)
class TaskRow:
    pilot: Pilot
    pilot_id: int  # the pilot's pk, read a few times a row on the hot path
    source_id: str
    started_at: datetime
    ended_at: datetime
    user: str
    team: str
    task_type: str
    model_requested: str
    model_served: str
    prompt_version: str
    input_tokens: int
    output_tokens: int
    api_cost: Decimal | None  # None: priced from the model price table
    latency_ms: int
    outcome: str
    handoff_reason: str
    trace_url: str
    people_seconds: int | None
    day: date  # the local day it started, which every rollup and page counts it on


def is_mapping(value) -> bool:
    """A JSON object (a dict, checked without the ABC's slower look first)."""
    return value.__class__ is dict or isinstance(value, Mapping)


def parse_moment(value) -> datetime:
    """An aware datetime from ISO 8601 text (with its offset) or epoch seconds."""
    if value.__class__ is float and 0 <= value < EPOCH_END:  # LiteLLM's epoch seconds
        return datetime.fromtimestamp(value, tz=UTC)
    if value.__class__ is str:  # the usual case, read in C (as parse_datetime reads it first)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None and moment.utcoffset() is not None:
                return moment
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(float(value), tz=UTC)
        except (ValueError, OverflowError, OSError):  # NaN, 1e400, a year past 9999
            raise ValueError(
                "The time is out of range: give epoch seconds between 1970 and 9999."
            ) from None
    elif isinstance(value, str) and value.strip():
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
        if moment is None:
            raise ValueError(
                "Write the time as ISO 8601 with its offset, e.g. 2026-11-03T09:15:00Z."
            )
    else:
        raise ValueError("Give the time, as ISO 8601 or epoch seconds.")
    if timezone.is_naive(moment):
        raise ValueError("Give the time with its offset (Z or +01:00), so it is not ambiguous.")
    return moment


def _count(value, label: str, ceiling: int) -> int:
    if value.__class__ is int and 0 <= value <= ceiling:  # the usual case
        return value
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"Give the {label} as a whole number.")
    try:
        number = int(value.strip() if isinstance(value, str) else value)
        if isinstance(value, Decimal) and value != number:
            raise ValueError
    except (ValueError, ArithmeticError):
        raise ValueError(f"Give the {label} as a whole number.") from None
    if number < 0:
        raise ValueError(f"The {label} cannot be negative.")
    if number > ceiling:
        raise ValueError(f"More than {ceiling:,} {label}? Check the number.")
    return number


def _cost(value) -> Decimal | None:
    kind = value.__class__
    if kind is str or kind is float:  # the usual cases, without the checks below
        text = value if kind is str else repr(value)
    elif value is None:
        return None
    elif isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise ValueError("Give the API cost as a number such as 0.0031.")
    else:
        text = str(value)
    if text == "":
        return None
    try:
        # A float from a gateway (LiteLLM sends one) is read through its shortest text form.
        cost = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("Give the API cost as a number such as 0.0031.") from None
    if not cost.is_finite() or cost < 0:
        raise ValueError("The API cost cannot be negative.")
    if cost > MAX_COST:
        raise ValueError(f"The API cost is larger than {MAX_COST:,}.")
    return cost.quantize(Decimal("0.000001"))


def parse_task(
    raw: Mapping, *, resolve_pilot: PilotResolver, now: datetime, zone: tzinfo | None = None
) -> tuple[TaskRow | None, Errors]:
    """One checked row, or its errors by field. `zone` is the time zone days are counted in
    (the current one unless given: a batch looks it up once)."""
    errors: Errors = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not is_mapping(raw):
        return None, {
            "non_field_errors": ["Each task is an object with pilot, source_id and times."]
        }
    if not FIELDS.issuperset(raw):
        for field in sorted(set(raw) - FIELDS):
            fail(field, "Unknown field.")
    text = {}
    get = raw.get
    for field, limit in TEXT_ITEMS:
        value = get(field)
        if value is None:
            text[field] = ""
            continue
        if value.__class__ is not str and not isinstance(value, str):
            value = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
            if value is None:
                fail(field, "Send text.")
                continue
        # Most text is short plain ASCII: one look in C each, the full check only when it is not.
        if len(value) > limit or not value.isascii() or "\x00" in value:
            problem = text_problem(value)
            if problem:
                fail(field, problem)
            elif len(value) > limit:
                fail(field, f"Keep it to {limit:,} characters.")
        text[field] = value.strip()
    if not text.get("source_id") and "source_id" not in errors:
        fail("source_id", "Give the source's own id for the task, so a retry never counts twice.")
    pilot, problem = resolve_pilot(get("pilot"))
    if problem:
        fail("pilot", problem)
    started = ended = None
    try:
        started = parse_moment(get("started_at"))
    except ValueError as error:
        fail("started_at", str(error))
    try:
        ended = parse_moment(get("ended_at"))
    except ValueError as error:
        fail("ended_at", str(error))
    if started and ended and ended < started:
        fail("ended_at", "The task ends before it starts.")
    if started and started > now + CLOCK_SKEW:
        fail("started_at", "The task starts in the future: check the source's clock.")
    day = started.astimezone(zone or timezone.get_current_timezone()).date() if started else None
    if day and pilot and day < pilot.earliest_record_day:
        fail("started_at", pilot.record_day_problem(day))
    numbers = {}
    for field, label, ceiling in COUNTS:
        value = get(field)
        if value.__class__ is int and 0 <= value <= ceiling:  # the usual case, without a call
            numbers[field] = value
            continue
        try:
            numbers[field] = _count(value, label, ceiling)
        except ValueError as error:
            fail(field, str(error))
    try:
        cost = _cost(get("api_cost"))
    except ValueError as error:
        fail("api_cost", str(error))
        cost = None
    outcome = raw.get("outcome") or Outcome.COMPLETED
    if outcome not in OUTCOMES:
        fail("outcome", f"Use one of {', '.join(Outcome.values)}.")
    if errors:
        return None, errors
    latency = numbers["latency_ms"]
    if not latency and "latency_ms" not in raw:
        latency = int((ended - started).total_seconds() * 1000)
    people = numbers["people_seconds"] if raw.get("people_seconds") not in (None, "") else None
    return (
        TaskRow(
            pilot=pilot,
            pilot_id=pilot.pk,
            source_id=text["source_id"],
            started_at=started,
            ended_at=ended,
            user=text["user"],
            team=text["team"],
            task_type=" ".join(text["task_type"].split()).lower(),
            model_requested=text["model_requested"],
            model_served=text["model_served"] or text["model_requested"],
            prompt_version=text["prompt_version"],
            input_tokens=numbers["input_tokens"],
            output_tokens=numbers["output_tokens"],
            api_cost=cost,
            latency_ms=latency,
            outcome=outcome,
            handoff_reason=text["handoff_reason"],
            trace_url=text["trace_url"],
            people_seconds=people,
            day=day,
        ),
        {},
    )
