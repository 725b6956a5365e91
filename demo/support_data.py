"""The demo company's guardrails, written through the support services: five data classes with
their rules, an approved tools register with the two tools the support pilot uses (and a public
chatbot approved for public data only), human review requirements by use area, the company lanes
(Lena security, Tomás IT, Maria business, Dev operations, Sam leadership), the eight escalation
paths, the demo pilots' use areas and one pending use-case request.

Idempotent: each row is looked up by its natural key and left alone when it exists.
"""

from datetime import timedelta

from django.utils import timezone

from pilots import services as pilots
from pilots.models import Pilot, PilotRole
from support import services
from support.escalation import DEFAULT_PATHS
from support.models import (
    ApprovedTool,
    CompanyLane,
    DataClass,
    EscalationPath,
    ReviewRequirement,
    UseCaseRequest,
)

Kind = PilotRole.Kind

DATA_CLASSES = [
    # name, sensitivity, aliases, rule, new uses need the Security lane
    (
        "Public",
        1,
        ["help center", "website", "public docs"],
        "Already public: approved tools may use it freely.",
        False,
    ),
    (
        "Internal",
        2,
        ["wiki", "internal", "policy", "macros"],
        "Use approved AI tools for internal summaries, first drafts and research support.",
        False,
    ),
    (
        "Personal / HR",
        4,
        ["personal", "hr", "employee", "customer", "order history", "payroll"],
        "Personal data about customers or staff goes only into tools approved for it, never into "
        "public tools.",
        True,
    ),
    (
        "Financial",
        4,
        ["financial", "invoice", "invoices", "ledger", "billing"],
        "Financial figures go only into tools approved for them; a person reviews AI analysis "
        "before any financial decision.",
        True,
    ),
    (
        "Client confidential",
        5,
        ["client", "contract", "contracts", "crm", "call transcripts"],
        "Do not paste client confidential data into unapproved public tools.",
        True,
    ),
]

TOOLS = [
    # name, approved for, data classes, approved by
    (
        "Order lookup",
        "Reading a customer's recent orders to draft support replies (read-only).",
        ["Public", "Internal", "Personal / HR"],
        "lena",
    ),
    (
        "Help-center search",
        "Finding help-center articles for support drafts, with the ticket as context.",
        ["Public", "Internal", "Personal / HR"],
        "lena",
    ),
    (
        "Public chatbot (free tier)",
        "Research on public information only.",
        ["Public"],
        "lena",
    ),
]

REVIEW_REQUIREMENTS = [
    (
        Pilot.UseArea.FINANCIAL,
        True,
        "Get human review before using AI-generated analysis in financial decisions.",
    ),
    (Pilot.UseArea.LEGAL, True, "Get human review before using AI output in legal decisions."),
    (Pilot.UseArea.HR, True, "Get human review before using AI output in HR decisions."),
    (
        Pilot.UseArea.CLIENT_FACING,
        True,
        "Get human review before AI output reaches a client or customer.",
    ),
    (
        Pilot.UseArea.INTERNAL,
        False,
        "Internal summaries and first drafts may be used after the author's own check.",
    ),
]

LANES = [
    # kind, primary, backup, responds within (minutes), covers
    (
        Kind.LANE_IT,
        "tomas",
        "dev",
        240,
        "Access, integrations, platform support, service desk workflows.",
    ),
    (
        Kind.LANE_SECURITY,
        "lena",
        "tomas",
        60,
        "Data rules, monitoring, vendor risk, escalation of exposed data.",
    ),
    (
        Kind.LANE_BUSINESS,
        "maria",
        "sam",
        480,
        "Workflow fit, output validation, process ownership.",
    ),
    (
        Kind.LANE_OPERATIONS,
        "dev",
        "rita",
        480,
        "Adoption, training, feedback and change management.",
    ),
    (
        Kind.LANE_LEADERSHIP,
        "sam",
        "maria",
        1440,
        "Priorities, investment decisions, success metrics.",
    ),
]

USE_AREAS = {
    # pilot, its owner who declares it, the areas
    "Support ticket first replies": ("maria", [Pilot.UseArea.CLIENT_FACING]),
    "Sales call summaries": ("maria", [Pilot.UseArea.INTERNAL]),
    "Invoice variance summaries": ("tomas", [Pilot.UseArea.FINANCIAL]),
}

PENDING_REQUEST = {
    "name": "Renewal summaries",
    "task": "Draft renewal summaries for account managers from CRM notes and open tickets.",
    "team_name": "Sales",
    "tool": "Public chatbot (free tier)",
    "data_detail": "CRM notes, the contract's renewal terms and the account's open tickets.",
    "use_areas": [Pilot.UseArea.CLIENT_FACING],
    "benefit": "Account managers spend about 40 minutes preparing each renewal call.",
}


def load(users, pilots_by_name) -> None:
    admin = users["admin"]
    classes = {}
    for name, level, aliases, rule, security in DATA_CLASSES:
        classes[name] = DataClass.objects.filter(name=name).first() or services.data_class_save(
            by=admin,
            name=name,
            level=level,
            aliases=aliases,
            rule=rule,
            needs_security_approval=security,
        )
    review_by = timezone.localdate() + timedelta(days=180)
    for name, approved_for, class_names, approver in TOOLS:
        if not ApprovedTool.objects.filter(name__iexact=name).exists():
            services.approved_tool_save(
                by=admin,
                name=name,
                approved_for=approved_for,
                data_classes=[classes[class_name] for class_name in class_names],
                review_date=review_by,
                approved_by=users[approver],
            )
    for area, required, rule in REVIEW_REQUIREMENTS:
        if not ReviewRequirement.objects.filter(area=area).exists():
            services.review_requirement_set(
                by=admin, area=area, review_required=required, rule=rule
            )
    for kind, primary, backup, minutes, covers in LANES:
        if not CompanyLane.objects.filter(kind=kind).exists():
            services.company_lane_assign(
                by=admin,
                kind=kind,
                primary=users[primary],
                backup=users[backup],
                response_minutes=minutes,
                covers=covers,
            )
    for category, (route_to, minutes, covers) in DEFAULT_PATHS.items():
        if not EscalationPath.objects.filter(category=category).exists():
            services.escalation_path_set(
                by=admin,
                category=category,
                route_to=route_to,
                target_minutes=minutes,
                covers=covers,
            )
    for name, (owner, areas) in USE_AREAS.items():
        pilot = pilots_by_name.get(name)
        if pilot is not None and not pilot.use_areas:
            pilots.pilot_update(pilot=pilot, by=users[owner], data={"use_areas": list(areas)})
    if not UseCaseRequest.objects.filter(name=PENDING_REQUEST["name"]).exists():
        services.use_case_request_create(
            by=users["rita"], data_classes=[classes["Client confidential"]], **PENDING_REQUEST
        )
