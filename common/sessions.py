"""Idle session expiry without a database write on every request.

A session's expiry is renewed when it is saved. Saving on every request would add a write to every
page; instead a signed-in session is touched at most every RENEW_AFTER_SECONDS, so it ends after
SESSION_COOKIE_AGE of inactivity (give or take that interval), and ordinary page views write nothing.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEW_AFTER_SECONDS = 300
SEEN_KEY = "_pilotdeck_seen"


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) > RENEW_AFTER_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


@receiver(user_logged_in)
def stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
