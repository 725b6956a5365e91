"""One rounding rule for money (common.money): the finance screen and its CSV files show the same
figures, to the cent, also when an amount ends in exactly half a cent."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from common.money import format_money, money_text, to_money, to_per_task
from costs import exports
from costs.figures import CostFigures, Period, PilotCosts
from costs.models import Category
from costs.selectors.dashboard import Dashboard, DashboardPilot
from tests.costs.factories import record_cost, record_tasks

D = Decimal


# --- The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exact", "cents"),
    [("30.025", "30.03"), ("394.565", "394.57"), ("0.005", "0.01"), ("2.675", "2.68")],
)
def test_half_a_cent_rounds_up_everywhere(exact, cents):
    assert to_money(D(exact)) == D(cents)  # half-even would give 30.02, 394.56, 0.00, 2.68
    assert money_text(D(exact)) == cents


def test_costs_per_task_keep_four_places_and_totals_two():
    assert to_per_task(D("0.33155")) == D("0.3316")
    assert money_text(D("0.02"), per_task=True) == "0.0200"
    assert format_money(D("0.02"), per_task=True).endswith("0.0200")
    assert format_money(D("1234.565")).endswith("1,234.57")
    assert format_money(None) == "" and money_text(None) == ""


def test_money_never_passes_through_float():
    with pytest.raises(TypeError):
        to_money(0.1)


# --- The screen against its CSV ----------------------------------------------------------------


class Tables(HTMLParser):
    """The text of every cell of every table, by the id of the section that holds the table."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._section = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self._section = dict(attrs).get("id")
        elif tag == "tr" and self._section:
            self.tables.setdefault(self._section, []).append([])
        elif tag in ("td", "th") and self._section:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._section][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def screen_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def as_number(shown: str) -> str:
    """'$1,234.57' → '1234.57'; the CSV holds plain numbers."""
    return shown.replace(",", "").lstrip("$€£").removesuffix(f" {settings.PILOTDECK_CURRENCY}")


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def reconcile(html: str, data_csv: dict[str, str]) -> None:
    """Every money figure in the page's trend and caps tables equals its CSV cell."""
    tables = screen_tables(html)
    trend_screen = [[as_number(cell) for cell in row[1:]] for row in tables["table-trend"][1:]]
    trend_csv = [row[1:] for row in csv_rows(data_csv["trend"])[1:]]
    assert trend_screen == trend_csv
    caps_screen = tables["table-caps"][1:]
    caps_csv = csv_rows(data_csv["caps"])[1:]
    for shown, exported in zip(caps_screen, caps_csv, strict=True):
        assert as_number(shown[4]) == exported[5]  # the month's spend
        assert as_number(shown[6].split(" (")[0]) == exported[9]  # the week's spend
    per_task_screen = tables["table-cost-per-task"][1:]
    per_task_csv = csv_rows(data_csv["cost-per-task"])[1:]
    for shown, exported in zip(per_task_screen, per_task_csv, strict=True):
        for screen_cell, csv_cell in ((shown[2], exported[4]), (shown[3], exported[5])):
            if csv_cell:
                assert as_number(screen_cell) == csv_cell
            else:
                assert screen_cell == "no completed tasks"


@pytest.mark.django_db
def test_the_finance_screen_and_its_csv_agree_to_the_cent_on_half_cents(pilot, people, client_for):
    """The case found: December model/API 30.025 showed 30.03 on screen, 30.02 in the CSV."""
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    by = people["owner"]
    record_cost(pilot, by, day=last_month, amount="30.025")
    record_cost(pilot, by, day=last_month, category="reviewer_time", amount="364.54")
    record_tasks(pilot, by, day=last_month, completed=7)
    client = client_for(people["finance"])
    query = {"month": f"{last_month:%Y-%m}"}
    html = client.get(reverse("costs:dashboard"), query).content.decode()
    data_csv = {
        table: client.get(reverse("costs:dashboard-csv", args=[table]), query).content.decode()
        for table in exports.TABLES
    }
    reconcile(html, data_csv)
    last = csv_rows(data_csv["trend"])[-1]
    assert last[1] == "30.03"  # Model and API spend
    assert last[-1] == "394.57"  # the exact total, 394.565, rounded half-up
    per_task = dict(zip(*csv_rows(data_csv["cost-per-task"])[:2], strict=True))
    assert per_task["Full cost per task, month (USD)"] == "56.3664"  # 394.565 / 7, four places
    assert per_task["Model/API cost per task, month (USD)"] == "4.2893"


# Amounts as the ledger keeps them: four places, many of them ending in half a cent.
AMOUNTS = st.one_of(
    st.decimals(min_value=0, max_value=5000, places=4),
    st.integers(min_value=0, max_value=500000).map(lambda cents: D(cents) / 100 + D("0.005")),
)
CATEGORIES = st.dictionaries(st.sampled_from(Category.values), AMOUNTS, max_size=len(Category))


def build_dashboard(trend: list[dict], spends: list[tuple[Decimal, Decimal, int]]) -> Dashboard:
    today = date(2026, 12, 20)
    month = Period(date(2026, 11, 1), date(2026, 11, 30))
    week = Period(date(2026, 11, 30), date(2026, 11, 30))
    rows = [
        PilotCosts(
            pilot=DashboardPilot(n + 1, f"Pilot {n}", "piloting", None, D("1000.00"), [], None),
            month_period=month,
            week_period=week,
            month=CostFigures(total=total, api=api, tasks=tasks),
            week=CostFigures(total=api, api=api, tasks=tasks),
        )
        for n, (total, api, tasks) in enumerate(spends)
    ]
    months = [date(2026, 11 - len(trend) + 1 + index, 1) for index in range(len(trend))]
    return Dashboard(month, week, rows, list(zip(months, trend, strict=True)), today=today)


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    trend=st.lists(CATEGORIES, min_size=1, max_size=6),
    spends=st.lists(st.tuples(AMOUNTS, AMOUNTS, st.integers(0, 900)), min_size=1, max_size=4),
)
def test_any_ledger_reconciles_screen_and_csv(trend, spends):
    data = build_dashboard(trend, spends)
    html = render_to_string(
        "costs/dashboard.html#finance-body",
        {"data": data, "is_finance": True, "query": "", "chart_data": {}},
    )
    data_csv = {}
    for table in exports.TABLES:
        stream = io.StringIO()
        exports.write(table, data, stream)
        data_csv[table] = stream.getvalue()
    reconcile(html, data_csv)
    for month, amounts in data.trend:  # a month's total is its exact sum, rounded once
        row = next(r for r in csv_rows(data_csv["trend"])[1:] if r[0] == f"{month:%Y-%m}")
        assert row[-1] == money_text(sum(amounts.values(), D("0")))
