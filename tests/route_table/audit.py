"""The route table's row for the audit log."""

from tests.pilots.permission_helpers import browser
from tests.route_table.base import ADMINS, Row, get, page

PAGES: dict[str, Row] = {
    "audit:log": page(lambda m: "/audit/", get(browser(ADMINS, 200, stranger=403))),
}
