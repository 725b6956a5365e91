"""The portfolio as a health table: status, open alerts, readiness, spend against the cap, the last
closed review week's error rate and the next review — sorted and filtered on the server, in a fixed
number of queries, showing only the pilots a person may see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.money import format_money
from governance.services import pilots_evaluate
from pilots.models import Pilot
from reviews.models import ReviewWeek
from tests.costs.factories import record_cost
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory
from tests.reviews.factories import ReviewWeekFactory, SampleFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _names(response) -> list[str]:
    return [row.pilot.name for row in response.context["rows"]]


def _row(response, name):
    return next(row for row in response.context["rows"] if row.pilot.name == name)


def _closed_week(pilot, *, failing: int, passing: int):
    week = ReviewWeekFactory(
        pilot=pilot, status=ReviewWeek.Status.CLOSED, closed_at=timezone.now(), notes="Done."
    )
    for _ in range(failing):
        SampleFactory(week=week, accuracy_ok=False)
    for _ in range(passing):
        SampleFactory(week=week)
    return week


@pytest.fixture
def spread(people):
    """Three pilots: one over its cap (alerted), one with a closed review week, one quiet."""
    over = PilotFactory(name="Over cap", monthly_cap=Decimal("100.00"))
    reviewed = PilotFactory(name="Reviewed", monthly_cap=Decimal("1000.00"))
    quiet = PilotFactory(name="Quiet", monthly_cap=None, status=Pilot.Status.DRAFT)
    for pilot in (over, reviewed, quiet):
        staff_pilot(pilot, people)
    record_cost(over, people["owner"], amount="150.005")
    record_cost(reviewed, people["owner"], amount="250.00")
    _closed_week(reviewed, failing=1, passing=3)
    pilots_evaluate(pilot_ids=[over.pk])  # pauses it and stores the spend alert
    return over, reviewed, quiet


def test_each_row_shows_alerts_readiness_spend_against_cap_error_rate_and_next_review(
    people, client_for, spread
):
    response = client_for(people["owner"]).get(reverse("pilots:portfolio"))
    over, reviewed = _row(response, "Over cap"), _row(response, "Reviewed")
    assert over.health.open_alerts >= 1 and over.pilot.status == Pilot.Status.PAUSED
    assert over.spend_text == f"{format_money('150.01')} / {format_money('100')}"
    assert over.health.month_to_date == Decimal("150.005")
    assert reviewed.health.error_rate == Decimal("25.0")
    assert not reviewed.health.ready and reviewed.health.failing_checks > 0
    html = response.content.decode()
    assert "25.0%" in html and "checks fail" in html
    assert "no cap" in html and "no closed week" in html


def test_sorting_by_a_column_header_orders_the_rows_and_a_second_click_reverses(
    people, client_for, spread
):
    client = client_for(people["owner"])
    url = reverse("pilots:portfolio")
    assert _names(client.get(url, {"sort": "spend"})) == ["Reviewed", "Over cap", "Quiet"]
    # Descending: the highest share first, a pilot without a cap still last.
    descending = client.get(url, {"sort": "-spend"})
    assert _names(descending) == ["Over cap", "Reviewed", "Quiet"]
    assert _names(client.get(url, {"sort": "-alerts"}))[0] == "Over cap"
    assert _names(client.get(url, {"sort": "-name"})) == ["Reviewed", "Quiet", "Over cap"]
    headers = {
        key: link for key, _, link, _ in client.get(url, {"sort": "spend"}).context["headers"]
    }
    assert headers["spend"] == "sort=-spend" and headers["name"] == "sort=name"


def test_needs_attention_keeps_paused_alerted_over_cap_and_overdue_pilots(
    people, client_for, spread
):
    _over, reviewed, _quiet = spread
    Pilot.objects.filter(pk=reviewed.pk).update(
        next_review_date=timezone.localdate() - timedelta(days=3)
    )
    response = client_for(people["owner"]).get(reverse("pilots:portfolio"), {"attention": "1"})
    assert _names(response) == ["Over cap", "Reviewed"]


def test_filters_by_status_team_and_business_owner(people, client_for, spread):
    _over, reviewed, _quiet = spread
    other = PilotFactory(name="Someone else's", team=reviewed.team)
    staff_pilot(other, people)
    other.roles.filter(kind="business_owner").update(primary=people["tech"])
    client = client_for(people["owner"])
    url = reverse("pilots:portfolio")
    assert _names(client.get(url, {"status": "draft"})) == ["Quiet"]
    assert _names(client.get(url, {"team": reviewed.team_id})) == ["Reviewed", "Someone else's"]
    assert _names(client.get(url, {"owner": people["tech"].pk})) == ["Someone else's"]
    owners = client.get(url).context["owners"]
    assert {person.username for person in owners} == {"owner", "tech"}


def test_a_person_sees_only_the_pilots_they_hold_a_role_on(people, client_for, spread):
    hidden = PilotFactory(name="Hidden")  # nobody of `people` holds a role on it
    response = client_for(people["reviewer"]).get(reverse("pilots:portfolio"), {"sort": "-alerts"})
    assert "Hidden" not in _names(response) and len(_names(response)) == 3
    assert (
        client_for(people["admin"]).get(reverse("pilots:portfolio")).context["page"].paginator.count
        == 4
    )
    assert hidden.pk


def test_htmx_sorting_returns_only_the_table(people, client_for, spread):
    response = client_for(people["owner"]).get(
        reverse("pilots:portfolio"), {"sort": "-spend"}, **HTMX
    )
    assert b"<html" not in response.content and b'id="pilot-table"' in response.content


# Health sorts and "needs attention" read every visible pilot's health, in the same queries as one
# page (tests/pilots/test_views.py PORTFOLIO_QUERIES): a fixed number.
HEALTH_SORTED_QUERIES = 22


@pytest.mark.parametrize("count", [3, 12])
@pytest.mark.parametrize("query", [{"sort": "-spend"}, {"attention": "1", "sort": "error_rate"}])
def test_a_health_sorted_portfolio_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count, query
):
    for index in range(count):
        pilot = PilotFactory(name=f"P{index:02d}")
        staff_pilot(pilot, people)
        record_cost(pilot, people["owner"], amount=f"{index + 1}.00")
        _closed_week(pilot, failing=index % 2, passing=3)
    client = client_for(people["finance"])
    with django_assert_num_queries(HEALTH_SORTED_QUERIES):
        response = client.get(reverse("pilots:portfolio"), query)
    assert response.status_code == 200
