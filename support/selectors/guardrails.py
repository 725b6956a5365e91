"""The one page's support panel and the answer to "Can I use this tool with this data?"."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from pilots.models import Pilot, PilotRole
from pilots.selectors import roles_by_kind

from ..classify import ClassRow, SourceClass, ToolRow, tool_problems
from ..models import CompanyLane, ReviewRequirement
from .register import data_source_mappings, load_register
from .routing import company_lanes

Kind = PilotRole.Kind


@dataclass
class ToolStatus:
    name: str
    entry: ToolRow | None
    allowed: list[ClassRow] = field(default_factory=list)
    refused: list[ClassRow] = field(default_factory=list)
    lapsed: bool = False

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.refused and not self.lapsed


@dataclass
class PilotGuardrails:
    sources: list[SourceClass]
    tools: list[ToolStatus]
    requirements: list[ReviewRequirement]
    undeclared_areas: bool
    lane_defaults: list[tuple[str, CompanyLane]]  # lanes the pilot leaves empty, with the company's
    lanes_unfilled: list[str]  # lanes nobody holds, on the pilot or company-wide
    problems: list[str]
    classes: list[ClassRow]


def pilot_guardrails(*, pilot: Pilot, today: date | None = None) -> PilotGuardrails:
    """Data rules, review requirement, tool approvals and lane defaults for one pilot: 5 queries
    (the pilot's own roles come prefetched with the one page)."""
    today = today or timezone.localdate()
    register = load_register()
    mapping = data_source_mappings([pilot.pk]).get(pilot.pk, {})
    classified = register.classify(pilot.data_sources, mapping)
    touched = {item.data_class.id: item.data_class for item in classified if item.data_class}
    statuses = []
    for name in [tool for tool in pilot.tools or [] if str(tool).strip()]:
        entry = register.tool(name)
        status = ToolStatus(name=name, entry=entry)
        if entry is not None:
            status.lapsed = entry.lapsed(today)
            for data_class in sorted(touched.values(), key=lambda row: (row.level, row.name)):
                (status.allowed if data_class.id in entry.class_ids else status.refused).append(
                    data_class
                )
        statuses.append(status)
    areas = set(pilot.use_areas or [])
    requirements = [row for row in ReviewRequirement.objects.all() if row.area in areas]
    lanes = company_lanes()
    roles = roles_by_kind(pilot)
    defaults, unfilled = [], []
    for kind in PilotRole.LANES:
        role = roles.get(kind)
        if role is not None and role.primary_id:
            continue
        lane = lanes.get(kind)
        if lane is not None and (lane.primary_id or lane.backup_id):
            defaults.append((kind, lane))
        else:
            unfilled.append(PilotRole.Kind(kind).label)
    return PilotGuardrails(
        sources=classified,
        tools=statuses,
        requirements=requirements,
        undeclared_areas=not areas,
        lane_defaults=defaults,
        lanes_unfilled=unfilled,
        problems=tool_problems(
            tools=pilot.tools, classified=classified, register=register, today=today
        ),
        classes=sorted(register.classes.values(), key=lambda row: (row.level, row.name)),
    )


# --- "Can I use this tool with this data?" ------------------------------------------------------


@dataclass
class Answer:
    allowed: bool
    headline: str
    tool: ToolRow | None
    data_class: ClassRow
    reasons: list[str]
    other_tools: list[str]  # tools that are approved for this data
    ask: CompanyLane | None  # who to ask: the Security lane


def can_i_use(*, tool: str, data_class_id: int, today: date | None = None) -> Answer | None:
    """A clear yes or no from the data rules: three queries. None for an unknown data class."""
    today = today or timezone.localdate()
    register = load_register()
    data_class = register.classes.get(data_class_id)
    if data_class is None:
        return None
    entry = register.tool(tool)
    ask = company_lanes().get(Kind.LANE_SECURITY)
    other_tools = sorted(
        row.name
        for row in register.tools.values()
        if data_class.id in row.class_ids and not row.lapsed(today) and row is not entry
    )
    reasons = [data_class.rule] if data_class.rule else []
    subject = f"{data_class.name} data"
    if entry is None:
        headline = f"No. “{tool.strip()}” is not an approved tool: do not enter {subject} into it."
        allowed = False
    elif entry.lapsed(today):
        headline = (
            f"Not now. The approval of {entry.name} lapsed on {entry.review_date:%-d %b %Y}: "
            f"do not enter {subject} into it until it is reviewed again."
        )
        allowed = False
    elif data_class.id in entry.class_ids:
        headline = f"Yes. {entry.name} is approved for {subject}."
        reasons.insert(0, f"{entry.name} is approved for: {entry.approved_for}")
        allowed = True
    else:
        allowed_names = [
            register.classes[class_id].name
            for class_id in sorted(
                entry.class_ids,
                key=lambda pk: (register.classes[pk].level, register.classes[pk].name),
            )
            if class_id in register.classes
        ]
        headline = f"No. {entry.name} is not approved for {subject}."
        allowed = False
        reasons.insert(
            0,
            f"{entry.name} is approved for "
            + (", ".join(allowed_names) + " data only." if allowed_names else "no data class yet."),
        )
    return Answer(
        allowed=allowed,
        headline=headline,
        tool=entry,
        data_class=data_class,
        reasons=reasons,
        other_tools=other_tools,
        ask=ask,
    )
