"""Stop rules and the readiness check: pure functions, facts in → verdicts out, no ORM inside.

`facts.py` (one level up) gathers `PilotFacts` for many pilots with a fixed number of queries;
`services.evaluation` applies the verdicts (pause, alert, block expansion).
"""

from .facts import PilotFacts, RuleSettings, WeekPoint
from .readiness import Check, readiness_checks
from .stop_rules import RULES, Verdict, evaluate

__all__ = [
    "RULES",
    "Check",
    "PilotFacts",
    "RuleSettings",
    "Verdict",
    "WeekPoint",
    "evaluate",
    "readiness_checks",
]
