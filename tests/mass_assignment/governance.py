"""Forbidden fields of the governance endpoints: decision rights, changes, rules."""

from governance.models import Change, DecisionRight, RuleSettings
from tests.mass_assignment.base import LONG_AGO, Forbid, Write, audit_fields, created, stranger, the

WRITES = [
    Write(
        "decision-right-create",
        "admin",
        "post",
        lambda m: "/api/decision-rights",
        lambda m: {"pilot": m.pilot.pk, "kind": "model_choice", "owner": m.user("tech")},
        created(DecisionRight),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "change-create",
        "owner",
        "post",
        lambda m: "/api/changes",
        lambda m: {
            "pilot": m.pilot.pk,
            "kind": "policy",
            "title": "Mass assignment",
            "hypothesis": "Fewer reopens.",
        },
        created(Change),
        (
            Forbid("status", "live"),
            Forbid("requested_by", stranger),
            Forbid("approved_by", lambda m: m.user("tech")),
            Forbid("decided_at", LONG_AGO),
            Forbid("decision_note", "Forged"),
            Forbid("live_at", LONG_AGO),
            Forbid("review_week", "2001-W05"),
            Forbid("verdict", "kept"),
            Forbid("outcome", "Forged"),
            Forbid("outcome_at", LONG_AGO),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "change-approve",
        "tech",
        "post",
        lambda m: f"/api/changes/{m.w.proposed.pk}/approve",
        lambda m: {"note": "Go."},
        the("w.proposed"),
        (
            Forbid("approved_by", lambda m: m.user("stopper")),
            Forbid("status", "live"),
            Forbid("decided_at", LONG_AGO),
            Forbid("live_at", LONG_AGO),
        ),
    ),
    Write(
        "change-outcome",
        "owner",
        "post",
        lambda m: f"/api/changes/{m.w.live.pk}/outcome",
        lambda m: {"verdict": "kept", "outcome": "Fewer look-ups."},
        the("w.live"),
        (
            Forbid("outcome_at", LONG_AGO),
            Forbid("approved_by", stranger),
            Forbid("status", "proposed"),
        ),
    ),
    Write(
        "rule-settings-create",
        "admin",
        "post",
        lambda m: "/api/rule-settings",
        lambda m: {"pilot": m.pilot.pk, "review_grace_days": 4},
        created(RuleSettings),
        audit_fields("id", "updated_at"),
    ),
]
