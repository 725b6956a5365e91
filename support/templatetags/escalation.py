"""`{{ entry|response_time }}`: whether an error entry was answered within its escalation target.

The entry must carry `target_minutes` and `first_fix_at` (reviews.selectors annotates every list
of entries with them), so the filter runs no query."""

from django import template
from django.utils import timezone

from pilots.models import PilotRole

from ..escalation import ResponseTime, first_answer, response_time

register = template.Library()


@register.filter(name="response_time")
def response_time_filter(entry) -> ResponseTime | None:
    target = getattr(entry, "target_minutes", None)
    if not target or entry.created_at is None:
        return None
    return response_time(
        raised_at=entry.created_at,
        answered_at=first_answer(entry.resolved_at, getattr(entry, "first_fix_at", None)),
        target_minutes=target,
        now=timezone.now(),
    )


@register.filter
def route_label(kind: str) -> str:
    """'technical_owner' → 'technical owner', 'lane_it' → 'IT lane', 'lane_security' → 'security
    lane': who an entry went to, inside a sentence."""
    if kind not in PilotRole.Kind.values:
        return ""
    label = PilotRole.Kind(kind).label
    if kind in PilotRole.LANES:
        return f"{label if label.isupper() else label.lower()} lane"
    return label.lower()
