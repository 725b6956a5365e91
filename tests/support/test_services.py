"""Writes: the register and its permissions, data-source classes, and use-case requests from
proposal to draft pilot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from governance.facts import gather_facts
from governance.rules import readiness_checks
from pilots.models import Pilot, PilotRole
from support import services
from support.models import (
    ApprovedTool,
    CompanyLane,
    DataSourceClass,
    UseCaseApproval,
    UseCaseRequest,
)
from tests.pilots.factories import PilotFactory, UserFactory

from .factories import ApprovedToolFactory, CompanyLaneFactory, company_guardrails

Kind = PilotRole.Kind


@pytest.fixture
def guardrails(db):
    return company_guardrails()


@pytest.fixture
def lanes(db):
    return {
        kind: CompanyLaneFactory(kind=kind, primary=UserFactory(username=name)).primary
        for kind, name in (
            (Kind.LANE_BUSINESS, "maria"),
            (Kind.LANE_SECURITY, "lena"),
            (Kind.LANE_IT, "tomas"),
        )
    }


# --- The register ---------------------------------------------------------------------------------


def test_only_admins_and_the_security_lane_maintain_the_register(people, guardrails, lanes):
    with pytest.raises(PermissionDenied):
        services.approved_tool_save(by=people["owner"], name="Chat", approved_for="Drafts")
    tool = services.approved_tool_save(
        by=lanes[Kind.LANE_SECURITY],
        name="  Chat   assistant ",
        approved_for="Drafts",
        data_classes=[guardrails["public"]],
    )
    assert (tool.name, tool.approved_by) == ("Chat assistant", lanes[Kind.LANE_SECURITY])
    assert list(tool.data_classes.all()) == [guardrails["public"]]
    assert tool.history.first().history_user == lanes[Kind.LANE_SECURITY]


def test_a_tool_is_in_the_register_once_whatever_its_case(people, guardrails):
    with pytest.raises(ApplicationError) as error:
        services.approved_tool_save(by=people["admin"], name="ORDER LOOKUP", approved_for="x")
    assert error.value.field_errors == {"name": ["This tool is already in the register."]}


def test_a_new_approval_cannot_lapse_before_today(people, db):
    with pytest.raises(ApplicationError) as error:
        services.approved_tool_save(
            by=people["admin"],
            name="Chat",
            approved_for="x",
            review_date=timezone.localdate() - timedelta(days=1),
        )
    assert "review_date" in error.value.field_errors


def test_approving_a_tool_for_more_data_makes_its_pilots_pass_the_check(people, guardrails):
    pilot = PilotFactory(tools=["Order lookup"], data_sources=["Order history"])

    def check():
        [facts] = gather_facts(pilot_ids=[pilot.pk], active_only=False)
        return next(c for c in readiness_checks(facts) if c.name == "tools_and_data")

    failing = check()
    assert not failing.passed
    assert failing.reason == "Order lookup is not approved for Personal data."
    tool = ApprovedTool.objects.get(name="Order lookup")
    services.approved_tool_save(
        by=people["admin"],
        tool=tool,
        name=tool.name,
        approved_for=tool.approved_for,
        data_classes=[guardrails["public"], guardrails["internal"], guardrails["personal"]],
        review_date=tool.review_date,
    )
    assert check().passed


def test_company_lanes_and_paths_are_for_administrators(people, db):
    with pytest.raises(PermissionDenied):
        services.company_lane_assign(by=people["owner"], kind=Kind.LANE_IT, primary=people["tech"])
    with pytest.raises(PermissionDenied):
        services.escalation_path_set(
            by=people["owner"], category="user_guidance", route_to="lane_it", target_minutes=60
        )
    lane = services.company_lane_assign(
        by=people["admin"], kind=Kind.LANE_IT, primary=people["tech"], backup=people["owner"]
    )
    assert lane.primary == people["tech"]
    with pytest.raises(ApplicationError) as error:
        services.company_lane_assign(
            by=people["admin"], kind=Kind.LANE_IT, primary=people["tech"], backup=people["tech"]
        )
    assert "backup" in error.value.field_errors
    path = services.escalation_path_set(
        by=people["admin"], category="user_guidance", route_to="lane_it", target_minutes=45
    )
    assert (path.route_to, path.target_minutes) == ("lane_it", 45) and path.covers
    with pytest.raises(ApplicationError) as error:
        services.escalation_path_set(
            by=people["admin"], category="gossip", route_to="nobody", target_minutes=0
        )
    assert set(error.value.field_errors) == {"category", "route_to", "target_minutes"}


# --- A pilot's data sources ----------------------------------------------------------------------


def test_owners_classify_their_pilots_data_sources_and_may_clear_it(pilot, people, guardrails):
    with pytest.raises(PermissionDenied):
        services.data_source_classify(
            pilot=pilot,
            by=people["reviewer"],
            source="Help center",
            data_class=guardrails["public"],
        )
    row = services.data_source_classify(
        pilot=pilot, by=people["owner"], source="Help center", data_class=guardrails["internal"]
    )
    assert (row.data_class, row.set_by) == (guardrails["internal"], people["owner"])
    services.data_source_classify(
        pilot=pilot, by=people["tech"], source="Help center", data_class=None
    )
    assert not DataSourceClass.objects.filter(pilot=pilot).exists()


def test_only_a_declared_data_source_is_classified(pilot, people, guardrails):
    with pytest.raises(ApplicationError) as error:
        services.data_source_classify(
            pilot=pilot, by=people["owner"], source="Payroll", data_class=guardrails["personal"]
        )
    assert "source" in error.value.field_errors


# --- Use-case requests ---------------------------------------------------------------------------


def propose(by, guardrails, *, classes=("internal",), tool="Order lookup", **extra):
    fields = {
        "name": "Renewal summaries",
        "task": "Draft renewal summaries for account managers.",
        "team_name": "Sales",
        "tool": tool,
        "data_detail": "CRM notes.",
        "use_areas": ["client_facing"],
        "benefit": "40 minutes per renewal.",
        **extra,
    }
    return services.use_case_request_create(
        by=by, data_classes=[guardrails[name] for name in classes], **fields
    )


def lanes_of(request) -> list[str]:
    return list(request.approvals.order_by("id").values_list("lane", flat=True))


def test_an_approved_tool_with_ordinary_data_needs_only_the_business_lane(people, guardrails):
    request = propose(people["stranger"], guardrails)
    assert lanes_of(request) == [Kind.LANE_BUSINESS]
    assert request.status == UseCaseRequest.Status.PENDING


def test_confidential_data_adds_the_security_lane_with_its_reason(people, guardrails):
    request = propose(people["stranger"], guardrails, classes=("confidential",))
    assert lanes_of(request) == [Kind.LANE_BUSINESS, Kind.LANE_SECURITY]
    security = request.approvals.get(lane=Kind.LANE_SECURITY)
    assert "It touches Client confidential data." in security.reason
    assert "Order lookup is not approved for Client confidential data." in security.reason


def test_a_tool_outside_the_register_adds_security_and_it(people, guardrails):
    request = propose(people["stranger"], guardrails, tool="Chat assistant")
    assert lanes_of(request) == [Kind.LANE_BUSINESS, Kind.LANE_SECURITY, Kind.LANE_IT]


def test_a_request_names_its_data_and_keeps_every_error(people, guardrails):
    with pytest.raises(ApplicationError) as error:
        services.use_case_request_create(
            by=people["stranger"],
            name="",
            task="",
            team_name="",
            data_classes=[],
            tool="",
            use_areas=["astrology"],
        )
    assert {"name", "task", "team_name", "tool", "data_classes", "use_areas"} <= set(
        error.value.field_errors
    )
    assert not UseCaseRequest.objects.exists()


def test_the_last_approval_turns_the_request_into_a_draft_pilot(people, guardrails, lanes):
    request = propose(people["stranger"], guardrails, classes=("confidential",))
    request = services.use_case_decide(request=request, by=lanes[Kind.LANE_BUSINESS], approve=True)
    assert request.status == UseCaseRequest.Status.PENDING and request.pilot is None

    request = services.use_case_decide(
        request=request, by=lanes[Kind.LANE_SECURITY], approve=True, note="Use the EU tenant."
    )

    assert request.status == UseCaseRequest.Status.APPROVED and request.decided_at
    pilot = request.pilot
    assert pilot.status == Pilot.Status.DRAFT
    assert (pilot.name, pilot.summary, pilot.team.name) == (
        "Renewal summaries",
        "Draft renewal summaries for account managers.",
        "Sales",
    )
    assert (pilot.tools, pilot.data_sources, pilot.use_areas) == (
        ["Order lookup"],
        ["Client confidential"],
        ["client_facing"],
    )
    assert pilot.task_input == "CRM notes."
    owner = pilot.roles.get(kind=Kind.BUSINESS_OWNER)
    assert owner.primary == people["stranger"]
    assert DataSourceClass.objects.get(pilot=pilot).data_class == guardrails["confidential"]
    step = request.approvals.get(lane=Kind.LANE_SECURITY)
    assert (step.decided_by, step.note) == (lanes[Kind.LANE_SECURITY], "Use the EU tenant.")


def test_one_rejection_rejects_the_request_and_needs_a_reason(people, guardrails, lanes):
    request = propose(people["stranger"], guardrails, classes=("confidential",))
    with pytest.raises(ApplicationError) as error:
        services.use_case_decide(request=request, by=lanes[Kind.LANE_SECURITY], approve=False)
    assert "note" in error.value.field_errors
    request = services.use_case_decide(
        request=request, by=lanes[Kind.LANE_SECURITY], approve=False, note="Not with this tool."
    )
    assert request.status == UseCaseRequest.Status.REJECTED and request.pilot is None
    with pytest.raises(ApplicationError):
        services.use_case_decide(request=request, by=lanes[Kind.LANE_BUSINESS], approve=True)


def test_only_the_lanes_on_the_path_decide_and_never_the_person_who_asked(
    people, guardrails, lanes
):
    request = propose(lanes[Kind.LANE_BUSINESS], guardrails)
    with pytest.raises(PermissionDenied, match="your own request"):
        services.use_case_decide(request=request, by=lanes[Kind.LANE_BUSINESS], approve=True)
    with pytest.raises(PermissionDenied):
        services.use_case_decide(request=request, by=lanes[Kind.LANE_SECURITY], approve=True)
    with pytest.raises(PermissionDenied):
        services.use_case_decide(request=request, by=people["owner"], approve=True)
    request = services.use_case_decide(request=request, by=people["admin"], approve=True)
    assert request.status == UseCaseRequest.Status.APPROVED


def test_the_lane_backup_may_decide_too(people, guardrails, lanes):
    backup = UserFactory(username="sam")
    CompanyLane.objects.filter(kind=Kind.LANE_BUSINESS).update(backup=backup)
    request = propose(people["stranger"], guardrails)
    request = services.use_case_decide(request=request, by=backup, approve=True)
    assert request.approvals.get().decision == UseCaseApproval.Decision.APPROVED


def test_a_tool_approval_that_lapsed_makes_security_approve(people, guardrails):
    ApprovedToolFactory(
        name="Old bot",
        data_classes=[guardrails["internal"]],
        review_date=timezone.localdate() - timedelta(days=3),
    )
    request = propose(people["stranger"], guardrails, tool="Old bot")
    assert (
        "The approval of Old bot has lapsed."
        in request.approvals.get(lane=Kind.LANE_SECURITY).reason
    )
