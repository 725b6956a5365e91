"""A batch noted on its pilot's connection: the same sums, newest errors and versions on
PostgreSQL (one statement, merged in SQL) as on the portable path of `make run`."""

from collections import Counter

import pytest

from traffic.models import Connection
from traffic.services import bulk_sql
from traffic.services.connections import LAST_ERRORS, connections_note
from traffic.services.versions import KEEP, merge_versions

pytestmark = pytest.mark.django_db


def _errors(numbers):
    return [
        {"at": "2026-12-07T10:00:00+00:00", "source_id": f"s{n}", "errors": {"x": ["bad"]}}
        for n in numbers
    ]


FIRST = {
    "prompt": {f"v{n:02d}": "2026-12-01" for n in range(15)},
    "model": {"gpt-4o": "2026-12-01"},
}
# Newer days for some, the same day for others: 30 prompt values in all, ties at the cut.
SECOND = {
    "prompt": {f"v{n:02d}": "2026-12-02" if n % 2 else "2026-12-01" for n in range(10, 30)},
    "model": {"gpt-4o-mini": "2026-12-02"},
}


def _two_batches(pilot) -> Connection:
    connections_note(
        "litellm", Counter({pilot.pk: 5}), {pilot.pk: _errors(range(7))}, {pilot.pk: FIRST}
    )
    connections_note(
        "litellm", Counter({pilot.pk: 3}), {pilot.pk: _errors(range(7, 12))}, {pilot.pk: SECOND}
    )
    connections_note("litellm", Counter({pilot.pk: 2}), {}, None)  # nothing refused, no versions
    return Connection.objects.get(pilot=pilot, origin="litellm")


def test_a_connection_sums_batches_and_keeps_the_newest_errors_and_versions(pilot, monkeypatch):
    statement = _two_batches(pilot)
    assert (statement.received, statement.refused) == (10, 12)
    newest_first = [error["source_id"] for error in statement.last_errors]
    assert newest_first == [f"s{n}" for n in range(11, 11 - LAST_ERRORS, -1)]
    expected = merge_versions(merge_versions({}, FIRST), SECOND)
    assert statement.versions_seen == expected
    assert len(expected["prompt"]) == KEEP and set(expected["model"]) == {"gpt-4o", "gpt-4o-mini"}

    Connection.objects.all().delete()
    monkeypatch.setattr(bulk_sql, "supported", lambda: False)  # as on SQLite
    portable = _two_batches(pilot)
    for name in ("received", "refused", "last_errors", "versions_seen"):
        assert getattr(portable, name) == getattr(statement, name), name
