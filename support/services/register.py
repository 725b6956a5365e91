"""The approved tools register, the data classes and the human review requirements."""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed
from pilots.models import Pilot

from .. import access
from ..models import ApprovedTool, DataClass, ReviewRequirement
from .common import MAY_NOT_MANAGE, clean_or_raise, clean_text_list


@transaction.atomic
def data_class_save(
    *,
    by,
    name: str,
    rule: str,
    level: int = 1,
    aliases: Iterable[str] = (),
    needs_security_approval: bool = False,
    data_class: DataClass | None = None,
) -> DataClass:
    if not access.may_manage_register(by):
        raise PermissionDenied(MAY_NOT_MANAGE)
    data_class = data_class or DataClass()
    data_class.name = (name or "").strip()
    data_class.rule = (rule or "").strip()
    data_class.level = level
    data_class.aliases = clean_text_list(aliases, field="aliases")
    data_class.needs_security_approval = needs_security_approval
    if DataClass.objects.filter(name__iexact=data_class.name).exclude(pk=data_class.pk).exists():
        message = "A data class with this name already exists."
        raise ApplicationError(message, field_errors={"name": [message]})
    clean_or_raise(data_class)
    data_class._history_user = by
    data_class.save()
    return data_class


@transaction.atomic
def approved_tool_save(
    *,
    by,
    name: str,
    approved_for: str,
    data_classes: Iterable[DataClass] = (),
    review_date: date | None = None,
    approved_by=None,
    tool: ApprovedTool | None = None,
) -> ApprovedTool:
    """Add a tool to the register or change its entry; the approver defaults to whoever saves it."""
    if not access.may_manage_register(by):
        raise PermissionDenied(MAY_NOT_MANAGE)
    tool = tool or ApprovedTool()
    tool.name = " ".join((name or "").split())
    tool.approved_for = (approved_for or "").strip()
    tool.review_date = review_date
    tool.approved_by = approved_by or by
    errors = {}
    if (
        ApprovedTool.objects.annotate(lower=Lower("name"))
        .filter(lower=tool.name.lower())
        .exclude(pk=tool.pk)
        .exists()
    ):
        errors["name"] = ["This tool is already in the register."]
    if review_date and tool.pk is None and review_date < timezone.localdate():
        errors["review_date"] = ["A new approval cannot lapse before today."]
    if errors:
        raise ApplicationError("The tool could not be saved.", field_errors=errors)
    clean_or_raise(tool)
    tool._history_user = by
    try:
        with transaction.atomic():
            tool.save()
    except IntegrityError as error:  # two people added the same tool at the same moment
        message = "This tool is already in the register."
        raise ApplicationError(message, field_errors={"name": [message]}) from error
    tool.data_classes.set(list(data_classes))
    _changed_every_pilot_using(tool.name)
    return tool


@transaction.atomic
def approved_tool_delete(*, by, tool: ApprovedTool) -> None:
    if not access.may_manage_register(by):
        raise PermissionDenied(MAY_NOT_MANAGE)
    name = tool.name
    tool._history_user = by
    tool.delete()
    _changed_every_pilot_using(name)


def _changed_every_pilot_using(tool_name: str) -> None:
    """The readiness of the pilots using a tool changes with its approval: re-evaluate them."""
    lowered = tool_name.strip().lower()
    for pilot_id, tools in Pilot.objects.exclude(tools=[]).values_list("id", "tools"):
        if any(str(tool).strip().lower() == lowered for tool in tools or []):
            pilot_facts_changed(pilot_id)


@transaction.atomic
def review_requirement_set(*, by, area: str, review_required: bool, rule: str) -> ReviewRequirement:
    if not access.may_manage_register(by):
        raise PermissionDenied(MAY_NOT_MANAGE)
    if area not in Pilot.UseArea.values:
        raise ApplicationError("Unknown use area.", field_errors={"area": ["Pick a use area."]})
    requirement = ReviewRequirement.objects.filter(area=area).first() or ReviewRequirement(
        area=area
    )
    requirement.review_required = review_required
    requirement.rule = (rule or "").strip()
    clean_or_raise(requirement, exclude=["area"])
    requirement._history_user = by
    requirement.save()
    return requirement
