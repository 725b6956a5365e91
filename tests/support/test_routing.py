"""Each category of AI issue lands with the right owner through the escalation paths, and every
entry shows whether it was answered within its target."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pilots.models import PilotRole
from reviews import services as reviews
from reviews.models import ErrorEntry
from tests.pilots.factories import UserFactory

from .factories import CompanyLaneFactory, EscalationPathFactory

Kind = PilotRole.Kind

LANE_HOLDERS = {
    Kind.LANE_IT: "it-lead",
    Kind.LANE_SECURITY: "security-lead",
    Kind.LANE_BUSINESS: "business-lead",
    Kind.LANE_OPERATIONS: "operations-lead",
    Kind.LANE_LEADERSHIP: "leadership-lead",
}


@pytest.fixture
def company_lanes(db):
    return {
        kind: CompanyLaneFactory(kind=kind, primary=UserFactory(username=username)).primary
        for kind, username in LANE_HOLDERS.items()
    }


@pytest.mark.parametrize(
    ("category", "role", "holder"),
    [
        ("user_guidance", Kind.LANE_OPERATIONS, "operations-lead"),
        ("technical_issue", Kind.LANE_IT, "it-lead"),
        ("data_handling", Kind.LANE_SECURITY, "security-lead"),
        ("security_incident", Kind.LANE_SECURITY, "security-lead"),
        ("workflow_failure", Kind.TECHNICAL_OWNER, "tech"),
        ("new_use_case", Kind.LANE_BUSINESS, "business-lead"),
        ("output_quality", Kind.BUSINESS_OWNER, "owner"),
        ("compliance_review", Kind.LANE_SECURITY, "security-lead"),
    ],
)
def test_each_category_lands_with_its_owner(pilot, people, company_lanes, category, role, holder):
    entry = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category=category
    )
    assert entry.routed_role == role
    assert entry.routed_to.username == holder


def test_a_lane_the_pilot_fills_itself_comes_before_the_company_contact(
    pilot, people, company_lanes
):
    own = UserFactory(username="pilot-it")
    PilotRole.objects.create(pilot=pilot, kind=Kind.LANE_IT, primary=own)
    entry = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category="technical_issue"
    )
    assert (entry.routed_role, entry.routed_to) == (Kind.LANE_IT, own)


def test_a_changed_escalation_path_reroutes_new_entries(pilot, people, company_lanes):
    EscalationPathFactory(
        category="output_quality", route_to=Kind.LANE_LEADERSHIP, target_minutes=120
    )
    entry = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category="output_quality"
    )
    assert (entry.routed_role, entry.routed_to.username) == (
        Kind.LANE_LEADERSHIP,
        "leadership-lead",
    )


def test_the_one_field_report_is_routed_as_output_quality(pilot, people):
    entry = reviews.error_report(pilot=pilot, by=people["finance"], what_went_wrong="Wrong total.")
    assert entry.category == "output_quality"
    assert (entry.routed_role, entry.routed_to) == (Kind.BUSINESS_OWNER, people["owner"])


def raised(entry: ErrorEntry, minutes_ago: int) -> None:
    ErrorEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def error_log_page(client_for, people, pilot) -> str:
    return (
        client_for(people["owner"]).get(reverse("reviews:errors", args=[pilot.pk])).content.decode()
    )


def test_an_open_entry_past_its_target_shows_overdue_in_the_log_and_on_the_pilot_page(
    pilot, people, client_for
):
    entry = reviews.error_log(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="Pasted an order export.",
        category="data_handling",
    )
    raised(entry, 125)
    assert "Overdue: open 1 hour 5 minutes past the 1 hour target." in error_log_page(
        client_for, people, pilot
    )
    detail = client_for(people["owner"]).get(reverse("reviews:error", args=[entry.pk]))
    assert "Response time (1 hour for data handling): Overdue" in detail.content.decode()
    one_page = client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk]))
    assert 'data-testid="overdue"' in one_page.content.decode()


def test_an_open_entry_within_its_target_is_due(pilot, people, client_for):
    entry = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category="technical_issue"
    )
    raised(entry, 60)
    assert "Due within 4 hours (3 hours left)." in error_log_page(client_for, people, pilot)


def test_resolving_within_the_target_meets_it_and_after_it_misses_it(pilot, people, client_for):
    quick = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="quick", category="data_handling"
    )
    slow = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="slow", category="data_handling"
    )
    raised(quick, 30)
    raised(slow, 180)
    for entry in (quick, slow):
        reviews.error_resolve(entry=entry, by=people["owner"], note="Checked.")
    page = error_log_page(client_for, people, pilot)
    assert "within the 1 hour target." in page
    assert "Answered in 3 hours: the 1 hour target was missed." in page


def test_a_first_fix_recorded_in_time_meets_the_target_before_resolution(pilot, people, client_for):
    entry = reviews.error_log(
        pilot=pilot, by=people["reviewer"], what_went_wrong="x", category="output_quality"
    )
    raised(entry, 600)  # 10 hours ago: past the 8-hour target, but the fix comes first
    ErrorEntry.history.filter(id=entry.pk).update(
        history_date=timezone.now() - timedelta(minutes=600)
    )
    reviews.error_update(entry=entry, by=people["owner"], data={"fix_kind": "prompt_change"})
    ErrorEntry.history.filter(id=entry.pk, fix_kind="prompt_change").update(
        history_date=timezone.now() - timedelta(minutes=540)
    )
    assert "Answered in 1 hour, within the 8 hours target." in error_log_page(
        client_for, people, pilot
    )


def test_an_entry_without_a_category_has_no_target(pilot, people, client_for):
    reviews.error_log(pilot=pilot, by=people["reviewer"], what_went_wrong="x")
    assert 'data-testid="response-time"' not in error_log_page(client_for, people, pilot)
