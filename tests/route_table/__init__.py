"""The permission table of test_route_matrix.py: every route, what it accepts, who gets what."""

# Each route's status per role for each method it accepts. Roles are those of
# tests/pilots/permission_helpers.py (`browser()` and `api()` build a status per role from who is
# allowed); this table uses one person per way of relating to a pilot. Each module here holds one
# app's rows, browser `PAGES` and API `ENDPOINTS`; base.py holds what they are built from.

from tests.route_table import (
    accounts,
    audit,
    costs,
    governance,
    killswitch,
    leadership,
    pilots,
    reviews,
    support,
    traffic,
)
from tests.route_table.base import EXCLUDED, EXCLUDED_PREFIXES, METHODS, PASSWORD, ROLES, Call, Row

__all__ = ["EXCLUDED", "EXCLUDED_PREFIXES", "METHODS", "PASSWORD", "ROLES", "TABLE", "Call", "Row"]

PARTS = (
    pilots.PAGES,
    governance.PAGES,
    reviews.PAGES,
    costs.PAGES,
    support.PAGES,
    leadership.PAGES,
    audit.PAGES,
    traffic.PAGES,
    accounts.ENDPOINTS,
    pilots.ENDPOINTS,
    governance.ENDPOINTS,
    reviews.ENDPOINTS,
    costs.ENDPOINTS,
    support.ENDPOINTS,
    leadership.ENDPOINTS,
    killswitch.ENDPOINTS,
    traffic.ENDPOINTS,
)
TABLE: dict[str, Row] = {name: row for part in PARTS for name, row in part.items()}
assert len(TABLE) == sum(len(part) for part in PARTS), "a route has rows in two modules"
