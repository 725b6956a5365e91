"""Reads of the guardrails: tools-and-data problems for many pilots, routing, answers, the panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pilots.models import PilotRole
from support import selectors
from support.models import Category
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

from .factories import (
    ApprovedToolFactory,
    CompanyLaneFactory,
    DataSourceClassFactory,
    EscalationPathFactory,
    ReviewRequirementFactory,
    company_guardrails,
)

Kind = PilotRole.Kind


@pytest.fixture
def guardrails(db):
    return company_guardrails()


def test_tool_data_problems_names_each_tool_not_approved_for_the_data(guardrails):
    fine = PilotFactory(tools=["Order lookup"], data_sources=["Help center articles", "Team wiki"])
    wrong = PilotFactory(tools=["Order lookup"], data_sources=["Order history (read-only)"])
    unknown = PilotFactory(tools=["Chat assistant"], data_sources=["Help center"])
    found = selectors.tool_data_problems(pilot_ids=[fine.pk, wrong.pk, unknown.pk])
    assert found[fine.pk] == []
    assert found[wrong.pk] == ["Order lookup is not approved for Personal data."]
    assert found[unknown.pk] == ["Chat assistant is not in the approved tools register."]


def test_a_data_source_classified_on_the_pilot_overrides_its_name(guardrails):
    pilot = PilotFactory(tools=["Order lookup"], data_sources=["Order history"])
    assert selectors.tool_data_problems(pilot_ids=[pilot.pk])[pilot.pk]
    DataSourceClassFactory(pilot=pilot, source="Order history", data_class=guardrails["internal"])
    assert selectors.tool_data_problems(pilot_ids=[pilot.pk])[pilot.pk] == []


@pytest.mark.parametrize("count", [1, 25])
def test_tool_data_problems_runs_a_fixed_number_of_queries(
    guardrails, django_assert_num_queries, count
):
    pilots = [
        PilotFactory(tools=["Order lookup", "Chat"], data_sources=["CRM notes", "Help center"])
        for _ in range(count)
    ]
    for pilot in pilots:
        DataSourceClassFactory(pilot=pilot, source="Help center", data_class=guardrails["public"])
    ids = [pilot.pk for pilot in pilots]
    with django_assert_num_queries(4):  # pilots, data classes, approved tools, data-source classes
        found = selectors.tool_data_problems(pilot_ids=ids)
    assert len(found) == count and all(len(problems) == 2 for problems in found.values())
    declared = {pilot.pk: (pilot.tools, pilot.data_sources) for pilot in pilots}
    with django_assert_num_queries(3):
        selectors.tool_data_problems(pilot_ids=ids, declared=declared)


def test_escalation_paths_cover_all_eight_categories_with_stored_rows_first(db):
    EscalationPathFactory(category="output_quality", route_to=Kind.LANE_BUSINESS, target_minutes=90)
    paths = selectors.escalation_paths()
    assert list(paths) == Category.values
    assert (paths["output_quality"].route_to, paths["output_quality"].target_minutes) == (
        Kind.LANE_BUSINESS,
        90,
    )
    assert paths["output_quality"].configured
    assert (
        paths["security_incident"].target_minutes == 30
        and not paths["security_incident"].configured
    )


def test_the_route_prefers_the_pilots_own_lane_then_the_company_then_the_stop_authority(people):
    pilot = PilotFactory()
    staff_pilot(pilot, people)
    company = CompanyLaneFactory(kind=Kind.LANE_SECURITY, primary=UserFactory(username="lena"))
    route = selectors.route_for(pilot=pilot, category="data_handling")
    assert (route.role, route.person, route.company_lane) == (
        Kind.LANE_SECURITY,
        company.primary,
        True,
    )

    own = RoleFactory(pilot=pilot, kind=Kind.LANE_SECURITY, primary=UserFactory(username="sec"))
    route = selectors.route_for(pilot=pilot, category="data_handling")
    assert (route.role, route.person, route.company_lane) == (
        Kind.LANE_SECURITY,
        own.primary,
        False,
    )

    own.delete()
    company.delete()
    route = selectors.route_for(pilot=pilot, category="data_handling")
    assert (route.role, route.person) == (Kind.STOP_AUTHORITY, people["stopper"])
    assert route.path.target_minutes == 60


def test_the_company_lane_backup_answers_when_it_has_no_primary(people, pilot):
    backup = UserFactory(username="it-backup")
    CompanyLaneFactory(kind=Kind.LANE_IT, primary=None, backup=backup)
    route = selectors.route_for(pilot=pilot, category="technical_issue")
    assert (route.role, route.person) == (Kind.LANE_IT, backup)


def test_a_pilot_role_falls_back_to_the_company_lane_standing_behind_it(people):
    pilot = PilotFactory()
    RoleFactory(pilot=pilot, kind=Kind.REVIEWER, primary=people["reviewer"])
    business = CompanyLaneFactory(kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria"))
    route = selectors.route_for(pilot=pilot, category="output_quality")  # the business owner
    assert (route.role, route.person) == (Kind.LANE_BUSINESS, business.primary)


def test_an_unknown_or_empty_category_routes_nowhere(pilot):
    assert selectors.route_for(pilot=pilot, category="").person is None
    assert selectors.route_for(pilot=pilot, category="gossip").person is None


def test_can_i_use_says_yes_for_an_approved_pair(guardrails):
    answer = selectors.can_i_use(tool="order LOOKUP", data_class_id=guardrails["internal"].pk)
    assert answer.allowed
    assert answer.headline == "Yes. Order lookup is approved for Internal data."


def test_can_i_use_says_no_with_the_rule_and_the_tools_that_are_approved(guardrails):
    answer = selectors.can_i_use(tool="Order lookup", data_class_id=guardrails["personal"].pk)
    assert not answer.allowed
    assert answer.headline == "No. Order lookup is not approved for Personal data."
    assert "Order lookup is approved for Public, Internal data only." in answer.reasons
    assert answer.other_tools == ["Help-center search"]


def test_can_i_use_refuses_a_tool_outside_the_register(guardrails):
    lena = CompanyLaneFactory(kind=Kind.LANE_SECURITY).primary
    answer = selectors.can_i_use(tool="ChatGPT", data_class_id=guardrails["confidential"].pk)
    assert not answer.allowed
    assert answer.headline.startswith("No. “ChatGPT” is not an approved tool")
    assert "Do not paste client confidential data into unapproved public tools." in answer.reasons
    assert answer.ask.primary == lena


def test_can_i_use_refuses_a_lapsed_approval(guardrails):
    ApprovedToolFactory(
        name="Old bot",
        data_classes=[guardrails["public"]],
        review_date=timezone.localdate() - timedelta(days=1),
    )
    answer = selectors.can_i_use(tool="Old bot", data_class_id=guardrails["public"].pk)
    assert not answer.allowed and answer.headline.startswith("Not now.")


def test_can_i_use_answers_nothing_for_an_unknown_data_class(guardrails):
    assert selectors.can_i_use(tool="Order lookup", data_class_id=999999) is None


def test_the_panel_reads_rules_review_tools_and_lane_defaults_in_five_queries(
    guardrails, people, django_assert_num_queries
):
    pilot = PilotFactory(
        tools=["Order lookup", "Chat"],
        data_sources=["Help center", "Order history", "Mystery"],
        use_areas=["financial"],
    )
    staff_pilot(pilot, people)
    ReviewRequirementFactory(area="financial")
    CompanyLaneFactory(kind=Kind.LANE_OPERATIONS, primary=UserFactory(username="ops"))
    pilot = type(pilot).objects.prefetch_related("roles").get(pk=pilot.pk)
    with django_assert_num_queries(5):
        guard = selectors.pilot_guardrails(pilot=pilot)
    assert [(item.source, item.data_class and item.data_class.name) for item in guard.sources] == [
        ("Help center", "Public"),
        ("Order history", "Personal"),
        ("Mystery", None),
    ]
    lookup, chat = guard.tools
    assert [row.name for row in lookup.refused] == ["Personal"] and not lookup.ok
    assert chat.entry is None and not chat.ok
    assert [requirement.area for requirement in guard.requirements] == ["financial"]
    assert [kind for kind, _ in guard.lane_defaults] == [Kind.LANE_OPERATIONS]
    assert "Security" in guard.lanes_unfilled
    assert len(guard.problems) == 3
