"""Shared by the reviews tests: the HTMX request header, a sample's fields, a change to link."""

from decimal import Decimal

from governance.models import Change

HTMX = {"HTTP_HX_REQUEST": "true"}


def sample_data(week, **overrides):
    data = {
        "reference": "T-1",
        "produced_on": week.week_start,
        "produced_by": "ana",
        "case": "easy",
        "outcome": "sent_as_is",
        "minutes_with_ai": Decimal("2"),
        "manual_minutes": Decimal("6"),
    }
    return {**data, **overrides}


def change_for(pilot, people):
    return Change.objects.create(
        pilot=pilot,
        kind=Change.Kind.PROMPT,
        title="Quote the order's delivery window",
        hypothesis="Fewer wrong dates",
        requested_by=people["reviewer"],
    )
