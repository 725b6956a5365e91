"""Escalation paths as plain values: the default path of each category, who stands behind a role,
and whether an entry was answered within its target. No ORM here (see selectors.py for reads)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from common.templatetags.pilotdeck import duration
from pilots.models import PilotRole

from .models import Category

Kind = PilotRole.Kind

# The article's eight categories, each with the lane or pilot role that must act and how fast.
# A company changes them in the admin or over the API; a category without a stored path uses these.
DEFAULT_PATHS: dict[str, tuple[str, int, str]] = {
    Category.USER_GUIDANCE: (
        Kind.LANE_OPERATIONS,
        480,
        "“Which tool should I use?”, “Can I use this output?”: training and adoption questions.",
    ),
    Category.TECHNICAL_ISSUE: (
        Kind.LANE_IT,
        240,
        "Access, identity, integrations, device compatibility and platform reliability.",
    ),
    Category.DATA_HANDLING: (
        Kind.LANE_SECURITY,
        60,
        "What data may be entered where, permissions, data that went somewhere it should not.",
    ),
    Category.SECURITY_INCIDENT: (
        Kind.LANE_SECURITY,
        30,
        "Sensitive data may have been exposed: escalate immediately.",
    ),
    Category.WORKFLOW_FAILURE: (
        Kind.TECHNICAL_OWNER,
        240,
        "A source changed format, a connected system changed, the prompt no longer fits the process.",
    ),
    Category.NEW_USE_CASE: (
        Kind.LANE_BUSINESS,
        2880,
        "Someone wants AI for a new task: it follows the use-case approval path, not the bug queue.",
    ),
    Category.OUTPUT_QUALITY: (
        Kind.BUSINESS_OWNER,
        480,
        "Wrong, inconsistent or incomplete output; two teams got different answers.",
    ),
    Category.COMPLIANCE_REVIEW: (
        Kind.LANE_SECURITY,
        1440,
        "Retention, vendor risk, policy and regulatory questions.",
    ),
}

# When a pilot leaves the role or lane of a path empty, the company lane standing behind it answers.
COMPANY_LANE_BEHIND: dict[str, str] = {
    **{lane: lane for lane in PilotRole.LANES},
    Kind.BUSINESS_OWNER: Kind.LANE_BUSINESS,
    Kind.REVIEWER: Kind.LANE_BUSINESS,
    Kind.TECHNICAL_OWNER: Kind.LANE_IT,
}

# A one-field report has no category until a reviewer completes it: bad output is output quality.
REPORT_CATEGORY = Category.OUTPUT_QUALITY


@dataclass(frozen=True)
class Path:
    category: str
    route_to: str
    target_minutes: int
    covers: str = ""
    configured: bool = False  # False: the built-in default, nothing stored

    @property
    def label(self) -> str:
        return Category(self.category).label

    @property
    def route_label(self) -> str:
        return Kind(self.route_to).label


def default_path(category: str) -> Path:
    route_to, minutes, covers = DEFAULT_PATHS[category]
    return Path(category=category, route_to=route_to, target_minutes=minutes, covers=covers)


@dataclass(frozen=True)
class ResponseTime:
    """Whether an entry was answered (resolved, or a first fix recorded) within its target."""

    state: str  # "met", "missed", "overdue" (open past the target) or "due" (open, time left)
    target_minutes: int
    minutes: int  # met/missed: time taken; overdue: time past the target; due: time left

    @property
    def label(self) -> str:
        return {"met": "Met", "missed": "Missed", "overdue": "Overdue", "due": "Due"}[self.state]

    @property
    def is_late(self) -> bool:
        return self.state in {"missed", "overdue"}

    @property
    def summary(self) -> str:
        target = duration(self.target_minutes)
        taken = duration(self.minutes)
        if self.state == "met":
            return f"Answered in {taken}, within the {target} target."
        if self.state == "missed":
            return f"Answered in {taken}: the {target} target was missed."
        if self.state == "overdue":
            return f"Overdue: open {taken} past the {target} target."
        return f"Due within {target} ({taken} left)."


def response_time(
    *,
    raised_at: datetime,
    answered_at: datetime | None,
    target_minutes: int,
    now: datetime,
) -> ResponseTime:
    deadline = raised_at + timedelta(minutes=target_minutes)
    if answered_at is not None:
        taken = max(int((answered_at - raised_at).total_seconds() // 60), 0)
        state = "met" if answered_at <= deadline else "missed"
        return ResponseTime(state, target_minutes, taken)
    if now > deadline:
        return ResponseTime("overdue", target_minutes, int((now - deadline).total_seconds() // 60))
    left = -int(-(deadline - now).total_seconds() // 60)  # whole minutes, rounded up
    return ResponseTime("due", target_minutes, left)


def first_answer(*times: datetime | None) -> datetime | None:
    present = [time for time in times if time is not None]
    return min(present) if present else None
