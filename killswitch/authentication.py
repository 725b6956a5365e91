"""Who asks for status: a kill-switch token (one query), or a person's API token.

`request.auth` says what may be read: a kill-switch token names its pilots; for a person's token
the pilots they may see are remembered in the cache for PILOTDECK_STATUS_SCOPE_SECONDS, so a warm
status answer runs no query beyond the token check."""

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


def presented_status_token(request) -> str | None:
    """The kill-switch token in the Authorization header, if that is what was sent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "token" and token.startswith(PREFIX):
        return token
    return None


class StatusTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = presented_status_token(request)
        if token is None:
            return None
        digest = digest_of(token)
        for row in StatusToken.objects.filter(token_key=token[:KEY_LENGTH]).select_related("user"):
            if compare_digest(row.digest, digest):
                if row.expiry is not None and row.expiry < timezone.now():
                    break
                if not row.user.is_active:
                    break
                return row.user, row
        raise exceptions.AuthenticationFailed("Invalid kill-switch token.")

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


def scope_of(request) -> Scope:
    if isinstance(request.auth, StatusToken):
        token = request.auth
        return Scope(every=token.every_pilot, ids=frozenset(token.pilot_ids))
    user = request.user
    if access.sees_every_pilot(user):
        return Scope(every=True, ids=frozenset())
    cache, key = caches["default"], f"{SCOPE_PREFIX}{user.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = list(access.scope_pilots(user).values_list("pk", flat=True))
        cache.set(key, ids, settings.PILOTDECK_STATUS_SCOPE_SECONDS)
    return Scope(every=False, ids=frozenset(ids))
