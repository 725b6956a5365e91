"""Hourly rates set once (per pilot, or the company default) so tools can push hours alone."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from costs.models import CostEntry, HourlyRate
from costs.services.rates import hourly_rate_set
from tests.costs.factories import entry_row, record_cost
from tests.pilots.factories import PilotFactory

pytestmark = pytest.mark.django_db


def post_json(api, url, payload):
    return api.generic("POST", url, json.dumps(payload), content_type="application/json")


def hours_row(pilot, category="reviewer_time", **overrides):
    row = entry_row(pilot, category=category, hours="2.5")
    row.pop("amount")
    row.update(overrides)
    return row


def set_rate(by, pilot, category, rate):
    return hourly_rate_set(by=by, pilot=pilot, category=category, rate=Decimal(rate))[0]


def test_hours_alone_take_the_pilots_rate_and_the_entry_keeps_it(pilot, people):
    set_rate(people["finance"], None, "reviewer_time", "30")
    set_rate(people["owner"], pilot, "reviewer_time", "48")

    entry = record_cost(pilot, people["owner"], category="reviewer_time", hours="2.5")
    set_rate(people["owner"], pilot, "reviewer_time", "60")  # later changes leave it alone

    entry.refresh_from_db()
    assert entry.hourly_rate == Decimal("48")
    assert entry.amount == Decimal("120")


def test_without_a_pilot_rate_the_company_default_applies(pilot, people):
    set_rate(people["finance"], None, "support_time", "35")
    set_rate(people["admin"], PilotFactory(), "support_time", "99")  # another pilot's

    entry = record_cost(pilot, people["owner"], category="support_time", hours="2")

    assert (entry.hourly_rate, entry.amount) == (Decimal("35"), Decimal("70"))


def test_a_row_may_still_name_its_own_rate(pilot, people):
    set_rate(people["owner"], pilot, "rework", "40")

    entry = record_cost(pilot, people["owner"], category="rework", hours="2", rate="55")

    assert (entry.hourly_rate, entry.amount) == (Decimal("55"), Decimal("110"))


def test_hours_without_any_rate_say_how_to_set_one(pilot, people, api_for):
    response = post_json(
        api_for(people["owner"]), "/api/cost-entries/bulk", [hours_row(pilot, "rework")]
    )

    assert response.status_code == 400
    message = response.json()["errors"][0]["errors"]["hourly_rate"][0]
    assert message.startswith("Give the hourly rate for these hours")
    assert "set an hourly rate for rework" in message
    assert not CostEntry.objects.exists()


def test_bulk_hours_resolve_each_pilots_rate_in_a_fixed_number_of_queries(people, api_for):
    pilots = [PilotFactory() for _ in range(12)]
    set_rate(people["admin"], None, "reviewer_time", "30")
    for each in pilots[:6]:
        set_rate(people["admin"], each, "reviewer_time", "50")

    def queries_for(count: int, prefix: str) -> int:
        rows = [
            hours_row(pilots[n % len(pilots)], idempotency_key=f"{prefix}{n}") for n in range(count)
        ]
        api = api_for(type(people["finance"]).objects.get(pk=people["finance"].pk))
        with CaptureQueriesContext(connection) as captured:
            assert post_json(api, "/api/cost-entries/bulk", rows).status_code == 201
        return len(captured)

    assert queries_for(12, "a-") == queries_for(600, "b-")
    rates = {
        (entry.pilot_id, entry.hourly_rate)
        for entry in CostEntry.objects.filter(idempotency_key__startswith="a-")
    }
    assert rates == {(each.pk, Decimal("50")) for each in pilots[:6]} | {
        (each.pk, Decimal("30")) for each in pilots[6:]
    }


def test_csv_import_uses_the_rates_too(pilot, people):
    from costs.services import cost_csv_import, cost_csv_preview

    set_rate(people["owner"], pilot, "reviewer_time", "45")
    today = timezone.localdate().isoformat()
    text = f"pilot,date,category,hours\n{pilot.pk},{today},reviewer_time,2\n"

    preview = cost_csv_preview(by=people["owner"], text=text)
    assert not preview.errors, preview.errors
    cost_csv_import(by=people["owner"], text=text)

    entry = CostEntry.objects.get()
    assert (entry.hourly_rate, entry.amount) == (Decimal("45"), Decimal("90"))


# --- The API -----------------------------------------------------------------------------------


def test_an_owner_sets_the_pilots_rate_and_setting_it_again_replaces_it(pilot, people, api_for):
    api = api_for(people["owner"])
    body = {"pilot": pilot.pk, "category": "reviewer_time", "rate": "45.00"}

    first = post_json(api, "/api/hourly-rates", body)
    again = post_json(api, "/api/hourly-rates", {**body, "rate": "47.50"})

    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    rate = HourlyRate.objects.get()
    assert rate.rate == Decimal("47.50")
    assert rate.history.count() == 2


def test_only_finance_and_admins_set_company_defaults(people, api_for):
    body = {"pilot": None, "category": "support_time", "rate": "30"}

    refused = post_json(api_for(people["owner"]), "/api/hourly-rates", body)
    accepted = post_json(api_for(people["finance"]), "/api/hourly-rates", body)

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert HourlyRate.objects.get().pilot is None


def test_a_reviewer_may_read_but_not_set_the_pilots_rate(pilot, people, api_for):
    rate = set_rate(people["owner"], pilot, "rework", "40")
    api = api_for(people["reviewer"])

    assert api.get(f"/api/hourly-rates/{rate.pk}").status_code == 200
    response = post_json(
        api, "/api/hourly-rates", {"pilot": pilot.pk, "category": "rework", "rate": "1"}
    )
    assert response.status_code == 403
    assert (
        api.patch(f"/api/hourly-rates/{rate.pk}", {"rate": "1"}, format="json").status_code == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "model_api", "rate": "10"}, "category"),
        ({"category": "rework", "rate": "0"}, "rate"),
        ({"category": "rework", "rate": "-3"}, "rate"),
        ({"category": "rework", "rate": "1.23456"}, "rate"),
    ],
)
def test_bad_rates_answer_400_with_the_field(pilot, people, api_for, body, field):
    response = post_json(api_for(people["owner"]), "/api/hourly-rates", {"pilot": pilot.pk, **body})

    assert response.status_code == 400
    assert field in response.json()
    assert not HourlyRate.objects.exists()


def test_the_list_shows_defaults_and_visible_pilots_rates_only(pilot, people, api_for):
    set_rate(people["admin"], None, "rework", "30")
    set_rate(people["admin"], pilot, "rework", "40")
    set_rate(people["admin"], PilotFactory(), "rework", "50")

    rows = api_for(people["reviewer"]).get("/api/hourly-rates").json()["results"]

    assert sorted((row["pilot"], row["rate"]) for row in rows if row["pilot"]) == [
        (pilot.pk, "40.0000")
    ]
    assert [row["rate"] for row in rows if row["pilot"] is None] == ["30.0000"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_rate_list_takes_a_fixed_number_of_queries(
    people, api_for, django_assert_num_queries, count
):
    for _ in range(count):
        set_rate(people["admin"], PilotFactory(), "rework", "40")
    api = api_for(type(people["owner"]).objects.get(pk=people["owner"].pk))

    with django_assert_num_queries(RATE_LIST_QUERIES):
        response = api.get("/api/hourly-rates")

    assert response.status_code == 200


RATE_LIST_QUERIES = 2  # count + the page (the visible pilots are a subquery)


def test_the_admin_edits_rates_through_the_service(pilot, people, client_for):
    client = client_for(people["admin"])

    response = client.post(
        "/admin/costs/hourlyrate/add/",
        {"pilot": pilot.pk, "category": "reviewer_time", "rate": "44"},
    )

    assert response.status_code == 302, response.content[:2000]
    rate = HourlyRate.objects.get()
    assert (rate.rate, rate.updated_by) == (Decimal("44"), people["admin"])
