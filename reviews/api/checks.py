"""Who may write, decided before the payload is validated.

As in the pilots API (pilots/api/permissions.py), a role that may see a pilot but not make the
change gets 403 whatever it sends, never a 400 that lists field rules it may not use anyway. Each
check mirrors its service's own (which still decides); a pilot, week or entry the caller cannot
see is left to validation (400, as an id that does not exist) or to the lookup (404).
"""

from collections.abc import Mapping

from common.errors import PermissionDenied
from common.validators import sent_id
from pilots import access
from pilots.models import Pilot

from .. import services
from ..models import ErrorEntry, ReviewWeek
from ..weeks import week_start

# The week a POST to /api/review-weeks may carry beyond the pilot and the ISO week.
WEEK_EXTRAS = ("notes", "reviewer", "next_change")


def payload(request) -> Mapping:
    """The request's fields; empty when the body is not an object (validation answers that)."""
    data = request.data
    return data if isinstance(data, Mapping) else {}


def visible_pilot(request, data: Mapping) -> Pilot | None:
    pk = sent_id(data.get("pilot"))
    if pk is None:
        return None
    return access.scope_pilots(request.user).filter(pk=pk).first()


def visible_weeks(request, ids) -> dict[int, ReviewWeek]:
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    weeks = ReviewWeek.objects.select_related("pilot").filter(pk__in=ids)
    return {week.pk: week for week in access.scope_by_pilot(request.user, weeks)}


def _raw_week_start(value):
    if not isinstance(value, str):
        return None
    try:
        return week_start(value.strip().upper())
    except ValueError:
        return None


def check_week_open(request) -> None:
    """POST /api/review-weeks: reviewers open a week; owners may only annotate one already open;
    anyone who sees the pilot may ask for an open week as it is (no notes, reviewer or change)."""
    data = payload(request)
    pilot = visible_pilot(request, data)
    if pilot is None or access.can_review(request.user, pilot):
        return
    start = _raw_week_start(data.get("iso_week"))
    exists = start is not None and ReviewWeek.objects.filter(pilot=pilot, week_start=start).exists()
    if services.may_manage_week(request.user, pilot):
        if start is None or exists:
            return
    elif exists and not any(name in data for name in WEEK_EXTRAS):
        return
    raise PermissionDenied("Only the pilot's reviewers open a review week.")


def check_week_keeper(request, week: ReviewWeek) -> None:
    if not services.may_manage_week(request.user, week.pilot):
        raise PermissionDenied("Only the pilot's reviewers and owners keep its review weeks.")


def check_sample_rows(request, rows) -> None:
    """POST /api/samples and /api/samples/bulk: only the pilot's reviewers log samples."""
    rows = [row for row in rows if isinstance(row, Mapping)]
    weeks = visible_weeks(request, {sent_id(row.get("week")) for row in rows})
    refused = {}
    for week in weeks.values():
        if week.pilot_id not in refused:
            refused[week.pilot_id] = not access.can_review(request.user, week.pilot)
    pilots = sorted({str(week.pilot) for week in weeks.values() if refused[week.pilot_id]})
    if pilots:
        raise PermissionDenied(f"Only the reviewers of {', '.join(pilots)} log its samples.")


def _gives_fix(data: Mapping, *, present: bool) -> bool:
    """Fix fields in the payload: present at all (a PATCH), or with a value (a new entry)."""
    names = services.ERROR_FIX_FIELDS & set(data)
    return bool(names) if present else any(data.get(name) for name in names)


def check_error_log(request) -> None:
    """POST /api/errors: reviewers, owners and the stop authority log; only the last two fix."""
    data = payload(request)
    pilot = visible_pilot(request, data)
    if pilot is None:
        return
    if not services.may_edit_error(request.user, pilot):
        raise PermissionDenied("Only the pilot's reviewers, owners and stop authority log errors.")
    if _gives_fix(data, present=False) and not services.may_record_fix(request.user, pilot):
        raise PermissionDenied("Only the pilot's owners and stop authority record fixes.")


def check_error_update(request, entry: ErrorEntry) -> None:
    """PATCH /api/errors/{id}: who may edit the details, who may record the fix."""
    data, user, pilot = payload(request), request.user, entry.pilot
    may_edit, may_fix = services.may_edit_error(user, pilot), services.may_record_fix(user, pilot)
    if not (may_edit or may_fix) or (services.ERROR_DETAIL_FIELDS & set(data) and not may_edit):
        raise PermissionDenied(
            "Only the pilot's reviewers, owners and stop authority edit entries."
        )
    if _gives_fix(data, present=True) and not may_fix:
        raise PermissionDenied("Only the pilot's owners and stop authority record fixes.")


def check_resolve(request, entry: ErrorEntry) -> None:
    if services.may_resolve(request.user, entry):
        return
    if entry.severity == ErrorEntry.Severity.STOP_NOW:
        raise PermissionDenied(
            "Only the stop authority (or their backup) resolves a stop-now error."
        )
    raise PermissionDenied("Only the pilot's owners and stop authority resolve errors.")
