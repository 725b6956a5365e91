"""The governance panels of the one page: decision rights and the change log."""

from pilots import access
from pilots.onepage import Panel, register_history, register_panel

from .forms import ChangeProposeForm
from .models import Change, DecisionRight
from .selectors import change_timeline, decision_rights_by_kind


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


register_panel(
    Panel("decision_rights", "governance/panels/decision_rights.html", 20, _governance_context)
)
register_panel(Panel("changes", "governance/panels/changes.html", 30, lambda pilot, user: {}))
register_history("Decision rights", lambda pilot: DecisionRight.history.filter(pilot_id=pilot.pk))
register_history("Change log", lambda pilot: Change.history.filter(pilot_id=pilot.pk))
