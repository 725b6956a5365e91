"""The error log: report in seconds, route to the owner who must act, stop the pilot on stop-now.

A stop-now entry pauses the pilot through the pilot status service, in the same transaction; an
entry whose failure mode already has a fixed entry on the same pilot is a repeat of it. An entry
is routed by its category through the company's escalation paths (support): the pilot's role or
lane on the path, else the company lane contact, else the pilot's stop authority.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.errors import ApplicationError, PermissionDenied
from common.events import pilot_facts_changed, stop_now_reported
from common.versions import check_version
from pilots import access
from pilots.models import Pilot
from support.escalation import REPORT_CATEGORY
from support.selectors import route_for

from ..models import ErrorEntry, FailureMode
from .report_task import task_details

Severity = ErrorEntry.Severity
STOP_NOW_RULE = "stop_now_error"

# What a reviewer fills in (or later completes); the fix is the owners' and the stop authority's.
ERROR_DETAIL_FIELDS = frozenset(
    {
        "what_went_wrong",
        "reference",
        "task_asked",
        "output",
        "why_wrong",
        "caught_by",
        "occurred_on",
        "frequency",
        "severity",
        "failure_mode",
        "category",
    }
)
ERROR_FIX_FIELDS = frozenset({"fix_kind", "fix_description", "fix_date", "fix_change"})
REPORT_FIELDS = frozenset({"severity", "reference", "task_asked", "output", "occurred_on"})
TEXT_FIELDS = (
    "what_went_wrong",
    "reference",
    "task_asked",
    "output",
    "why_wrong",
    "fix_description",
)


def may_edit_error(user, pilot: Pilot) -> bool:
    """Reviewers log and complete entries; owners and the stop authority edit them too."""
    return (
        access.can_review(user, pilot)
        or access.can_edit(user, pilot)
        or access.can_stop(user, pilot)
    )


def may_record_fix(user, pilot: Pilot) -> bool:
    return access.can_edit(user, pilot) or access.can_stop(user, pilot)


def may_resolve(user, entry: ErrorEntry) -> bool:
    """A stop-now entry is resolved by a stop authority; any other by an owner or the stop authority."""
    if entry.severity == Severity.STOP_NOW:
        return access.can_stop(user, entry.pilot)
    return may_record_fix(user, entry.pilot)


def failure_mode_for(*, pilot: Pilot, label: str) -> FailureMode | None:
    """Pick the pilot's tag matching `label`, or add it to the pilot's vocabulary."""
    label = " ".join((label or "").split())
    if not label:
        return None
    slug = slugify(label)[:60].strip("-")
    if not slug:
        message = "Name the failure mode with letters or digits, e.g. wrong delivery date."
        raise ApplicationError(message, field_errors={"failure_mode": [message]})
    mode, _ = FailureMode.objects.get_or_create(
        pilot=pilot, slug=slug, defaults={"label": label[:120]}
    )
    return mode


def _route(pilot: Pilot, entry: ErrorEntry) -> tuple[str, object]:
    """The role (or lane) that must act on the entry and the person holding it, from the
    company's escalation paths and its severity (stop-now goes to the stop authority); ("", None)
    without a category or when nobody holds any of them."""
    route = route_for(pilot=pilot, category=entry.category, severity=entry.severity)
    return route.role, route.person


def _earlier_fixed(entry: ErrorEntry) -> ErrorEntry | None:
    """The latest entry of the same pilot and failure mode that already has a recorded fix."""
    if entry.failure_mode_id is None:
        return None
    candidates = ErrorEntry.objects.filter(
        pilot_id=entry.pilot_id, failure_mode_id=entry.failure_mode_id
    ).exclude(fix_kind="")
    if entry.pk is not None:
        candidates = candidates.exclude(pk=entry.pk).filter(created_at__lt=entry.created_at)
    return candidates.order_by("-created_at", "-id").first()


def _clean(pilot: Pilot, data: dict) -> dict:
    """Normalise and check entry fields; raises ApplicationError with every field error."""
    data = dict(data)
    for name in TEXT_FIELDS:
        if name in data:
            data[name] = (data[name] or "").strip()
    errors: dict[str, list[str]] = {}
    if "what_went_wrong" in data and not data["what_went_wrong"]:
        errors["what_went_wrong"] = ["Say what went wrong, in a sentence."]
    for name, choices in (
        ("severity", Severity.values),
        ("frequency", ErrorEntry.Frequency.values),
        ("category", ErrorEntry.Category.values),
        ("fix_kind", ErrorEntry.FixKind.values),
    ):
        if name in data:
            data[name] = data[name] or ""
            if data[name] and data[name] not in choices:
                errors[name] = [f"“{data[name]}” is not one of the choices."]
    occurred_on = data.get("occurred_on")
    if "occurred_on" in data and occurred_on is None:
        data["occurred_on"] = timezone.localdate()
    elif occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = ["That day has not happened yet."]
    elif occurred_on and pilot.record_day_problem(occurred_on):
        errors["occurred_on"] = [pilot.record_day_problem(occurred_on)]
    if data.get("fix_date") and data["fix_date"] > timezone.localdate():
        errors["fix_date"] = ["That day has not happened yet."]
    change = data.get("fix_change")
    if change is not None and change.pilot_id != pilot.pk:
        errors["fix_change"] = ["Pick a change from this pilot's change log."]
    if "failure_mode" in data and not isinstance(data["failure_mode"], FailureMode | None):
        try:
            data["failure_mode"] = failure_mode_for(pilot=pilot, label=data["failure_mode"])
        except ApplicationError as error:
            errors.update(error.field_errors)
    elif data.get("failure_mode") is not None and data["failure_mode"].pilot_id != pilot.pk:
        errors["failure_mode"] = ["Pick a failure mode of this pilot."]
    for name, limit in (("reference", 300),):
        if len(data.get(name) or "") > limit:
            errors[name] = [f"Keep it under {limit} characters."]
    if errors:
        raise ApplicationError("The error entry could not be saved.", field_errors=errors)
    return data


def _complete_fix(entry: ErrorEntry) -> dict[str, list[str]]:
    if (entry.fix_description or entry.fix_change_id) and not entry.fix_kind:
        return {"fix_kind": ["Say what kind of fix it is."]}
    if entry.fix_kind and not entry.fix_date:
        entry.fix_date = timezone.localdate()
    return {}


def _stop_now(entry: ErrorEntry, by) -> None:
    """Pause the pilot and alert its stop authority for a stop-now entry, now and once: the rule
    engine acts in this transaction (common.events), as it does for every rule."""
    was_live = (
        Pilot.objects.filter(pk=entry.pilot_id)
        .exclude(status__in=[Pilot.Status.PAUSED, Pilot.Status.RETIRED])
        .exists()
    )
    reporter = (by.get_full_name() or by.get_username()) if by is not None else "a tool"
    summary = (
        entry.what_went_wrong
        if len(entry.what_went_wrong) <= 160
        else (entry.what_went_wrong[:159].rstrip() + "…")
    )
    stop_now_reported(
        entry.pilot_id, f"Stop-now error #{entry.pk}: {summary} (reported by {reporter})"
    )
    pilot = Pilot.objects.get(pk=entry.pilot_id)
    entry.pilot = pilot
    if was_live and pilot.status == Pilot.Status.PAUSED:
        entry.paused_pilot = True
        entry._history_user = by
        entry.save(update_fields=["paused_pilot", "updated_at"])


def open_stop_now_refusals(pilot: Pilot) -> list[str]:
    """A paused pilot does not resume while a stop-now error is open: the AI must not run the task
    until the error is resolved (its fix recorded)."""
    open_ids = list(
        ErrorEntry.objects.filter(
            pilot=pilot, severity=Severity.STOP_NOW, status=ErrorEntry.Status.OPEN
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not open_ids:
        return []
    numbers = ", ".join(f"#{pk}" for pk in open_ids)
    noun, them = ("error", "it") if len(open_ids) == 1 else ("errors", "them")
    return [
        f"Stop-now {noun} {numbers} still open: resolve {them} (record the fix) before resuming."
    ]


def _create(*, pilot: Pilot, by, data: dict) -> ErrorEntry:
    data = _clean(pilot, data)
    if data.get("caught_by") is None:
        data["caught_by"] = by
    entry = ErrorEntry(pilot=pilot, reported_by=by, **data)
    errors = _complete_fix(entry)
    if errors:
        raise ApplicationError("The error entry could not be saved.", field_errors=errors)
    entry.routed_role, entry.routed_to = _route(pilot, entry)
    entry.repeat_of = _earlier_fixed(entry)
    entry._history_user = by
    entry.save()
    if entry.severity == Severity.STOP_NOW:
        _stop_now(entry, by)
    pilot_facts_changed(pilot.pk)
    return entry


@transaction.atomic
def error_report(*, pilot: Pilot, by, what_went_wrong: str, **optional) -> ErrorEntry:
    """Report bad output in seconds: one required field; a reviewer completes the rest later.
    `task` (a task's source id) fills in the reference, what the AI was asked and produced."""
    if not access.can_report(by, pilot):
        raise PermissionDenied("Only people who can see this pilot report bad output on it.")
    task = optional.pop("task", "")
    unknown = set(optional) - REPORT_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    if task and task.strip():  # named by its source id: what the AI was asked and produced
        optional = task_details(pilot=pilot, source_id=task, given=optional)
    # Bad output is an output-quality concern until a reviewer completes the entry: the report is
    # routed (and timed) like one from the start.
    data = {"what_went_wrong": what_went_wrong, "category": REPORT_CATEGORY, **optional}
    return _create(pilot=pilot, by=by, data=data)


@transaction.atomic
def error_log(*, pilot: Pilot, by, what_went_wrong: str, **fields) -> ErrorEntry:
    """Log a full entry (reviewers); the fix, if given, is recorded by an owner or stop authority."""
    if not may_edit_error(by, pilot):
        raise PermissionDenied("Only the pilot's reviewers, owners and stop authority log errors.")
    unknown = set(fields) - ERROR_DETAIL_FIELDS - ERROR_FIX_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    gives_fix = any(fields[name] for name in set(fields) & ERROR_FIX_FIELDS)
    if gives_fix and not may_record_fix(by, pilot):
        raise PermissionDenied("Only the pilot's owners and stop authority record fixes.")
    return _create(pilot=pilot, by=by, data={"what_went_wrong": what_went_wrong, **fields})


def _locked(entry: ErrorEntry) -> ErrorEntry:
    return (
        ErrorEntry.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=entry.pk)
    )


