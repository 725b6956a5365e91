"""Reads for pilots: scoped, with their relations loaded, a fixed number of queries per page."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, F, Lookup, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .access import scope_pilots
from .models import Pilot, PilotRole, StatusChange, Team


class _AnyOf(Lookup):
    """`column = ANY(%s::type[])`: the whole list of values travels as one array parameter.

    The cast matters: an untyped list arrives as int2[] or int4[], and against a bigint column the
    planner then misjudges the filter and may walk the wrong index (seen: 0.1 s became 0.8 s)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        db_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, list(self.rhs)]


def pilot_ids_q(ids: Iterable[int], field: str = "pilot_id") -> Q:
    """Rows whose `field` is one of `ids` — for the thousands of pilots a sweep or a dashboard
    reads. `field__in=ids` sends one placeholder per id: the query then takes longer to build,
    send and plan than to run. On PostgreSQL the ids go as one array instead; elsewhere (SQLite
    for `make run`) as the usual list."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return Q(_AnyOf(F(field), ids))
    return Q(**{f"{field}__in": ids})


def _roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=PilotRole.objects.select_related("primary", "backup").prefetch_related("members"),
    )


# What the portfolio shows of each pilot. Sorting thousands of pilots by name to find one page is
# cheap on these columns and several times slower on all fifty (the one page's texts and lists).
PORTFOLIO_FIELDS = ("name", "summary", "team", "team__name", "status", "next_review_date")


def pilot_list(
    *, user, status: str = "", team: int | str | None = None, owner: int | str | None = None
) -> QuerySet[Pilot]:
    """The portfolio: every pilot `user` may see, with team and owners loaded; `owner` keeps the
    pilots that person is the business owner of."""
    queryset = (
        scope_pilots(user)
        .select_related("team")
        .only(*PORTFOLIO_FIELDS)
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=PilotRole.objects.filter(kind__in=PilotRole.REQUIRED).select_related(
                    "primary", "backup"
                ),
                to_attr="required_roles",
            )
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    if team:
        queryset = queryset.filter(team_id=team)
    if owner:
        queryset = queryset.filter(
            Exists(
                PilotRole.objects.filter(
                    pilot=OuterRef("pk"), kind=PilotRole.Kind.BUSINESS_OWNER, primary_id=owner
                )
            )
        )
    return queryset.order_by("name", "id")


def pilot_get(*, user, pk: int, for_update: bool = False) -> Pilot:
    """One pilot `user` may see, or 404 — never a hint that it exists."""
    queryset = scope_pilots(user).select_related("team")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, pk=pk)


def pilot_get_full(*, user, pk: int) -> Pilot:
    """One pilot with everything the one page reads about it."""
    queryset = scope_pilots(user).select_related("team").prefetch_related(_roles_prefetch())
    return get_object_or_404(queryset, pk=pk)


def roles_by_kind(pilot: Pilot) -> dict[str, PilotRole]:
    """The ownership matrix as kind → role, using prefetched roles when present."""
    return {role.kind: role for role in pilot.roles.all()}


def status_changes(*, pilot: Pilot, limit: int = 20) -> list[StatusChange]:
    return list(pilot.status_changes.select_related("by")[:limit])


def team_list() -> QuerySet[Team]:
    return Team.objects.order_by("name")
