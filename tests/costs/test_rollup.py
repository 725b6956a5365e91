"""The rollup equals the ledger summed per pilot and day, whatever happens to the ledger."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costs.models import Category, CostEntry, DailyCost
from costs.services import (
    cost_entries_push,
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
)
from tests.pilots.factories import PilotFactory, UserFactory

D = Decimal


def ledger_by_pilot_day_category() -> dict:
    rows = (
        CostEntry.objects.values("pilot_id", "date", "category")
        .annotate(amount=Sum("amount"), hours=Sum("hours"), n=Count("id"))
        .order_by()
    )
    return {
        (row["pilot_id"], row["date"], row["category"]): (
            row["amount"],
            row["hours"] or D("0"),
            row["n"],
        )
        for row in rows
    }


def rollup_by_pilot_day_category() -> dict:
    rows = (
        DailyCost.objects.values("pilot_id", "day", "category")
        .annotate(amount=Sum("total"), hours=Sum("hours"), n=Sum("entries"))
        .order_by()
    )
    return {
        (row["pilot_id"], row["day"], row["category"]): (row["amount"], row["hours"], row["n"])
        for row in rows
    }


class Rollback(Exception):
    pass


amounts = st.decimals(
    min_value=D("0"), max_value=D("5000"), places=4, allow_nan=False, allow_infinity=False
)
hours = st.decimals(min_value=D("0.0001"), max_value=D("12"), places=4)
rates = st.decimals(min_value=D("0"), max_value=D("200"), places=2)
categories = st.sampled_from(Category.values)
days_back = st.integers(min_value=0, max_value=4)
task_types = st.sampled_from(["", "shipping update", "password reset"])

insert = st.tuples(
    st.just("insert"),
    st.integers(0, 1),
    days_back,
    categories,
    task_types,
    st.one_of(amounts, st.tuples(hours, rates)),
)
push = st.tuples(
    st.just("push"),
    st.lists(st.tuples(st.integers(0, 1), days_back, categories, amounts), max_size=6),
)
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 50),
    st.one_of(st.none(), days_back),
    st.one_of(st.none(), categories),
    st.one_of(st.none(), amounts, st.tuples(hours, rates)),
)
delete = st.tuples(st.just("delete"), st.integers(0, 50))


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(st.one_of(insert, push, edit, delete), min_size=1, max_size=15))
def test_rollup_equals_the_ledger_after_random_inserts_edits_and_deletes(people, operations):
    admin = people["admin"]
    today = timezone.localdate()
    try:
        with transaction.atomic():
            pilots = [PilotFactory(), PilotFactory()]
            for operation in operations:
                kind = operation[0]
                if kind == "insert":
                    _, which, back, category, task_type, money = operation
                    values = (
                        {"amount": money}
                        if isinstance(money, Decimal)
                        else {"hours": money[0], "hourly_rate": money[1]}
                    )
                    cost_entry_create(
                        by=admin,
                        pilot=pilots[which],
                        date=today - timedelta(days=back),
                        category=category,
                        task_type=task_type,
                        **values,
                    )
                elif kind == "push":
                    rows = [
                        {
                            "pilot": pilots[which].pk,
                            "date": str(today - timedelta(days=back)),
                            "category": category,
                            "amount": str(amount),
                        }
                        for which, back, category, amount in operation[1]
                    ]
                    if rows:
                        cost_entries_push(by=admin, rows=rows)
                else:
                    entries = list(CostEntry.objects.order_by("pk"))
                    if not entries:
                        continue
                    entry = entries[operation[1] % len(entries)]
                    if kind == "delete":
                        cost_entry_delete(entry=entry, by=admin)
                        continue
                    _, _, back, category, money = operation
                    data = {}
                    if back is not None:
                        data["date"] = today - timedelta(days=back)
                    if category is not None:
                        data["category"] = category
                    if isinstance(money, Decimal):
                        data["amount"] = money
                    elif money is not None:
                        data["hours"], data["hourly_rate"] = money
                    cost_entry_update(entry=entry, by=admin, data=data)
            assert rollup_by_pilot_day_category() == ledger_by_pilot_day_category()
            assert not DailyCost.objects.filter(entries__lte=0).exists()
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db(transaction=True)
def test_rollup_equals_the_ledger_after_concurrent_inserts_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("This test proves row-level safety on PostgreSQL; run the suite against it.")
    admin = UserFactory(username="admin-concurrent", is_superuser=True, is_staff=True)
    pilot = PilotFactory()
    today = timezone.localdate()
    threads, per_thread, errors = 8, 25, []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                # Everyone adds to the same day and category (the same rollup row), half of them
                # through single entries and half through small pushes with idempotency keys.
                if n % 2:
                    cost_entry_create(
                        by=admin, pilot=pilot, date=today, category="model_api", amount=D("0.0301")
                    )
                else:
                    rows = [
                        {
                            "pilot": pilot.pk,
                            "date": str(today),
                            "category": "model_api",
                            "amount": "0.0301",
                            "idempotency_key": f"t{number}-{n}-{k}",
                        }
                        for k in range(3)
                    ]
                    cost_entries_push(by=admin, rows=rows)
        except Exception as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=writer, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    expected_entries = threads * (per_thread // 2 + (per_thread - per_thread // 2) * 3)
    assert CostEntry.objects.count() == expected_entries
    assert rollup_by_pilot_day_category() == ledger_by_pilot_day_category()
    row = DailyCost.objects.get()
    assert (row.total, row.entries) == (D("0.0301") * expected_entries, expected_entries)


@pytest.mark.django_db(transaction=True)
def test_the_same_push_sent_concurrently_twice_is_counted_once():
    admin = UserFactory(username="admin-retry", is_superuser=True, is_staff=True)
    pilot = PilotFactory()
    rows = [
        {
            "pilot": pilot.pk,
            "date": str(timezone.localdate()),
            "category": "model_api",
            "amount": "1.25",
            "idempotency_key": f"retry-{n}",
        }
        for n in range(200)
    ]
    results, errors = [], []
    start = threading.Barrier(2)

    def send() -> None:
        try:
            start.wait()
            results.append(cost_entries_push(by=admin, rows=rows))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=send) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(result.count("created") for result in results) == [0, 200]
    assert CostEntry.objects.count() == 200
    assert DailyCost.objects.get().total == D("250")
