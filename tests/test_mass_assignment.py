"""Fields people must not set through the API are never applied, endpoint by endpoint.

Status, approvals, computed figures, audit fields (who and when), the owner or creator of an entry,
ids, the pilot a row belongs to, where a row came from: each write endpoint is called by someone
who may make the write, first with a plain valid payload (it must succeed, so a refusal below is
not an accident of the payload), then once per forbidden field with a hostile value added. The
answer must be a 400, or a success that left the field as the server decided it.

The writer is an administrator wherever one may write, so that scoping cannot hide a field that is
in fact writable; the hostile pilot ids point at a pilot the writer may see and edit.

The table of writes is in tests/mass_assignment/, one module per app.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import models, transaction
from knox.models import AuthToken
from rest_framework.test import APIClient

from pilots.models import PilotRole
from tests.fixtures import staff_pilot
from tests.mass_assignment import WRITES
from tests.mass_assignment.base import Forbid, Write, resolve
from tests.matrix import Matrix, matrix  # noqa: F401  (`matrix` is a fixture)
from tests.pilots.factories import PilotFactory
from tests.pilots.permission_helpers import world  # noqa: F401  (a fixture `matrix` builds on)


def applied(actual, sent) -> bool:
    """Whether the stored value is the hostile one that was sent."""
    if isinstance(actual, models.Model):
        actual = actual.pk
    if isinstance(actual, datetime | date):
        return actual.isoformat()[:10] == str(sent)[:10]
    if isinstance(actual, Decimal):
        return actual == Decimal(str(sent))
    if isinstance(sent, list):
        return False  # nested writes (roles) are checked by their own endpoint
    return str(actual) == str(sent)


def value_of(forbid: Forbid, m: Matrix):
    return forbid.value(m) if callable(forbid.value) else forbid.value


def with_field(payload, field_name: str, value):
    if isinstance(payload, list):
        return [{**row, field_name: value} for row in payload]
    return {**payload, field_name: value}


class Rollback(Exception):
    pass


@pytest.fixture
def mass(db, request):
    """The matrix, plus a second pilot on which everyone holds the same roles."""
    m = request.getfixturevalue("matrix")  # tests/matrix.py
    other = PilotFactory(name="Elsewhere")
    staff_pilot(other, m.w.people)
    PilotRole.objects.create(pilot=other, kind="lane_it", primary=m.w.people["it_lane"])
    m.elsewhere = other
    cache.clear()
    return m


def _client(m: Matrix, role: str) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(m.w.people[role])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _attempt(m: Matrix, write: Write, payload, forbid: Forbid | None):
    """Send the write in a savepoint that is rolled back; the status and, on success, the stored
    value of the forbidden field."""
    outcome = {}
    try:
        with transaction.atomic():
            response = getattr(_client(m, write.role), write.method)(
                write.url(m), payload, format="json"
            )
            outcome["status"] = response.status_code
            outcome["body"] = getattr(response, "data", None)
            if forbid is not None and 200 <= response.status_code < 300:
                target = write.target(m, response.json())
                target.refresh_from_db()
                outcome["stored"] = resolve(target, forbid.attr or forbid.field)
            raise Rollback
    except Rollback:
        pass
    return outcome


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
def test_fields_people_must_not_set_are_ignored_or_refused(mass, write):
    m = mass
    plain = _attempt(m, write, write.payload(m), None)
    assert 200 <= plain["status"] < 300, f"the plain write must succeed: {plain}"
    problems = []
    for forbid in write.forbidden:
        value = value_of(forbid, m)
        outcome = _attempt(m, write, with_field(write.payload(m), forbid.field, value), forbid)
        if outcome["status"] == 400:
            continue
        if not 200 <= outcome["status"] < 300:
            problems.append(f"{forbid.field}: answered {outcome['status']} {outcome['body']}")
        elif applied(outcome["stored"], value):
            problems.append(f"{forbid.field}: {value!r} was stored")
    assert not problems, f"{write.method.upper()} {write.url(m)}\n" + "\n".join(problems)


def test_the_webhook_secret_is_write_only(mass, api_for):
    """A secret set through the API is never read back, by anyone."""
    response = api_for(mass.w.people["admin"]).post(
        "/api/rule-settings",
        {
            "pilot": mass.pilot.pk,
            "webhook_url": "https://chat.example.com/h",
            "webhook_secret": "s",
        },
        format="json",
    )
    assert response.status_code == 201
    assert "webhook_secret" not in response.json()
    listed = api_for(mass.w.people["owner"]).get("/api/rule-settings").json()["results"]
    assert all("webhook_secret" not in row for row in listed)