@transaction.atomic
def error_update(
    *, entry: ErrorEntry, by, data: dict, expected_version: str | None = None
) -> ErrorEntry:
    """Complete or correct an entry, or record its fix; severity, category and mode take effect.

    With `expected_version`, an edit over someone else's newer one raises StaleEdit."""
    entry = _locked(entry)
    pilot = entry.pilot
    unknown = set(data) - ERROR_DETAIL_FIELDS - ERROR_FIX_FIELDS
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    if set(data) & ERROR_DETAIL_FIELDS and not may_edit_error(by, pilot):
        raise PermissionDenied(
            "Only the pilot's reviewers, owners and stop authority edit entries."
        )
    if set(data) & ERROR_FIX_FIELDS and not may_record_fix(by, pilot):
        raise PermissionDenied("Only the pilot's owners and stop authority record fixes.")
    check_version(entry, expected_version)
    data = _clean(pilot, data)
    if "occurred_on" in data and data["occurred_on"] is None:
        data.pop("occurred_on")
    changed = [name for name, value in data.items() if getattr(entry, name) != value]
    if not changed:
        return entry
    was_stop_now = entry.severity == Severity.STOP_NOW
    for name in changed:
        setattr(entry, name, data[name])
    errors = _complete_fix(entry)
    if errors:
        raise ApplicationError("The error entry could not be saved.", field_errors=errors)
    update_fields = {*changed, "fix_date"} if entry.fix_kind else set(changed)
    if {"category", "severity"} & set(changed):
        entry.routed_role, entry.routed_to = _route(pilot, entry)
        update_fields |= {"routed_role", "routed_to"}
    if "failure_mode" in changed:
        entry.repeat_of = _earlier_fixed(entry)
        update_fields.add("repeat_of")
    entry._history_user = by
    entry.save(update_fields=[*sorted(update_fields), "updated_at"])
    if (
        entry.severity == Severity.STOP_NOW
        and not was_stop_now
        and entry.status == entry.Status.OPEN
    ):
        _stop_now(entry, by)
    pilot_facts_changed(pilot.pk)
    return entry


@transaction.atomic
def error_resolve(*, entry: ErrorEntry, by, note: str = "") -> ErrorEntry:
    """Close an entry; a stop-now entry stays on top of the pilot page until a stop authority does."""
    entry = _locked(entry)
    if not may_resolve(by, entry):
        if entry.severity == Severity.STOP_NOW:
            raise PermissionDenied(
                "Only the stop authority (or their backup) resolves a stop-now error."
            )
        raise PermissionDenied("Only the pilot's owners and stop authority resolve errors.")
    if entry.status == ErrorEntry.Status.RESOLVED:
        raise ApplicationError("This entry is already resolved.")
    note = (note or "").strip()
    if entry.severity == Severity.STOP_NOW and not note:
        message = "Say what was checked before the stop-now error is resolved."
        raise ApplicationError(message, field_errors={"note": [message]})
    entry.status = ErrorEntry.Status.RESOLVED
    entry.resolved_at = timezone.now()
    entry.resolved_by = by
    entry.resolution_note = note
    entry._history_user = by
    entry.save(
        update_fields=["status", "resolved_at", "resolved_by", "resolution_note", "updated_at"]
    )
    pilot_facts_changed(entry.pilot_id)
    return entry
