"""The readiness check ("quick checks before rollout"), computed from facts, never ticked by hand."""

from dataclasses import dataclass
from decimal import Decimal

from .facts import PilotFacts
from .stop_rules import prompt_drift


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    passed: bool
    reason: str


def _expansion_target_held(f: PilotFacts) -> tuple[bool, str]:
    if not f.expansion_metric or f.expansion_threshold is None or not f.expansion_weeks:
        return False, "No expansion rule is written."
    recent = f.weeks[-f.expansion_weeks :]
    if len(recent) < f.expansion_weeks:
        return (
            False,
            f"Only {len(recent)} of the {f.expansion_weeks} review weeks the target must hold for exist.",
        )
    attribute = {
        "error_rate": "error_rate",
        "correction_rate": "correction_rate",
        "complaints": "complaints",
        "minutes_saved": "avg_minutes_saved",
    }[f.expansion_metric]
    at_least = f.expansion_metric == "minutes_saved"
    values = [getattr(point, attribute) for point in recent]
    misses = [
        point.iso_week
        for point, value in zip(recent, values, strict=True)
        if value is None
        or (
            Decimal(value) < f.expansion_threshold
            if at_least
            else Decimal(value) > f.expansion_threshold
        )
    ]
    if misses:
        return False, f"The target was missed in {', '.join(misses)}."
    return (
        True,
        f"The target held for the last {f.expansion_weeks} weeks ({', '.join(str(v) for v in values)}).",
    )


def readiness_checks(f: PilotFacts) -> list[Check]:
    drift = prompt_drift(f)
    held, held_reason = _expansion_target_held(f)

    def check(name: str, title: str, passed: bool, good: str, bad: str) -> Check:
        return Check(name, title, passed, good if passed else bad)

    return [
        check(
            "owners",
            "Every role and decision right has an owner and a distinct backup",
            not f.ownership_gaps,
            "All roles and decision rights are covered.",
            "Missing: " + "; ".join(f.ownership_gaps) + ".",
        ),
        check(
            "no_single_person",
            "No single person holds prompts, review rules and failure decisions",
            f.single_person is None,
            "Prompts, review and stop decisions are spread across people.",
            f"{f.single_person} holds prompt changes, review and stop authority alone.",
        ),
        check(
            "review_notes",
            "Recent review notes and an error log with fixes exist",
            f.recent_review_notes and f.errors_without_fix == 0,
            "A recent review week has notes and every older error has a fix.",
            "No recently closed review week with notes."
            if not f.recent_review_notes
            else f"{f.errors_without_fix} error(s) older than a week have no recorded fix.",
        ),
        check(
            "fallback",
            "A fallback path is written",
            f.fallback_written,
            "The fallback path is written.",
            "No fallback path for mid-task failure.",
        ),
        check(
            "finance_visibility",
            "Finance can see cost per task, weekly spend and a cap",
            f.has_cost_per_task and f.has_weekly_spend and f.monthly_cap is not None,
            "Cost per task, weekly spend and the cap are all on file.",
            "Missing: "
            + ", ".join(
                label
                for label, present in (
                    ("cost per task", f.has_cost_per_task),
                    ("weekly spend", f.has_weekly_spend),
                    ("a monthly cap", f.monthly_cap is not None),
                )
                if not present
            )
            + ".",
        ),
        check(
            "review_time",
            "Review time is tracked, not only API spend",
            f.review_time_tracked,
            "Reviewer time is in the ledger.",
            "The ledger has no reviewer time: only API spend is counted.",
        ),
        check(
            "override_cases",
            "Override cases are named",
            f.override_cases_named,
            "Staff can name when to stop and check manually.",
            "No override cases named.",
        ),
        check(
            "metrics",
            "Success rests on more than one metric",
            f.success_metrics >= 2,
            f"{f.success_metrics} measures of success are set.",
            "Set more than one of: expansion target, cost-per-task limit, savings stop point.",
        ),
        check(
            "prompt_changes",
            "Prompt changes are documented and not too frequent",
            not drift,
            "Changes are documented, one at a time.",
            drift[0].message if drift else "",
        ),
        check(
            "tools_and_data",
            "Every tool is approved for the data it touches",
            not f.tool_data_problems,
            "Every tool is approved for every kind of data the pilot reads.",
            " ".join(f.tool_data_problems),
        ),
        check(
            "no_serious_repeat",
            "No serious repeat failure is open",
            not f.serious_repeat_ids,
            "No serious repeat failure is open.",
            f"{len(f.serious_repeat_ids)} serious repeat failure(s) open.",
        ),
        Check("expansion_target", "The expansion target held for its period", held, held_reason),
    ]
