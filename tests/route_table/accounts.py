"""The route table's rows for the API root and token sign-in and sign-out, and the identity
provider's sign-in pages (absent — 404 for everyone — unless a provider is configured; signing in
through one: tests/accounts/test_oidc_*.py)."""

from tests.pilots.permission_helpers import SIGNED_IN, api
from tests.route_table.base import ROLES, Row, endpoint, get, page, post

NOT_CONFIGURED = dict.fromkeys(ROLES, 404)

ENDPOINTS: dict[str, Row] = {
    "api-root": endpoint(lambda m: "/api/", get(api(SIGNED_IN, 200))),
    "knox-login": endpoint(lambda m: "/api/auth/login", post(api(SIGNED_IN, 200)), auth="basic"),
    "knox-logout": endpoint(lambda m: "/api/auth/logout", post(api(SIGNED_IN, 204))),
    "knox-logoutall": endpoint(lambda m: "/api/auth/logoutall", post(api(SIGNED_IN, 204))),
    "accounts:oidc-start": page(lambda m: "/accounts/oidc/start/", get(NOT_CONFIGURED)),
    "accounts:oidc-callback": page(
        lambda m: "/accounts/oidc/callback/?code=x&state=y", get(NOT_CONFIGURED)
    ),
}
