"""API token authentication: knox's hashed, expiring tokens, checked in one query.

knox reads the presented token with its user, then all of that user's other tokens to delete the
expired ones, on every request. Here the one query reads the token, its user and whether the user
is in finance (which every scoped list asks next, see `pilots.access.is_finance`); other tokens
that expired are deleted once a day by `pilots.tasks.purge_expired_tokens_task` instead. An
expired token presented is refused and deleted, as knox does.
"""

import binascii
from hmac import compare_digest

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from pilots.access import FINANCE_GROUP


def purge_expired_tokens() -> int:
    """Delete every token past its expiry; answers how many."""
    deleted, _ = get_token_model().objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        in_finance = Group.objects.filter(name=FINANCE_GROUP, user=OuterRef("user_id"))
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(user_in_finance=Exists(in_finance))
        )
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                auth_token.user._pilotdeck_is_finance = auth_token.user_in_finance
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme stays knox's (`Authorization: Token …`)."""

    target_class = TokenAuthentication
