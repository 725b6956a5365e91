"""Bulk loading through Django's own connection: COPY for rows built in Python, SQL for the rest.

`copy_rows(cursor, Model, columns, rows)` writes `rows` (tuples in the order of `columns`, which are
attribute names such as "pilot_id") with one COPY; every other column of the model gets its field's
default, so a field added to a model later needs no change here unless it has no default.
"""

import json
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

CHUNK_BYTES = 1 << 20
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value) -> str:
    """One value in COPY's text format."""
    if type(value) is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | Decimal | date | datetime):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value).translate(_ESCAPES)
    return str(value)


def _default(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(
        f"{field.model.__name__}.{field.name} has no default: the bench generator must fill it."
    )


def copy_rows(cursor, model, columns: list[str], rows: Iterable[tuple], *, lines=False) -> int:
    """COPY `rows` into `model`'s table; the columns not named get their fields' defaults.

    With `lines=True` each row is already one line of COPY text (tab-separated, no newline): the
    ledger's million rows are formatted where they are made, which is several times faster."""
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    unknown = set(columns) - set(by_attname)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    now = timezone.now()
    rest = [
        field
        for field in meta.concrete_fields
        if field.attname not in columns and not (field.primary_key and field.attname == "id")
    ]
    constant = "".join("\t" + text(_default(field, now)) for field in rest)
    names = [by_attname[name].column for name in columns] + [field.column for field in rest]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        buffer: list[str] = []
        size = 0
        for row in rows:
            line = (row if lines else "\t".join([text(value) for value in row])) + constant + "\n"
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= CHUNK_BYTES:
                copy.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer))
    return count


def reset_sequence(cursor, model) -> None:
    """After rows were loaded with explicit ids, new rows must take ids after them."""
    table = model._meta.db_table
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM "
        f"{connection.ops.quote_name(table)}), 0) + 1, false)",
        [table],
    )


def copy_history(cursor, model, *, where: str, params: list, history_type: str = "+") -> int:
    """simple-history records for existing rows, made in SQL: one INSERT … SELECT.

    The record is dated at the row's `created_at` (when people made it), by nobody in particular.
    """
    history = model.history.model
    tracked = {field.attname for field in model.history.model._meta.concrete_fields}
    special = {"history_id", "history_date", "history_change_reason", "history_type"}
    special |= {"history_user_id"}
    own = [
        field.column
        for field in model._meta.concrete_fields
        if field.attname in tracked and field.attname not in special
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in own)
    cursor.execute(
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_type, "
        f"history_change_reason, history_user_id) SELECT {columns}, created_at, %s, NULL, NULL "
        f"FROM {quote(model._meta.db_table)} WHERE {where}",
        [history_type, *params],
    )
    return cursor.rowcount


@contextmanager
def deferred_indexes(cursor, model):
    """Drop the table's plain indexes and foreign keys while it is loaded, and build them again
    afterwards: one sorted index build, and one join that checks every foreign key at once, are far
    faster than a million inserts into random places and a million single-row checks. Indexes that
    back a constraint (primary key, unique) stay, so the load is checked as usual."""
    if connection.in_atomic_block:
        # Inside a transaction (the test suite's tiny runs) deferred foreign-key checks are
        # pending, and PostgreSQL refuses to drop the constraints: load as is.
        yield
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign_keys = cursor.fetchall()
    for name, _ in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
