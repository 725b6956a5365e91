"""Every write in governance: decision rights, the change log, rule evaluation and alerts."""

from .alerts import alert_deliver, alert_raise
from .changes import (
    change_decide,
    change_mark_live,
    change_propose,
    change_record_outcome,
    decision_right_assign,
    iso_week,
    may_approve,
)
from .evaluation import pilots_evaluate, rule_settings_update

__all__ = [
    "alert_deliver",
    "alert_raise",
    "change_decide",
    "change_mark_live",
    "change_propose",
    "change_record_outcome",
    "decision_right_assign",
    "iso_week",
    "may_approve",
    "pilots_evaluate",
    "rule_settings_update",
]
