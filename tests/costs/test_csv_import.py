"""CSV import: a preview of what would be added, line-level errors, all lines or none."""

from decimal import Decimal

import pytest
from django.utils import timezone

from costs.models import CostEntry, DailyCost, Source
from costs.services import RowErrors, cost_csv_import, cost_csv_preview
from tests.pilots.factories import PilotFactory

D = Decimal
pytestmark = pytest.mark.django_db


def csv_for(pilot, today=None) -> str:
    day = (today or timezone.localdate()).isoformat()
    return (
        "pilot,date,category,amount,hours,hourly_rate,task_type,note\n"
        f"{pilot.pk},{day},model_api,12.40,,,,Gateway invoice\n"
        f"{pilot.name},{day},Reviewer time,,1.5,40,shipping update,Agent review\n"
        f"{pilot.pk},{day},tool_fees,49,,,,Logging tool\n"
    )


def test_preview_shows_what_would_be_added_and_saves_nothing(pilot, people):
    preview = cost_csv_preview(by=people["finance"], text=csv_for(pilot))
    assert preview.ok and not preview.errors
    assert [line.line for line in preview.lines] == [2, 3, 4]
    assert preview.total == D("121.40")
    assert preview.totals_by_category() == [
        ("Model and API spend", 1, D("12.40")),
        ("Reviewer time", 1, D("60.0000")),
        ("Tool fees", 1, D("49")),
    ]
    assert preview.totals_by_pilot() == [(pilot, 3, D("121.40"))]
    assert not CostEntry.objects.exists()


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line_and_the_field(pilot, people):
    text = csv_for(pilot) + f"{pilot.pk},2026-13-01,model_api,1.00,,,,\n" + f"{pilot.pk},,,,,,,\n"
    preview = cost_csv_preview(by=people["finance"], text=text)
    assert not preview.ok
    found = [(error.line, error.field) for error in preview.errors]
    assert (5, "date") in found
    assert {(6, "date"), (6, "category"), (6, "amount")} <= set(found)
    assert "YYYY-MM-DD" in next(
        e.message for e in preview.errors if (e.line, e.field) == (5, "date")
    )
    with pytest.raises(RowErrors) as error:
        cost_csv_import(by=people["finance"], text=text)
    assert {
        "line": 5,
        "field": "date",
        "message": "Write the date as YYYY-MM-DD, e.g. 2026-11-03.",
    } in (error.value.rows)
    assert not CostEntry.objects.exists() and not DailyCost.objects.exists()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(pilot, people):
    text = csv_for(pilot)
    result = cost_csv_import(by=people["finance"], text=text)
    assert result.count("created") == 3
    assert set(CostEntry.objects.values_list("source", flat=True)) == {Source.IMPORT}
    preview = cost_csv_preview(by=people["finance"], text=text)
    assert preview.existing_count == 3 and not preview.new_lines
    again = cost_csv_import(by=people["finance"], text=text)
    assert again.count("created") == 0 and again.count("existing") == 3
    assert CostEntry.objects.count() == 3


def test_two_identical_lines_in_one_file_are_two_costs(pilot, people):
    day = timezone.localdate().isoformat()
    line = f"{pilot.pk},{day},tool_fees,10,,,,Seat\n"
    result = cost_csv_import(
        by=people["owner"],
        text="pilot,date,category,amount,hours,hourly_rate,task_type,note\n" + line * 2,
    )
    assert result.count("created") == 2


def test_header_problems_are_reported_on_line_one(pilot, people):
    preview = cost_csv_preview(
        by=people["owner"], text="pilot,when,category,price\n1,2026-01-01,x,1\n"
    )
    fields = {error.field for error in preview.errors if error.line == 1}
    assert {"when", "price", "date", "amount"} <= fields


def test_a_default_pilot_fills_empty_pilot_cells(pilot, people):
    day = timezone.localdate().isoformat()
    text = (
        f"date;category;amount\n{day};model_api;3,5\n"  # semicolons; a comma is not a decimal point
    )
    preview = cost_csv_preview(by=people["owner"], text=text, default_pilot=pilot)
    assert [(error.line, error.field) for error in preview.errors] == [(2, "amount")]
    text = f"date;category;amount\n{day};model_api;3.5\n"
    preview = cost_csv_preview(by=people["owner"], text=text, default_pilot=pilot)
    assert preview.ok and preview.lines[0].row.pilot == pilot


def test_lines_for_pilots_the_importer_may_not_record_on_are_errors(pilot, people):
    other = PilotFactory(name="Someone else's")
    day = timezone.localdate().isoformat()
    text = f"pilot,date,category,amount\n{pilot.pk},{day},model_api,1\n{other.name},{day},model_api,1\n"
    preview = cost_csv_preview(by=people["owner"], text=text)
    assert [(error.line, error.field, error.message) for error in preview.errors] == [
        (3, "pilot", "No such pilot, or you cannot see it.")
    ]


def test_an_empty_file_and_a_header_without_lines_are_explained(people):
    assert (
        cost_csv_preview(by=people["owner"], text="")
        .errors[0]
        .message.startswith("The file is empty")
    )
    preview = cost_csv_preview(by=people["owner"], text="pilot,date,category,amount\n")
    assert preview.errors[0].message == "The file has a header but no lines to import."
