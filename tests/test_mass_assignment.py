"""Fields people must not set through the API are never applied, endpoint by endpoint.

Status, approvals, computed figures, audit fields (who and when), the owner or creator of an entry,
ids, the pilot a row belongs to, where a row came from: each write endpoint is called by someone
who may make the write, first with a plain valid payload (it must succeed, so a refusal below is
not an accident of the payload), then once per forbidden field with a hostile value added. The
answer must be a 400, or a success that left the field as the server decided it.

The writer is an administrator wherever one may write, so that scoping cannot hide a field that is
in fact writable; the hostile pilot ids point at a pilot the writer may see and edit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import models, transaction
from knox.models import AuthToken
from rest_framework.test import APIClient

from costs.models import CostEntry, TaskVolume
from governance.models import Change, DecisionRight, RuleSettings
from pilots.models import Pilot, PilotRole, StatusChange
from reviews.models import ErrorEntry, ReviewWeek, Sample
from support.models import (
    CompanyLane,
    DataClass,
    DataSourceClass,
    ReviewRequirement,
    UseCaseApproval,
    UseCaseRequest,
)
from tests.fixtures import staff_pilot
from tests.matrix import (  # noqa: F401  (`matrix` is a fixture)
    Matrix,
    cost_row,
    matrix,
    sample_row,
    volume_row,
)
from tests.pilots.factories import PilotFactory
from tests.pilots.test_permissions import world  # noqa: F401  (a fixture `matrix` builds on)

LONG_AGO = "2001-02-03T04:05:06Z"
LONG_AGO_DAY = "2001-02-05"  # a Monday
NO_SUCH_ID = 987_654


@dataclass(frozen=True)
class Forbid:
    field: str
    value: object  # or a callable of the Matrix
    attr: str | None = None  # the model attribute it would land in, when not `field`


@dataclass(frozen=True)
class Write:
    name: str
    role: str
    method: str
    url: Callable[[Matrix], str]
    payload: Callable[[Matrix], object]
    target: Callable[[Matrix, object], models.Model]  # the row the write made or changed
    forbidden: tuple[Forbid, ...]


def created(model):
    return lambda m, body: model.objects.get(pk=body["id"])


def the(dotted):
    """An object of the matrix, e.g. "w.reviewer_role"."""
    return lambda m, body: resolve(m, dotted)


def stranger(m):
    return m.user("stranger")


def elsewhere(m):
    return m.elsewhere.pk


def audit_fields(*names) -> tuple[Forbid, ...]:
    return tuple(
        Forbid(name, NO_SUCH_ID if name == "id" else LONG_AGO, attr="pk" if name == "id" else None)
        for name in names
    )


WRITES = [
    # --- pilots ---
    Write(
        "pilot-create",
        "admin",
        "post",
        lambda m: "/api/pilots",
        lambda m: {"name": "Made by mass assignment"},
        created(Pilot),
        (
            Forbid("status", "scaled"),
            Forbid("status_since", LONG_AGO),
            Forbid("status_reason", "Forged"),
            Forbid("roles", lambda m: [{"kind": "business_owner", "primary": stranger(m)}]),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "pilot-patch",
        "admin",
        "patch",
        lambda m: f"/api/pilots/{m.pilot.pk}",
        lambda m: {"trigger": "a ticket arrives."},
        the("pilot"),
        (
            Forbid("status", "scaled"),
            Forbid("status_since", LONG_AGO),
            Forbid("status_reason", "Forged"),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "pilot-put",
        "admin",
        "put",
        lambda m: f"/api/pilots/{m.pilot.pk}",
        lambda m: {"name": "Renamed by mass assignment"},
        the("pilot"),
        (Forbid("status", "retired"), Forbid("status_reason", "Forged")),
    ),
    Write(
        "pilot-status",
        "stopper",
        "post",
        lambda m: f"/api/pilots/{m.pilot.pk}/status",
        lambda m: {"status": "paused", "reason": "Spend over the cap."},
        lambda m, body: StatusChange.objects.filter(pilot=m.pilot).latest("at", "id"),
        (Forbid("by", stranger), Forbid("rule", "spend_cap"), Forbid("at", LONG_AGO)),
    ),
    Write(
        "role-create",
        "admin",
        "post",
        lambda m: "/api/roles",
        lambda m: {"pilot": m.pilot.pk, "kind": "lane_security", "primary": m.user("tech")},
        created(PilotRole),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "role-patch",
        "admin",
        "patch",
        lambda m: f"/api/roles/{m.w.reviewer_role.pk}",
        lambda m: {"response_minutes": 45},
        the("w.reviewer_role"),
        (
            Forbid("pilot", elsewhere),
            Forbid("kind", "lane_it"),
            *audit_fields("id", "updated_at"),
        ),
    ),
    # --- governance ---
    Write(
        "decision-right-create",
        "admin",
        "post",
        lambda m: "/api/decision-rights",
        lambda m: {"pilot": m.pilot.pk, "kind": "model_choice", "owner": m.user("tech")},
        created(DecisionRight),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "change-create",
        "owner",
        "post",
        lambda m: "/api/changes",
        lambda m: {
            "pilot": m.pilot.pk,
            "kind": "policy",
            "title": "Mass assignment",
            "hypothesis": "Fewer reopens.",
        },
        created(Change),
        (
            Forbid("status", "live"),
            Forbid("requested_by", stranger),
            Forbid("approved_by", lambda m: m.user("tech")),
            Forbid("decided_at", LONG_AGO),
            Forbid("decision_note", "Forged"),
            Forbid("live_at", LONG_AGO),
            Forbid("review_week", "2001-W05"),
            Forbid("verdict", "kept"),
            Forbid("outcome", "Forged"),
            Forbid("outcome_at", LONG_AGO),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "change-approve",
        "tech",
        "post",
        lambda m: f"/api/changes/{m.w.proposed.pk}/approve",
        lambda m: {"note": "Go."},
        the("w.proposed"),
        (
            Forbid("approved_by", lambda m: m.user("stopper")),
            Forbid("status", "live"),
            Forbid("decided_at", LONG_AGO),
            Forbid("live_at", LONG_AGO),
        ),
    ),
    Write(
        "change-outcome",
        "owner",
        "post",
        lambda m: f"/api/changes/{m.w.live.pk}/outcome",
        lambda m: {"verdict": "kept", "outcome": "Fewer look-ups."},
        the("w.live"),
        (
            Forbid("outcome_at", LONG_AGO),
            Forbid("approved_by", stranger),
            Forbid("status", "proposed"),
        ),
    ),
    Write(
        "rule-settings-create",
        "admin",
        "post",
        lambda m: "/api/rule-settings",
        lambda m: {"pilot": m.pilot.pk, "review_grace_days": 4},
        created(RuleSettings),
        audit_fields("id", "updated_at"),
    ),
    # --- reviews ---
    Write(
        "review-week-create",
        "reviewer",
        "post",
        lambda m: "/api/review-weeks",
        lambda m: {"pilot": m.pilot.pk, "iso_week": m.this_week},
        created(ReviewWeek),
        (
            Forbid("week_start", LONG_AGO_DAY),
            Forbid("status", "closed"),
            Forbid("decision", "Forged"),
            Forbid("below_target_reason", "Forged"),
            Forbid("closed_at", LONG_AGO),
            Forbid("closed_by", stranger),
            Forbid("target_size", 1),
            *audit_fields("id", "updated_at"),
        ),
    ),
    Write(
        "review-week-patch",
        "reviewer",
        "patch",
        lambda m: f"/api/review-weeks/{m.week.pk}",
        lambda m: {"notes": "Discussed the refunds."},
        the("week"),
        (
            Forbid("pilot", elsewhere),
            Forbid("week_start", LONG_AGO_DAY),
            Forbid("status", "closed"),
            Forbid("decision", "Forged"),
            Forbid("closed_at", LONG_AGO),
            Forbid("closed_by", stranger),
        ),
    ),
    Write(
        "review-week-close",
        "reviewer",
        "post",
        lambda m: f"/api/review-weeks/{m.week.pk}/close",
        lambda m: {"decision": "Keep going.", "below_target_reason": "A short week."},
        the("week"),
        (
            Forbid("closed_by", stranger),
            Forbid("closed_at", LONG_AGO),
            Forbid("status", "open"),
            Forbid("week_start", LONG_AGO_DAY),
        ),
    ),
    Write(
        "sample-create",
        "admin",
        "post",
        lambda m: "/api/samples",
        sample_row,
        created(Sample),
        (
            Forbid("pilot", elsewhere),
            Forbid("logged_by", stranger),
            Forbid("minutes_saved", "999.0"),
            Forbid("iso_week", "2001-W05", attr="week.iso_week"),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "sample-bulk",
        "admin",
        "post",
        lambda m: "/api/samples/bulk",
        lambda m: [sample_row(m)],
        lambda m, body: Sample.objects.get(pk=body["ids"][0]),
        (
            Forbid("pilot", elsewhere),
            Forbid("logged_by", stranger),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "error-create",
        "admin",
        "post",
        lambda m: "/api/errors",
        lambda m: {"pilot": m.pilot.pk, "what_went_wrong": "It invented a refund rule."},
        created(ErrorEntry),
        (
            Forbid("reported_by", stranger),
            Forbid("routed_role", "lane_it"),
            Forbid("routed_to", stranger),
            Forbid("status", "resolved"),
            Forbid("repeat_of", lambda m: m.error.pk),
            Forbid("paused_pilot", True),
            Forbid("resolved_at", LONG_AGO),
            Forbid("resolved_by", stranger),
            Forbid("resolution_note", "Forged"),
            Forbid("is_repeat", True),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "error-patch",
        "admin",
        "patch",
        lambda m: f"/api/errors/{m.error.pk}",
        lambda m: {"why_wrong": "No such rule exists."},
        the("error"),
        (
            Forbid("pilot", elsewhere),
            Forbid("reported_by", stranger),
            Forbid("routed_to", stranger),
            Forbid("status", "resolved"),
            Forbid("resolved_by", stranger),
            Forbid("resolution_note", "Forged"),
            Forbid("paused_pilot", True),
            *audit_fields("created_at"),
        ),
    ),
    Write(
        "error-resolve",
        "owner",
        "post",
        lambda m: f"/api/errors/{m.error.pk}/resolve",
        lambda m: {"note": "Checked the help center."},
        the("error"),
        (Forbid("resolved_by", stranger), Forbid("resolved_at", LONG_AGO)),
    ),
    Write(
        "error-report",
        "finance",
        "post",
        lambda m: "/api/error-reports",
        lambda m: {"pilot": m.pilot.pk, "what_went_wrong": "The draft was rude."},
        created(ErrorEntry),
        (
            Forbid("reported_by", stranger),
            Forbid("status", "resolved"),
            Forbid("routed_to", stranger),
            Forbid("routed_role", "lane_it"),
            Forbid("category", "data_handling"),
            Forbid("paused_pilot", True),
            Forbid("resolved_by", stranger),
        ),
    ),
    # --- costs ---
    Write(
        "cost-entry-create",
        "owner",
        "post",
        lambda m: "/api/cost-entries",
        cost_row,
        created(CostEntry),
        (
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "cost-entry-patch",
        "owner",
        "patch",
        lambda m: f"/api/cost-entries/{m.cost.pk}",
        lambda m: {"note": "Corrected."},
        the("cost"),
        (
            Forbid("pilot", elsewhere),
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            Forbid("idempotency_key", "forged-key"),
            *audit_fields("created_at"),
        ),
    ),
    Write(
        "cost-entry-bulk",
        "owner",
        "post",
        lambda m: "/api/cost-entries/bulk",
        lambda m: [cost_row(m)],
        lambda m, body: CostEntry.objects.get(pk=body["rows"][0]["id"]),
        (
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "task-volume-create",
        "owner",
        "post",
        lambda m: "/api/task-volumes",
        volume_row,
        created(TaskVolume),
        (
            Forbid("source", "import"),
            Forbid("recorded_by", stranger),
            *audit_fields("id", "updated_at"),
        ),
    ),
    Write(
        "task-volume-bulk",
        "owner",
        "post",
        lambda m: "/api/task-volumes/bulk",
        lambda m: [volume_row(m)],
        lambda m, body: TaskVolume.objects.get(pk=body["rows"][0]["id"]),
        (
            Forbid("source", "import"),
            Forbid("recorded_by", stranger),
            *audit_fields("id"),
        ),
    ),
    # --- support ---
    Write(
        "data-class-create",
        "admin",
        "post",
        lambda m: "/api/data-classes",
        lambda m: {"name": "Payroll", "rule": "Only in HR tools.", "level": 4},
        created(DataClass),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "approved-tool-patch",
        "admin",
        "patch",
        lambda m: f"/api/approved-tools/{m.tool.pk}",
        lambda m: {"approved_for": "Internal summaries."},
        the("tool"),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "review-requirement-set",
        "admin",
        "post",
        lambda m: "/api/review-requirements",
        lambda m: {"area": "legal", "review_required": True, "rule": "A lawyer reads it."},
        created(ReviewRequirement),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "company-lane-set",
        "admin",
        "post",
        lambda m: "/api/company-lanes",
        lambda m: {"kind": "lane_security", "primary": m.user("tech")},
        created(CompanyLane),
        audit_fields("id", "updated_at"),
    ),
    Write(
        "data-source-class-set",
        "owner",
        "post",
        lambda m: "/api/data-source-classes",
        lambda m: {
            "pilot": m.pilot.pk,
            "source": m.data_source.source,
            "data_class": m.other_class.pk,
        },
        created(DataSourceClass),
        (Forbid("set_by", stranger), *audit_fields("id", "updated_at")),
    ),
    Write(
        "use-case-request-create",
        "tech",
        "post",
        lambda m: "/api/use-case-requests",
        lambda m: {
            "name": "Contract summaries",
            "task": "Summarise contracts.",
            "team_name": "Sales",
            "data_classes": [m.data_class.pk],
            "tool": "Company chat assistant",
        },
        created(UseCaseRequest),
        (
            Forbid("requested_by", stranger),
            Forbid("status", "approved"),
            Forbid("pilot", lambda m: m.pilot.pk),
            Forbid("decided_at", LONG_AGO),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "use-case-request-approve",
        "it_lane",
        "post",
        lambda m: f"/api/use-case-requests/{m.use_case.pk}/approve",
        lambda m: {"note": "IT can support it."},
        lambda m, body: UseCaseApproval.objects.get(request=m.use_case, lane="lane_it"),
        (Forbid("decided_by", stranger), Forbid("decided_at", LONG_AGO)),
    ),
]


def applied(actual, sent) -> bool:
    """Whether the stored value is the hostile one that was sent."""
    if isinstance(actual, models.Model):
        actual = actual.pk
    if isinstance(actual, datetime | date):
        return actual.isoformat()[:10] == str(sent)[:10]
    if isinstance(actual, Decimal):
        return actual == Decimal(str(sent))
    if isinstance(sent, list):
        return False  # nested writes (roles) are checked by their own endpoint
    return str(actual) == str(sent)


def value_of(forbid: Forbid, m: Matrix):
    return forbid.value(m) if callable(forbid.value) else forbid.value


def with_field(payload, field_name: str, value):
    if isinstance(payload, list):
        return [{**row, field_name: value} for row in payload]
    return {**payload, field_name: value}


def resolve(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


class Rollback(Exception):
    pass


@pytest.fixture
def mass(db, request):
    """The matrix, plus a second pilot on which everyone holds the same roles."""
    m = request.getfixturevalue("matrix")  # tests/matrix.py
    other = PilotFactory(name="Elsewhere")
    staff_pilot(other, m.w.people)
    PilotRole.objects.create(pilot=other, kind="lane_it", primary=m.w.people["it_lane"])
    m.elsewhere = other
    cache.clear()
    return m


def _client(m: Matrix, role: str) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(m.w.people[role])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _attempt(m: Matrix, write: Write, payload, forbid: Forbid | None):
    """Send the write in a savepoint that is rolled back; the status and, on success, the stored
    value of the forbidden field."""
    outcome = {}
    try:
        with transaction.atomic():
            response = getattr(_client(m, write.role), write.method)(
                write.url(m), payload, format="json"
            )
            outcome["status"] = response.status_code
            outcome["body"] = getattr(response, "data", None)
            if forbid is not None and 200 <= response.status_code < 300:
                target = write.target(m, response.json())
                target.refresh_from_db()
                outcome["stored"] = resolve(target, forbid.attr or forbid.field)
            raise Rollback
    except Rollback:
        pass
    return outcome


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
def test_fields_people_must_not_set_are_ignored_or_refused(mass, write):
    m = mass
    plain = _attempt(m, write, write.payload(m), None)
    assert 200 <= plain["status"] < 300, f"the plain write must succeed: {plain}"
    problems = []
    for forbid in write.forbidden:
        value = value_of(forbid, m)
        outcome = _attempt(m, write, with_field(write.payload(m), forbid.field, value), forbid)
        if outcome["status"] == 400:
            continue
        if not 200 <= outcome["status"] < 300:
            problems.append(f"{forbid.field}: answered {outcome['status']} {outcome['body']}")
        elif applied(outcome["stored"], value):
            problems.append(f"{forbid.field}: {value!r} was stored")
    assert not problems, f"{write.method.upper()} {write.url(m)}\n" + "\n".join(problems)


def test_the_webhook_secret_is_write_only(mass, api_for):
    """A secret set through the API is never read back, by anyone."""
    response = api_for(mass.w.people["admin"]).post(
        "/api/rule-settings",
        {
            "pilot": mass.pilot.pk,
            "webhook_url": "https://chat.example.com/h",
            "webhook_secret": "s",
        },
        format="json",
    )
    assert response.status_code == 201
    assert "webhook_secret" not in response.json()
    listed = api_for(mass.w.people["owner"]).get("/api/rule-settings").json()["results"]
    assert all("webhook_secret" not in row for row in listed)
