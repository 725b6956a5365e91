"""CSV import of ledger entries: read the whole file, show what it would add, then add all or nothing.

A line without an idempotency key gets one derived from its content (and how many identical lines
came before it in the file), so importing the same file twice adds nothing the second time.
"""

import csv
import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from costs.models import Category, CostEntry, Source
from pilots import access
from pilots.models import Pilot

from .common import MAX_ROWS_PER_CALL, MAY_NOT_RECORD, NO_SUCH_PILOT, RowErrors, may_record_costs
from .entries import duplicate_key_errors, insert_entries, measured_errors
from .rates import RateBook
from .rows import ENTRY_FIELDS, EntryRow, parse_entry

MAX_CSV_CHARS = 5_000_000
HEADER_ALIASES = {
    "pilot_id": "pilot",
    "day": "date",
    "rate": "hourly_rate",
    "key": "idempotency_key",
    "type": "task_type",
    "description": "note",
}
COLUMNS = [
    "pilot",
    "date",
    "category",
    "amount",
    "hours",
    "hourly_rate",
    "task_type",
    "note",
    "idempotency_key",
]


@dataclass
class LineError:
    line: int
    field: str
    message: str


@dataclass
class ImportLine:
    line: int
    row: EntryRow
    is_new: bool = True


@dataclass
class ImportPreview:
    lines: list[ImportLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines)

    @property
    def new_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.is_new]

    @property
    def existing_count(self) -> int:
        return sum(1 for line in self.lines if not line.is_new)

    @property
    def total(self) -> Decimal:
        return sum((line.row.amount for line in self.new_lines), Decimal("0"))

    def totals_by_category(self) -> list[tuple[str, int, Decimal]]:
        """(category label, lines, amount) for the lines that would be added."""
        amounts, counts = defaultdict(Decimal), Counter()
        for line in self.new_lines:
            amounts[line.row.category] += line.row.amount
            counts[line.row.category] += 1
        return [
            (label, counts[value], amounts[value])
            for value, label in Category.choices
            if counts[value]
        ]

    def totals_by_pilot(self) -> list[tuple[Pilot, int, Decimal]]:
        amounts, counts, pilots = defaultdict(Decimal), Counter(), {}
        for line in self.new_lines:
            pilots[line.row.pilot.pk] = line.row.pilot
            amounts[line.row.pilot.pk] += line.row.amount
            counts[line.row.pilot.pk] += 1
        return [
            (pilots[pk], counts[pk], amounts[pk])
            for pk in sorted(pilots, key=lambda pk: pilots[pk].name)
        ]


def _column(name: str) -> str:
    word = "_".join(name.strip().lower().replace("-", " ").split())
    return HEADER_ALIASES.get(word, word)


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]], list[LineError]]:
    if len(text) > MAX_CSV_CHARS:
        return [], [], [LineError(0, "file", "The file is larger than 5 MB: split it.")]
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            return (
                [],
                [],
                [LineError(1, "file", "The file is empty: the first line names the columns.")],
            )
        columns = [_column(cell) for cell in header]
        body = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                body.append((reader.line_num, cells))
            if len(body) > MAX_ROWS_PER_CALL:
                message = f"The file has more than {MAX_ROWS_PER_CALL:,} lines: split it."
                return columns, [], [LineError(reader.line_num, "file", message)]
    except csv.Error as error:
        return [], [], [LineError(reader.line_num, "file", f"This is not readable CSV: {error}.")]
    return columns, body, []


def _header_errors(columns: list[str], *, has_default_pilot: bool) -> list[LineError]:
    errors = []
    for name in columns:
        if name and name not in ENTRY_FIELDS:
            errors.append(
                LineError(1, name, f"Unknown column “{name}”. Columns: {', '.join(COLUMNS)}.")
            )
    duplicated = sorted(name for name, count in Counter(columns).items() if name and count > 1)
    for name in duplicated:
        errors.append(LineError(1, name, f"The column “{name}” appears twice."))
    required = ["date", "category"] + ([] if has_default_pilot else ["pilot"])
    for name in required:
        if name not in columns:
            errors.append(LineError(1, name, f"The file needs a “{name}” column."))
    # Hours alone are enough: a line without a rate takes the rate set for its kind of time.
    if "amount" not in columns and "hours" not in columns:
        errors.append(
            LineError(
                1,
                "amount",
                "The file needs an “amount” column, or “hours” (and “hourly_rate”, unless a rate "
                "is set for that kind of time).",
            )
        )
    return errors


