"""API throttles per signed-in user and per API token; a throttled call answers 429 + Retry-After."""

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class PerUserThrottle(UserRateThrottle):
    """Every request of a signed-in user, whatever token or session it comes with."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PerTokenThrottle(SimpleRateThrottle):
    """Each API token on its own, so one busy integration cannot use up a person's other tokens."""

    scope = "token"

    def get_cache_key(self, request, view):
        token_key = getattr(
            request.auth, "token_key", None
        )  # knox stores a prefix, never the token
        if not token_key:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token_key}
