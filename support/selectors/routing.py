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
from django.db.models.functions import Coalesce

from pilots.models import Pilot, PilotRole

from ..escalation import COMPANY_LANE_BEHIND, DEFAULT_PATHS, Path, default_path
from ..models import Category, CompanyLane, EscalationPath

Kind = PilotRole.Kind


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


def target_minutes_expression(category_field: str = "category"):
    """An expression for the target response time of the row's category (the stored path, else the
    default; NULL without a category), so a list of entries carries its targets in its own query."""
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
    return Coalesce(Subquery(stored, output_field=IntegerField()), defaults)


def escalation_path_list() -> QuerySet[EscalationPath]:
    return EscalationPath.objects.order_by("category")


@dataclass(frozen=True)
class Route:
    role: str  # the pilot role or lane kind of the person it went to; "" when nobody
    person: object | None
    path: Path | None
    company_lane: bool = False  # the pilot left the lane or role empty; the company contact has it


def route_for(*, pilot: Pilot, category: str) -> Route:
    """Who must act on `category` for `pilot`: the path's role or lane on the pilot; if the pilot
    leaves it empty, the company lane contact standing behind it; then the pilot's stop authority.
    Two or three queries."""
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
