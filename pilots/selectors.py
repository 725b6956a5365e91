"""Reads for pilots: scoped, with their relations loaded, a fixed number of queries per page."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .access import scope_pilots
from .models import Pilot, PilotRole, StatusChange, Team


def _roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=PilotRole.objects.select_related("primary", "backup").prefetch_related("members"),
    )


def pilot_list(*, user, status: str = "", team: int | str | None = None) -> QuerySet[Pilot]:
    """The portfolio: every pilot `user` may see, with team and owners loaded."""
    queryset = (
        scope_pilots(user)
        .select_related("team")
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
