"""The company lanes and the escalation paths (administrators)."""

from django.db import transaction

from common.errors import ApplicationError, PermissionDenied
from pilots.models import PilotRole

from .. import access
from ..escalation import DEFAULT_PATHS
from ..models import Category, CompanyLane, EscalationPath
from .common import clean_or_raise

Kind = PilotRole.Kind


@transaction.atomic
def company_lane_assign(
    *,
    by,
    kind: str,
    primary=None,
    backup=None,
    response_minutes: int | None = None,
    covers: str = "",
) -> CompanyLane:
    if not access.may_manage_lanes(by):
        raise PermissionDenied("Only administrators name the company lane contacts.")
    errors = {}
    if kind not in PilotRole.LANES:
        errors["kind"] = ["Pick one of the company lanes."]
    if primary is not None and backup is not None and primary.pk == backup.pk:
        errors["backup"] = ["The backup must be a different person from the primary."]
    if backup is not None and primary is None:
        errors["primary"] = ["Name the primary before the backup."]
    if errors:
        raise ApplicationError("The lane could not be saved.", field_errors=errors)
    lane = CompanyLane.objects.select_for_update().filter(kind=kind).first() or CompanyLane(
        kind=kind
    )
    lane.primary, lane.backup = primary, backup
    lane.response_minutes = response_minutes
    lane.covers = (covers or "").strip()
    clean_or_raise(lane, exclude=["kind"])
    lane._history_user = by
    lane.save()
    return lane


@transaction.atomic
def escalation_path_set(
    *, by, category: str, route_to: str, target_minutes: int, covers: str | None = None
) -> EscalationPath:
    if not access.may_manage_lanes(by):
        raise PermissionDenied("Only administrators change the escalation paths.")
    errors = {}
    if category not in Category.values:
        errors["category"] = ["Pick one of the eight categories."]
    if route_to not in Kind.values:
        errors["route_to"] = ["Route it to a lane or a pilot role."]
    if not isinstance(target_minutes, int) or target_minutes < 1:
        errors["target_minutes"] = ["Give a response time of at least one minute."]
    if errors:
        raise ApplicationError("The escalation path could not be saved.", field_errors=errors)
    path = EscalationPath.objects.select_for_update().filter(
        category=category
    ).first() or EscalationPath(category=category)
    path.route_to = route_to
    path.target_minutes = target_minutes
    if covers is not None:
        path.covers = covers.strip()
    elif not path.covers:
        path.covers = DEFAULT_PATHS[category][2]
    clean_or_raise(path, exclude=["category"])
    path._history_user = by
    path.save()
    return path
