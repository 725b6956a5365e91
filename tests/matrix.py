"""The objects the permission matrix, the mass-assignment table and schemathesis point at: one
staffed pilot (tests/pilots/permission_helpers.py `world`) with a row of every kind, and the
payloads that write such rows.

A test module that uses the `matrix` fixture imports it together with `world`:

    from tests.matrix import matrix  # noqa: F401
    from tests.pilots.permission_helpers import world  # noqa: F401
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from costs.models import CostEntry, TaskVolume
from governance.models import Alert, AlertDelivery, RuleSettings
from pilots.models import Team
from reviews.models import ErrorEntry, FailureMode, ReviewWeek, Sample
from reviews.weeks import week_label
from support import services as support_services
from support.models import (
    ApprovedTool,
    CompanyLane,
    DataClass,
    DataSourceClass,
    ReviewRequirement,
    UseCaseRequest,
)
from tests.costs.factories import record_cost, record_tasks
from tests.pilots.permission_helpers import World
from tests.reviews.factories import ErrorEntryFactory, FailureModeFactory, SampleFactory


@dataclass
class Matrix:
    w: World
    week: ReviewWeek
    sample: Sample
    error: ErrorEntry
    failure_mode: FailureMode
    cost: CostEntry
    volume: TaskVolume
    alert: Alert
    rules: RuleSettings
    team: Team
    today: object
    data_class: DataClass
    other_class: DataClass
    tool: ApprovedTool
    requirement: ReviewRequirement
    company_lane: CompanyLane
    data_source: DataSourceClass
    use_case: UseCaseRequest

    @property
    def pilot(self):
        return self.w.pilot

    def user(self, role: str) -> int:
        return self.w.people[role].pk

    @property
    def label(self) -> str:
        return week_label(self.week.week_start)

    @property
    def this_week(self) -> str:
        return week_label(self.today)


@pytest.fixture
def matrix(db, request) -> Matrix:
    staffed = request.getfixturevalue("world")  # tests/pilots/permission_helpers.py
    pilot, people = staffed.pilot, staffed.people
    today = timezone.localdate()
    sample = SampleFactory(week__pilot=pilot, produced_by="ana")
    mode = FailureModeFactory(pilot=pilot)
    error = ErrorEntryFactory(pilot=pilot, failure_mode=mode, reported_by=people["reviewer"])
    alert = Alert.objects.create(
        pilot=pilot,
        rule="review_overdue",
        period=str(today),
        dedupe_key=f"{pilot.pk}:review_overdue:{today}",
        message="The weekly review is overdue.",
        next_step="Log this week's sample.",
        figures={"days_overdue": 3},
    )
    AlertDelivery.objects.create(alert=alert, channel="email", target="stopper@example.com")
    data_class = DataClass.objects.create(
        name="Client confidential", level=3, rule="Only approved tools.", aliases=["CRM"]
    )
    tool = ApprovedTool.objects.create(name="Company chat assistant", approved_for="Drafts.")
    tool.data_classes.add(data_class)
    # The IT lane's contact on the pilot is the company's IT lane contact too: the lane contact
    # of the support app's approvals.
    company_lane = CompanyLane.objects.create(kind="lane_it", primary=people["it_lane"])
    return Matrix(
        w=staffed,
        week=sample.week,
        sample=sample,
        error=error,
        failure_mode=mode,
        cost=record_cost(pilot, people["owner"], amount="12.50", day=today - timedelta(days=2)),
        volume=record_tasks(pilot, people["owner"], completed=40, day=today - timedelta(days=2)),
        alert=alert,
        rules=RuleSettings.objects.create(pilot=pilot),
        team=pilot.team,
        today=today,
        data_class=data_class,
        other_class=DataClass.objects.create(name="Public", rule="Anything goes."),
        tool=tool,
        requirement=ReviewRequirement.objects.create(area="financial", rule="Check the figures."),
        company_lane=company_lane,
        data_source=DataSourceClass.objects.create(
            pilot=pilot, source=pilot.data_sources[0], data_class=data_class
        ),
        # An unlisted tool: the path is Business, Security and IT; the owner asked for it.
        use_case=support_services.use_case_request_create(
            by=people["owner"],
            name="Renewal summaries",
            task="Summarise renewal calls.",
            team_name="Sales",
            data_classes=[data_class],
            tool="Unlisted notetaker",
        ),
    )


# --- Payloads that write rows of the matrix's pilot ------------------------------------------


def sample_row(m: Matrix) -> dict:
    return {
        "week": m.week.pk,
        "reference": "T-9001",
        "produced_on": m.week.week_start.isoformat(),
        "produced_by": "ana",
        "case": "easy",
        "outcome": "sent_as_is",
        "minutes_with_ai": "2.0",
        "manual_minutes": "6.0",
    }


def sample_form(m: Matrix) -> dict:
    return {key: value for key, value in sample_row(m).items() if key != "week"}


def cost_row(m: Matrix) -> dict:
    return {
        "pilot": m.pilot.pk,
        "date": m.today.isoformat(),
        "category": "model_api",
        "amount": "1.2500",
    }


def without(data: dict, *names: str) -> dict:
    return {key: value for key, value in data.items() if key not in names}


def volume_row(m: Matrix) -> dict:
    return {"pilot": m.pilot.pk, "date": m.today.isoformat(), "completed": 7}


def tool_form(m: Matrix, name: str) -> dict:
    return {"name": name, "approved_for": "Drafts.", "data_classes": [m.data_class.pk]}


def use_case_form(m: Matrix) -> dict:
    return {
        "name": "Contract summaries",
        "task": "Summarise contracts for account managers.",
        "team_name": "Sales",
        "data_classes": [m.data_class.pk],
        "tool": "Company chat assistant",
        "use_areas": [],
    }


def cost_csv(m: Matrix) -> dict:

    text = f"pilot,date,category,amount\n{m.pilot.pk},{m.today.isoformat()},model_api,3.00\n"
    return {"file": SimpleUploadedFile("costs.csv", text.encode(), content_type="text/csv")}
