"""The approved tools register, the data classes and the pilots' data-source classes."""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pilots import access
from pilots.models import Pilot
from pilots.selectors import pilot_ids_q

from ..classify import ClassRow, Register, ToolRow, tool_problems
from ..models import ApprovedTool, DataClass, DataSourceClass, ReviewRequirement


def load_register() -> Register:
    """Every data class and approved tool, with the classes each tool may touch: two queries."""
    classes = {
        row["id"]: ClassRow(
            id=row["id"],
            name=row["name"],
            level=row["level"],
            rule=row["rule"],
            needs_security_approval=row["needs_security_approval"],
            aliases=tuple(str(alias) for alias in row["aliases"] or ()),
        )
        for row in DataClass.objects.values(
            "id", "name", "level", "rule", "needs_security_approval", "aliases"
        )
    }
    grouped: dict[int, dict] = {}
    for row in ApprovedTool.objects.values(
        "id", "name", "review_date", "approved_for", "data_classes__id"
    ).order_by("name", "id"):
        entry = grouped.setdefault(row["id"], {**row, "class_ids": set()})
        if row["data_classes__id"] is not None:
            entry["class_ids"].add(row["data_classes__id"])
    tools = {
        entry["name"].strip().lower(): ToolRow(
            id=entry["id"],
            name=entry["name"],
            class_ids=frozenset(entry["class_ids"]),
            review_date=entry["review_date"],
            approved_for=entry["approved_for"],
        )
        for entry in grouped.values()
    }
    return Register(classes=classes, tools=tools)


def data_source_mappings(pilot_ids) -> dict[int, dict[str, int]]:
    """The data classes owners set on their pilots' data sources: one query."""
    mappings: dict[int, dict[str, int]] = defaultdict(dict)
    for row in DataSourceClass.objects.filter(pilot_ids_q(pilot_ids)).values(
        "pilot_id", "source", "data_class_id"
    ):
        mappings[row["pilot_id"]][row["source"]] = row["data_class_id"]
    return mappings


def tool_data_problems(
    *, pilot_ids, declared: dict[int, tuple[list, list]] | None = None, today: date | None = None
) -> dict[int, list[str]]:
    """Per pilot, its tools that are not approved for the data classes of its data sources, in
    plain words ("Order lookup is not approved for Personal / HR data").

    Three queries for any number of pilots (four without `declared`, which maps a pilot id to its
    (tools, data_sources) when the caller has already loaded them).
    """
    pilot_ids = list(pilot_ids)
    if declared is None:
        declared = {
            row["id"]: (row["tools"], row["data_sources"])
            for row in Pilot.objects.filter(pk__in=pilot_ids).values("id", "tools", "data_sources")
        }
    today = today or timezone.localdate()
    register = load_register()
    mappings = data_source_mappings(pilot_ids)
    problems = {}
    for pilot_id in pilot_ids:
        tools, sources = declared.get(pilot_id, ([], []))
        classified = register.classify(sources, mappings.get(pilot_id, {}))
        problems[pilot_id] = tool_problems(
            tools=tools, classified=classified, register=register, today=today
        )
    return problems


def approved_tool_names() -> list[str]:
    return list(ApprovedTool.objects.order_by("name").values_list("name", flat=True))


def data_class_names() -> list[str]:
    return list(DataClass.objects.order_by("level", "name").values_list("name", flat=True))


def approved_tool_list() -> QuerySet[ApprovedTool]:
    return ApprovedTool.objects.select_related("approved_by").prefetch_related(
        Prefetch("data_classes", queryset=DataClass.objects.order_by("level", "name"))
    )


def data_class_list() -> QuerySet[DataClass]:
    return DataClass.objects.prefetch_related(
        Prefetch("tools", queryset=ApprovedTool.objects.order_by("name"))
    ).order_by("level", "name")


def review_requirement_list() -> QuerySet[ReviewRequirement]:
    return ReviewRequirement.objects.order_by("area")


def data_source_class_list(*, user) -> QuerySet[DataSourceClass]:
    return access.scope_by_pilot(user, DataSourceClass.objects.select_related("data_class"))
