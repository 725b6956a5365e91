"""Who asks for status: a kill-switch token, or a person's API token.

A kill-switch token is checked against the database (one query), and the verified token is then
remembered in this process for PILOTDECK_STATUS_TOKEN_SECONDS (2 by default), so a gateway asking
before every model call runs no query at all: a revoked or expired token is refused at most that
long after. `request.auth` says what may be read: a kill-switch token names its pilots; for a
person's token the pilots they may see are remembered in the cache for
PILOTDECK_STATUS_SCOPE_SECONDS, so a warm status answer runs no query beyond the token check."""

import time
from hmac import compare_digest

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from pilots import access

from .models import StatusToken
from .services import KEY_LENGTH, PREFIX, digest_of

SCOPE_PREFIX = "killswitch:scope:"
VERIFIED_LIMIT = 1024  # distinct tokens remembered per process; past it, forget them all

clock = time.monotonic
_verified: dict[str, tuple[float, StatusToken]] = {}  # digest → (when checked, the token)


def forget_verified_tokens() -> None:
    _verified.clear()


def presented_status_token(request) -> str | None:
    """The kill-switch token in the Authorization header, if that is what was sent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "token" and token.startswith(PREFIX):
        return token
    return None


def verified(token: str, digest: str) -> StatusToken | None:
    """The stored token this plain token is, if it is unexpired and its person active."""
    for row in StatusToken.objects.filter(token_key=token[:KEY_LENGTH]).select_related("user"):
        if compare_digest(row.digest, digest):
            if row.expiry is not None and row.expiry < timezone.now():
                return None
            return row if row.user.is_active else None
    return None


class StatusTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = presented_status_token(request)
        if token is None:
            return None
        digest = digest_of(token)
        now = clock()
        remembered = _verified.get(digest)
        if remembered is not None and now - remembered[0] < settings.PILOTDECK_STATUS_TOKEN_SECONDS:
            row = remembered[1]
            if row.expiry is None or row.expiry >= timezone.now():
                return row.user, row
        row = verified(token, digest)
        if row is None:
            _verified.pop(digest, None)
            raise exceptions.AuthenticationFailed("Invalid kill-switch token.")
        if len(_verified) >= VERIFIED_LIMIT:
            _verified.clear()
        _verified[digest] = (now, row)
        return row.user, row

    def authenticate_header(self, request):
        return "Token"


class StatusTokenScheme(OpenApiAuthenticationExtension):
    target_class = StatusTokenAuthentication
    name = "killSwitchToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token pdks_…`: a kill-switch token, which reads pilot status only.",
        }


class Scope:
    """Which pilot ids a request may read: `every` or the ids in `ids`."""

    __slots__ = ("every", "ids")

    def __init__(self, *, every: bool, ids: frozenset[int]):
        self.every, self.ids = every, ids

    def allows(self, pilot_id: int) -> bool:
        return self.every or pilot_id in self.ids


def scope_of(user, auth) -> Scope:
    """What `user`, authenticated by `auth` (a kill-switch token or a person's token), may read."""
    if isinstance(auth, StatusToken):
        return Scope(every=auth.every_pilot, ids=auth.readable_ids)
    if access.sees_every_pilot(user):
        return Scope(every=True, ids=frozenset())
    cache, key = caches["default"], f"{SCOPE_PREFIX}{user.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = list(access.scope_pilots(user).values_list("pk", flat=True))
        cache.set(key, ids, settings.PILOTDECK_STATUS_SCOPE_SECONDS)
    return Scope(every=False, ids=frozenset(ids))
