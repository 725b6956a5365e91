"""Reads for decision rights and the change log."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from common.models import PendingEvaluation
from pilots.access import scope_by_pilot
from pilots.models import Pilot

from .models import Alert, AlertDelivery, Change, DecisionRight


def decision_rights_by_kind(*, pilot: Pilot) -> dict[str, DecisionRight]:
    rights = DecisionRight.objects.filter(pilot=pilot).select_related("owner", "backup")
    return {right.kind: right for right in rights}


def change_timeline(*, pilot: Pilot, limit: int = 30) -> list[Change]:
    return list(
        Change.objects.filter(pilot=pilot).select_related("requested_by", "approved_by")[:limit]
    )


def decision_right_list(*, user) -> QuerySet[DecisionRight]:
    return scope_by_pilot(user, DecisionRight.objects.select_related("owner", "backup")).order_by(
        "pilot_id", "kind"
    )


def change_list(*, user) -> QuerySet[Change]:
    return scope_by_pilot(
        user, Change.objects.select_related("requested_by", "approved_by")
    ).order_by("-created_at", "-id")


def alerts_for(*, pilot: Pilot, limit: int = 10) -> list[Alert]:
    """The pilot's latest alerts with their deliveries: two queries."""
    return list(Alert.objects.filter(pilot=pilot).prefetch_related("deliveries")[:limit])


def alert_list(*, user) -> QuerySet[Alert]:
    return scope_by_pilot(
        user, Alert.objects.select_related("pilot").prefetch_related("deliveries")
    )


def stale_work(
    *, evaluation_after_seconds: int = 30, delivery_after_minutes: int = 10
) -> tuple[list[int], list[int]]:
    """Outbox requests and deliveries that nothing is working on (their message was lost, e.g.
    while the broker was down): pilot ids to evaluate and delivery ids to send. Two queries."""
    now = timezone.now()
    pilot_ids = list(
        PendingEvaluation.objects.filter(
            requested_at__lt=now - timedelta(seconds=evaluation_after_seconds)
        )
        .order_by("requested_at")
        .values_list("pilot_id", flat=True)[:1000]
    )
    delivery_ids = list(
        AlertDelivery.objects.filter(
            status__in=[AlertDelivery.Status.PENDING, AlertDelivery.Status.FAILED],
            updated_at__lt=now - timedelta(minutes=delivery_after_minutes),
        ).values_list("pk", flat=True)[:1000]
    )
    return pilot_ids, delivery_ids
