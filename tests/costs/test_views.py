"""The browser side: the finance dashboard and its CSVs, the cost panel, a pilot's ledger, the import."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from costs.models import CostEntry, DailyCost, TaskVolume
from costs.panels import cost_panel_context
from tests.costs.factories import record_cost, record_tasks
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, TeamFactory
from tests.reviews.factories import ReviewWeekFactory, SampleFactory

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- The finance dashboard ---------------------------------------------------------------------


def test_finance_sees_every_pilot_with_spend_against_cap_and_cost_per_task(
    pilot, people, client_for
):
    record_cost(pilot, people["owner"], amount="0.03")
    record_cost(pilot, people["owner"], category="reviewer_time", hours="0.025", rate="40")
    record_tasks(pilot, people["owner"], completed=1)
    PilotFactory(name="Nobody's pilot", monthly_cap=None)
    response = client_for(people["finance"]).get(reverse("costs:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [row.pilot.name for row in response.context["data"].rows] == [
        "Nobody's pilot",
        "Support drafts",
    ]
    assert "$1.03" in page and "$0.03" in page
    assert 'id="finance-chart-data"' in page and 'id="chart-trend"' in page
    assert "no cap" in page


def test_others_see_only_the_pilots_they_have_a_role_on(pilot, people, client_for):
    PilotFactory(name="Someone else's")
    response = client_for(people["reviewer"]).get(reverse("costs:dashboard"))
    assert [row.pilot.name for row in response.context["data"].rows] == ["Support drafts"]
    stranger = client_for(people["stranger"]).get(reverse("costs:dashboard"))
    assert stranger.context["data"].rows == []
    assert b"No pilots match" in stranger.content


def test_filters_by_team_status_and_month_and_htmx_gets_only_the_body(pilot, people, client_for):
    sales = PilotFactory(name="Sales summaries", team=TeamFactory(name="Sales"), status="paused")
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    record_cost(sales, people["admin"], amount="9", day=last_month)
    client = client_for(people["finance"])
    response = client.get(reverse("costs:dashboard"), {"team": sales.team_id}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="finance-body"' in body
    assert f'data-pilot="{sales.pk}"' in body and f'data-pilot="{pilot.pk}"' not in body
    response = client.get(reverse("costs:dashboard"), {"status": "piloting"})
    assert [row.pilot.pk for row in response.context["data"].rows] == [pilot.pk]
    response = client.get(
        reverse("costs:dashboard"), {"month": f"{last_month:%Y-%m}", "team": sales.team_id}
    )
    assert response.context["data"].rows[0].month.total == D("9")


def test_a_wrong_month_is_explained_and_this_month_is_shown(people, client_for):
    response = client_for(people["finance"]).get(reverse("costs:dashboard"), {"month": "2026-13"})
    assert response.status_code == 200
    assert b"Choose a month as YYYY-MM" in response.content
    assert response.context["data"].month.start == timezone.localdate().replace(day=1)


def test_every_table_downloads_as_csv_with_the_same_filters(pilot, people, client_for):
    other = PilotFactory(name="Other team's pilot", team=TeamFactory(name="Other"))
    record_cost(pilot, people["owner"], amount="250.00")
    record_cost(other, people["admin"], amount="5.00")
    client = client_for(people["finance"])
    caps = client.get(reverse("costs:dashboard-csv", args=["caps"]), {"team": pilot.team_id})
    assert caps["Content-Type"].startswith("text/csv")
    assert "attachment" in caps["Content-Disposition"]
    header, *rows = rows_of(caps)
    assert header[:6] == [
        "Pilot",
        "Team",
        "Status",
        "Month",
        "Monthly cap (USD)",
        "Spend in the month (USD)",
    ]
    assert [row[0] for row in rows] == ["Support drafts"]
    assert rows[0][4:7] == ["1000.00", "250.00", "25.0"]
    per_task = rows_of(client.get(reverse("costs:dashboard-csv", args=["cost-per-task"])))
    columns = dict(zip(per_task[0], per_task[1], strict=True))
    assert columns["Full cost per task, month (USD)"] == ""  # a number or nothing
    assert columns["No completed tasks in the month"] == "yes"
    trend = rows_of(client.get(reverse("costs:dashboard-csv", args=["trend"])))
    assert trend[0][0] == "Month" and trend[0][-1] == "Total (USD)"
    assert trend[-1][-1] == "255.00"
    assert client.get(reverse("costs:dashboard-csv", args=["nope"])).status_code == 404


def test_csv_cells_that_could_run_as_formulas_are_quoted(people, client_for):
    PilotFactory(name='=HYPERLINK("http://evil")', team=TeamFactory(name="@team"))
    _header, row = rows_of(
        client_for(people["finance"]).get(reverse("costs:dashboard-csv", args=["caps"]))
    )
    assert row[0] == '\'=HYPERLINK("http://evil")'
    assert row[1] == "'@team"


def make_pilots_with_ledgers(people, count: int):
    today = timezone.localdate()
    for n in range(count):
        each = PilotFactory(team=TeamFactory(name=f"Team {n % 3}"))
        staff_pilot(each, people)
        for back in range(3):
            record_cost(each, people["admin"], amount="1.5", day=today - timedelta(days=back))
            record_cost(
                each,
                people["admin"],
                category="tool_fees",
                amount="2",
                day=today - timedelta(days=back),
            )
        record_tasks(each, people["admin"], completed=40, day=today)


# Session, user, finance-group check, the pilots, their teams, their spend, their tasks, the trend,
# the teams of the filter, the spend measured from live traffic.
DASHBOARD_QUERIES = 10


@pytest.mark.parametrize("count", [1, 25])
def test_dashboard_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count
):
    make_pilots_with_ledgers(people, count)
    client = client_for(people["finance"])
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("costs:dashboard"))
    assert len(response.context["data"].rows) == count
    with django_assert_num_queries(DASHBOARD_QUERIES - 2):  # no team list, no traffic table
        client.get(reverse("costs:dashboard-csv", args=["caps"]))


# --- The cost panel on the one page ------------------------------------------------------------


def test_cost_panel_shows_cap_cost_per_task_estimate_and_stop_point(pilot, people, client_for):
    pilot.savings_stop_minutes = 15
    pilot.save(update_fields=["savings_stop_minutes"])
    record_cost(pilot, people["owner"], amount="0.03")
    record_cost(pilot, people["owner"], category="reviewer_time", hours="0.025", rate="40")
    record_tasks(pilot, people["owner"], completed=1)
    page = (
        client_for(people["reviewer"])
        .get(reverse("pilots:detail", args=[pilot.pk]))
        .content.decode()
    )
    assert 'id="section-costs"' in page
    assert "<strong>$1.03</strong>" in page  # full cost per completed task this month
    assert "A month at three volumes" in page and "One more team (×2)" in page
    assert "If it saves less than 15 minutes per employee per day after review" in page
    assert "No review data yet" in page
    assert "no data" in page  # error rate until samples exist
    assert "Record costs and tasks" not in page  # a reviewer reads, owners record


def test_cost_panel_says_no_completed_tasks_instead_of_dividing_by_zero(pilot, people, client_for):
    record_cost(pilot, people["owner"], amount="12.00")
    page = (
        client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    )
    assert "no completed tasks" in page
    assert "Spend was recorded this month but no completed tasks" in page
    assert "Record costs and tasks" in page


def test_cost_panel_puts_the_measured_minutes_saved_next_to_the_stop_point(pilot, people):
    week = ReviewWeekFactory(pilot=pilot)
    SampleFactory.create_batch(4, week=week, minutes_with_ai=D("2"), manual_minutes=D("6.5"))
    record_tasks(pilot, people["owner"], completed=60, day=week.week_start)
    context = cost_panel_context(pilot, people["owner"])
    assert context["costs_saved"].avg_minutes_saved == D("4.5")
    assert context["costs_task_types"][0].error_rate == D("0")


# The panel alone: the rollup and the volumes (one pass each), the error rate, the latest review
# weeks (one query when there are none, two when there are).
PANEL_QUERIES = 4


@pytest.mark.parametrize("count", [1, 25])
def test_cost_panel_runs_a_fixed_number_of_queries(pilot, people, django_assert_num_queries, count):
    today = timezone.localdate()
    for n in range(count):
        record_cost(
            pilot,
            people["owner"],
            amount="1",
            day=today - timedelta(days=n % 28),
            task_type=f"t{n % 4}",
        )
        record_tasks(
            pilot,
            people["owner"],
            completed=5,
            day=today - timedelta(days=n % 28),
            task_type=f"t{n % 4}",
        )
    user = type(people["owner"]).objects.get(pk=people["owner"].pk)
    with django_assert_num_queries(PANEL_QUERIES):
        cost_panel_context(pilot, user)


def one_page_queries(client, pilot) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("pilots:detail", args=[pilot.pk])).status_code == 200
    return len(captured)


def test_the_one_page_costs_the_same_queries_whatever_the_size_of_the_ledger(
    pilot, people, client_for
):
    client = client_for(people["owner"])
    record_cost(pilot, people["owner"], amount="1")
    small = one_page_queries(client, pilot)
    today = timezone.localdate()
    for n in range(40):
        record_cost(pilot, people["owner"], amount="1", day=today - timedelta(days=n % 20))
    record_tasks(pilot, people["owner"], completed=5)
    assert one_page_queries(client, pilot) == small


# --- A pilot's ledger --------------------------------------------------------------------------


def test_an_owner_records_a_cost_and_a_days_tasks_in_the_browser(pilot, people, client_for):
    client = client_for(people["owner"])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("costs:entry-add", args=[pilot.pk]),
        {
            "date": today,
            "category": "reviewer_time",
            "hours": "0.025",
            "hourly_rate": "40",
            "note": "Review",
        },
    )
    assert response.status_code == 302
    assert CostEntry.objects.get().amount == D("1")
    response = client.post(
        reverse("costs:volume-set", args=[pilot.pk]), {"date": today, "completed": "12"}
    )
    assert response.status_code == 302
    client.post(reverse("costs:volume-set", args=[pilot.pk]), {"date": today, "completed": "14"})
    assert TaskVolume.objects.get().completed == 14
    page = client.get(reverse("costs:ledger", args=[pilot.pk])).content.decode()
    assert "0.025 h × $40" in page and "$0.0714" in page  # 1.00 / 14 tasks


def test_a_wrong_cost_shows_the_error_next_to_the_field_and_keeps_what_was_typed(
    pilot, people, client_for
):
    response = client_for(people["owner"]).post(
        reverse("costs:entry-add", args=[pilot.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "category": "rework",
            "hours": "2",
            "note": "Rewrites",
        },
    )
    assert response.status_code == 400
    form = response.context["entry_form"]
    assert form.errors["hourly_rate"] == [
        "Give the hourly rate for these hours, or set an hourly rate for rework once "
        "(for this pilot, or as the company default)."
    ]
    page = response.content.decode()
    assert 'value="Rewrites"' in page and 'value="2"' in page
    assert not CostEntry.objects.exists()


def test_a_reviewer_sees_the_ledger_but_may_not_record(pilot, people, client_for):
    client = client_for(people["reviewer"])
    page = client.get(reverse("costs:ledger", args=[pilot.pk]))
    assert page.status_code == 200 and page.context["entry_form"] is None
    response = client.post(
        reverse("costs:entry-add", args=[pilot.pk]),
        {"date": timezone.localdate().isoformat(), "category": "rework", "amount": "1"},
    )
    assert response.status_code == 403
    assert (
        client_for(people["stranger"]).get(reverse("costs:ledger", args=[pilot.pk])).status_code
        == 404
    )


def test_correcting_and_deleting_an_entry_in_the_browser(pilot, people, client_for):
    entry = record_cost(pilot, people["owner"], amount="10")
    client = client_for(people["owner"])
    url = reverse("costs:entry-edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    data = {
        "date": entry.date.isoformat(),
        "category": "tool_fees",
        "amount": "12.5",
        "task_type": "all",
    }
    assert client.post(url, data).status_code == 302
    assert DailyCost.objects.get().category == "tool_fees"
    assert DailyCost.objects.get().total == D("12.5")
    assert client.post(reverse("costs:entry-delete", args=[entry.pk])).status_code == 302
    assert not CostEntry.objects.exists() and not DailyCost.objects.exists()


# Session, user, pilot, roles, members, finance check, count, page, days (2), volumes.
LEDGER_QUERIES = 11


@pytest.mark.parametrize("count", [1, 25])
def test_ledger_page_runs_a_fixed_number_of_queries(
    pilot, people, client_for, django_assert_num_queries, count
):
    today = timezone.localdate()
    for n in range(count):
        record_cost(pilot, people["owner"], amount="1", day=today - timedelta(days=n % 20))
        record_tasks(pilot, people["owner"], completed=3, day=today - timedelta(days=n % 20))
    client = client_for(people["finance"])
    with django_assert_num_queries(LEDGER_QUERIES):
        response = client.get(reverse("costs:ledger", args=[pilot.pk]))
    assert len(response.context["page"].object_list) == count


# --- CSV import --------------------------------------------------------------------------------
