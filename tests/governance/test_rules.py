"""Each stop rule just below and just above its threshold; pure functions, no database."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.rules import PilotFacts, RuleSettings, WeekPoint, evaluate, readiness_checks

TODAY = date(2026, 11, 22)
EMPTY = PilotFacts(
    pilot_id=1,
    name="Support drafts",
    status="piloting",
    today=TODAY,
    month="2026-11",
    iso_week="2026-W47",
    last_full_week="2026-W46",
)


def rules(facts) -> set[str]:
    return {verdict.rule for verdict in evaluate(facts)}


def test_an_empty_pilot_trips_nothing():
    assert evaluate(EMPTY) == []


def test_spend_at_the_cap_does_not_pause_but_a_cent_over_does():
    at_cap = replace(
        EMPTY, monthly_cap=D("1000.00"), month_to_date=D("1000.00"), alert_thresholds=()
    )
    assert rules(at_cap) == set()
    over = replace(at_cap, month_to_date=D("1000.01"))
    [verdict] = evaluate(over)
    assert verdict.rule == "spend_over_cap" and verdict.pauses
    assert verdict.figures["month_to_date"] == "1000.01"  # a decimal string, as the API gives money
    assert verdict.period == "2026-11"
    assert "business_owner" in verdict.notify


@pytest.mark.parametrize(
    ("spent", "expected"),
    [
        ("499.99", set()),
        ("500.00", {"spend_threshold_50"}),
        ("799.99", {"spend_threshold_50"}),
        ("800.00", {"spend_threshold_50", "spend_threshold_80"}),
        ("1000.00", {"spend_threshold_50", "spend_threshold_80", "spend_threshold_100"}),
    ],
)
def test_each_alert_threshold_trips_once_reached(spent, expected):
    facts = replace(EMPTY, monthly_cap=D("1000"), month_to_date=D(spent))
    assert rules(facts) == expected


def test_cost_per_task_at_the_limit_passes_above_blocks_expansion():
    base = replace(EMPTY, cost_per_task_limit=D("0.90"), last_week_cost_per_task=D("0.90"))
    assert rules(base) == set()
    [verdict] = evaluate(replace(base, last_week_cost_per_task=D("0.91")))
    assert verdict.rule == "cost_per_task_over_limit"
    assert verdict.blocks_expansion and not verdict.pauses
    assert verdict.period == "2026-W46"


def test_no_completed_tasks_never_trips_the_cost_per_task_rule():
    assert (
        rules(replace(EMPTY, cost_per_task_limit=D("0.90"), last_week_cost_per_task=None)) == set()
    )


def test_an_open_stop_now_error_pauses_and_a_new_one_is_a_new_breach():
    first = evaluate(replace(EMPTY, open_stop_now_error_ids=(7,)))
    assert [v.rule for v in first] == ["stop_now_error"] and first[0].pauses
    second = evaluate(replace(EMPTY, open_stop_now_error_ids=(7, 9)))
    assert first[0].period != second[0].period


def test_a_serious_repeat_pauses_and_blocks_expansion():
    [verdict] = evaluate(replace(EMPTY, serious_repeat_ids=(12,)))
    assert verdict.pauses and verdict.blocks_expansion


@pytest.mark.parametrize(("days_ago", "tripped"), [(9, False), (10, True)])
def test_review_overdue_after_cadence_plus_grace(days_ago, tripped):
    facts = replace(
        EMPTY, last_closed_review=TODAY - timedelta(days=days_ago), review_cadence_days=7
    )
    assert ("review_overdue" in rules(facts)) is tripped


def test_a_new_pilot_gets_its_first_cadence_before_review_is_overdue():
    assert rules(replace(EMPTY, active_since=TODAY - timedelta(days=9))) == set()
    [verdict] = evaluate(replace(EMPTY, active_since=TODAY - timedelta(days=10)))
    assert verdict.notify == ("reviewer", "stop_authority")


def weeks(rates):
    return tuple(
        WeekPoint(
            iso_week=f"2026-W{40 + i}", samples=20, correction_rate=None if r is None else D(r)
        )
        for i, r in enumerate(rates)
    )


@pytest.mark.parametrize(
    ("rates", "tripped"),
    [
        (["10", "12", "14"], False),  # rose twice: one week short
        (["10", "12", "12", "14"], False),  # flat once breaks the run
        (["10", "12", "14", "16"], True),  # rose three weeks in a row
        (["10", None, "14", "16"], False),  # a week without data is not a rise
    ],
)
def test_correction_rate_rising_for_consecutive_weeks_alerts(rates, tripped):
    facts = replace(EMPTY, weeks=weeks(rates), settings=RuleSettings(rising_weeks=3))
    assert ("rising_correction_rate" in rules(facts)) is tripped


def test_ownership_gap_blocks_expansion_and_a_different_gap_is_a_new_breach():
    one = evaluate(replace(EMPTY, ownership_gaps=("Reviewer has no backup",)))
    two = evaluate(replace(EMPTY, ownership_gaps=("Reviewer has no backup", "No stop authority")))
    assert one[0].blocks_expansion
    assert one[0].period != two[0].period


@pytest.mark.parametrize(("live", "tripped"), [(1, False), (2, True)])
def test_prompt_drift_when_more_changes_go_live_than_allowed(live, tripped):
    assert ("prompt_drift" in rules(replace(EMPTY, live_changes_last_week=live))) is tripped


def test_prompt_drift_when_the_version_changed_without_a_change_log_entry():
    [verdict] = evaluate(replace(EMPTY, undocumented_version_changes=("prompt v7 → v8",)))
    assert "prompt v7 → v8" in verdict.message


@pytest.mark.parametrize(("saved", "tripped"), [("15", False), ("14.9", True)])
def test_savings_below_the_stop_point_keeps_it_to_low_risk_tasks(saved, tripped):
    facts = replace(EMPTY, savings_stop_minutes=15, minutes_saved_per_employee_day=D(saved))
    assert ("savings_below_stop_point" in rules(facts)) is tripped


def test_a_disabled_rule_never_trips():
    facts = replace(
        EMPTY,
        monthly_cap=D("10"),
        month_to_date=D("20"),
        alert_thresholds=(),
        settings=RuleSettings(disabled_rules=frozenset({"spend_over_cap"})),
    )
    assert rules(facts) == set()


def test_a_retired_pilot_trips_nothing():
    assert evaluate(replace(EMPTY, status="retired", open_stop_now_error_ids=(1,))) == []


@given(
    spent=st.decimals(min_value=0, max_value=100000, places=2),
    cap=st.decimals(min_value=1, max_value=100000, places=2),
)
def test_spend_over_cap_trips_exactly_when_spend_exceeds_the_cap(spent, cap):
    facts = replace(EMPTY, monthly_cap=cap, month_to_date=spent, alert_thresholds=())
    assert ("spend_over_cap" in rules(facts)) is (spent > cap)


READY = replace(
    EMPTY,
    recent_review_notes=True,
    fallback_written=True,
    has_cost_per_task=True,
    has_weekly_spend=True,
    monthly_cap=D("1000"),
    review_time_tracked=True,
    override_cases_named=True,
    tool_data_problems=(),  # every tool approved for the data it touches
    success_metrics=2,
    expansion_metric="error_rate",
    expansion_threshold=D("5"),
    expansion_weeks=2,
    weeks=(
        WeekPoint("2026-W45", 20, error_rate=D("4.0")),
        WeekPoint("2026-W46", 20, error_rate=D("5.0")),
    ),
)


def test_a_ready_pilot_passes_every_check():
    checks = readiness_checks(READY)
    assert [c.name for c in checks if not c.passed] == []


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"ownership_gaps": ("Reviewer has no backup",)}, "owners"),
        ({"single_person": "Maria Lopez"}, "no_single_person"),
        ({"errors_without_fix": 1}, "review_notes"),
        ({"fallback_written": False}, "fallback"),
        ({"has_cost_per_task": False}, "finance_visibility"),
        ({"review_time_tracked": False}, "review_time"),
        ({"override_cases_named": False}, "override_cases"),
        ({"success_metrics": 1}, "metrics"),
        ({"live_changes_last_week": 3}, "prompt_changes"),
        (
            {"tool_data_problems": ("Order lookup is not approved for Personal / HR data.",)},
            "tools_and_data",
        ),
        ({"serious_repeat_ids": (4,)}, "no_serious_repeat"),
        (
            {
                "weeks": (
                    WeekPoint("2026-W45", 20, error_rate=D("4")),
                    WeekPoint("2026-W46", 20, error_rate=D("5.1")),
                )
            },
            "expansion_target",
        ),
    ],
)
def test_each_readiness_check_fails_with_its_reason(change, failing):
    checks = readiness_checks(replace(READY, **change))
    failed = [c for c in checks if not c.passed]
    assert [c.name for c in failed] == [failing]
    assert failed[0].reason


def test_the_tools_and_data_check_names_every_tool_problem():
    problems = (
        "Order lookup is not approved for Personal / HR data.",
        "Chat assistant is not in the approved tools register.",
    )
    [check] = [
        c for c in readiness_checks(replace(READY, tool_data_problems=problems)) if not c.passed
    ]
    assert check.name == "tools_and_data"
    assert check.title == "Every tool is approved for the data it touches"
    assert all(problem in check.reason for problem in problems)
