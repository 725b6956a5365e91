"""The route table's rows for leadership: the readiness dashboard and its export."""

from tests.pilots.permission_helpers import api, browser
from tests.route_table.base import LEADERS, Row, endpoint, get, page

PAGES: dict[str, Row] = {
    "leadership:dashboard": page(
        lambda m: "/leadership/", get(browser(LEADERS, 200, stranger=403))
    ),
    "leadership:dashboard-csv": page(
        lambda m: "/leadership/export/readiness.csv", get(browser(LEADERS, 200, stranger=403))
    ),
}

ENDPOINTS: dict[str, Row] = {
    "leadership-list": endpoint(lambda m: "/api/leadership", get(api(LEADERS, 200, stranger=403))),
}
