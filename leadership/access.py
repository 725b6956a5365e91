"""Who opens the leadership view: administrators, the finance group and the contacts (primary or
backup) of the company's Leadership lane. It covers the pilots they can see (pilots.access):
every pilot for administrators and finance, the pilots they hold a role on otherwise."""

from pilots import access
from pilots.models import PilotRole
from support.selectors import lane_contact_kinds

MAY_NOT_VIEW = (
    "The leadership view is for administrators, finance and the company's Leadership lane."
)


def may_view(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        access.is_admin(user)
        or access.is_finance(user)
        or PilotRole.Kind.LANE_LEADERSHIP in lane_contact_kinds(user)
    )
