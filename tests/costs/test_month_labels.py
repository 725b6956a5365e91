"""The finance dashboard's words follow the chosen month: a past month is named, its week is its
own last week, and a week that began in the previous month says why it can exceed the month."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from costs.selectors import dashboard
from tests.costs.factories import record_cost, record_tasks
from tests.pilots.factories import PilotFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def november(pilot, people):
    """Spend on the last Monday of November 2026 (the 30th) and the next day, 1 December."""
    by = people["owner"]
    record_cost(pilot, by, day=date(2026, 11, 2), amount="10.00")
    record_cost(pilot, by, day=date(2026, 11, 30), amount="4.00")
    record_cost(pilot, by, day=date(2026, 12, 1), amount="100.00")
    record_tasks(pilot, by, day=date(2026, 11, 30), completed=3)
    return pilot


def test_a_past_month_is_named_and_its_week_never_reaches_into_the_next(november, people):
    data = dashboard(user=people["finance"], month=date(2026, 11, 1), today=date(2026, 12, 20))
    assert not data.is_current_month
    assert data.spend_label == "Spend in November 2026"
    assert data.month_column == "November 2026"
    assert data.tasks_column == "Tasks in November 2026"
    assert data.cap_chart_caption == "Spend in November 2026 against the cap"
    assert data.week_column == "Last week of November (30 Nov)"
    assert "cut at 30 November" in data.week_note
    [row] = data.rows
    assert (row.week_period.start, row.week_period.end) == (date(2026, 11, 30), date(2026, 11, 30))
    assert row.week.total == D("4.00")  # 1 December's 100.00 is not November's
    assert row.month.total == D("14.00")


def test_a_week_that_began_last_month_says_why_it_exceeds_the_month(november, people):
    data = dashboard(user=people["finance"], month=date(2026, 12, 1), today=date(2026, 12, 2))
    assert data.is_current_month
    assert data.spend_label == "Spend this month"
    assert data.week_column == "This week (30 Nov–2 Dec)"
    [row] = data.rows
    assert row.week_began_last_month
    assert row.week.total > row.month.total  # 104.00 against 100.00
    assert "began on Monday 30 November, in the previous month" in data.week_note


def test_a_week_inside_the_month_needs_no_note(november, people):
    data = dashboard(user=people["finance"], month=date(2026, 12, 1), today=date(2026, 12, 9))
    assert data.week_note == ""
    assert not data.rows[0].week_began_last_month


def test_the_page_for_a_past_month_keeps_no_present_tense(pilot, people, client_for):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    record_cost(pilot, people["owner"], day=last_month, amount="0.3315")
    record_tasks(pilot, people["owner"], day=last_month, completed=1)
    page = (
        client_for(people["finance"])
        .get(reverse("costs:dashboard"), {"month": f"{last_month:%Y-%m}"})
        .content.decode()
    )
    assert f"Spend in {last_month:%B %Y}" in page
    for present in ("Spend this month", "Month-to-date", "Tasks this month"):
        assert present not in page
    assert f"Last week of {last_month:%B}" in page


def test_costs_per_task_share_four_places_in_a_column(pilot, people, client_for):
    """'0.3315' and '0.02' once stood in one column: now 0.3315 and 0.0200."""
    other = PilotFactory(name="Another pilot", team=pilot.team)
    today = timezone.localdate()
    record_cost(pilot, people["admin"], day=today, amount="0.3315")
    record_tasks(pilot, people["admin"], day=today, completed=1)
    record_cost(other, people["admin"], day=today, amount="2.00")
    record_tasks(other, people["admin"], day=today, completed=100)
    page = client_for(people["finance"]).get(reverse("costs:dashboard")).content.decode()
    assert "$0.3315" in page and "$0.0200" in page
    assert "$0.02<" not in page
