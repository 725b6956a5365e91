"""The leadership view: who opens it, what it shows, its CSV tables, its API and its query count."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leadership.exports import TABLES
from pilots.models import PilotRole
from reviews import services as reviews
from reviews.models import ErrorEntry, ReviewWeek
from support import services as support
from tests.costs.factories import record_cost, record_tasks
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, UserFactory
from tests.reviews.factories import ErrorEntryFactory, ReviewWeekFactory, SampleFactory, last_monday
from tests.support.factories import CompanyLaneFactory, company_guardrails

Kind = PilotRole.Kind
URL = "/leadership/"


def reviewed_pilot(people, name: str, **fields):
    """A piloting pilot with a closed review week last week (4 minutes saved a task, half the
    outputs corrected), 150 completed tasks and 30.00 of spend that week."""
    pilot = PilotFactory(name=name, **fields)
    staff_pilot(pilot, people)
    week = ReviewWeekFactory(
        pilot=pilot,
        week_start=last_monday(),
        status=ReviewWeek.Status.CLOSED,
        closed_at=timezone.now(),
        notes="Fine.",
    )
    SampleFactory(week=week, outcome="sent_as_is")
    SampleFactory(week=week, outcome="minor_edit")
    record_tasks(pilot, people["owner"], completed=150, day=last_monday())
    record_cost(pilot, people["owner"], day=last_monday(), amount="30.00")
    return pilot


@pytest.fixture
def leader(db):
    return CompanyLaneFactory(
        kind=Kind.LANE_LEADERSHIP, primary=UserFactory(username="sam")
    ).primary


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("finance", 200), ("owner", 403), ("stopper", 403), ("stranger", 403)],
)
def test_the_leadership_view_is_for_admins_finance_and_the_leadership_lane(
    people, client_for, who, status
):
    assert client_for(people[who]).get(URL).status_code == status
    assert (
        client_for(people[who])
        .get(reverse("leadership:dashboard-csv", args=["repeats"]))
        .status_code
        == status
    )


def test_the_leadership_lane_sees_the_pilots_it_holds_a_role_on(people, client_for, leader):
    mine = PilotFactory(name="Mine")
    PilotRole.objects.create(pilot=mine, kind=Kind.STOP_AUTHORITY, primary=leader)
    PilotFactory(name="Someone else's")
    response = client_for(leader).get(URL)
    assert response.status_code == 200
    assert [row.pilot.name for row in response.context["data"].rows] == ["Mine"]
    assert "The pilots you hold a role on." in response.content.decode()


def test_time_saved_comes_from_review_samples_and_tasks_against_full_cost(people, client_for):
    reviewed_pilot(people, "Support drafts")
    response = client_for(people["finance"]).get(URL)
    data = response.context["data"]
    last = data.totals[-1]
    assert (last.hours_saved, last.full_cost, last.cost_per_hour_saved) == (
        Decimal("10.0"),
        Decimal("30.00"),
        Decimal("3.00"),
    )
    [row] = data.rows
    assert row.weeks[-1].correction_rate == Decimal("50.0")
    page = response.content.decode()
    assert "$3.00" in page and "50.0%" in page


def test_an_unrecorded_week_estimates_tasks_from_the_average_volume(people, client_for):
    pilot = reviewed_pilot(people, "Support drafts", average_daily_volume=10)
    pilot.task_volumes.all().delete()
    data = client_for(people["finance"]).get(URL).context["data"]
    latest = data.rows[0].latest
    assert (latest.tasks, latest.tasks_estimated, latest.hours_saved) == (70, True, Decimal("4.7"))


def test_blocked_pilots_say_why_and_link_to_the_page_that_explains_it(people, client_for):
    company_guardrails()
    pilot = reviewed_pilot(
        people, "Support drafts", tools=["Order lookup"], data_sources=["Order history"]
    )
    response = client_for(people["finance"]).get(URL)
    [row] = response.context["data"].rows
    assert not row.ready
    assert any(
        reason.startswith("Every tool is approved for the data it touches: Order lookup is not")
        for reason in row.reasons
    )
    page = response.content.decode()
    assert f'href="/pilots/{pilot.pk}/#rules"' in page
    assert response.context["data"].blocked_rows == [row]


def test_repeats_data_concerns_and_resolution_times_are_counted(people, client_for):
    pilot = reviewed_pilot(people, "Support drafts")
    fixed = ErrorEntryFactory(pilot=pilot, fix_kind="new_rule")
    ErrorEntryFactory(pilot=pilot, repeat_of=fixed, severity="medium")
    concern = reviews.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="Order export pasted.",
        category="data_handling",
    )
    ErrorEntry.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(hours=3))
    quick = reviews.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="Odd wording.",
        category="output_quality",
    )
    reviews.error_resolve(entry=quick, by=people["owner"], note="Prompt fixed.")

    response = client_for(people["finance"]).get(URL)
    data = response.context["data"]
    assert data.rows[0].repeats == {"recent": 1, "open": 1, "serious_open": 1}
    assert [entry.pk for entry in data.concerns] == [concern.pk]
    by_category = {item.category: item for item in data.resolution}
    handling = by_category["data_handling"]
    assert (handling.raised, handling.open, handling.overdue, handling.in_time_percent) == (
        1,
        1,
        1,
        Decimal("0.0"),
    )
    quality = by_category["output_quality"]
    assert (quality.resolved, quality.answered_in_time, quality.in_time_percent) == (
        1,
        1,
        Decimal("100.0"),
    )
    assert quality.average_hours_to_resolve == Decimal("0.0")
    page = response.content.decode()
    assert f'href="/errors/{concern.pk}/"' in page


def test_approved_use_cases_link_to_their_pilots(people, client_for):
    guardrails = company_guardrails()
    maria = CompanyLaneFactory(
        kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria")
    ).primary
    request = support.use_case_request_create(
        by=people["stranger"],
        name="Renewals",
        task="Draft renewals.",
        team_name="Sales",
        data_classes=[guardrails["internal"]],
        tool="Order lookup",
    )
    request = support.use_case_decide(request=request, by=maria, approve=True)
    data = client_for(people["finance"]).get(URL).context["data"]
    assert [item.pk for item in data.approved] == [request.pk]
    assert data.use_cases == {"pending": 0, "approved": 1, "rejected": 0}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_downloads_as_csv(people, client_for, table):
    reviewed_pilot(people, '=HYPERLINK("http://x")')
    response = client_for(people["finance"]).get(reverse("leadership:dashboard-csv", args=[table]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"pilotdeck-leadership-{table}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0]  # a header
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith("=") for cell in cells)


def test_a_formula_in_a_pilot_name_is_quoted_in_the_csv(people, client_for):
    reviewed_pilot(people, "=cmd|' /C calc'!A0")
    response = client_for(people["finance"]).get(
        reverse("leadership:dashboard-csv", args=["readiness"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


def test_an_unknown_table_is_404(people, client_for):
    response = client_for(people["finance"]).get("/leadership/export/secrets.csv")
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_the_leadership_view_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count
):
    for index in range(count):
        pilot = reviewed_pilot(people, f"Pilot {index}")
        fixed = ErrorEntryFactory(pilot=pilot, fix_kind="new_rule", category="data_handling")
        ErrorEntryFactory(pilot=pilot, repeat_of=fixed, severity="medium", category="data_handling")
    client = client_for(people["finance"])
    # session, user, finance check; pilots; the facts (15); costs by week (2); repeats; data
    # concerns; escalation paths + resolution by category; use-case counts; approved use cases;
    # adoption from live traffic (1 without traffic, 3 with: tests/traffic/test_figures.py)
    with django_assert_num_queries(27):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["data"].rows) == count


def test_the_api_serves_the_same_tables_to_the_same_people(people, api_for, leader):
    reviewed_pilot(people, "Support drafts")
    assert api_for(people["owner"]).get("/api/leadership").status_code == 403
    body = api_for(people["finance"]).get("/api/leadership").json()
    assert [pilot["name"] for pilot in body["pilots"]] == ["Support drafts"]
    assert body["pilots"][0]["ready"] is False and body["pilots"][0]["reasons"]
    assert len(body["weeks"]) == 8
    last = body["weeks"][-1]
    assert (last["hours_saved"], last["full_cost"], last["cost_per_hour_saved"]) == (
        "10.0",
        "30.00",
        "3.00",
    )
    assert last["pilots"][0]["correction_rate"] == "50.0"
    assert len(body["resolution"]) == 8
    assert body["use_cases"] == {"pending": 0, "approved": 0, "rejected": 0}
    assert api_for(leader).get("/api/leadership").status_code == 200
