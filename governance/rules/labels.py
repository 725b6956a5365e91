"""Stop rules and their figures named for people: alert e-mails, webhooks and pages use these,
never the slugs and keys the rules are stored under."""

from decimal import Decimal, InvalidOperation

from common.money import format_money

RULE_TITLES = {
    "spend_over_cap": "Spend over the monthly cap",
    "spend_threshold": "Spend alert threshold crossed",
    "cost_per_task_over_limit": "Cost per task over its limit",
    "stop_now_error": "Stop-now error reported",
    "serious_repeat": "Serious repeat failure",
    "review_overdue": "Weekly review overdue",
    "rising_trend": "Corrections or review time rising",
    "ownership_gap": "Ownership gap",
    "prompt_drift": "Undocumented or too many changes",
    "savings_below_stop_point": "Savings below the stop point",
    "failure_rate_over_limit": "Failure rate over its limit",
    "handoffs_picked_up_late": "Handoffs picked up late",
    "traffic_while_paused": "Traffic while paused",
}

FIGURE_LABELS = {
    "allowed_days": "Days allowed",
    "api_cost_per_task": "Model/API cost per task",
    "full_cost_per_task": "Full cost per task",
    "gaps": "Gaps",
    "last_closed_review": "Last closed review",
    "latest_error": "Latest error",
    "limit": "Limit",
    "live_changes_last_week": "Changes live last week",
    "minutes_saved": "Minutes saved per task",
    "month_to_date": "Spend so far this month",
    "monthly_cap": "Monthly cap",
    "open_stop_now_errors": "Open stop-now errors",
    "percent_of_cap": "Percent of the cap",
    "serious_repeats": "Serious repeats",
    "series": "Weekly values",
    "stop_point": "Stop point",
    "threshold": "Threshold",
    "undocumented": "Undocumented changes",
    "weeks": "Weeks",
    "failed_tasks": "Failed tasks",
    "tasks": "Tasks",
    "failure_rate": "Failure rate",
    "failure_limit": "Failure rate allowed",
    "late_pickups": "Handoffs picked up late",
    "pickups": "Handoffs picked up",
    "response_minutes": "Response time (minutes)",
    "seen_in_traffic": "Seen running in traffic",
}


def rule_title(rule: str) -> str:
    return RULE_TITLES.get(rule) or rule.replace("_", " ").capitalize()


def figure_label(key: str) -> str:
    return FIGURE_LABELS.get(key) or key.replace("_", " ").capitalize()


# Figures that are money: stored as plain decimal strings (common.money), shown with the currency.
MONEY_FIGURES = frozenset({"month_to_date", "monthly_cap"})
PER_TASK_FIGURES = frozenset({"full_cost_per_task", "api_cost_per_task", "limit"})


def figure_value(key: str, value: str) -> str:
    """A figure as a person reads it: error ids as #12, percentages with their sign, money with
    the currency and rounded as on every page (€1,000.01; €0.3315 per task)."""
    if key == "latest_error" and str(value).isdigit():
        return f"#{value}"
    if key in MONEY_FIGURES | PER_TASK_FIGURES:
        try:
            return format_money(
                Decimal(str(value).replace(",", "")), per_task=key in PER_TASK_FIGURES
            )
        except (InvalidOperation, ValueError):
            return str(value)
    if key in {"percent_of_cap", "failure_rate", "failure_limit"} and not str(value).endswith("%"):
        return f"{value}%"
    return str(value)
