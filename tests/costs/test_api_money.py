"""One rule for money in the API, said in the schema: totals are decimal strings with exactly two
places, costs per task with exactly four, both rounded half-up; alert figures follow it too."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from governance.rules import PilotFacts, evaluate
from governance.rules.labels import figure_value
from tests.costs.factories import record_cost, record_tasks

pytestmark = pytest.mark.django_db


def test_cost_summaries_give_cents_and_four_place_costs_per_task_rounded_half_up(
    pilot, people, api_for
):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    record_cost(pilot, people["owner"], day=last_month, amount="30.025")
    record_cost(pilot, people["owner"], day=last_month, category="rework", amount="364.54")
    record_tasks(pilot, people["owner"], day=last_month, completed=7)
    response = api_for(people["owner"]).get("/api/cost-summaries", {"month": f"{last_month:%Y-%m}"})
    [summary] = response.json()["results"]
    month = summary["month"]
    assert (month["total"], month["api"]) == ("394.57", "30.03")  # half-even gave 394.56, 30.02
    assert (month["full_per_task"], month["api_per_task"]) == ("56.3664", "4.2893")
    assert summary["monthly_cap"] == "1000.00"


def test_the_estimate_follows_the_same_rule(pilot, people, api_for):
    record_cost(pilot, people["owner"], amount="0.125")
    record_tasks(pilot, people["owner"], completed=3)
    body = api_for(people["owner"]).get(f"/api/cost-summaries/{pilot.pk}").json()
    assert body["estimate"]
    for row in body["estimate"]:
        assert len(row["total"].split(".")[1]) == 2
        assert row["per_task"] is None or len(row["per_task"].split(".")[1]) == 4


def test_the_schema_states_the_rule(people, api_for):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    figures = components["Figures"]["properties"]
    assert "exactly two places, rounded half-up" in figures["total"]["description"]
    assert "exactly four places, rounded half-up" in figures["full_per_task"]["description"]
    week = components["Week"]["properties"]
    assert "exactly two places, rounded half-up" in week["full_cost"]["description"]


FACTS = PilotFacts(
    pilot_id=1,
    name="Support drafts",
    status="piloting",
    today=date(2026, 11, 22),
    month="2026-11",
    iso_week="2026-W47",
    last_full_week="2026-W46",
)


def test_alert_figures_are_decimal_strings_like_the_api_and_e_mails_add_the_currency():
    over = replace(
        FACTS, monthly_cap=D("1000.00"), month_to_date=D("1234.565"), alert_thresholds=()
    )
    [verdict] = evaluate(over)
    assert verdict.figures["month_to_date"] == "1234.57"
    assert verdict.figures["monthly_cap"] == "1000.00"
    assert figure_value("month_to_date", verdict.figures["month_to_date"]) == "$1,234.57"
    assert figure_value("limit", "0.02") == "$0.0200"
    assert figure_value("api_cost_per_task", "") == ""
