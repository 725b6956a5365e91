"""Forbidden fields of the support endpoints: the register, lanes, use-case requests."""

from support.models import (
    CompanyLane,
    DataClass,
    DataSourceClass,
    ReviewRequirement,
    UseCaseApproval,
    UseCaseRequest,
)
from tests.mass_assignment.base import LONG_AGO, Forbid, Write, audit_fields, created, stranger, the

WRITES = [
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
