"""Every write to pilots, their ownership matrix and their status goes through these functions."""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.versions import check_version

from . import access, status_cache
from .completeness import piloting_refusals
from .models import Pilot, PilotRole, StatusChange, Team

User = get_user_model()
Status = Pilot.Status

# Forward steps and one step back; pause and retire are allowed from any live state, and a pause
# resumes to the status the pilot had before it.
FORWARD = {
    Status.DRAFT: {Status.PILOTING},
    Status.PILOTING: {Status.EXPANDING},
    Status.EXPANDING: {Status.SCALED, Status.PILOTING},
    Status.SCALED: {Status.EXPANDING},
}

# Fields of the one page that people edit; anything else (status, timestamps) has its own service.
EDITABLE_FIELDS = frozenset(
    field.name
    for field in Pilot._meta.get_fields()
    if getattr(field, "editable", False)
    and field.concrete
    and field.name
    not in {
        "id",
        "status",
        "status_since",
        "status_reason",
        "status_before_pause",
        "created_at",
        "updated_at",
    }
)


# Apps above pilots add conditions on transitions (governance: readiness before expanding).
# A guard returns the reasons the move is refused; an empty list lets it through.
_TRANSITION_GUARDS: list[Callable[[Pilot, str], list[str]]] = []


def register_transition_guard(guard: Callable[[Pilot, str], list[str]]) -> None:
    if guard not in _TRANSITION_GUARDS:
        _TRANSITION_GUARDS.append(guard)


# Conditions on resuming a paused pilot (reviews: no stop-now error may still be open).
_RESUME_GUARDS: list[Callable[[Pilot], list[str]]] = []


def register_resume_guard(guard: Callable[[Pilot], list[str]]) -> None:
    if guard not in _RESUME_GUARDS:
        _RESUME_GUARDS.append(guard)


def resume_refusals(pilot: Pilot) -> list[str]:
    """Why a paused pilot may not resume yet, for the status panel and the refusal."""
    if pilot.status != Status.PAUSED:
        return []
    return [reason for guard in _RESUME_GUARDS for reason in guard(pilot)]


def _raise_as_application_error(error: ValidationError) -> None:
    field_errors = error.message_dict if hasattr(error, "error_dict") else {}
    message = "; ".join(error.messages)
    raise ApplicationError(message, field_errors=field_errors) from error


