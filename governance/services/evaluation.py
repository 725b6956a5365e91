"""Evaluate the stop rules for many pilots and act on what they find: pause, alert, block."""

from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from common.events import on_stop_now_reported
from common.models import PendingEvaluation
from pilots import access
from pilots.models import Pilot
from pilots.services import pilot_pause, register_transition_guard
from reviews.models import ErrorEntry
from support.selectors import escalation_paths

from ..facts import gather_facts
from ..models import Alert, RuleSettings
from ..rules import RULES, evaluate, readiness_checks
from .alerts import alert_raise

STOP_NOW_RULE = "stop_now_error"


@dataclass
class EvaluationResult:
    pilots: int = 0
    alerts: list[Alert] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)


def pilots_evaluate(*, pilot_ids=None, today=None) -> EvaluationResult:
    """Evaluate every active pilot (or the given ones) in a fixed number of queries.

    A breach acts once: the alert's unique dedupe key (pilot, rule, period) decides, so the same
    breach evaluated twice — or by two evaluations at the same moment — alerts and pauses once.
    After a stop authority resumes, the same breach does not pause again; a new one does.
    """
    started = timezone.now()
    facts = gather_facts(pilot_ids=pilot_ids, today=today)
    verdicts = {f.pilot_id: evaluate(f) for f in facts}
    keys = {
        f"{pilot_id}:{v.rule}:{v.period}" for pilot_id, found in verdicts.items() for v in found
    }
    already = (
        set(Alert.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        if keys
        else set()
    )
    result = EvaluationResult(pilots=len(facts))
    for pilot_id, found in verdicts.items():
        new = [v for v in found if f"{pilot_id}:{v.rule}:{v.period}" not in already]
        if new:
            _act(pilot_id, new, result)
    # The outbox requests this evaluation answered (newer ones stay for the next run).
    answered = PendingEvaluation.objects.filter(requested_at__lte=started)
    if pilot_ids is not None:
        answered = answered.filter(pilot_id__in=list(pilot_ids))
    answered.delete()
    return result


def _act(pilot_id: int, verdicts: list, result: EvaluationResult, reason: str = "") -> None:
    """Alert each new breach once and pause where its rule says so. A pilot already paused (by
    hand or by another rule) is not paused again, but its stop authority is still told."""
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot_id)
        for verdict in verdicts:
            pauses = verdict.pauses and pilot.status not in {
                Pilot.Status.PAUSED,
                Pilot.Status.RETIRED,
            }
            alert = alert_raise(pilot=pilot, verdict=verdict, paused=pauses)
            if alert is None:
                continue  # another evaluation stored this breach first
            result.alerts.append(alert)
            if pauses:
                pilot = pilot_pause(
                    pilot=pilot, by=None, reason=reason or verdict.message, rule=verdict.rule
                )
                result.paused.append(pilot_id)


def stop_now_act(pilot_id: int, reason: str) -> EvaluationResult:
    """A stop-now error was just reported: the stop-now rule runs now, in the reporting
    transaction, whatever the pilot's status (a paused pilot's stop authority hears of it too)."""
    facts = gather_facts(pilot_ids=[pilot_id], active_only=False)
    result = EvaluationResult(pilots=len(facts))
    if facts:
        found = RULES[STOP_NOW_RULE](facts[0])  # not switchable off: a stop-now error always stops
        latest = ErrorEntry.objects.filter(pk__in=facts[0].open_stop_now_error_ids).order_by("-pk")
        category = latest.values_list("category", flat=True).first()
        if category:  # the lane the category names hears of it too
            lane = escalation_paths()[category].route_to
            found = [replace(v, notify=(*v.notify, lane)) for v in found]
        if found:
            _act(pilot_id, found, result, reason=reason)
    return result


on_stop_now_reported(stop_now_act)


def expansion_refusals(pilot: Pilot) -> list[str]:
    """Why `pilot` may not move to expanding now: failing readiness checks and blocking rules."""
    facts = gather_facts(pilot_ids=[pilot.pk], active_only=False)
    if not facts:
        return []
    reasons = [
        f"{check.title}: {check.reason}" for check in readiness_checks(facts[0]) if not check.passed
    ]
    reasons += [verdict.message for verdict in evaluate(facts[0]) if verdict.blocks_expansion]
    return list(dict.fromkeys(reasons))


def _guard(pilot: Pilot, to_status: str) -> list[str]:
    return expansion_refusals(pilot) if to_status == Pilot.Status.EXPANDING else []


register_transition_guard(_guard)

RULE_SETTING_FIELDS = (
    "review_grace_days",
    "rising_weeks",
    "max_live_changes_per_week",
    "max_failure_percent",
    "disabled_rules",
    "webhook_url",
    "webhook_secret",
)


@transaction.atomic
def rule_settings_update(*, pilot: Pilot, by, data: dict) -> RuleSettings:
    if not access.can_edit(by, pilot):
        raise PermissionDenied("Only the pilot's owners change its stop rules.")
    unknown = set(data) - set(RULE_SETTING_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    bad_rules = set(data.get("disabled_rules") or []) - set(RULES)
    if bad_rules:
        raise ApplicationError(
            "Unknown rules.",
            field_errors={"disabled_rules": [f"Unknown: {', '.join(sorted(bad_rules))}"]},
        )
    settings_row = RuleSettings.objects.select_for_update().filter(
        pilot=pilot
    ).first() or RuleSettings(pilot=pilot)
    for name, value in data.items():
        setattr(settings_row, name, value)
    try:
        settings_row.full_clean()
    except ValidationError as error:
        raise ApplicationError(
            "The rule settings could not be saved.", field_errors=error.message_dict
        ) from error
    settings_row._history_user = by
    settings_row.save()
    return settings_row
