"""The demo company's guardrails: loaded once, and the demo pilots read sensibly against them."""

from django.core.management import call_command

from governance.facts import gather_facts
from governance.rules import readiness_checks
from pilots.models import Pilot
from support import selectors
from support.models import (
    ApprovedTool,
    CompanyLane,
    DataClass,
    EscalationPath,
    ReviewRequirement,
    UseCaseApproval,
    UseCaseRequest,
)

MODELS = (
    DataClass,
    ApprovedTool,
    ReviewRequirement,
    CompanyLane,
    EscalationPath,
    UseCaseRequest,
    UseCaseApproval,
)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_guardrails_load_once(db):
    call_command("demo_load", verbosity=0)
    first = counts()
    call_command("demo_load", verbosity=0)
    assert counts() == first
    assert first == {
        "DataClass": 5,
        "ApprovedTool": 3,
        "ReviewRequirement": 5,
        "CompanyLane": 5,
        "EscalationPath": 8,
        "UseCaseRequest": 1,
        "UseCaseApproval": 2,
    }


def test_the_demo_company_has_its_lanes_and_a_pending_request(db):
    call_command("demo_load", verbosity=0)
    lanes = {lane.kind: lane.primary.username for lane in CompanyLane.objects.all()}
    assert lanes == {
        "lane_security": "lena",
        "lane_it": "tomas",
        "lane_leadership": "sam",
        "lane_business": "maria",
        "lane_operations": "dev",
    }
    request = UseCaseRequest.objects.get()
    assert request.status == UseCaseRequest.Status.PENDING
    assert list(request.approvals.values_list("lane", flat=True)) == [
        "lane_business",
        "lane_security",
    ]


def test_the_demo_support_pilot_passes_its_tools_and_data_check(db):
    call_command("demo_load", verbosity=0)
    pilot = Pilot.objects.get(name="Support ticket first replies")
    assert pilot.use_areas == ["client_facing"]
    [facts] = gather_facts(pilot_ids=[pilot.pk], active_only=False)
    check = next(c for c in readiness_checks(facts) if c.name == "tools_and_data")
    assert check.passed, check.reason
    sales = Pilot.objects.get(name="Sales call summaries")
    guard = selectors.pilot_guardrails(
        pilot=Pilot.objects.prefetch_related("roles").get(pk=sales.pk)
    )
    assert {item.data_class.name for item in guard.sources} == {"Client confidential"}
