"""The company's identity provider as configured from the environment (config/settings/base.py).

Endpoints come from the settings when they are given one by one, otherwise from the provider's
discovery document (issuer + /.well-known/openid-configuration, or PILOTDECK_OIDC_DISCOVERY_URL),
fetched at the first sign-in and kept for an hour, so starting Pilotdeck never waits on the provider.
"""

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import resolve_url

from pilots.models import PilotRole

DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10
# Settings name → the discovery document's key for it.
ENDPOINTS = {
    "PILOTDECK_OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "PILOTDECK_OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "PILOTDECK_OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "PILOTDECK_OIDC_JWKS_ENDPOINT": "jwks_uri",
    "PILOTDECK_OIDC_END_SESSION_ENDPOINT": "end_session_endpoint",
}
# A lane is named in PILOTDECK_OIDC_LANE_GROUPS by the end of its kind: it, security, leadership, …
LANE_NAMES = {kind.value.removeprefix("lane_"): kind.value for kind in PilotRole.LANES}

_discovered: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


def setting(name: str, default=""):
    return getattr(settings, name, default)


def discovery_url() -> str:
    explicit = setting("PILOTDECK_OIDC_DISCOVERY_URL")
    if explicit:
        return explicit
    issuer = setting("PILOTDECK_OIDC_ISSUER").rstrip("/")
    return f"{issuer}/.well-known/openid-configuration" if issuer else ""


def enabled() -> bool:
    """Configured: a client id and secret, and either a discovery source or the two endpoints."""
    if not (setting("PILOTDECK_OIDC_CLIENT_ID") and setting("PILOTDECK_OIDC_CLIENT_SECRET")):
        return False
    explicit = setting("PILOTDECK_OIDC_AUTHORIZATION_ENDPOINT") and setting(
        "PILOTDECK_OIDC_TOKEN_ENDPOINT"
    )
    return bool(discovery_url() or explicit)


def display_name() -> str:
    return setting("PILOTDECK_OIDC_PROVIDER_NAME") or "your identity provider"


def local_login_allowed() -> bool:
    return bool(setting("PILOTDECK_LOCAL_LOGIN", True))


def break_glass_username() -> str:
    return setting("PILOTDECK_BREAK_GLASS_USERNAME")


def may_use_password(username: str) -> bool:
    """Password sign-in: everybody unless PILOTDECK_LOCAL_LOGIN=0, then the break-glass account."""
    if local_login_allowed():
        return True
    glass = break_glass_username()
    return bool(glass) and (username or "").strip().casefold() == glass.casefold()


def _discovery() -> dict:
    url = discovery_url()
    if not url:
        return {}
    with _lock:
        fetched = _discovered.get(url)
        if fetched and time.monotonic() - fetched[0] < DISCOVERY_SECONDS:
            return fetched[1]
    response = requests.get(url, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    document = response.json()
    with _lock:
        _discovered[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    with _lock:
        _discovered.clear()


def endpoint(setting_name: str, required: bool = True) -> str:
    value = setting(setting_name) or _discovery().get(ENDPOINTS[setting_name], "")
    if required and not value:
        raise ImproperlyConfigured(f"{setting_name} is not set and discovery does not name it")
    return value


def issuer() -> str:
    """The issuer the ID token must name: the setting, else the discovery document's."""
    return setting("PILOTDECK_OIDC_ISSUER") or _discovery().get("issuer", "")


def _group_names(value) -> frozenset[str]:
    return frozenset(name.strip() for name in (value or []) if name.strip())


@dataclass(frozen=True)
class GroupMap:
    """Which provider groups grant which company right. A right left unset (None) is kept by hand."""

    admin: frozenset[str] | None
    finance: frozenset[str] | None
    lanes: dict[str, frozenset[str]]


def group_map() -> GroupMap:
    admin = setting("PILOTDECK_OIDC_ADMIN_GROUPS", None)
    finance = setting("PILOTDECK_OIDC_FINANCE_GROUPS", None)
    lanes = {}
    for lane, groups in (setting("PILOTDECK_OIDC_LANE_GROUPS", None) or {}).items():
        kind = LANE_NAMES.get(lane.strip().lower().removeprefix("lane_"))
        if kind is None:
            raise ImproperlyConfigured(
                f"PILOTDECK_OIDC_LANE_GROUPS names {lane!r}; the lanes are {', '.join(LANE_NAMES)}"
            )
        lanes[kind] = _group_names(groups)
    return GroupMap(
        admin=None if admin is None else _group_names(admin),
        finance=None if finance is None else _group_names(finance),
        lanes=lanes,
    )


def logout_url(request) -> str:
    """Where sign-out sends the browser (OIDC_OP_LOGOUT_URL_METHOD): the provider's end-session
    endpoint when it has one and this session came from it, else Pilotdeck's sign-in page."""
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (enabled() and id_token):
        return home
    try:
        end_session = endpoint("PILOTDECK_OIDC_END_SESSION_ENDPOINT", required=False)
    except (requests.RequestException, ValueError):
        return home  # the provider is unreachable: at least Pilotdeck's session ends
    if not end_session:
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(home),
            "client_id": setting("PILOTDECK_OIDC_CLIENT_ID"),
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