def _name_resolver(user, values: list[str], default_pilot: Pilot | None):
    ids = {int(value) for value in values if value.isdigit()}
    names = {value.lower() for value in values if value and not value.isdigit()}
    found = (
        access.scope_pilots(user)
        .annotate(lower_name=Lower("name"))
        .filter(Q(pk__in=ids) | Q(lower_name__in=names))
        .prefetch_related("roles__members")
    )
    by_id, by_name = {}, defaultdict(list)
    for pilot in found:
        by_id[pilot.pk] = pilot
        by_name[pilot.lower_name].append(pilot)

    def resolve(value) -> tuple[Pilot | None, str]:
        text = "" if value is None else str(value).strip()
        if not text:
            return None, "Name the pilot (its id or exact name)."
        if text.isdigit():
            pilot = by_id.get(int(text))
        else:
            matches = by_name.get(text.lower(), [])
            if len(matches) > 1:
                return None, f"Several pilots are called “{text}”: use the pilot's id instead."
            pilot = matches[0] if matches else None
        if pilot is None:
            return None, NO_SUCH_PILOT
        if not may_record_costs(user, pilot):
            return None, MAY_NOT_RECORD
        return pilot, ""

    if default_pilot is not None:
        default_ok = may_record_costs(user, default_pilot)

        def resolve_with_default(value) -> tuple[Pilot | None, str]:
            if value is None or not str(value).strip():
                return (default_pilot, "") if default_ok else (None, MAY_NOT_RECORD)
            return resolve(value)

        return resolve_with_default
    return resolve


def _derived_key(row: EntryRow, seen: Counter) -> str:
    parts = [
        str(row.pilot.pk),
        row.date.isoformat(),
        row.category,
        row.task_type,
        f"{row.amount.normalize():f}",
        f"{row.hours.normalize():f}" if row.hours is not None else "",
        f"{row.hourly_rate.normalize():f}" if row.hourly_rate is not None else "",
        row.note,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    seen[digest] += 1
    return f"csv:{digest}:{seen[digest]}"


def cost_csv_preview(*, by, text: str, default_pilot: Pilot | None = None) -> ImportPreview:
    """Read and check the whole file; nothing is saved. Errors name the line and the field."""
    preview = ImportPreview()
    columns, body, errors = _read(text)
    if errors:
        preview.errors = errors
        return preview
    preview.errors = _header_errors(columns, has_default_pilot=default_pilot is not None)
    if preview.errors:
        return preview
    if not body:
        preview.errors = [LineError(2, "file", "The file has a header but no lines to import.")]
        return preview
    pilot_column = columns.index("pilot") if "pilot" in columns else None
    pilot_values = [
        cells[pilot_column].strip()
        for _, cells in body
        if pilot_column is not None and pilot_column < len(cells)
    ]
    resolve = _name_resolver(by, pilot_values, default_pilot)
    today = timezone.localdate()
    rates = RateBook()  # hours without a rate: one query for the whole file
    seen: Counter = Counter()
    parsed = []
    for line, cells in body:
        if len(cells) > len(columns):
            message = (
                f"This line has {len(cells)} cells but the header names {len(columns)} columns."
            )
            preview.errors.append(LineError(line, "line", message))
            continue
        raw = {name: value for name, value in zip(columns, cells, strict=False) if name}
        row, row_errors = parse_entry(raw, resolve_pilot=resolve, today=today, rates=rates)
        for field_name, messages in row_errors.items():
            preview.errors.extend(LineError(line, field_name, message) for message in messages)
        if row is None:
            continue
        if row.idempotency_key is None:
            row.idempotency_key = _derived_key(row, seen)
        parsed.append((line, row))
    problems = [
        *duplicate_key_errors(parsed, label="line").items(),
        *measured_errors(parsed).items(),
    ]
    for line, problem in problems:
        preview.errors.extend(
            LineError(line, name, message)
            for name, messages in problem.items()
            for message in messages
        )
    if preview.errors:
        preview.errors.sort(key=lambda error: error.line)
        return preview
    preview.lines = [ImportLine(line, row) for line, row in parsed]
    _mark_existing(preview)
    return preview


def _mark_existing(preview: ImportPreview) -> None:
    pilot_ids = {line.row.pilot.pk for line in preview.lines}
    keys = sorted({line.row.idempotency_key for line in preview.lines})
    existing = set()
    for start in range(0, len(keys), 5000):
        existing.update(
            CostEntry.objects.filter(
                pilot_id__in=pilot_ids, idempotency_key__in=keys[start : start + 5000]
            ).values_list("pilot_id", "idempotency_key")
        )
    for line in preview.lines:
        line.is_new = (line.row.pilot.pk, line.row.idempotency_key) not in existing


@transaction.atomic
def cost_csv_import(*, by, text: str, default_pilot: Pilot | None = None):
    """Import the file: every line or none. Raises RowErrors (with line numbers) when any is wrong."""
    preview = cost_csv_preview(by=by, text=text, default_pilot=default_pilot)
    if preview.errors:
        raise RowErrors(
            [
                {"line": error.line, "field": error.field, "message": error.message}
                for error in preview.errors
            ],
            message="Some lines are wrong; nothing was imported.",
        )
    return insert_entries([line.row for line in preview.lines], by=by, source=Source.IMPORT)
