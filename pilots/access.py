"""Who may do what on a pilot: derived from the ownership matrix, decided here and nowhere else.

Administrators (superusers) do everything; members of the "finance" group read every pilot;
everybody else sees only pilots on which they hold a role (primary, backup or named member).
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Pilot, PilotRole

FINANCE_GROUP = "finance"
Kind = PilotRole.Kind
EDITOR_ROLES = frozenset({Kind.BUSINESS_OWNER, Kind.TECHNICAL_OWNER})


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_finance(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_pilotdeck_is_finance"):
        user._pilotdeck_is_finance = user.groups.filter(name=FINANCE_GROUP).exists()
    return user._pilotdeck_is_finance


def sees_every_pilot(user) -> bool:
    """Administrators and finance see every pilot: their lists need no filter at all."""
    return is_admin(user) or is_finance(user)


def holds_role_q(user, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}primary": user})
        | Q(**{f"{prefix}backup": user})
        | Q(**{f"{prefix}members": user})
    )


def scope_pilots(user, queryset: QuerySet[Pilot] | None = None) -> QuerySet[Pilot]:
    """The pilots `user` may see: the one scoping every list and detail, browser and API."""
    queryset = Pilot.objects.all() if queryset is None else queryset
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return queryset.none()
    if sees_every_pilot(user):
        return queryset
    holds_role = PilotRole.objects.filter(holds_role_q(user), pilot=OuterRef("pk"))
    return queryset.filter(Exists(holds_role))


def scope_by_pilot(user, queryset: QuerySet, pilot_field: str = "pilot") -> QuerySet:
    """Scope any queryset of pilot-owned rows to the pilots `user` may see."""
    if not user.is_authenticated:
        return queryset.none()
    if sees_every_pilot(user):
        return queryset
    holds_role = PilotRole.objects.filter(holds_role_q(user), pilot=OuterRef(pilot_field))
    return queryset.filter(Exists(holds_role))


def know_roles(user, pilot: Pilot, kinds) -> None:
    """Tell `roles_of` the role kinds `user` holds on `pilot`, read with many pilots at once."""
    pilot.__dict__.setdefault("_roles_by_user", {})[user.pk] = frozenset(kinds)


def roles_of(user, pilot: Pilot) -> frozenset[str]:
    """The role kinds `user` holds on `pilot`, cached on the pilot for the request."""
    if not user.is_authenticated:
        return frozenset()
    cache = pilot.__dict__.setdefault("_roles_by_user", {})
    if user.pk not in cache:
        prefetched = getattr(pilot, "_prefetched_objects_cache", {}).get("roles")
        if prefetched is not None:
            cache[user.pk] = frozenset(
                role.kind
                for role in prefetched
                if user.pk in {role.primary_id, role.backup_id}
                or any(member.pk == user.pk for member in role.members.all())
            )
        else:
            cache[user.pk] = frozenset(
                PilotRole.objects.filter(holds_role_q(user), pilot=pilot).values_list(
                    "kind", flat=True
                )
            )
    return cache[user.pk]


def can_view(user, pilot: Pilot) -> bool:
    return is_admin(user) or is_finance(user) or bool(roles_of(user, pilot))


def can_edit(user, pilot: Pilot) -> bool:
    return is_admin(user) or bool(roles_of(user, pilot) & EDITOR_ROLES)


def can_stop(user, pilot: Pilot) -> bool:
    return is_admin(user) or Kind.STOP_AUTHORITY in roles_of(user, pilot)


# The decision right that, besides the business owner, may end a pilot for good.
RETIRE_RIGHT = "final_signoff"


def can_retire(user, pilot: Pilot) -> bool:
    """Retiring ends the pilot: the business owner's call (primary, backup or member of the role),
    or the holder (or backup) of its final sign-off decision right. Stopping is not retiring."""
    if is_admin(user) or Kind.BUSINESS_OWNER in roles_of(user, pilot):
        return True
    if not user.is_authenticated:
        return False
    return (
        pilot.decision_rights.filter(kind=RETIRE_RIGHT)
        .filter(Q(owner=user) | Q(backup=user))
        .exists()
    )


def can_review(user, pilot: Pilot) -> bool:
    return is_admin(user) or Kind.REVIEWER in roles_of(user, pilot)


def can_report(user, pilot: Pilot) -> bool:
    """Anyone who can see a pilot may report bad output on it."""
    return can_view(user, pilot)


def holds_role_sql() -> str:
    """`holds_role_q` for one pilot, as SQL for the few hand-written statements (the ledger's page).

    True when the user holds a role on the pilot: primary, backup or named member. Parameters, in
    order: the pilot's id, then the user's id three times."""
    quote = connection.ops.quote_name
    role = PilotRole._meta
    members = PilotRole.members.through._meta
    column = role.get_field
    return (
        f"EXISTS (SELECT 1 FROM {quote(role.db_table)} r"
        f" LEFT JOIN {quote(members.db_table)} m"
        f" ON m.{quote(members.get_field('pilotrole').column)} = r.{quote(role.pk.column)}"
        f" WHERE r.{quote(column('pilot').column)} = %s"
        f" AND (r.{quote(column('primary').column)} = %s OR r.{quote(column('backup').column)} = %s"
        f" OR m.{quote(members.get_field('user').column)} = %s))"
    )
