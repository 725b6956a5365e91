"""The monthly rollup (what the dashboard's trend reads) equals the ledger summed per pilot, month
and category, whatever happens to the ledger, across month boundaries too; and the dashboard's
faster reads (no pilot filter for finance, a subquery or one array otherwise) agree."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costs.figures import Period
from costs.models import Category, CostEntry, MonthlyCost
from costs.selectors import dashboard, monthly_trend, period_figures
from costs.services import (
    cost_entries_push,
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
    rollup_rebuild,
)
from pilots.selectors import pilot_ids_q
from tests.costs.factories import record_cost, record_tasks
from tests.pilots.factories import PilotFactory, RoleFactory

D = Decimal
TODAY = date(2026, 11, 3)  # a few days into a month, so "days back" crosses into October


def ledger_by_month() -> dict:
    rows = (
        CostEntry.objects.annotate(month=TruncMonth("date"))
        .values("pilot_id", "month", "category")
        .annotate(amount=Sum("amount"), n=Count("id"))
        .order_by()
    )
    return {
        (row["pilot_id"], row["month"], row["category"]): (row["amount"], row["n"]) for row in rows
    }


def rollup_by_month() -> dict:
    return {
        (row.pilot_id, row.month, row.category): (row.total, row.entries)
        for row in MonthlyCost.objects.all()
    }


amounts = st.decimals(min_value=D("0"), max_value=D("5000"), places=4)
operation = st.one_of(
    st.tuples(
        st.just("insert"),
        st.integers(0, 1),
        st.integers(0, 40),
        st.sampled_from(Category.values),
        amounts,
    ),
    st.tuples(st.just("edit"), st.integers(0, 50), st.integers(0, 40), amounts),
    st.tuples(st.just("delete"), st.integers(0, 50)),
)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_the_monthly_rollup_equals_the_ledger_after_inserts_edits_and_deletes(
    people, today, operations
):
    MonthlyCost.objects.all().delete()
    CostEntry.objects.all().delete()
    admin = people["admin"]
    pilots = [PilotFactory(), PilotFactory()]
    for step in operations:
        if step[0] == "insert":
            _, which, back, category, amount = step
            cost_entry_create(
                by=admin,
                pilot=pilots[which],
                date=today - timedelta(days=back),
                category=category,
                amount=amount,
            )
            continue
        entries = list(CostEntry.objects.order_by("pk"))
        if not entries:
            continue
        entry = entries[step[1] % len(entries)]
        if step[0] == "delete":
            cost_entry_delete(entry=entry, by=admin)
        else:
            cost_entry_update(
                entry=entry,
                by=admin,
                data={"date": today - timedelta(days=step[2]), "amount": step[3]},
            )
    assert rollup_by_month() == ledger_by_month()
    assert not MonthlyCost.objects.filter(entries__lte=0).exists()


@pytest.mark.django_db
def test_a_push_lands_in_each_month_and_a_rebuild_gives_the_same_rows(people, today):
    pilot = PilotFactory()
    rows = [
        {"pilot": pilot.pk, "date": str(day), "category": "model_api", "amount": "1.5000"}
        for day in (today, today - timedelta(days=1), today - timedelta(days=10))
    ]
    cost_entries_push(by=people["admin"], rows=rows)
    pushed = rollup_by_month()
    assert pushed == {
        (pilot.pk, date(2026, 11, 1), "model_api"): (D("3.0000"), 2),
        (pilot.pk, date(2026, 10, 1), "model_api"): (D("1.5000"), 1),
    }
    rollup_rebuild()
    assert rollup_by_month() == pushed
    rollup_rebuild(pilot_ids=[pilot.pk])
    assert rollup_by_month() == pushed
    trend = monthly_trend(pilot_ids=[pilot.pk], months=[date(2026, 10, 1), date(2026, 11, 1)])
    assert trend == [
        (date(2026, 10, 1), {"model_api": D("1.5000")}),
        (date(2026, 11, 1), {"model_api": D("3.0000")}),
    ]


@pytest.mark.django_db
def test_the_dashboard_gives_every_pilot_the_same_figures_with_or_without_a_filter(people, today):
    """Finance and admins read every pilot without a pilot filter; a team filter or an owner's
    scope reads through a subquery; a list of ids through one array. All must agree."""
    owner = people["owner"]
    mine, theirs = PilotFactory(), PilotFactory()
    RoleFactory(pilot=mine, kind="business_owner", primary=owner)
    for pilot, amount in ((mine, "12.5"), (theirs, "40")):
        record_cost(pilot, people["admin"], day=today, amount=amount)
        record_cost(pilot, people["admin"], day=today - timedelta(days=40), amount="1")
        record_tasks(pilot, people["admin"], day=today, completed=10)

    def figures(user, **filters):
        data = dashboard(user=user, month=today.replace(day=1), today=today, **filters)
        return {row.pilot.pk: (row.month.total, row.month.tasks) for row in data.rows}, data.trend

    everyone, trend = figures(people["finance"])
    assert everyone == {mine.pk: (D("12.5000"), 10), theirs.pk: (D("40.0000"), 10)}
    assert figures(people["admin"]) == (everyone, trend)
    assert figures(people["finance"], team=mine.team_id)[0] == {mine.pk: everyone[mine.pk]}
    assert figures(owner)[0] == {mine.pk: everyone[mine.pk]}
    by_ids = period_figures(
        pilot_ids=[mine.pk, theirs.pk],
        periods={"month": Period(today.replace(day=1), today)},
    )
    assert {
        pk: (sums["month"].total, sums["month"].tasks) for pk, sums in by_ids.items()
    } == everyone


@pytest.mark.django_db
def test_pilot_ids_q_selects_what_in_selects(people):
    pilots = [PilotFactory() for _ in range(3)]
    for pilot in pilots:
        record_cost(pilot, people["admin"], amount="1")
    wanted = [pilots[0].pk, pilots[2].pk, 999_999]
    chosen = CostEntry.objects.filter(pilot_ids_q(wanted)).values_list("pilot_id", flat=True)
    assert sorted(chosen) == sorted(wanted[:2])
    assert not CostEntry.objects.filter(pilot_ids_q([])).exists()
    through = CostEntry.objects.filter(pilot_ids_q([pilots[1].pk], "pilot__id"))
    assert list(through.values_list("pilot_id", flat=True)) == [pilots[1].pk]
