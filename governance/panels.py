"""The governance panels of the one page: alerts, decision rights, the change log, the stop rules
with their settings, and the readiness check."""

from pilots import access
from pilots.onepage import Panel, register_history, register_panel

from .facts import gather_facts
from .forms import ChangeProposeForm
from .models import Change, DecisionRight, RuleSettings
from .rules import evaluate, readiness_checks
from .rules.stop_rules import RULE_DESCRIPTIONS
from .selectors import alerts_for, change_timeline, decision_rights_by_kind


def _governance_context(pilot, user) -> dict:
    rights = decision_rights_by_kind(pilot=pilot)
    changes = change_timeline(pilot=pilot)
    approvers = {
        (right.kind, uid)
        for right in rights.values()
        for uid in (right.owner_id, right.backup_id)
        if uid
    }
    for change in changes:
        change.user_may_decide = (change.decision_right_kind, user.pk) in approvers
    return {
        "decision_rights": [
            (kind, label, rights.get(kind)) for kind, label in DecisionRight.Kind.choices
        ],
        "rights": rights,
        "changes": changes,
        "change_form": ChangeProposeForm(),
        "can_propose_change": access.is_admin(user) or bool(access.roles_of(user, pilot)),
        "can_record_outcome": access.can_edit(user, pilot) or access.can_review(user, pilot),
    }


def _alerts_context(pilot, user) -> dict:
    return {"governance_alerts": alerts_for(pilot=pilot)}


def rules_context(pilot, user) -> dict:
    """The stop rules with this pilot's settings, and the readiness check computed from facts."""
    facts = gather_facts(pilot_ids=[pilot.pk], active_only=False)[0]
    settings = facts.settings
    values = {
        "grace": settings.review_grace_days,
        "weeks": settings.rising_weeks,
        "max_changes": settings.max_live_changes_per_week,
        "max_failure": settings.max_failure_percent,
    }
    checks = readiness_checks(facts)
    blocking = [verdict for verdict in evaluate(facts) if verdict.blocks_expansion]
    return {
        "governance_rules": [
            (name, text.format(**values), name not in settings.disabled_rules)
            for name, text in RULE_DESCRIPTIONS.items()
        ],
        "governance_checks": checks,
        "governance_ready": all(check.passed for check in checks) and not blocking,
        "governance_blocking": blocking,
    }


register_panel(Panel("alerts", "governance/panels/alerts.html", 2, _alerts_context))
register_panel(
    Panel("decision_rights", "governance/panels/decision_rights.html", 20, _governance_context)
)
register_panel(Panel("changes", "governance/panels/changes.html", 30, lambda pilot, user: {}))
register_panel(Panel("rules", "governance/panels/rules.html", 60, rules_context))
register_history("Decision rights", lambda pilot: DecisionRight.history.filter(pilot_id=pilot.pk))
register_history("Change log", lambda pilot: Change.history.filter(pilot_id=pilot.pk))
register_history("Stop rules", lambda pilot: RuleSettings.history.filter(pilot_id=pilot.pk))
