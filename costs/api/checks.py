"""Who may record costs, decided before the payload is validated.

As in the pilots API (pilots/api/permissions.py), a role that may see a pilot but not record its
costs gets 403 whatever it sends, never a 400 that lists field rules it may not use anyway. A
pilot the caller cannot see is left to validation: it reads as an id that does not exist (400).
"""

from collections.abc import Mapping

from common.errors import PermissionDenied
from common.validators import sent_id
from costs import services
from costs.services.common import MAY_NOT_RECORD, visible_pilots
from pilots import access


def _refused(request, rows) -> list[str]:
    """The visible pilots named by `rows` on which the caller may not record costs.

    Rows that are not objects, and pilots that are missing, malformed or not visible, are left
    to validation. A fixed few queries, however many rows."""
    user = request.user
    if access.is_admin(user) or access.is_finance(user):
        return []
    ids = {sent_id(row.get("pilot")) for row in rows if isinstance(row, Mapping)}
    pilots = visible_pilots(user, ids - {None})
    return sorted(
        str(pilot) for pilot in pilots.values() if not services.may_record_costs(user, pilot)
    )


def check_payload(request) -> None:
    """POST /api/cost-entries and /api/task-volumes: the payload's pilot."""
    data = request.data
    if isinstance(data, Mapping) and _refused(request, [data]):
        raise PermissionDenied(MAY_NOT_RECORD)


def check_rows(request, rows) -> None:
    """A bulk push: refused as a whole when any row names a pilot the caller may not record on."""
    refused = _refused(request, rows) if isinstance(rows, list) else []
    if refused:
        raise PermissionDenied(
            "Only the business or technical owner, or finance, may record the costs of "
            f"{', '.join(refused)}: nothing was saved."
        )


def check_pilot(request, pilot) -> None:
    """A write to an entry found by its URL (a pilot the caller cannot see answered 404)."""
    services.require_may_record(request.user, pilot)
