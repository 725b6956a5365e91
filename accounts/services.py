"""A person signing in through the identity provider: who they are, and the company rights their
groups give them, set afresh at every sign-in.

Who: the provider's (issuer, subject) names the person once linked (accounts.models). The first
time, an existing person with the same e-mail address is linked only when the provider says it has
verified that address; otherwise a new person is made. Two people are never made for one address.

Rights: administrator (superuser and staff), finance (the "finance" group pilots.access reads) and
the contacts of each company lane (support.CompanyLane's primary and backup) follow the groups
named in PILOTDECK_OIDC_*_GROUPS; a right whose variable is unset is left as it is, kept by hand.
Pilot roles are not touched: they live in each pilot's ownership matrix.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from pilots.access import FINANCE_GROUP
from support.models import CompanyLane

from . import provider
from .models import ProviderIdentity

User = get_user_model()
USERNAME_LENGTH = 150


class SignInRefused(Exception):
    """The provider vouched for somebody Pilotdeck will not sign in; the message says why."""

    def __init__(self, reason: str, username: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.username = username


@dataclass
class SignIn:
    user: object
    created: bool
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    full_lanes: list[str] = field(default_factory=list)


def _verified(value) -> bool:
    return value is True or str(value).strip().lower() == "true"


def _groups(value) -> frozenset[str]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return frozenset(str(name) for name in (value or []))


def _names(claims: dict) -> tuple[str, str]:
    given, family = claims.get("given_name"), claims.get("family_name")
    if given or family:
        return str(given or "")[:150], str(family or "")[:150]
    full = str(claims.get(provider.setting("PILOTDECK_OIDC_NAME_CLAIM") or "name") or "").strip()
    first, _, last = full.rpartition(" ")
    return (first or last)[:150], (last if first else "")[:150]


def _free_username(email: str) -> str:
    base = email[:USERNAME_LENGTH]
    taken = set(
        User.objects.filter(username__istartswith=base[: USERNAME_LENGTH - 4]).values_list(
            "username", flat=True
        )
    )
    taken = {name.lower() for name in taken}
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: USERNAME_LENGTH - len(suffix)] + suffix
    return candidate


def _person(*, issuer: str, subject: str, email: str, verified: bool):
    """The person these claims are about, linked or made; (user, created)."""
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        return identity.user, False
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise SignInRefused(
            "more than one person in Pilotdeck has this e-mail address; an administrator "
            "must merge them first",
            email,
        )
    if matches and not verified:
        raise SignInRefused(
            "the provider has not verified this e-mail address, and a person in Pilotdeck "
            "already has it",
            email,
        )
    if matches:
        user, created = matches[0], False
    else:
        user = User(username=_free_username(email), email=email)
        user.set_unusable_password()  # signs in through the provider, never with a password
        user.save()
        created = True
    ProviderIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    return user, created


def rights_of(user) -> dict:
    return {
        "administrator": bool(user.is_superuser),
        "finance": user.groups.filter(name=FINANCE_GROUP).exists(),
        "lanes": sorted(
            CompanyLane.objects.filter(Q(primary=user) | Q(backup=user)).values_list(
                "kind", flat=True
            )
        ),
    }


def _sync_lanes(user, member_of: frozenset[str], lanes: dict[str, frozenset[str]]) -> list[str]:
    """Make `user` a contact of each mapped lane whose group they are in, and no longer one of
    the others. A lane has two contacts (primary, backup): a lane already full is named back."""
    full = []
    for kind, groups in sorted(lanes.items()):
        wanted = bool(groups & member_of)
        lane = CompanyLane.objects.select_for_update().filter(kind=kind).first()
        holds = lane is not None and user.pk in (lane.primary_id, lane.backup_id)
        if wanted == holds:
            continue
        if wanted:
            lane = lane or CompanyLane(kind=kind)
            if lane.primary_id is None:
                lane.primary = user
            elif lane.backup_id is None:
                lane.backup = user
            else:
                full.append(kind)
                continue
        elif lane.primary_id == user.pk:
            lane.primary, lane.backup = lane.backup, None  # the backup steps up
        else:
            lane.backup = None
        lane._history_user = user
        lane.save()
    return full


def _sync_rights(user, member_of: frozenset[str]) -> list[str]:
    groups = provider.group_map()
    if groups.admin is not None and not _is_break_glass(user):
        admin = bool(groups.admin & member_of)
        if (user.is_superuser, user.is_staff) != (admin, admin):
            user.is_superuser = user.is_staff = admin
            user.save(update_fields=["is_superuser", "is_staff"])
    if groups.finance is not None:
        finance_group, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
        if groups.finance & member_of:
            user.groups.add(finance_group)
        else:
            user.groups.remove(finance_group)
    user.__dict__.pop("_pilotdeck_is_finance", None)
    return _sync_lanes(user, member_of, groups.lanes)


def _is_break_glass(user) -> bool:
    glass = provider.break_glass_username()
    return bool(glass) and user.get_username().casefold() == glass.casefold()


@transaction.atomic
def person_sign_in(*, claims: dict) -> SignIn:
    """The person the provider's (already verified) claims are about, created or updated, with
    the company rights their groups give them now. Raises SignInRefused."""
    email = str(claims.get(provider.setting("PILOTDECK_OIDC_EMAIL_CLAIM") or "email") or "")
    email = email.strip()
    subject, issuer = str(claims.get("sub") or ""), str(claims.get("iss") or "")
    if not subject or not issuer:
        raise SignInRefused("the provider did not say who signed in (no subject)", email)
    if "@" not in email:
        raise SignInRefused("the provider sent no e-mail address", email)
    user, created = _person(
        issuer=issuer,
        subject=subject,
        email=email,
        verified=_verified(claims.get(provider.setting("PILOTDECK_OIDC_EMAIL_VERIFIED_CLAIM"))),
    )
    if not user.is_active:
        raise SignInRefused("this person's account is switched off in Pilotdeck", email)
    before = {} if created else rights_of(user)
    first, last = _names(claims)
    changed = [
        name
        for name, value in (("first_name", first), ("last_name", last), ("email", email))
        if value and getattr(user, name) != value
    ]
    if "email" in changed and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        changed.remove("email")  # the address is somebody else's here: keep this person's
    for name in changed:
        setattr(user, name, {"first_name": first, "last_name": last, "email": email}[name])
    if changed:
        user.save(update_fields=changed)
    groups_claim = provider.setting("PILOTDECK_OIDC_GROUPS_CLAIM") or "groups"
    full = _sync_rights(user, _groups(claims.get(groups_claim)))
    after = rights_of(user)
    changes_before = {key: value for key, value in before.items() if after.get(key) != value}
    changes_after = {key: value for key, value in after.items() if before.get(key) != value}
    return SignIn(
        user=user, created=created, before=changes_before, after=changes_after, full_lanes=full
    )
