"""Who maintains the company guardrails. Access to pilots themselves is decided in pilots.access;
these rules are about company-wide records that belong to no pilot.

- The approved tools register, the data classes and the human review requirements: administrators
  and the company Security lane's contacts (security owns data rules and approved tools).
- The company lanes and the escalation paths: administrators.
- A use-case request's approval step: the contacts (primary or backup) of that company lane, or an
  administrator — never the person who asked for it.
"""

from pilots import access
from pilots.models import PilotRole

from .selectors import lane_contact_kinds


def may_manage_register(user) -> bool:
    return access.is_admin(user) or PilotRole.Kind.LANE_SECURITY in lane_contact_kinds(user)


def may_manage_lanes(user) -> bool:
    return access.is_admin(user)


def may_decide_step(user, step) -> bool:
    if not user.is_authenticated or step.request.requested_by_id == user.pk:
        return False
    return access.is_admin(user) or step.lane in lane_contact_kinds(user)
