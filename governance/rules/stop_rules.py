"""Each stop rule reads `PilotFacts` and returns the breaches it finds, with figures and next steps.

A verdict's `period` makes its dedupe key (pilot, rule, period): the same breach in the same period
never alerts twice, a new month or a new error does.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from common.money import money_text

from .facts import PilotFacts

PAUSE, BLOCK, ALERT = "pause", "block_expansion", "alert"

# Who hears about a breach, as ownership-matrix role kinds (primary and backup of each).
STOP = ("stop_authority",)
SPEND = ("stop_authority", "business_owner")
REVIEW = ("reviewer", "stop_authority")
OWNERS = ("business_owner", "technical_owner", "stop_authority")


@dataclass(frozen=True)
class Verdict:
    rule: str
    actions: frozenset[str]
    period: str
    message: str
    next_step: str
    figures: dict[str, str] = field(default_factory=dict)
    notify: tuple[str, ...] = STOP

    @property
    def pauses(self) -> bool:
        return PAUSE in self.actions

    @property
    def blocks_expansion(self) -> bool:
        return BLOCK in self.actions


def _money(value: Decimal) -> str:
    """A money figure as the API gives every total: a plain decimal string, two places, rounded
    half-up (common.money); e-mails add the currency (rules.labels.figure_value)."""
    return money_text(value)


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spend_over_cap(f: PilotFacts) -> list[Verdict]:
    if f.monthly_cap is None or f.month_to_date <= f.monthly_cap:
        return []
    return [
        Verdict(
            rule="spend_over_cap",
            actions=frozenset({PAUSE, ALERT}),
            period=f.month,
            message=f"Month-to-date spend {_money(f.month_to_date)} is over the monthly cap of {_money(f.monthly_cap)}.",
            next_step="The pilot is paused. The owner of higher-usage approval decides whether to raise the cap; the stop authority resumes it.",
            figures={
                "month_to_date": _money(f.month_to_date),
                "monthly_cap": _money(f.monthly_cap),
                "percent_of_cap": str(_pct(f.month_to_date, f.monthly_cap)),
            },
            notify=SPEND,
        )
    ]


def spend_thresholds(f: PilotFacts) -> list[Verdict]:
    if not f.monthly_cap:
        return []
    percent = _pct(f.month_to_date, f.monthly_cap)
    return [
        Verdict(
            rule=f"spend_threshold_{threshold}",
            actions=frozenset({ALERT}),
            period=f.month,
            message=f"Month-to-date spend {_money(f.month_to_date)} has reached {percent}% of the {_money(f.monthly_cap)} cap (alert at {threshold}%).",
            next_step="Check the cost panel for what drives the spend; ask the higher-usage approver before the cap is hit.",
            figures={
                "month_to_date": _money(f.month_to_date),
                "monthly_cap": _money(f.monthly_cap),
                "percent_of_cap": str(percent),
                "threshold": str(threshold),
            },
            notify=SPEND,
        )
        for threshold in f.alert_thresholds
        if f.month_to_date * 100 >= f.monthly_cap * threshold  # exact: 499.99 of 1000 is not 50%
    ]


def cost_per_task_over_limit(f: PilotFacts) -> list[Verdict]:
    if f.cost_per_task_limit is None or f.last_week_cost_per_task is None:
        return []
    if f.last_week_cost_per_task <= f.cost_per_task_limit:
        return []
    return [
        Verdict(
            rule="cost_per_task_over_limit",
            actions=frozenset({BLOCK, ALERT}),
            period=f.last_full_week,
            message=f"Full cost per completed task was {f.last_week_cost_per_task} in {f.last_full_week}, over the limit of {f.cost_per_task_limit}.",
            next_step="Expansion is paused until someone explains why: compare review time and rework with API spend on the cost panel.",
            figures={
                "full_cost_per_task": str(f.last_week_cost_per_task),
                "limit": str(f.cost_per_task_limit),
                "api_cost_per_task": str(f.last_week_api_cost_per_task or ""),
            },
            notify=SPEND,
        )
    ]


def stop_now_error_open(f: PilotFacts) -> list[Verdict]:
    if not f.open_stop_now_error_ids:
        return []
    latest = max(f.open_stop_now_error_ids)
    return [
        Verdict(
            rule="stop_now_error",
            actions=frozenset({PAUSE, ALERT}),
            period=f"error-{latest}",
            message=f"{len(f.open_stop_now_error_ids)} stop-now error(s) open (latest #{latest}).",
            next_step="The task stops and goes to a person. The stop authority reviews the error, records the fix, resolves it and resumes the pilot.",
            figures={
                "open_stop_now_errors": str(len(f.open_stop_now_error_ids)),
                "latest_error": str(latest),
            },
        )
    ]


def serious_repeat(f: PilotFacts) -> list[Verdict]:
    if not f.serious_repeat_ids:
        return []
    latest = max(f.serious_repeat_ids)
    return [
        Verdict(
            rule="serious_repeat",
            actions=frozenset({PAUSE, BLOCK, ALERT}),
            period=f"error-{latest}",
            message=f"A serious failure came back after it was fixed (error #{latest}). One serious repeat stops rollout.",
            next_step="Pause, review the pattern, and decide whether the task is a bad fit, the guardrails are too weak, or staff do not know when to step in.",
            figures={
                "serious_repeats": str(len(f.serious_repeat_ids)),
                "latest_error": str(latest),
            },
            notify=OWNERS,
        )
    ]


def review_overdue(f: PilotFacts) -> list[Verdict]:
    start = f.last_closed_review or f.active_since
    if f.status == "draft" or start is None:
        return []
    allowed = f.review_cadence_days + f.settings.review_grace_days
    if (f.today - start).days <= allowed:
        return []
    since = (
        f"since {start:%-d %b %Y}"
        if f.last_closed_review
        else f"since piloting began on {start:%-d %b %Y}"
    )
    return [
        Verdict(
            rule="review_overdue",
            actions=frozenset({ALERT}),
            period=f"due-{start.toordinal() + allowed}",
            message=f"No review week has been closed {since}; the rhythm allows {allowed} days.",
            next_step="The reviewer (or their backup) logs this week's sample and closes the week.",
            figures={
                "last_closed_review": str(f.last_closed_review or "never"),
                "allowed_days": str(allowed),
            },
            notify=REVIEW,
        )
    ]


def _rising(values: list[Decimal | None], weeks: int) -> bool:
    tail = values[-(weeks + 1) :]
    if len(tail) < weeks + 1 or any(value is None for value in tail):
        return False
    return all(later > earlier for earlier, later in pairwise(tail))


def rising_trend(f: PilotFacts) -> list[Verdict]:
    weeks = f.settings.rising_weeks
    verdicts = []
    for attribute, label in (
        ("correction_rate", "manual-correction rate"),
        ("review_minutes", "review minutes"),
    ):
        values = [getattr(point, attribute) for point in f.weeks]
        if _rising(values, weeks):
            series = " → ".join(str(value) for value in values[-(weeks + 1) :])
            verdicts.append(
                Verdict(
                    rule=f"rising_{attribute}",
                    actions=frozenset({ALERT}),
                    period=f.weeks[-1].iso_week,
                    message=f"The {label} rose {weeks} weeks in a row: {series}.",
                    next_step="Find what changed (prompt, data, new users) in the change log and test one fix for a week.",
                    figures={"weeks": str(weeks), "series": series},
                    notify=("business_owner", "technical_owner"),
                )
            )
    return verdicts


def ownership_gap(f: PilotFacts) -> list[Verdict]:
    if not f.ownership_gaps:
        return []
    digest = hashlib.sha1("|".join(sorted(f.ownership_gaps)).encode()).hexdigest()[:12]
    return [
        Verdict(
            rule="ownership_gap",
            actions=frozenset({BLOCK, ALERT}),
            period=f"gaps-{digest}",
            message=f"Ownership gaps: {'; '.join(f.ownership_gaps)}.",
            next_step="The business owner names the missing owners and a different person as backup for each.",
            figures={"gaps": str(len(f.ownership_gaps))},
            notify=("business_owner", "technical_owner"),
        )
    ]


def prompt_drift(f: PilotFacts) -> list[Verdict]:
    too_many = f.live_changes_last_week > f.settings.max_live_changes_per_week
    if not too_many and not f.undocumented_version_changes and not f.undocumented_in_traffic:
        return []
    reasons = []
    if too_many:
        reasons.append(
            f"{f.live_changes_last_week} changes went live in {f.last_full_week} (allowed: {f.settings.max_live_changes_per_week})"
        )
    if f.undocumented_version_changes:
        reasons.append(
            f"setup changed without a change-log entry: {', '.join(f.undocumented_version_changes)}"
        )
    if f.undocumented_in_traffic:
        reasons.append(
            f"traffic runs what no change-log entry put live: {', '.join(f.undocumented_in_traffic)}"
        )
    return [
        Verdict(
            rule="prompt_drift",
            actions=frozenset({BLOCK, ALERT}),
            period=f.last_full_week,
            message="Prompt drift: " + "; ".join(reasons) + ".",
            next_step="Go back to one documented change at a time, each tested for a week; log the undocumented ones.",
            figures={
                "live_changes_last_week": str(f.live_changes_last_week),
                "undocumented": ", ".join(f.undocumented_version_changes),
                **(
                    {"seen_in_traffic": ", ".join(f.undocumented_in_traffic)}
                    if f.undocumented_in_traffic
                    else {}
                ),
            },
            notify=("business_owner", "technical_owner"),
        )
    ]


def savings_below_stop_point(f: PilotFacts) -> list[Verdict]:
    if f.savings_stop_minutes is None or f.minutes_saved_per_employee_day is None:
        return []
    if f.minutes_saved_per_employee_day >= f.savings_stop_minutes:
        return []
    return [
        Verdict(
            rule="savings_below_stop_point",
            actions=frozenset({ALERT}),
            period=f.month,
            message=f"It saves {f.minutes_saved_per_employee_day} minutes per employee per day after review, below the stop point of {f.savings_stop_minutes}.",
            next_step="Keep it limited to low-risk tasks, as the cost rules say; do not expand.",
            figures={
                "minutes_saved": str(f.minutes_saved_per_employee_day),
                "stop_point": str(f.savings_stop_minutes),
            },
            notify=("business_owner",),
        )
    ]


# A week with fewer tasks than this says too little about a failure rate to alert on it.
MIN_TASKS_FOR_FAILURE_RATE = 20


def failure_rate_over_limit(f: PilotFacts) -> list[Verdict]:
    tasks, failed = f.traffic_tasks_last_week, f.traffic_failed_last_week
    limit = f.settings.max_failure_percent
    if tasks < MIN_TASKS_FOR_FAILURE_RATE or failed * 100 <= tasks * limit:
        return []
    rate = _pct(Decimal(failed), Decimal(tasks))
    return [
        Verdict(
            rule="failure_rate_over_limit",
            actions=frozenset({ALERT}),
            period=f.last_full_week,
            message=f"{failed} of {tasks} tasks failed in {f.last_full_week} ({rate}%), over the limit of {limit}%.",
            next_step="Open the failed tasks from the Connections page and check that the fallback path ran; fix the cause or lower the load.",
            figures={
                "failed_tasks": str(failed),
                "tasks": str(tasks),
                "failure_rate": str(rate),
                "failure_limit": str(limit),
            },
            notify=("technical_owner", "stop_authority"),
        )
    ]


def handoffs_picked_up_late(f: PilotFacts) -> list[Verdict]:
    if not f.handoff_response_minutes or not f.late_pickups_last_week:
        return []
    late, picked = f.late_pickups_last_week, f.pickups_last_week
    return [
        Verdict(
            rule="handoffs_picked_up_late",
            actions=frozenset({ALERT}),
            period=f.last_full_week,
            message=f"{late} of {picked} handoffs in {f.last_full_week} were picked up later than the handoff rule's {f.handoff_response_minutes} minutes.",
            next_step="Staff the receiving queue for the handoff volume, or change the handoff rule's response time so it says what people can keep.",
            figures={
                "late_pickups": str(late),
                "pickups": str(picked),
                "response_minutes": str(f.handoff_response_minutes),
            },
            notify=("business_owner",),
        )
    ]


RULES: dict[str, Callable[[PilotFacts], list[Verdict]]] = {
    "spend_over_cap": spend_over_cap,
    "spend_threshold": spend_thresholds,
    "cost_per_task_over_limit": cost_per_task_over_limit,
    "stop_now_error": stop_now_error_open,
    "serious_repeat": serious_repeat,
    "review_overdue": review_overdue,
    "rising_trend": rising_trend,
    "ownership_gap": ownership_gap,
    "prompt_drift": prompt_drift,
    "savings_below_stop_point": savings_below_stop_point,
    "failure_rate_over_limit": failure_rate_over_limit,
    "handoffs_picked_up_late": handoffs_picked_up_late,
}

RULE_DESCRIPTIONS = {
    "spend_over_cap": "Month-to-date spend over the monthly cap → pause.",
    "spend_threshold": "Spend crossing each alert threshold → one alert per threshold per month.",
    "cost_per_task_over_limit": "Full cost per completed task (last full week) over its limit → block expansion and alert.",
    "stop_now_error": "An open stop-now error → pause.",
    "serious_repeat": "A serious repeat failure → pause; blocks expansion.",
    "review_overdue": "No closed review week within the cadence plus {grace} days → alert the reviewer and backup.",
    "rising_trend": "Manual-correction rate or review minutes rising {weeks} weeks in a row → alert.",
    "ownership_gap": "A role or decision right without an owner or a distinct backup → alert and block expansion.",
    "prompt_drift": "More than {max_changes} change(s) live in a week, or a model/prompt version change with no change-log entry (also one seen running in the traffic) → alert and block expansion.",
    "savings_below_stop_point": "Savings below the stop point after review → keep it limited to low-risk tasks.",
    "failure_rate_over_limit": "More than {max_failure}% of last week's tasks failed (from the traffic, at least 20 tasks) → alert the technical owner and stop authority.",
    "handoffs_picked_up_late": "Handoffs picked up later than the handoff rule's response time last week → alert the business owner.",
}


def evaluate(facts: PilotFacts) -> list[Verdict]:
    """Every breach the pilot's enabled rules find; an empty pilot trips nothing."""
    if facts.status in {"retired"}:
        return []
    verdicts: list[Verdict] = []
    for name, rule in RULES.items():
        if name not in facts.settings.disabled_rules:
            verdicts.extend(rule(facts))
    return verdicts
