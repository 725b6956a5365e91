"""Company lanes and escalation paths: who must act on each category of AI issue, how fast."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

from pilots.models import Pilot, PilotRole

from ..escalation import COMPANY_LANE_BEHIND, DEFAULT_PATHS, Path, default_path
from ..models import Category, CompanyLane, EscalationPath

Kind = PilotRole.Kind
STOP_NOW = "stop_now"  # reviews' ErrorEntry.Severity.STOP_NOW (support sits below reviews)


def company_lanes() -> dict[str, CompanyLane]:
    """The company-wide lanes by kind, with their contacts: one query."""
    return {lane.kind: lane for lane in CompanyLane.objects.select_related("primary", "backup")}


def company_lane_list() -> QuerySet[CompanyLane]:
    return CompanyLane.objects.select_related("primary", "backup").order_by("kind")


def lane_contact_kinds(user) -> frozenset[str]:
    """The company lanes `user` is a named contact of (primary or backup), cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_pilotdeck_lanes"):
        user._pilotdeck_lanes = frozenset(
            CompanyLane.objects.filter(Q(primary=user) | Q(backup=user)).values_list(
                "kind", flat=True
            )
        )
    return user._pilotdeck_lanes


def escalation_paths() -> dict[str, Path]:
    """All eight categories with their lane or role and target: stored rows over the defaults."""
    stored = {
        row.category: Path(
            category=row.category,
            route_to=row.route_to,
            target_minutes=row.target_minutes,
            covers=row.covers,
            configured=True,
        )
        for row in EscalationPath.objects.all()
    }
    return {
        category: stored.get(category) or default_path(category) for category in Category.values
    }


def _category_minutes(category: str):
    stored = EscalationPath.objects.filter(category=category).values("target_minutes")[:1]
    return Coalesce(
        Subquery(stored, output_field=IntegerField()), Value(DEFAULT_PATHS[category][1])
    )


def target_minutes_expression(category_field: str = "category", severity_field: str = "severity"):
    """An expression for the target response time of the row: a stop-now entry runs on the
    shortest clock of any escalation path; any other on its category's path (the stored one, else
    the default; NULL without a category). A list of entries carries its targets in its own query."""
    stored = EscalationPath.objects.filter(category=OuterRef(category_field)).values(
        "target_minutes"
    )[:1]
    defaults = Case(
        *[
            When(**{category_field: category}, then=Value(minutes))
            for category, (_, minutes, _) in DEFAULT_PATHS.items()
        ],
        default=None,
        output_field=IntegerField(),
    )
    shortest = Least(*[_category_minutes(category) for category in DEFAULT_PATHS])
    return Case(
        When(**{severity_field: STOP_NOW}, then=shortest),
        default=Coalesce(Subquery(stored, output_field=IntegerField()), defaults),
        output_field=IntegerField(),
    )


def shortest_path() -> Path:
    """The escalation path with the shortest target: the clock a stop-now entry runs on."""
    return min(escalation_paths().values(), key=lambda path: path.target_minutes)


def escalation_path_list() -> QuerySet[EscalationPath]:
    return EscalationPath.objects.order_by("category")


@dataclass(frozen=True)
class Route:
    role: str  # the pilot role or lane kind of the person it went to; "" when nobody
    person: object | None
    path: Path | None
    company_lane: bool = False  # the pilot left the lane or role empty; the company contact has it


def route_for(*, pilot: Pilot, category: str, severity: str = "") -> Route:
    """Who must act on `category` for `pilot`: the path's role or lane on the pilot; if the pilot
    leaves it empty, the company lane contact standing behind it; then the pilot's stop authority.
    Two or three queries."""
    if severity == STOP_NOW:
        return _stop_now_route(pilot, category)
    if category not in Category.values:
        return Route("", None, None)
    stored = EscalationPath.objects.filter(category=category).first()
    path = (
        Path(category, stored.route_to, stored.target_minutes, stored.covers, True)
        if stored
        else default_path(category)
    )
    roles = {
        role.kind: role
        for role in PilotRole.objects.filter(
            pilot=pilot, kind__in={path.route_to, Kind.STOP_AUTHORITY}
        ).select_related("primary")
    }
    role = roles.get(path.route_to)
    if role is not None and role.primary_id:
        return Route(path.route_to, role.primary, path)
    lane_kind = COMPANY_LANE_BEHIND.get(path.route_to)
    if lane_kind:
        lane = (
            CompanyLane.objects.filter(kind=lane_kind).select_related("primary", "backup").first()
        )
        person = lane and (lane.primary or lane.backup)
        if person:
            return Route(lane_kind, person, path, company_lane=True)
    stop = roles.get(Kind.STOP_AUTHORITY)
    if stop is not None and stop.primary_id:
        return Route(Kind.STOP_AUTHORITY, stop.primary, path)
    return Route("", None, path)


def _stop_now_route(pilot: Pilot, category: str) -> Route:
    """A stop-now entry goes to the stop authority on the shortest clock, whatever its category
    (the category's lane hears of it through the stop-now alert)."""
    path = shortest_path()
    stop = (
        PilotRole.objects.filter(pilot=pilot, kind=Kind.STOP_AUTHORITY)
        .select_related("primary", "backup")
        .first()
    )
    person = stop and (stop.primary or stop.backup)
    if person:
        return Route(Kind.STOP_AUTHORITY, person, path)
    return Route("", None, path)
