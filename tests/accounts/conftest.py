"""A real identity provider for the sign-in tests (tests/oidc_provider), started once per run on a
free port, and Pilotdeck configured to use it.

It is a service like Redis or Chromium: when it cannot start, the tests that need it skip on a
developer machine and fail under PILOTDECK_REQUIRE_SERVICES=1 (CI, `make test STRICT=1`).
"""

import urllib.parse

import pytest
import requests

from accounts import provider as pilotdeck_provider
from tests.conftest import missing_service
from tests.oidc_provider.live import PASSWORD, LiveProvider

PROVIDER_NAME = "Acme ID"
ADMIN_GROUP, FINANCE_GROUP, IT_LANE_GROUP = "pd-admins", "pd-finance", "pd-lane-it"
TEST_CLIENT_ORIGIN = "http://testserver"  # Django's test client


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    callbacks = " ".join(
        f"{origin}/accounts/oidc/callback/" for origin in (live_server.url, TEST_CLIENT_ORIGIN)
    )
    after_logout = " ".join(
        f"{origin}/accounts/login/" for origin in (live_server.url, TEST_CLIENT_ORIGIN)
    )
    try:
        live = LiveProvider.start(
            folder=tmp_path_factory.mktemp("oidc-provider"),
            redirect_uri=callbacks,
            post_logout_uri=after_logout,
        )
    except (RuntimeError, OSError) as exc:
        missing_service(f"the test OpenID Connect provider did not start: {exc}")
    yield live
    live.stop()


@pytest.fixture
def sso(oidc_provider, settings):
    """Pilotdeck pointed at the live provider by its issuer (discovery), with the group map."""
    settings.PILOTDECK_OIDC_ISSUER = oidc_provider.issuer
    settings.PILOTDECK_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.PILOTDECK_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.PILOTDECK_OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.PILOTDECK_OIDC_ADMIN_GROUPS = [ADMIN_GROUP]
    settings.PILOTDECK_OIDC_FINANCE_GROUPS = [FINANCE_GROUP]
    settings.PILOTDECK_OIDC_LANE_GROUPS = {"it": [IT_LANE_GROUP]}
    pilotdeck_provider.forget_discovery()
    yield oidc_provider
    pilotdeck_provider.forget_discovery()


def provider_answer(provider: LiveProvider, authorize_url: str, username: str) -> str:
    """Sign in at the provider's own login page (over HTTP, as a browser would) and follow the
    authorization request; returns the callback URL the provider sends the browser back to."""
    browser = requests.Session()
    login_page = browser.get(authorize_url, timeout=10)
    assert "/accounts/login/" in login_page.url, login_page.text[:300]
    next_url = urllib.parse.parse_qs(urllib.parse.urlsplit(login_page.url).query)["next"][0]
    signed_in = browser.post(
        login_page.url,
        data={
            "username": username,
            "password": PASSWORD,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    answer = browser.get(
        urllib.parse.urljoin(provider.url, signed_in.headers["Location"]),
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    return answer.headers["Location"]


def sign_in_with_client(client, provider: LiveProvider, username: str):
    """The whole round trip with Django's test client; returns the callback's response."""
    start = client.get("/accounts/oidc/start/")
    assert start.status_code == 302
    return client.get(provider_answer(provider, start["Location"], username))
