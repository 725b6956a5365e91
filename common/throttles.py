"""API throttles per signed-in user and per API token; a throttled call answers 429 + Retry-After."""

from rest_framework.throttling import SimpleRateThrottle

MARGIN_SECONDS = 60  # a window's count outlives it by this much (web servers' clocks differ a bit)


class CountingThrottle(SimpleRateThrottle):
    """The calls of each window of the rate's period (for "6000/hour", each clock hour) counted in
    the cache: one atomic increment a call, whatever the rate.

    DRF's own throttle keeps the time of every call of the period in one list, read and written
    back whole on every call: for a gateway's thousands of calls an hour that list cost more than
    the call it guards (a 1,000-task ingest took 1.5–2 ms of it). A fixed window lets its number
    of calls through however they bunch, so near a window's edge up to twice the rate may pass
    within one period; Retry-After says when the window ends."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        start = self.now - self.now % self.duration
        self.window_end = start + self.duration
        key = f"{self.key}:{int(start)}"
        try:
            calls = self.cache.incr(key)
        except ValueError:  # the window's first call (or two at once: one adds, one counts)
            timeout = self.window_end - self.now + MARGIN_SECONDS
            calls = 1 if self.cache.add(key, 1, timeout) else self.cache.incr(key)
        return calls <= self.num_requests

    def wait(self):
        return max(self.window_end - self.now, 1)


class PerUserThrottle(CountingThrottle):
    """Every request of a signed-in user, whatever token or session it comes with."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PerTokenThrottle(CountingThrottle):
    """Each API token on its own, so one busy integration cannot use up a person's other tokens."""

    scope = "token"

    def get_cache_key(self, request, view):
        token_key = getattr(
            request.auth, "token_key", None
        )  # knox stores a prefix, never the token
        if not token_key:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token_key}
