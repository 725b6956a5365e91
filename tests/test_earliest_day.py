"""One earliest day for every record: no earlier than a year before the pilot was created."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import ApplicationError
from costs.models import CostEntry, TaskVolume
from costs.services import RowErrors, cost_csv_import
from reviews import services as review_services
from tests.costs.factories import entry_row

pytestmark = pytest.mark.django_db
TOO_EARLY = "That day is too early"


def post(api, url, rows):
    return api.generic("POST", url, json.dumps(rows), content_type="application/json")


def test_costs_and_task_counts_dated_1900_are_refused_on_every_path(pilot, people, api_for):
    api = api_for(people["tech"])
    for url, row in (
        ("/api/cost-entries", entry_row(pilot, date="1900-01-01")),
        ("/api/cost-entries/bulk", [entry_row(pilot, date="1900-01-01")]),
        ("/api/task-volumes", {"pilot": pilot.pk, "date": "1900-01-01", "completed": 3}),
        ("/api/task-volumes/bulk", [{"pilot": pilot.pk, "date": "1900-01-01", "completed": 3}]),
    ):
        response = post(api, url, row)
        assert response.status_code == 400, (url, response.content)
        assert TOO_EARLY in response.content.decode(), url
    text = f"pilot,date,category,amount\n{pilot.pk},1900-01-01,model_api,1.00\n"
    with pytest.raises(RowErrors) as error:
        cost_csv_import(by=people["finance"], text=text)
    assert error.value.rows[0]["field"] == "date"
    assert TOO_EARLY in error.value.rows[0]["message"]
    assert not CostEntry.objects.exists() and not TaskVolume.objects.exists()


def test_the_earliest_day_itself_is_accepted_and_the_day_before_is_not(pilot, people, api_for):
    earliest = timezone.localdate(pilot.created_at) - timedelta(days=365)
    api = api_for(people["tech"])
    ok = post(api, "/api/cost-entries/bulk", [entry_row(pilot, date=earliest.isoformat())])
    assert ok.status_code == 201, ok.content
    day_before = (earliest - timedelta(days=1)).isoformat()
    refused = post(api, "/api/cost-entries/bulk", [entry_row(pilot, date=day_before)])
    assert refused.status_code == 400
    assert earliest.isoformat() in refused.content.decode()  # the message names the day


def test_an_error_dated_1900_is_refused(pilot, people):
    with pytest.raises(ApplicationError) as error:
        review_services.error_report(
            pilot=pilot,
            by=people["reviewer"],
            what_went_wrong="Invented an order.",
            occurred_on=timezone.localdate().replace(year=1900),
        )
    assert TOO_EARLY in error.value.field_errors["occurred_on"][0]
