"""Many rows in one statement on PostgreSQL: the rows travel as one JSON parameter, which
`json_populate_recordset` reads with the table's own column types.

A thousand task records as `VALUES (%s, …), …` are 20,000 placeholders that the driver splits and
quotes one by one, and Django's `bulk_update` builds a CASE per field per row. One array per column
(`unnest`) keeps the statement the same size whatever the batch, but the driver still quotes every
text element of every array in Python (a third of a 1,000-record ingest in process); one JSON
string is made by orjson's C encoder and parsed by the database. Other databases (SQLite under
`make run`) keep Django's own paths.

The task ingest itself goes faster still, by COPY (traffic.services.staged); it takes the ON
CONFLICT clause that adds counters (`adding`) from here.
"""

from decimal import Decimal

import orjson
from django.db import connection, models
from django.utils import timezone

# Fields whose Python value goes into the JSON as is (the encoder writes it as PostgreSQL reads it).
AS_IS = (
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.DateTimeField,
    models.DateField,
    models.DecimalField,
    models.BooleanField,
    models.JSONField,
    models.ForeignKey,
)


def _plain(value):
    """What orjson does not write itself: decimals as their digits."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def as_json(rows: list[dict]) -> str:
    """Full precision (times with their microseconds: a record's start time is part of its
    identity), by orjson's C encoder."""
    return orjson.dumps(rows, default=_plain).decode()


def supported() -> bool:
    return connection.vendor == "postgresql"


def _payload(fields: list[models.Field], rows: list[dict]) -> str:
    """`rows` (dicts by column) as one JSON array of objects, with only `fields`' columns."""
    columns = [field.column for field in fields]
    other = [field for field in fields if not isinstance(field, AS_IS)]
    chosen = [{column: row[column] for column in columns} for row in rows]
    for field in other:
        for row in chosen:
            if row[field.column] is not None:
                row[field.column] = field.get_db_prep_value(row[field.column], connection)
    return as_json(chosen)


def _of(obj: models.Model, fields: list[models.Field]) -> dict:
    return {field.column: getattr(obj, field.attname) for field in fields}


def source(table: str) -> str:
    return f"json_populate_recordset(NULL::{table}, %s)"


def update_by_pk(model, objects: list, field_names: list[str]) -> None:
    """Write `field_names` of `objects` (rows that exist) in one UPDATE … FROM unnest."""
    if not objects:
        return
    if not supported():
        model.objects.bulk_update(objects, field_names)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    fields = [meta.pk] + [meta.get_field(name) for name in field_names]
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(field.column)}" for field in fields[1:]
    )
    pk = quote(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {source(table)} AS v "
            f"WHERE t.{pk} = v.{pk}",
            [_payload(fields, [_of(obj, fields) for obj in objects])],
        )


def _json_add(column: str, *, number_keys: bool = False) -> str:
    """Two {key: count} objects added key by key: the stored row's, with the incoming keys
    (usually one or two) replaced by their sums.

    With `number_keys` (keys that are whole numbers, like the latency buckets) an incoming object
    of one key, the usual case, is added without a subquery: jsonb writes it as `{"37": 2}`, so
    the key and its count are read from that text and set with `jsonb_set`. Half the cost of
    the general merge, which every other object takes."""
    general = (
        f"t.{column} || (SELECT jsonb_object_agg(k, n::bigint + COALESCE((t.{column} ->> k)::bigint"
        f", 0)) FROM jsonb_each_text(EXCLUDED.{column}) AS incoming(k, n))"
    )
    one = ""
    if number_keys:
        written = f"EXCLUDED.{column}::text"
        key = f"split_part({written}, '\"', 2)"
        count = f"rtrim(split_part({written}, ': ', 2), '}}')::bigint"
        one = (
            f"WHEN strpos({written}, ',') = 0 THEN jsonb_set(t.{column}, ARRAY[{key}], "
            f"to_jsonb(COALESCE((t.{column} ->> {key})::bigint, 0) + {count})) "
        )
    return f"CASE WHEN EXCLUDED.{column} = '{{}}'::jsonb THEN t.{column} {one}ELSE {general} END"


def adding(model, add: list[str], *, number_keys: tuple[str, ...] = ()) -> str:
    """The ON CONFLICT … DO UPDATE SET clause that adds the incoming row's `add` fields to the
    stored row's (`t`): numbers summed, JSON counters summed per key (`number_keys`: counters
    whose keys are whole numbers)."""
    quote = connection.ops.quote_name
    sums = []
    for name in add:
        field = model._meta.get_field(name)
        column = quote(field.column)
        if isinstance(field, models.JSONField):
            sums.append(f"{column} = {_json_add(column, number_keys=name in number_keys)}")
        else:
            sums.append(f"{column} = t.{column} + EXCLUDED.{column}")
    return ", ".join(sums)


def prepared(field: models.Field, value):
    """`value` as a query parameter for `field`'s column."""
    return field.get_db_prep_value(value, connection)


def insert_json(model, rows: list[dict]) -> None:
    """INSERT `rows` (dicts by column, every row with the same columns) in one statement."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(name) for name in rows[0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {source(table)}",
            [as_json(rows)],
        )


def insert_logged(model, rows: list[dict], returning: tuple[str, ...]) -> list[tuple]:
    """INSERT `rows` (as `insert_json`) and their history, the "+" rows django-simple-history's
    `bulk_history_create` writes (no user, no reason), in one statement without a model instance;
    answer the `returning` columns of every row inserted."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    history = model.history.model
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    columns = ", ".join(quote(name) for name in rows[0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH fresh AS (INSERT INTO {table} ({columns}) SELECT {columns} "
            f"FROM {source(table)} RETURNING *), "
            f"logged AS (INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, %s, '', '+', NULL FROM fresh) "
            f"SELECT {', '.join(quote(name) for name in returning)} FROM fresh",
            [as_json(rows), timezone.now()],
        )
        return cursor.fetchall()


def new_row(obj: models.Model) -> dict:
    """An unsaved instance as `insert_json` takes it (auto_now fields set, as save would)."""
    fields = [field for field in obj._meta.concrete_fields if not field.primary_key]
    return {field.column: field.pre_save(obj, add=True) for field in fields}


# PostgreSQL types of Django fields, for binary COPY (its rows are not text: half the work).
COPY_TYPES = {
    "AutoField": "int4",
    "BigAutoField": "int8",
    "BigIntegerField": "int8",
    "BooleanField": "bool",
    "CharField": "text",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "DecimalField": "numeric",
    "IntegerField": "int4",
    "PositiveIntegerField": "int4",
    "PositiveSmallIntegerField": "int2",
    "SmallIntegerField": "int2",
    "TextField": "text",
}


def copy_type(field: models.Field) -> str:
    """`field`'s column type as binary COPY writes it (a foreign key: its target's)."""
    if field.is_relation:
        field = field.target_field
    return COPY_TYPES[field.get_internal_type()]


def copy_rows(cursor, table: str, columns: list[str], types: list[str], rows) -> None:
    """COPY `rows` (tuples in `columns`' order, of `types`) into `table`, in binary."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


def copy_in(model, columns: tuple[str, ...] | list[str], rows) -> None:
    """COPY `rows` (tuples in `columns`' order) into `model`'s table: PostgreSQL's fastest way in,
    for rows that need no ON CONFLICT (new ones)."""
    meta = model._meta
    by_column = {field.column: field for field in meta.concrete_fields}
    types = [copy_type(by_column[column]) for column in columns]
    with connection.cursor() as cursor:
        copy_rows(cursor, connection.ops.quote_name(meta.db_table), list(columns), types, rows)