@transaction.atomic
def pilot_create(*, by, name: str, team: Team | None = None, **fields) -> Pilot:
    """Create a draft pilot; its creator becomes its business owner, so they can go on editing it."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    pilot = Pilot(name=name, team=team, status=Status.DRAFT, status_since=timezone.now(), **fields)
    try:
        pilot.full_clean()
    except ValidationError as error:
        _raise_as_application_error(error)
    pilot._history_user = by
    pilot.save()
    StatusChange.objects.create(
        pilot=pilot,
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        by=by,
        reason="Pilot created.",
    )
    role = PilotRole(pilot=pilot, kind=PilotRole.Kind.BUSINESS_OWNER, primary=by)
    role._history_user = by
    role.save()
    return pilot


@transaction.atomic
def pilot_update(*, pilot: Pilot, by, data: dict, expected_version: str | None = None) -> Pilot:
    """Change fields of the one page; refuses fields that have their own service.

    With `expected_version` (what the editor opened), a save over someone else's newer change is
    refused with StaleEdit instead of silently overwriting it.
    """
    if not access.can_edit(by, pilot):
        raise PermissionDenied(
            "Only the pilot's business or technical owner may edit its one page."
        )
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    current = Pilot.objects.select_for_update().get(pk=pilot.pk)
    check_version(current, expected_version)
    changed = [name for name, value in data.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, data[name])
    try:
        current.full_clean()
    except ValidationError as error:
        _raise_as_application_error(error)
    current._history_user = by
    current.save(update_fields=[*changed, "updated_at"])
    return current


@transaction.atomic
def pilot_set_versions(
    *, pilot: Pilot, by, prompt_version: str | None = None, model_version: str | None = None
) -> Pilot:
    """Record the prompt or model version an approved change put live.

    The approval by the decision right's owner is the authority here, so this does not require
    edit rights on the one page (a backup approver may not hold them).
    """
    data = {
        name: value
        for name, value in (("prompt_version", prompt_version), ("model_version", model_version))
        if value is not None and getattr(pilot, name) != value
    }
    if not data:
        return pilot
    for name, value in data.items():
        setattr(pilot, name, value)
    try:
        pilot.full_clean()
    except ValidationError as error:
        _raise_as_application_error(error)
    pilot._history_user = by
    pilot.save(update_fields=[*data, "updated_at"])
    return pilot


def allowed_transitions(*, pilot: Pilot, user) -> list[str]:
    """The statuses `user` may move `pilot` to now, for buttons and API docs."""
    return [status for status in Status.values if _transition_refusal(pilot, status, user) is None]


def _transition_refusal(pilot: Pilot, to_status: str, by) -> str | None:
    current = pilot.status
    if to_status == current:
        return f"The pilot is already {pilot.get_status_display().lower()}."
    if current == Status.RETIRED:
        return "A retired pilot stays retired."
    if to_status == Status.PAUSED:
        if by is not None and not access.can_stop(by, pilot):
            return "Only the stop authority (or their backup) may pause this pilot."
        return None
    if to_status == Status.RETIRED:
        if by is None or access.can_retire(by, pilot):
            return None
        return "Only the business owner (or the final sign-off's holder) may retire this pilot."
    if current == Status.PAUSED:
        if to_status != pilot.status_before_pause:
            before = Status(pilot.status_before_pause or Status.DRAFT).label.lower()
            return f"A paused pilot resumes to the status it had before the pause ({before})."
        if by is None or not access.can_stop(by, pilot):
            return "Only the stop authority (or their backup) may resume this pilot."
        return None
    if to_status not in FORWARD.get(current, set()):
        return f"A {Status(current).label.lower()} pilot cannot move to {Status(to_status).label.lower()}."
    if by is None or not access.can_edit(by, pilot):
        return "Only the pilot's business or technical owner may change its stage."
    return None


def _guard_refusals(pilot: Pilot, to_status: str) -> list[str]:
    own = piloting_refusals(pilot, to_status)  # pilots' own: a draft's required parts
    return own + [reason for guard in _TRANSITION_GUARDS for reason in guard(pilot, to_status)]


@transaction.atomic
def pilot_transition(*, pilot: Pilot, to_status: str, by, reason: str, rule: str = "") -> Pilot:
    """Move a pilot to another status, recording who (or which rule), when and why."""
    if to_status not in Status.values:
        raise ApplicationError(
            "Unknown status.", field_errors={"status": [f"'{to_status}' is not a status."]}
        )
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    refusal = _transition_refusal(pilot, to_status, by)
    if refusal and refusal.startswith("Only"):  # who may do it is answered before what was sent
        raise PermissionDenied(refusal)
    if refusal:
        raise ApplicationError(refusal, field_errors={"status": [refusal]})
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Say why.", field_errors={"reason": ["Give a reason for the change."]}
        )
    if pilot.status == Status.PAUSED and to_status != Status.RETIRED:
        reasons = resume_refusals(pilot)
        if reasons:
            raise ApplicationError(
                "The pilot cannot resume yet: " + " ".join(reasons),
                field_errors={"status": reasons},
            )
    if pilot.status != Status.PAUSED:  # resuming returns to a stage; it is not a step forward
        reasons = _guard_refusals(pilot, to_status)
        if reasons:
            label = Status(to_status).label.lower()
            raise ApplicationError(
                f"The pilot is not ready for {label}: " + " ".join(reasons),
                field_errors={"status": reasons},
            )
    now = timezone.now()
    from_status = pilot.status
    pilot.status_before_pause = from_status if to_status == Status.PAUSED else ""
    pilot.status = to_status
    pilot.status_since = now
    pilot.status_reason = reason
    pilot._history_user = by
    pilot.save(
        update_fields=[
            "status",
            "status_since",
            "status_reason",
            "status_before_pause",
            "updated_at",
        ]
    )
    StatusChange.objects.create(
        pilot=pilot,
        from_status=from_status,
        to_status=to_status,
        by=by,
        rule=rule,
        reason=reason,
        at=now,
    )
    # Gateways answer from the status cache: publish the new record the moment this commits.
    transaction.on_commit(lambda: status_cache.publish(pilot))
    return pilot


def pilot_pause(*, pilot: Pilot, by, reason: str, rule: str = "") -> Pilot:
    """Pause a pilot; pausing a paused (or retired) pilot again is harmless and records nothing."""
    current = Pilot.objects.only("status").get(pk=pilot.pk).status
    if current in {Status.PAUSED, Status.RETIRED}:
        pilot.refresh_from_db()
        return pilot
    return pilot_transition(pilot=pilot, to_status=Status.PAUSED, by=by, reason=reason, rule=rule)


@transaction.atomic
def role_assign(
    *,
    pilot: Pilot,
    kind: str,
    by,
    primary=None,
    backup=None,
    response_minutes: int | None = None,
    members: Iterable | None = None,
    expected_version: str | None = None,
) -> PilotRole:
    """Set one row of the ownership matrix; the backup must be a different person.

    With `expected_version`, a save over someone else's newer change raises StaleEdit."""
    if not access.can_edit(by, pilot):
        raise PermissionDenied(
            "Only the pilot's business or technical owner may change its owners."
        )
    if kind not in PilotRole.Kind.values:
        raise ApplicationError("Unknown role.", field_errors={"kind": [f"'{kind}' is not a role."]})
    errors: dict[str, list[str]] = {}
    if primary is not None and backup is not None and primary.pk == backup.pk:
        errors["backup"] = ["The backup must be a different person from the primary."]
    if backup is not None and primary is None:
        errors["primary"] = ["Name the primary before the backup."]
    members = list(members or [])
    if kind != PilotRole.Kind.REVIEWER and members:
        errors["members"] = ["Only the reviewer role takes a named group."]
    if errors:
        raise ApplicationError("The role could not be saved.", field_errors=errors)
    role = PilotRole.objects.select_for_update().filter(
        pilot=pilot, kind=kind
    ).first() or PilotRole(pilot=pilot, kind=kind)
    if role.pk:
        check_version(role, expected_version)
    role.primary = primary
    role.backup = backup
    role.response_minutes = response_minutes
    role._history_user = by
    role.save()
    role.members.set(
        [member for member in members if member.pk not in {getattr(primary, "pk", None)}]
    )
    pilot.__dict__.pop("_roles_by_user", None)
    return role


def team_get_or_create(*, name: str) -> Team:
    team, _ = Team.objects.get_or_create(name=name.strip())
    return team
