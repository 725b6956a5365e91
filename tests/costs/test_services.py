"""The ledger services: rules, permissions, idempotency, all-or-nothing pushes and the rollup."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from common.errors import ApplicationError, PermissionDenied
from costs.models import CostEntry, DailyCost, Source, TaskVolume
from costs.services import (
    RowErrors,
    cost_entries_push,
    cost_entry_create,
    cost_entry_delete,
    cost_entry_update,
    rollup_rebuild,
    task_volume_set,
    task_volumes_push,
)
from tests.costs.factories import entry_row, record_cost
from tests.pilots.factories import PilotFactory

D = Decimal
pytestmark = pytest.mark.django_db


def rollup_matches_ledger() -> bool:
    ledger = {
        (row["pilot_id"], row["date"], row["category"], row["task_type"]): (row["amount"], row["n"])
        for row in CostEntry.objects.values("pilot_id", "date", "category", "task_type")
        .annotate(amount=Sum("amount"), n=Count("id"))
        .order_by()
    }
    rollup = {
        (row.pilot_id, row.day, row.category, row.task_type): (row.total, row.entries)
        for row in DailyCost.objects.all()
    }
    return ledger == rollup


def test_hours_times_rate_is_computed_and_both_are_stored(pilot, people):
    entry = record_cost(pilot, people["owner"], category="reviewer_time", hours="0.025", rate="40")
    assert (entry.hours, entry.hourly_rate, entry.amount) == (D("0.025"), D("40"), D("1.0000"))
    day = DailyCost.objects.get(pilot=pilot, category="reviewer_time")
    assert (day.total, day.hours, day.entries) == (D("1.0000"), D("0.0250"), 1)


def test_an_amount_that_contradicts_hours_times_rate_is_refused(pilot, people):
    with pytest.raises(ApplicationError) as error:
        record_cost(pilot, people["owner"], amount="2.00", hours="0.025", rate="40")
    assert "hours × rate (1)" in error.value.field_errors["amount"][0]
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": None}, "amount", "Give the amount, or the hours and the hourly rate."),
        ({"amount": D("-1")}, "amount", "cannot be negative"),
        ({"amount": D("0.00001")}, "amount", "at most 4 decimal places"),
        ({"amount": None, "hours": D("1")}, "hourly_rate", "Give the hourly rate"),
        ({"category": "lunch"}, "category", "is not a category"),
        ({"date_offset": 1}, "date", "in the future"),
    ],
)
def test_bad_entries_get_a_clear_error_next_to_the_field(pilot, people, fields, field, message):
    fields = dict(fields)
    day = timezone.localdate() + timedelta(days=fields.pop("date_offset", 0))
    values = {"category": "model_api", "amount": D("1"), **fields}
    with pytest.raises(ApplicationError) as error:
        cost_entry_create(by=people["owner"], pilot=pilot, date=day, **values)
    assert message in " ".join(error.value.field_errors[field])
    assert not CostEntry.objects.exists() and not DailyCost.objects.exists()


def test_money_passed_as_a_float_is_refused(pilot, people):
    with pytest.raises(ApplicationError) as error:
        cost_entry_create(
            by=people["owner"],
            pilot=pilot,
            date=timezone.localdate(),
            category="model_api",
            amount=0.1,
        )
    assert "not a float" in error.value.field_errors["amount"][0]


@pytest.mark.parametrize("who", ["owner", "tech", "finance", "admin"])
def test_owners_finance_and_admins_record_costs(pilot, people, who):
    record_cost(pilot, people[who], amount="1.00")
    assert CostEntry.objects.get().created_by == people[who]


@pytest.mark.parametrize("who", ["reviewer", "stopper", "stranger"])
def test_others_may_not_record_costs(pilot, people, who):
    with pytest.raises(PermissionDenied):
        record_cost(pilot, people[who], amount="1.00")


def test_the_same_key_twice_adds_nothing_the_second_time(pilot, people):
    first, created = cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=D("5"),
        idempotency_key="gw-1",
    )
    again, created_again = cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=D("5"),
        idempotency_key="gw-1",
    )
    assert created and not created_again and first.pk == again.pk
    assert DailyCost.objects.get().total == D("5")


def test_keys_are_unique_per_pilot_not_across_pilots(pilot, people):
    other = PilotFactory()
    rows = [entry_row(pilot, idempotency_key="k"), entry_row(other, idempotency_key="k")]
    result = cost_entries_push(by=people["admin"], rows=rows)
    assert result.count("created") == 2


def test_a_bulk_push_sent_twice_with_the_same_keys_adds_nothing_the_second_time(pilot, people):
    rows = [entry_row(pilot, amount="0.03", idempotency_key=f"call-{n}") for n in range(300)]
    first = cost_entries_push(by=people["tech"], rows=rows)
    assert first.count("created") == 300
    second = cost_entries_push(by=people["tech"], rows=rows)
    assert second.count("created") == 0 and second.count("existing") == 300
    assert [pk for _, pk in second.rows] == [pk for _, pk in first.rows]
    assert CostEntry.objects.count() == 300
    assert DailyCost.objects.get().total == D("9.0000")


def test_a_push_with_one_bad_row_saves_nothing_and_names_each_bad_row(pilot, people):
    rows = [entry_row(pilot) for _ in range(5)]
    rows[2]["amount"] = "three"
    rows[4]["category"] = "snacks"
    rows[4]["pilot"] = 999999
    with pytest.raises(RowErrors) as error:
        cost_entries_push(by=people["owner"], rows=rows)
    assert [row["index"] for row in error.value.rows] == [2, 4]
    assert "plain number" in error.value.rows[0]["errors"]["amount"][0]
    assert set(error.value.rows[1]["errors"]) == {"category", "pilot"}
    assert not CostEntry.objects.exists() and not DailyCost.objects.exists()


def test_a_key_repeated_inside_one_push_is_an_error(pilot, people):
    rows = [entry_row(pilot, idempotency_key="same"), entry_row(pilot, idempotency_key="same")]
    with pytest.raises(RowErrors) as error:
        cost_entries_push(by=people["owner"], rows=rows)
    assert error.value.rows == [
        {
            "index": 1,
            "errors": {"idempotency_key": ["This key already appears in row 0 of this push."]},
        }
    ]


def test_a_push_names_pilots_the_caller_may_not_record_on(pilot, people):
    hidden = PilotFactory()
    rows = [entry_row(pilot), entry_row(hidden)]
    with pytest.raises(RowErrors) as error:
        cost_entries_push(by=people["reviewer"], rows=rows)
    messages = {row["index"]: row["errors"]["pilot"][0] for row in error.value.rows}
    assert messages[0].startswith("Only the pilot's business or technical owner")
    assert messages[1] == "No such pilot, or you cannot see it."


def test_unknown_fields_and_payloads_that_are_not_lists_are_refused(pilot, people):
    with pytest.raises(RowErrors) as error:
        cost_entries_push(by=people["owner"], rows=[entry_row(pilot, amout="1")])
    assert error.value.rows[0]["errors"] == {"amout": ["Unknown field."]}
    with pytest.raises(ApplicationError):
        cost_entries_push(by=people["owner"], rows={"pilot": pilot.pk})
    with pytest.raises(ApplicationError):
        cost_entries_push(by=people["owner"], rows=[])


def test_editing_an_entry_moves_the_rollup_across_days_and_categories(pilot, people):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    entry = record_cost(pilot, people["owner"], amount="10.00", day=today)
    record_cost(pilot, people["owner"], amount="2.50", day=today)
    cost_entry_update(
        entry=entry, by=people["owner"], data={"date": yesterday, "category": "tool_fees"}
    )
    assert DailyCost.objects.get(day=today).total == D("2.5")
    moved = DailyCost.objects.get(day=yesterday)
    assert (moved.category, moved.total, moved.entries) == ("tool_fees", D("10"), 1)
    cost_entry_update(
        entry=entry, by=people["owner"], data={"hours": D("2"), "hourly_rate": D("30")}
    )
    entry.refresh_from_db()
    assert entry.amount == D("60")
    assert DailyCost.objects.get(day=yesterday).hours == D("2")
    cost_entry_update(entry=entry, by=people["owner"], data={"amount": D("7")})
    entry.refresh_from_db()
    assert (entry.amount, entry.hours, entry.hourly_rate) == (D("7"), None, None)
    assert rollup_matches_ledger()


def test_deleting_the_last_entry_of_a_day_removes_its_rollup_row(pilot, people):
    entry = record_cost(pilot, people["owner"], amount="4.00")
    cost_entry_delete(entry=entry, by=people["owner"])
    assert not DailyCost.objects.exists()
    assert CostEntry.history.filter(history_type="-").count() == 1


def test_reviewers_may_not_correct_or_delete_entries(pilot, people):
    entry = record_cost(pilot, people["owner"], amount="4.00")
    with pytest.raises(PermissionDenied):
        cost_entry_update(entry=entry, by=people["reviewer"], data={"amount": D("1")})
    with pytest.raises(PermissionDenied):
        cost_entry_delete(entry=entry, by=people["reviewer"])
    assert DailyCost.objects.get().total == D("4")


def test_the_pilot_and_key_of_an_entry_cannot_be_changed(pilot, people):
    entry = record_cost(pilot, people["owner"], amount="4.00")
    with pytest.raises(ApplicationError) as error:
        cost_entry_update(entry=entry, by=people["owner"], data={"idempotency_key": "x"})
    assert "idempotency_key" in error.value.field_errors


def test_rebuild_recomputes_a_damaged_rollup_and_running_it_again_changes_nothing(pilot, people):
    record_cost(pilot, people["owner"], amount="1.50")
    record_cost(pilot, people["owner"], category="rework", hours="0.5", rate="40")
    DailyCost.objects.update(total=D("999"))
    DailyCost.objects.create(
        pilot=pilot, day=timezone.localdate(), category="other", total=1, entries=1
    )
    assert rollup_rebuild() == 2
    assert rollup_matches_ledger()
    before = list(
        DailyCost.objects.order_by("category").values("category", "total", "hours", "entries")
    )
    call_command("costs_rollup_rebuild", pilot=[pilot.pk])
    after = list(
        DailyCost.objects.order_by("category").values("category", "total", "hours", "entries")
    )
    assert before == after
    assert after[1] == {"category": "rework", "total": D("20"), "hours": D("0.5"), "entries": 1}


def test_setting_a_days_volume_again_replaces_the_count(pilot, people):
    day = timezone.localdate()
    _, status = task_volume_set(by=people["owner"], pilot=pilot, date=day, completed=120)
    assert status == "created"
    volume, status = task_volume_set(by=people["owner"], pilot=pilot, date=day, completed=135)
    assert (status, volume.completed) == ("replaced", 135)
    _, status = task_volume_set(by=people["owner"], pilot=pilot, date=day, completed=135)
    assert status == "unchanged"
    assert TaskVolume.objects.get().completed == 135


def test_a_volume_push_creates_replaces_and_leaves_unchanged_rows(pilot, people):
    day = timezone.localdate()
    rows = [
        {"pilot": pilot.pk, "date": str(day - timedelta(days=n)), "completed": 100 + n}
        for n in range(3)
    ]
    first = task_volumes_push(by=people["tech"], rows=rows)
    assert first.count("created") == 3
    rows[0]["completed"] = 90
    second = task_volumes_push(by=people["tech"], rows=rows)
    assert (second.count("replaced"), second.count("unchanged")) == (1, 2)
    assert TaskVolume.objects.get(date=day).completed == 90
    assert TaskVolume.objects.get(date=day).source == Source.API


def test_a_volume_push_with_a_bad_row_saves_nothing(pilot, people):
    rows = [
        {"pilot": pilot.pk, "date": str(timezone.localdate()), "completed": 5},
        {"pilot": pilot.pk, "date": "yesterday", "completed": -1},
        {"pilot": pilot.pk, "date": str(timezone.localdate()), "completed": 7},
    ]
    with pytest.raises(RowErrors) as error:
        task_volumes_push(by=people["owner"], rows=rows)
    assert [row["index"] for row in error.value.rows] == [1, 2]
    assert set(error.value.rows[0]["errors"]) == {"date", "completed"}
    assert "already gives" in error.value.rows[1]["errors"]["date"][0]
    assert not TaskVolume.objects.exists()


def test_hours_times_rate_is_exact_where_float_rounding_would_lose_a_ten_thousandth(pilot, people):
    # 0.0375 h × 38.50 = 1.44375 → 1.4438 (half up). Through float it is 1.4437499… → 1.4437.
    entry = record_cost(
        pilot, people["owner"], category="reviewer_time", hours="0.0375", rate="38.50"
    )
    assert entry.amount == D("1.4438")
    ten_cents = [entry_row(pilot, amount="0.1") for _ in range(10)]
    cost_entries_push(by=people["owner"], rows=ten_cents)
    # ten times 0.1 is 1 exactly; as floats it is 0.9999999999999999
    assert DailyCost.objects.get(category="model_api").total == D("1.0000")


def test_pushed_rows_are_audited_with_who_pushed_them(pilot, people):
    cost_entries_push(by=people["tech"], rows=[entry_row(pilot) for _ in range(3)])
    records = CostEntry.history.filter(pilot_id=pilot.pk)
    assert records.count() == 3
    assert {(record.history_type, record.history_user_id) for record in records} == {
        ("+", people["tech"].pk)
    }
    day = str(timezone.localdate())
    task_volumes_push(by=people["tech"], rows=[{"pilot": pilot.pk, "date": day, "completed": 4}])
    task_volumes_push(by=people["owner"], rows=[{"pilot": pilot.pk, "date": day, "completed": 5}])
    changes = TaskVolume.history.order_by("history_id")
    assert [(r.history_type, r.completed, r.history_user_id) for r in changes] == [
        ("+", 4, people["tech"].pk),
        ("~", 5, people["owner"].pk),
    ]
    volume = TaskVolume.objects.get()
    assert volume.updated_at > volume.created_at and volume.recorded_by == people["owner"]


def test_too_many_rows_in_one_call_are_refused(pilot, people):
    with pytest.raises(ApplicationError) as error:
        cost_entries_push(by=people["owner"], rows=[entry_row(pilot)] * 10_001)
    assert "split the push" in error.value.message
