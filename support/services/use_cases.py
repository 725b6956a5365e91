"""New use-case requests: proposed by anyone signed in, approved lane by lane; the last approval
turns the request into a draft pilot through `pilots.services.pilot_create`, with the person who
asked as its business owner and the request's answers filled in."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from pilots.models import Pilot, PilotRole
from pilots.services import pilot_create, team_get_or_create

from .. import access
from ..models import DataClass, DataSourceClass, UseCaseApproval, UseCaseRequest
from ..selectors import load_register

Kind = PilotRole.Kind


BUSINESS_REASON = "Business teams decide whether the workflow is worth it and own its outcome."


def approval_path(*, data_classes: Iterable[DataClass], tool: str) -> list[tuple[str, str]]:
    """The lanes that must approve a new use case, each with the reason, in the order they act."""
    register = load_register()
    classes = [register.classes[item.pk] for item in data_classes if item.pk in register.classes]
    entry = register.tool(tool)
    steps = [(Kind.LANE_BUSINESS, BUSINESS_REASON)]
    security = []
    sensitive = [row.name for row in classes if row.needs_security_approval]
    if sensitive:
        security.append(f"It touches {', '.join(sensitive)} data.")
    if entry is None:
        security.append(f"{tool} is not an approved tool yet.")
        steps.append(
            (Kind.LANE_IT, f"{tool} is not in the register: IT connects, secures and supports it.")
        )
    else:
        refused = [row.name for row in classes if row.id not in entry.class_ids]
        if refused:
            security.append(f"{entry.name} is not approved for {', '.join(refused)} data.")
        if entry.lapsed(timezone.localdate()):
            security.append(f"The approval of {entry.name} has lapsed.")
    if security:
        steps.insert(1, (Kind.LANE_SECURITY, " ".join(security)))
    return steps


@transaction.atomic
def use_case_request_create(
    *,
    by,
    name: str,
    task: str,
    team_name: str,
    data_classes: Iterable[DataClass],
    tool: str,
    data_detail: str = "",
    use_areas: Iterable[str] = (),
    benefit: str = "",
) -> UseCaseRequest:
    """Anyone signed in proposes a new AI use case; its approval path is set from the data rules."""
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to propose a use case.")
    data_classes = list(data_classes)
    use_areas = list(dict.fromkeys(use_areas or []))
    request = UseCaseRequest(
        name=(name or "").strip(),
        task=(task or "").strip(),
        team_name=" ".join((team_name or "").split()),
        tool=" ".join((tool or "").split()),
        data_detail=(data_detail or "").strip(),
        use_areas=use_areas,
        benefit=(benefit or "").strip(),
        requested_by=by,
    )
    errors: dict[str, list[str]] = {}
    if not data_classes:
        errors["data_classes"] = ["Pick the kinds of data it would touch."]
    if any(area not in Pilot.UseArea.values for area in use_areas):
        errors["use_areas"] = ["Pick use areas from the list."]
    try:
        request.full_clean(exclude=["use_areas"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ApplicationError("The request could not be sent.", field_errors=errors)
    request._history_user = by
    request.save()
    request.data_classes.set(data_classes)
    for lane, reason in approval_path(data_classes=data_classes, tool=request.tool):
        step = UseCaseApproval(request=request, lane=lane, reason=reason[:300])
        step._history_user = by
        step.save()
    return request


def _pilot_from(request: UseCaseRequest) -> Pilot:
    classes = list(request.data_classes.order_by("level", "name"))
    team = team_get_or_create(name=request.team_name) if request.team_name else None
    pilot = pilot_create(
        by=request.requested_by,
        name=request.name,
        team=team,
        summary=request.task,
        task_input=request.data_detail,
        data_sources=[data_class.name for data_class in classes],
        tools=[request.tool] if request.tool else [],
        use_areas=list(request.use_areas or []),
    )
    for data_class in classes:  # the sources are the classes themselves: classify them as such
        row = DataSourceClass(
            pilot=pilot, source=data_class.name, data_class=data_class, set_by=request.requested_by
        )
        row._history_user = request.requested_by
        row.save()
    return pilot


@transaction.atomic
def use_case_decide(
    *, request: UseCaseRequest, by, approve: bool, note: str = "", lane: str | None = None
) -> UseCaseRequest:
    """Approve or reject the steps `by` may decide (one lane, or every one they hold).

    One rejection rejects the request; the last approval turns it into a draft pilot."""
    request = UseCaseRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != UseCaseRequest.Status.PENDING:
        raise ApplicationError(f"This request is already {request.get_status_display().lower()}.")
    steps = list(
        UseCaseApproval.objects.select_for_update()
        .filter(request=request, decision=UseCaseApproval.Decision.PENDING)
        .select_related("request")
        .order_by("id")
    )
    if lane:
        steps = [step for step in steps if step.lane == lane]
    mine = [step for step in steps if access.may_decide_step(by, step)]
    if not mine:
        if request.requested_by_id == by.pk:
            raise PermissionDenied("You cannot approve your own request: the lane contacts do.")
        raise PermissionDenied(
            "Only the contacts of the lanes on this request's approval path decide it."
        )
    note = (note or "").strip()
    if not approve and not note:
        message = "Say why it is rejected, so the person who asked knows what to change."
        raise ApplicationError(message, field_errors={"note": [message]})
    now = timezone.now()
    decision = UseCaseApproval.Decision.APPROVED if approve else UseCaseApproval.Decision.REJECTED
    for step in mine:
        step.decision = decision
        step.decided_by = by
        step.note = note
        step.decided_at = now
        step._history_user = by
        step.save(update_fields=["decision", "decided_by", "note", "decided_at", "updated_at"])
    fields = []
    if not approve:
        request.status = UseCaseRequest.Status.REJECTED
        fields = ["status", "decided_at"]
    elif not request.approvals.filter(decision=UseCaseApproval.Decision.PENDING).exists():
        request.status = UseCaseRequest.Status.APPROVED
        request.pilot = _pilot_from(request)
        fields = ["status", "decided_at", "pilot"]
    if fields:
        request.decided_at = now
        request._history_user = by
        request.save(update_fields=[*fields, "updated_at"])
    return request
