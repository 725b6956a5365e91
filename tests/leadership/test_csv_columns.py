"""The leadership CSV files name their columns for people, money with the currency, rounded as
every page rounds it (half-up to the cent), and keep number cells for numbers."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from costs.figures import Period
from leadership.exports import time_saved_rows
from leadership.selectors import Dashboard, WeekTotal, WeekValue

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("table", "first_columns"),
    [
        ("readiness", ["Pilot", "Team", "Status", "Ready to expand", "Why not"]),
        ("repeats", ["Pilot", "Repeats in the last 90 days", "Open repeats"]),
        ("resolution", ["Category", "Target (minutes)", "Raised"]),
        ("use-cases", ["Request", "Team", "Tool", "Requested by"]),
    ],
)
def test_columns_are_named_for_people(people, client_for, table, first_columns):
    header = rows_of(
        client_for(people["finance"]).get(reverse("leadership:dashboard-csv", args=[table]))
    )[0]
    assert header[: len(first_columns)] == first_columns
    assert not any("_" in name for name in header)


def test_time_saved_names_the_currency_and_flags_weeks_without_samples(settings):
    settings.PILOTDECK_CURRENCY = "EUR"
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    week = Period(monday, monday + timedelta(days=6))
    value = WeekValue(week=week, pilot_id=1, full_cost=Decimal("30.025"), tasks=10)
    row = SimpleNamespace(pilot=SimpleNamespace(name="Support drafts"), weeks=[value])

    total = WeekTotal(week=week, full_cost=Decimal("30.025"), values=[value])
    data = Dashboard(
        today=timezone.localdate(),
        since=timezone.now(),
        weeks=[week],
        rows=[row],
        totals=[total],
        concerns=[],
        resolution=[],
        use_cases={},
        approved=[],
    )
    header, pilot_row, all_row = list(time_saved_rows(data))
    assert "Full cost (EUR)" in header and "No reviewed samples" in header
    cells = dict(zip(header, pilot_row, strict=True))
    assert cells["Full cost (EUR)"] == Decimal("30.03")  # half-up, as the page shows it
    assert cells["Minutes saved per task"] is None  # empty in the file, not text
    assert cells["No reviewed samples"] == "yes"
    assert all_row[header.index("Full cost (EUR)")] == Decimal("30.03")
