"""API token authentication: knox's hashed, expiring tokens, checked in one query.

knox reads the presented token with its user, then all of that user's other tokens to delete the
expired ones, on every request. Here the one query reads the token, its user and whether the user
is in finance (which every scoped list asks next, see `pilots.access.is_finance`); other tokens
that expired are deleted once a day by `pilots.tasks.purge_expired_tokens_task` instead. An
expired token presented is refused and deleted, as knox does.
"""

import binascii
from functools import cache
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
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


@cache
def _candidates_sql() -> str:
    """The statement `_candidates` runs on PostgreSQL, written once per process."""
    quote = connection.ops.quote_name
    tokens, users = get_token_model()._meta, get_user_model()._meta
    memberships = get_user_model().groups.through._meta
    groups = Group._meta

    def member(name: str) -> str:
        return quote(memberships.get_field(name).column)

    columns = [f"t.{quote(field.column)}" for field in tokens.concrete_fields]
    columns += [f"u.{quote(field.column)}" for field in users.concrete_fields]
    in_finance = (
        f"EXISTS (SELECT 1 FROM {quote(memberships.db_table)} ug"
        f" JOIN {quote(groups.db_table)} g ON g.{quote(groups.pk.column)} = ug.{member('group')}"
        f" WHERE ug.{member('user')} = u.{quote(users.pk.column)} AND g.{quote('name')} = %s)"
    )
    user_id = tokens.get_field("user").column
    return (
        f"SELECT {', '.join(columns)}, {in_finance} FROM {quote(tokens.db_table)} t"
        f" JOIN {quote(users.db_table)} u ON u.{quote(users.pk.column)} = t.{quote(user_id)}"
        f" WHERE t.{quote(tokens.get_field('token_key').column)} = %s"
    )


def _candidates(token_key: str) -> list:
    """The tokens with this key, each with its user and `user_in_finance`.

    Every API request runs this: on PostgreSQL it is one statement written once per process
    (building it through the ORM each time cost more than running it); elsewhere (SQLite for
    `make run`) the same query through the ORM."""
    Token, User = get_token_model(), get_user_model()
    if connection.vendor != "postgresql":
        in_finance = Group.objects.filter(name=FINANCE_GROUP, user=OuterRef("user_id"))
        return list(
            Token.objects.filter(token_key=token_key)
            .select_related("user")
            .annotate(user_in_finance=Exists(in_finance))
        )
    token_fields = [field.attname for field in Token._meta.concrete_fields]
    user_fields = [field.attname for field in User._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(), [FINANCE_GROUP, token_key])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        auth_token = Token.from_db(connection.alias, token_fields, row[: len(token_fields)])
        auth_token.user = User.from_db(connection.alias, user_fields, row[len(token_fields) : -1])
        auth_token.user_in_finance = row[-1]
        found.append(auth_token)
    return found


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        for auth_token in _candidates(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
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
