"""Issuing and revoking kill-switch tokens."""

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction

from common.errors import ApplicationError
from pilots import access

from .models import StatusToken

PREFIX = "pdks_"
KEY_LENGTH = 16


def digest_of(token: str) -> str:
    return hashlib.sha512(token.encode()).hexdigest()


@transaction.atomic
def status_token_create(
    *, user, name: str, pilot_ids: Iterable[int] | None = None
) -> tuple[StatusToken, str]:
    """A new kill-switch token for `user`; answers the row and the plain token (shown once).

    With no pilots named it reads every pilot the user may see now (every pilot, later ones
    too, for administrators and finance); named pilots must all be visible to the user."""
    visible = access.scope_pilots(user)
    every_pilot = pilot_ids is None and access.sees_every_pilot(user)
    if pilot_ids is None:
        chosen = [] if every_pilot else sorted(visible.values_list("pk", flat=True))
    else:
        chosen = sorted({int(pk) for pk in pilot_ids})
        unseen = set(chosen) - set(visible.filter(pk__in=chosen).values_list("pk", flat=True))
        if unseen:
            raise ApplicationError(
                "You cannot see every pilot named.",
                field_errors={"pilot_ids": [f"No pilot you can see has id {sorted(unseen)}."]},
            )
    plain = PREFIX + secrets.token_urlsafe(32)
    token = StatusToken.objects.create(
        token_key=plain[:KEY_LENGTH],
        digest=digest_of(plain),
        user=user,
        name=name.strip() or "gateway",
        pilot_ids=chosen,
        every_pilot=every_pilot,
    )
    return token, plain
