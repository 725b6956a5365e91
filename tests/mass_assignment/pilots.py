"""Forbidden fields of the pilots endpoints: pilots, their status and roles."""

from pilots.models import Pilot, PilotRole, StatusChange
from tests.mass_assignment.base import (
    LONG_AGO,
    Forbid,
    Write,
    audit_fields,
    created,
    elsewhere,
    stranger,
    the,
)

WRITES = [
    Write(
        "pilot-create",
        "admin",
        "post",
        lambda m: "/api/pilots",
        lambda m: {"name": "Made by mass assignment"},
        created(Pilot),
        (
            Forbid("status", "scaled"),
            Forbid("status_since", LONG_AGO),
            Forbid("status_reason", "Forged"),
            Forbid("roles", lambda m: [{"kind": "business_owner", "primary": stranger(m)}]),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "pilot-patch",
        "admin",
        "patch",
        lambda m: f"/api/pilots/{m.pilot.pk}",
        lambda m: {"trigger": "a ticket arrives."},
        the("pilot"),
        (
            Forbid("status", "scaled"),
            Forbid("status_since", LONG_AGO),
            Forbid("status_reason", "Forged"),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "pilot-put",
        "admin",
        "put",
        lambda m: f"/api/pilots/{m.pilot.pk}",
        lambda m: {"name": "Renamed by mass assignment"},
        the("pilot"),
        (Forbid("status", "retired"), Forbid("status_reason", "Forged")),
    ),
    Write(
        "pilot-status",
        "stopper",
        "post",
        lambda m: f"/api/pilots/{m.pilot.pk}/status",
        lambda m: {"status": "paused", "reason": "Spend over the cap."},
        lambda m, body: StatusChange.objects.filter(pilot=m.pilot).latest("at", "id"),
        (Forbid("by", stranger), Forbid("rule", "spend_cap"), Forbid("at", LONG_AGO)),
    ),
    Write(
        "role-create",
        "admin",
        "post",
        lambda m: "/api/roles",
        lambda m: {"pilot": m.pilot.pk, "kind": "lane_security", "primary": m.user("tech")},
        created(PilotRole),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "role-patch",
        "admin",
        "patch",
        lambda m: f"/api/roles/{m.w.reviewer_role.pk}",
        lambda m: {"response_minutes": 45},
        the("w.reviewer_role"),
        (
            Forbid("pilot", elsewhere),
            Forbid("kind", "lane_it"),
            *audit_fields("id", "updated_at"),
        ),
    ),
]
