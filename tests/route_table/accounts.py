"""The route table's rows for the API root and token sign-in and sign-out."""

from tests.pilots.permission_helpers import SIGNED_IN, api
from tests.route_table.base import Row, endpoint, get, post

ENDPOINTS: dict[str, Row] = {
    "api-root": endpoint(lambda m: "/api/", get(api(SIGNED_IN, 200))),
    "knox-login": endpoint(lambda m: "/api/auth/login", post(api(SIGNED_IN, 200)), auth="basic"),
    "knox-logout": endpoint(lambda m: "/api/auth/logout", post(api(SIGNED_IN, 204))),
    "knox-logoutall": endpoint(lambda m: "/api/auth/logoutall", post(api(SIGNED_IN, 204))),
}
