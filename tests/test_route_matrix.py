"""Every route of the project, browser and API, for every way of relating to a pilot.

The point of this file is completeness. `all_routes()` walks the URL resolver; each route name must
have a row in the permission table (tests/route_table/ `TABLE`, or one of its few `EXCLUDED`,
each with a reason), so a route added without deciding who may use it fails
`test_every_route_has_a_row_in_the_permission_table` with its name. Each row says how to build the
route's URL with real objects of one staffed pilot (tests/matrix.py), the methods it accepts, and
the status every role gets for each of them:

- anonymous                 browser: a redirect to the login page; API: 401
- stranger                  signed in, no role on the pilot: its objects answer 404, never 403
- owner, tech               business owner and technical owner (the owner is the tech's backup)
- reviewer, stopper         the reviewer and the stop authority
- it_lane                   the named contact of the IT lane, on the pilot and company-wide
- finance                   the finance group: reads every pilot, holds no role on it
- admin                     a superuser

Methods a row does not list must answer 405, so the table is also the list of what each route
accepts. A refused request writes nothing (no change reaches the audit trail), and a list never
shows a stranger the pilot's rows. tests/pilots/test_permissions_*.py go deeper on pilots and
governance (backups, group members, whether each write happened); their fixtures
(tests/pilots/permission_helpers.py) are reused here.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.matrix import Matrix, matrix  # noqa: F401  (`matrix` is a fixture)
from tests.pilots.permission_helpers import LOGIN, LOGIN_PREFIX, world  # noqa: F401  (fixture)
from tests.route_table import (
    EXCLUDED,
    EXCLUDED_PREFIXES,
    METHODS,
    PASSWORD,
    ROLES,
    TABLE,
    Call,
    Row,
)

# --- Walking the resolver ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None
    route: str
    callback: Callable


def all_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += all_routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            found.append(Pattern(name, prefix + str(entry.pattern), entry.callback))
    return found


def routes_to_check() -> list[Pattern]:
    return [
        pattern
        for pattern in all_routes()
        if not pattern.route.lstrip("^").startswith(tuple(EXCLUDED_PREFIXES))
    ]


# --- Completeness ------------------------------------------------------------------------------


def test_every_route_has_a_row_in_the_permission_table():
    patterns = routes_to_check()
    unnamed = sorted(pattern.route for pattern in patterns if not pattern.name)
    assert not unnamed, f"Routes without a name cannot be put in the permission table: {unnamed}"
    names = {pattern.name for pattern in patterns}
    missing = sorted(names - set(TABLE) - set(EXCLUDED))
    assert not missing, (
        f"Routes without a row in tests/test_route_matrix.py TABLE (decide who may use them): "
        f"{missing}"
    )


def test_the_table_has_no_row_for_a_route_that_does_not_exist():
    names = {pattern.name for pattern in all_routes()}
    assert not sorted(set(TABLE) - names)
    assert not sorted(set(EXCLUDED) - names)


def test_one_row_covers_every_pattern_of_its_name():
    """A name shared by several patterns (the API's `.json` format suffixes) must mean one view."""
    views = {}
    for pattern in routes_to_check():
        callback = getattr(pattern.callback, "cls", pattern.callback)
        views.setdefault(pattern.name, set()).add(
            (callback, tuple(sorted(getattr(pattern.callback, "actions", {}).items())))
        )
    shared = {name: found for name, found in views.items() if len(found) > 1}
    assert not shared


def test_every_row_gives_a_status_for_every_role():
    for name, row in TABLE.items():
        assert row.calls, name
        for call in row.calls:
            assert set(ROLES) <= set(call.expected), name
            assert call.method in METHODS, name


# --- Each route, each method, each role ---------------------------------------------------------


class Rollback(Exception):
    """Undo what one role's request did, so the next role finds the same data."""


CHANGE_KINDS = [AuditEvent.Kind.CREATED, AuditEvent.Kind.CHANGED, AuditEvent.Kind.DELETED]


def _client(m: Matrix, row: Row, role: str):
    if not row.is_api:
        client = Client()
        if role != "anonymous":
            client.force_login(m.w.people[role])
        return client
    client = APIClient()
    if role == "anonymous":
        return client
    if row.auth == "basic":
        client.credentials(HTTP_AUTHORIZATION=_basic(m.w.people[role].username))
    else:
        _, token = AuthToken.objects.create(m.w.people[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _basic(username: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()


def _send(m: Matrix, row: Row, call: Call, role: str):
    client = _client(m, row, role)
    url = (call.url or row.url)(m)
    data = call.data(m) if call.data else None
    if row.is_api:
        return getattr(client, call.method)(url, data, format="json")
    if call.method == "get":
        return client.get(url)
    return getattr(client, call.method)(url, data or {})


def _outcome(response) -> object:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(LOGIN_PREFIX):
        return LOGIN
    return response.status_code


def _one_role(m: Matrix, row: Row, call: Call, role: str) -> tuple[object, int]:
    """The status `role` gets, and how many changes it left in the audit trail (rolled back)."""
    result = {}
    try:
        with transaction.atomic():
            before = AuditEvent.objects.filter(kind__in=CHANGE_KINDS).count()
            try:
                response = _send(m, row, call, role)
            except Exception as error:  # a server error is a finding like any other status
                result["status"] = f"500 ({type(error).__name__}: {error})"
                result["changes"] = 0
                raise Rollback from error
            result["status"] = _outcome(response)
            result["changes"] = AuditEvent.objects.filter(kind__in=CHANGE_KINDS).count() - before
            raise Rollback
    except Rollback:
        pass
    return result["status"], result["changes"]


def cases():
    for name, row in TABLE.items():
        for index, call in enumerate(row.calls):
            label = f"{name}-{call.method}" + (f"-{call.note.split(':')[0]}" if call.note else "")
            yield pytest.param(name, index, id=label.replace(" ", "_"))


@pytest.fixture
def objects(db, request) -> Matrix:
    """The staffed pilot and a row of every kind (tests/matrix.py)."""
    return request.getfixturevalue("matrix")


@pytest.fixture(autouse=True)
def fresh_throttles():
    """API throttle counters live in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("name", "index"), list(cases()))
def test_route_answers_each_role_as_the_table_says(objects, name, index):
    row, call = TABLE[name], TABLE[name].calls[index]
    wrong, leaked = [], []
    for role in ROLES:
        status, changes = _one_role(objects, row, call, role)
        if status != call.expected[role]:
            wrong.append(f"{role}: expected {call.expected[role]}, got {status}")
        refused = status == LOGIN or (isinstance(status, int) and status >= 400)
        if refused and changes:
            leaked.append(f"{role}: refused with {status} but {changes} change(s) were recorded")
    url = (call.url or row.url)(objects)
    assert not wrong and not leaked, f"{call.method.upper()} {url}\n" + "\n".join(wrong + leaked)


@pytest.mark.parametrize("name", list(TABLE))
def test_route_refuses_the_methods_its_row_does_not_list(objects, name):
    row = TABLE[name]
    listed = {call.method for call in row.calls}
    client = _client(objects, row, "admin")
    url = row.url(objects)
    answers = {}
    for method in METHODS:
        if method in listed:
            continue
        if row.is_api:
            response = getattr(client, method)(url, {}, format="json")
        else:
            response = getattr(client, method)(url)
        answers[method] = response.status_code
    assert all(status == 405 for status in answers.values()), f"{url}: {answers}"


# --- Lists never show a pilot to someone who may not see it ---------------------------------------

LIST_ROWS = [name for name, row in TABLE.items() if row.lists_pilot]


@pytest.mark.parametrize("name", LIST_ROWS)
def test_api_list_never_shows_a_stranger_the_pilots_rows(objects, name):
    row = TABLE[name]

    def pilots_listed(role):
        response = _client(objects, row, role).get(row.url(objects))
        assert response.status_code == 200, (role, response.content[:300])
        return [item[row.lists_pilot] for item in response.json()["results"]]

    assert objects.pilot.pk in pilots_listed("owner"), "the owner must see the rows: no data?"
    assert objects.pilot.pk in pilots_listed("finance")
    assert objects.pilot.pk not in pilots_listed("stranger")


@pytest.mark.parametrize(
    "url",
    ["/", "/finance/", "/finance/export/caps.csv", "/finance/export/cost-per-task.csv"],
)
def test_browser_lists_never_show_a_stranger_the_pilot(objects, url):
    def shows_pilot(role):
        client = Client()
        client.force_login(objects.w.people[role])
        response = client.get(url)
        assert response.status_code == 200
        return objects.pilot.name in response.content.decode()

    assert shows_pilot("owner")
    assert not shows_pilot("stranger")
