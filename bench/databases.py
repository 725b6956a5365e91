"""A scratch database per scale, next to the one DATABASE_URL names (its role may CREATEDB)."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections


def database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _use(name: str) -> None:
    for each in connections.all():
        each.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


@contextmanager
def scratch_database(suffix: str, *, keep: bool = False):
    """Create `<name>_bench_<suffix>`, migrate it, make it Django's database; drop it afterwards."""
    home = connection.settings_dict["NAME"]
    name = f"{home}_bench_{suffix}"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    _use(name)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        _use(home)
        if not keep:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
