"""What a draft still lacks before it may start piloting, read from its one page and its owners.

Two lists: what is required (the move to piloting is refused without it) and what the one page
still shows as a gap (said beside the choice, not refused: the readiness check before expanding
asks for all of it). The status panel shows both before the click; the service refuses the first.
"""

from dataclasses import dataclass, field

from .models import Pilot, PilotRole
from .selectors import roles_by_kind

Kind = PilotRole.Kind
# Without these nobody can say what the pilot does, on what, or who answers for it.
REQUIRED_FIELDS = (
    ("trigger", "what starts it (the job)"),
    ("task_output", "what it produces (the job)"),
    ("model_name", "the model it runs on (setup)"),
)
REQUIRED_ROLES = (Kind.BUSINESS_OWNER, Kind.TECHNICAL_OWNER, Kind.REVIEWER)
ADVISED_FIELDS = (
    ("handoff_conditions", "a handoff rule"),
    ("fallback_action", "a fallback path"),
    ("override_cases", "override cases"),
    ("monthly_cap", "a monthly cap"),
    ("next_review_date", "the next review date"),
)


@dataclass
class PilotingGaps:
    required: list[str] = field(default_factory=list)
    advised: list[str] = field(default_factory=list)


def piloting_gaps(pilot: Pilot) -> PilotingGaps:
    """What `pilot` lacks for piloting (uses its prefetched roles when present)."""
    gaps = PilotingGaps()
    roles = roles_by_kind(pilot)
    for name, label in REQUIRED_FIELDS:
        if not getattr(pilot, name):
            gaps.required.append(label)
    for kind in PilotRole.REQUIRED:
        role = roles.get(kind)
        label = Kind(kind).label.lower()
        if role is None or not role.primary_id:
            (gaps.required if kind in REQUIRED_ROLES else gaps.advised).append(f"a {label}")
        elif not role.backup_id:
            gaps.advised.append(f"a backup for the {label}")
    for name, label in ADVISED_FIELDS:
        value = getattr(pilot, name)
        if value in (None, "", []):
            gaps.advised.append(label)
    return gaps


def piloting_refusals(pilot: Pilot, to_status: str) -> list[str]:
    """The transition guard: a draft starts piloting only with the required parts."""
    if pilot.status != Pilot.Status.DRAFT or to_status != Pilot.Status.PILOTING:
        return []
    missing = piloting_gaps(pilot).required
    return [f"Still missing: {', '.join(missing)}."] if missing else []
