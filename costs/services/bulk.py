"""Set-based writes of many ledger or volume rows, with their history records.

On PostgreSQL new rows go in with `COPY` (ids taken from the table's sequence in one query first,
so the callers know them); changed rows with one `UPDATE … FROM (VALUES …)` per batch. Each row
gets its simple-history record the same way, so an API push stays audited without a query per
row. Other databases (SQLite for `make run`) use simple-history's bulk helpers.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH = 1000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _stamp(objs: Sequence[Model], *, new: bool, now) -> None:
    """What `save()` would set: auto_now fields, and auto_now_add ones on new rows."""
    for field in objs[0]._meta.concrete_fields:
        if getattr(field, "auto_now", False) or (new and getattr(field, "auto_now_add", False)):
            for obj in objs:
                setattr(obj, field.attname, now)


def _copy_history(cursor, model, objs: Sequence[Model], *, by, history_type: str, now) -> None:
    history = model.history.model
    fields = [field for field in history._meta.concrete_fields if field.name != "history_id"]
    special = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": history_type,
        "history_user": getattr(by, "pk", None),
    }
    columns = ", ".join(_quote(field.column) for field in fields)
    with cursor.copy(f"COPY {_quote(history._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row(
                [
                    special[field.name] if field.name in special else getattr(obj, field.attname)
                    for field in fields
                ]
            )


def insert_with_history(model, objs: Sequence[Model], *, by) -> None:
    """Insert `objs` (their pks are set) and a '+' history record for each."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(list(objs), model, batch_size=BATCH, default_user=by)
        return
    now = timezone.now()
    _stamp(objs, new=True, now=now)
    table, pk = model._meta.db_table, model._meta.pk.column
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(_quote(field.column) for field in fields)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(objs)],
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = value
        with cursor.copy(f"COPY {_quote(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([getattr(obj, field.attname) for field in fields])
        _copy_history(cursor, model, objs, by=by, history_type="+", now=now)


def update_with_history(model, objs: Sequence[Model], fields: Sequence[str], *, by) -> None:
    """Write `fields` of `objs` (already set on them) and a '~' history record for each."""
    if not objs:
        return
    now = timezone.now()
    _stamp(objs, new=False, now=now)
    meta = model._meta
    changed = [meta.get_field(name) for name in fields]
    changed += [
        field
        for field in meta.concrete_fields
        if getattr(field, "auto_now", False) and field not in changed
    ]
    if connection.vendor != "postgresql":
        names = [field.name for field in changed]
        bulk_update_with_history(list(objs), model, names, batch_size=BATCH, default_user=by)
        return
    pk = meta.pk
    names = [pk.column, *(field.column for field in changed)]
    assignments = ", ".join(
        f"{_quote(field.column)} = v.{_quote(field.column)}" for field in changed
    )
    with connection.wrap_database_errors, connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            # Typed placeholders so VALUES knows each column's type.
            row = ", ".join(f"%s::{field.db_type(connection)}" for field in [pk, *changed])
            values = ", ".join([f"({row})"] * len(batch))
            params = [getattr(obj, field.attname) for obj in batch for field in [pk, *changed]]
            cursor.execute(
                f"UPDATE {_quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {values}) AS v ({', '.join(_quote(name) for name in names)}) "
                f"WHERE t.{_quote(pk.column)} = v.{_quote(pk.column)}",
                params,
            )
        _copy_history(cursor, model, objs, by=by, history_type="~", now=now)
