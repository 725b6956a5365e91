"""Reads for decision rights and the change log."""

from django.db.models import QuerySet

from pilots.access import scope_by_pilot
from pilots.models import Pilot

from .models import Alert, Change, DecisionRight


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
