"""The API against its own OpenAPI schema (/api/schema/), with generated and with hostile input.

1. Schemathesis generates requests for every operation of the schema — its coverage phase (every
   boundary and type violation the schema allows to construct), its examples and a bounded number
   of fuzzed cases per operation — sent as an administrator with a staffed pilot and every kind of
   row present (tests/matrix.py `matrix`). Every answer must be no server error, a status the
   operation documents, in a documented content type and matching its schema; and an operation
   that answers 2xx must refuse the same request without credentials (`ignored_auth`).
2. Every writable field of every write operation, taken from the schema, gets a huge number, a NUL
   byte, odd unicode, a lone surrogate and an overlong string: the answer is a 400 or a success,
   never a 500.

Each request runs in a savepoint that is rolled back, so every case meets the same data.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.hostile import HOSTILE
from tests.matrix import matrix  # noqa: F401  (the data every operation runs against)
from tests.pilots.permission_helpers import world  # noqa: F401  (a fixture `matrix` builds on)
from tests.route_table.costs import pilot_rate

# Fuzzed cases per operation, on top of the coverage phase (which is not bounded by it) and the
# schema's examples; the whole module runs in about three minutes on two cores.
EXAMPLES_PER_OPERATION = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]

# Two coverage phases are left to the others, to keep the run short: creating and replacing a pilot
# take exactly the fields PATCH /api/pilots/{id} takes, and that one walks every field's
# boundaries (all three are fuzzed, and the hostile-value test below covers each field of each).
# Methods an operation does not take answer 405: tests/test_route_matrix.py checks that, route
# by route, so the coverage phase does not send them again.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"unexpected-methods": []}},
        "operations": [
            {"include-name": name, "phases": {"coverage": {"enabled": False}}}
            for name in ("POST /api/pilots", "PUT /api/pilots/{id}")
        ],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)
TOKEN = {}


@schema.auth(refresh_interval=None)
class AdminToken:
    """Marks every case as sent with a knox token (the `knoxApiToken` scheme), which is what
    `ignored_auth` takes away to see the operation refuse; `sign` puts the real token in when the
    case is sent (cases are also built while collecting, before there is a database)."""

    def get(self, case, context):
        return "set-when-sent"

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


def sign(case) -> None:
    case.headers["Authorization"] = f"Token {TOKEN['admin']}"


class Rollback(Exception):
    pass


@pytest.fixture
def api_data(db, request):
    """The staffed pilot of the route matrix, with every kind of row, and an administrator's token.

    Requests reach Django through WSGI directly, so keep it from closing the test's database
    connection after each one, as Django's own test client does."""
    data = request.getfixturevalue("matrix")
    TOKEN["admin"] = AuthToken.objects.create(data.w.people["admin"])[1]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    cache.clear()
    yield data
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_answers_generated_requests_as_documented(case, api_data):
    try:
        with transaction.atomic():
            sign(case)  # a logout case revokes the token: the rollback brings it back
            case.call_and_validate(checks=CHECKS)
            raise Rollback
    except Rollback:
        pass


# --- Hostile values in every writable field ----------------------------------------------------


def objects(m) -> dict[str, int]:
    """The object each `{id}` path of a write points at."""
    return {
        "/api/pilots/{id}": m.pilot.pk,
        "/api/roles/{id}": m.w.reviewer_role.pk,
        "/api/changes/{id}": m.w.proposed.pk,
        "/api/review-weeks/{id}": m.week.pk,
        "/api/errors/{id}": m.error.pk,
        "/api/cost-entries/{id}": m.cost.pk,
        "/api/hourly-rates/{id}": pilot_rate(m).pk,
        "/api/data-classes/{id}": m.data_class.pk,
        "/api/approved-tools/{id}": m.tool.pk,
        "/api/use-case-requests/{id}": m.use_case.pk,
    }


def writes(document) -> list[tuple[str, str, list[str]]]:
    """(method, path, writable fields) of every operation that takes a JSON body."""
    found = []
    components = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            schema_ = body["schema"]
            schema_ = schema_.get("items", schema_)
            ref = schema_.get("$ref", "")
            properties = components[ref.rsplit("/", 1)[-1]] if ref else schema_
            fields = sorted(properties.get("properties", {}))
            if fields:
                found.append((method, path, fields))
    return found


def test_hostile_values_in_any_writable_field_answer_400_never_500(api_data):
    m = api_data
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {TOKEN['admin']}")
    document = api.get("/api/schema/", {"format": "json"}).json()
    server_errors, sent = [], 0
    targets = objects(m)
    for method, path, fields in writes(document):
        url = path
        if "{id}" in path:
            pk = targets[path.split("{id}")[0] + "{id}"]  # a new write path needs its object here
            url = path.replace("{id}", str(pk))
        for field in fields:
            for name, value in HOSTILE.items():
                body = {field: value}
                if path.endswith("/bulk"):
                    body = [body]
                try:
                    with transaction.atomic():
                        # ASCII JSON, so a lone surrogate travels as the escape \ud800
                        response = api.generic(
                            method.upper(), url, json.dumps(body), "application/json"
                        )
                        sent += 1
                        raise Rollback
                except Rollback:
                    pass
                except Exception as error:  # the test client re-raises the view's exception
                    server_errors.append(f"{method.upper()} {url} {field}={name}: {error!r}")
                    continue
                if response.status_code >= 500:
                    server_errors.append(f"{method.upper()} {url} {field}={name}: 500")
    assert sent > 500, sent
    assert not server_errors, "\n".join(server_errors)
