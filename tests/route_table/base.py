"""The route table's building blocks: roles, who may do what, rows and calls, exclusions."""

from collections.abc import Callable
from dataclasses import dataclass

from tests.matrix import Matrix
from tests.pilots.permission_helpers import EDITORS, ROLE_HOLDERS, STOPPERS

ROLES = (
    "anonymous",
    "stranger",
    "owner",
    "tech",
    "reviewer",
    "stopper",
    "it_lane",
    "finance",
    "admin",
)
PASSWORD = "pw-for-tests"  # tests/pilots/factories.UserFactory

REVIEWERS = frozenset({"reviewer", "admin"})  # access.can_review
WEEK_KEEPERS = REVIEWERS | EDITORS  # reviews.services.may_manage_week
ERROR_EDITORS = REVIEWERS | EDITORS | STOPPERS  # reviews.services.may_edit_error
FIXERS = EDITORS | STOPPERS  # reviews.services.may_record_fix / may_resolve (not stop-now)
COST_RECORDERS = EDITORS | {"finance"}  # costs.services.may_record_costs
PROPOSERS = ROLE_HOLDERS | {"admin"}  # governance.services.change_propose
ADMINS = frozenset({"admin"})
# support: the register (tools, data classes, review rules) is kept by administrators and the
# company Security lane, the company lanes by administrators; none of the roles here is Security.
REGISTER_KEEPERS = ADMINS
# A use-case request is seen by who asked (the owner), the lane contacts and administrators, and
# decided by the contacts of the lanes on its path (it_lane: the IT step) — never by who asked.
USE_CASE_READERS = frozenset({"owner", "it_lane", "admin"})
USE_CASE_DECIDERS = frozenset({"it_lane", "admin"})
LEADERS = frozenset({"finance", "admin"})  # leadership.access.may_view (and the Leadership lane)
METHODS = ("get", "post", "put", "patch", "delete")

# Routes left out of the table, each with its reason. Nothing else may be left out.
EXCLUDED = {
    "login": "the sign-in page is public by necessity (lockout: tests/audit/test_accounts.py)",
    "logout": "signing out (tests/audit/test_accounts.py)",
    "schema": "the OpenAPI schema is public documentation (tests/pilots/test_permissions_api.py)",
    "api-docs": "the Swagger page over the schema, public like it",
    "api-redoc": "the ReDoc page over the schema, public like it",
}
EXCLUDED_PREFIXES = {
    "admin/": "Django's admin site: staff-only by Django's own permission system",
    "static/": "static files",
    "__debug__/": "development tooling",
}


@dataclass(frozen=True)
class Call:
    method: str
    expected: dict
    data: Callable[[Matrix], object] | None = None
    url: Callable[[Matrix], str] | None = None  # when this call needs another URL than the row's
    note: str = ""


@dataclass(frozen=True)
class Row:
    url: Callable[[Matrix], str]
    calls: tuple[Call, ...]
    is_api: bool = False
    auth: str = "token"  # API: "token" (knox) or "basic" (the token login takes a password)
    # A list: the field of each row that names its pilot, so a stranger's list can be checked.
    lists_pilot: str | None = None


def page(url, *calls, lists_pilot=None) -> Row:
    return Row(url=url, calls=calls, lists_pilot=lists_pilot)


def endpoint(url, *calls, lists_pilot=None, auth="token") -> Row:
    return Row(url=url, calls=calls, is_api=True, auth=auth, lists_pilot=lists_pilot)


def get(expected, **extra) -> Call:
    return Call("get", expected, **extra)


def post(expected, data=None, **extra) -> Call:
    return Call("post", expected, data=data, **extra)


def put(expected, data=None) -> Call:
    return Call("put", expected, data=data)


def patch(expected, data=None) -> Call:
    return Call("patch", expected, data=data)


def delete(expected) -> Call:
    return Call("delete", expected)


def on_pilot(suffix: str = "") -> Callable[[Matrix], str]:
    return lambda m: f"/pilots/{m.pilot.pk}/{suffix}"


EDITED = "Edited in the route matrix."
PILOTS = "/api/pilots"
