"""Every bulk row parser and the CSV import refuse what their single-row endpoint refuses.

Each hostile value goes into one field of an otherwise valid row: the answer is a 400 naming the
field (or the row is stored as sent, for text PostgreSQL can hold), never a 500, and nothing of a
refused batch is saved.
"""

import json

import pytest
from django.db import transaction
from django.utils import timezone

from common.validators import NUL_MESSAGE
from costs.models import CostEntry, TaskVolume
from costs.services import RowErrors, cost_csv_import
from reviews.models import Sample
from tests.costs.factories import entry_row
from tests.hostile import HOSTILE
from tests.reviews.factories import ReviewWeekFactory
from tests.reviews.test_api import row as sample_row

pytestmark = pytest.mark.django_db

NUL = HOSTILE["NUL byte"]


class Rollback(Exception):
    pass


def volume_row(pilot, **overrides):
    return {
        "pilot": pilot.pk,
        "date": timezone.localdate().isoformat(),
        "completed": 40,
        **overrides,
    }


def bulk_answers(api, url, valid_row: dict) -> list[tuple[str, str, int, str]]:
    """(field, hostile name, status, body) for each field of the row and each hostile value."""
    answers = []
    for field in valid_row:
        for name, value in HOSTILE.items():
            body = json.dumps([{**valid_row, field: value}])
            try:
                with transaction.atomic():
                    response = api.generic("POST", url, body, content_type="application/json")
                    raise Rollback
            except Rollback:
                pass
            answers.append((field, name, response.status_code, response.content.decode()))
    return answers


def assert_refused_like_single_rows(answers, text_fields):
    server_errors = [a[:3] for a in answers if a[2] >= 500]
    assert not server_errors
    for field, name, code, body in answers:
        if name in {"NUL byte", "lone surrogate"} and field in text_fields:
            assert code == 400, (field, name, body)
            assert field in body
            message = NUL_MESSAGE if name == "NUL byte" else "Surrogate characters are not allowed"
            assert message in body, (field, body)


@pytest.mark.parametrize("url", ["/api/cost-entries/bulk"])
def test_cost_rows_with_hostile_values_are_refused_never_500(pilot, people, api_for, url):
    valid = entry_row(pilot, note="Gateway invoice", task_type="refund", idempotency_key="gw-1")
    valid["currency"] = "EUR"
    answers = bulk_answers(api_for(people["tech"]), url, valid)
    assert_refused_like_single_rows(answers, {"note", "task_type", "idempotency_key"})
    assert not CostEntry.objects.exists()


def test_volume_rows_with_hostile_values_are_refused_never_500(pilot, people, api_for):
    valid = volume_row(pilot, task_type="refund")
    answers = bulk_answers(api_for(people["tech"]), "/api/task-volumes/bulk", valid)
    assert_refused_like_single_rows(answers, {"task_type"})
    assert not TaskVolume.objects.exists()


def test_sample_rows_with_hostile_values_are_refused_never_500(pilot, people, api_for):
    week = ReviewWeekFactory(pilot=pilot)
    valid = sample_row(week, 1, note="fine", accuracy_note="")
    answers = bulk_answers(api_for(people["reviewer"]), "/api/samples/bulk", valid)
    assert_refused_like_single_rows(answers, {"reference", "produced_by", "note"})
    assert not Sample.objects.exists()


@pytest.mark.parametrize("column", ["note", "task_type"])
def test_a_csv_line_with_a_nul_names_the_line_and_field_and_imports_nothing(pilot, people, column):
    cells = {"note": "Gateway invoice", "task_type": "refund"}
    cells[column] = NUL
    text = (
        "pilot,date,category,amount,task_type,note\n"
        f"{pilot.pk},{timezone.localdate()},model_api,12.40,{cells['task_type']},{cells['note']}\n"
    )
    with pytest.raises(RowErrors) as error:
        cost_csv_import(by=people["finance"], text=text)
    assert {"line": 2, "field": column, "message": NUL_MESSAGE} in error.value.rows
    assert not CostEntry.objects.exists()
