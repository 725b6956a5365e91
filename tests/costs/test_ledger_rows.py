"""The ledger list's fast path answers exactly what the ModelSerializer would, a page at a time."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from knox.models import AuthToken
from rest_framework.test import APIClient

from costs.api.ledger import COLUMNS, VALUES, entry_rows
from costs.api.serializers import CostEntrySerializer
from costs.models import Category, CostEntry, Source
from tests.costs.factories import record_cost
from tests.pilots.factories import PilotFactory, UserFactory

pytestmark = pytest.mark.django_db


def serialized(entries) -> list[dict]:
    return [dict(row) for row in CostEntrySerializer(entries, many=True).data]


def fast(entries) -> list[dict]:
    ids = [entry.pk for entry in entries]
    rows = {row[0]: row for row in CostEntry.objects.filter(pk__in=ids).values_list(*VALUES)}
    return entry_rows(rows[pk] for pk in ids)


def test_the_fast_rows_have_the_serializers_fields_in_its_order():
    assert [key for _, key in COLUMNS] == CostEntrySerializer.Meta.fields


class SameAsTheSerializer(TestCase):
    """Whatever the amounts, hours, notes and time zone, both write the same JSON values."""

    @settings(max_examples=40, deadline=None)
    @given(
        amount=st.decimals(min_value=0, max_value=Decimal("9999999999"), places=4),
        hours=st.none() | st.decimals(min_value=0, max_value=Decimal("999999"), places=4),
        note=st.text(max_size=40).filter(lambda text: "\x00" not in text),
        zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
        category=st.sampled_from(Category.values),
    )
    def test_rows(self, amount, hours, note, zone, category):
        user = UserFactory()
        pilot = PilotFactory()
        with override_settings(TIME_ZONE=zone):
            timezone.activate(zone)
            try:
                entry = CostEntry.objects.create(
                    pilot=pilot,
                    date=date(2026, 3, 29),
                    category=category,
                    amount=amount
                    if hours is None
                    else (hours * Decimal("42.5")).quantize(Decimal("0.0001")),
                    hours=hours,
                    hourly_rate=None if hours is None else Decimal("42.5"),
                    note=note,
                    source=Source.API,
                    created_by=user,
                )
                assert fast([entry]) == serialized([entry])
            finally:
                timezone.deactivate()


def test_the_list_answers_the_serializers_rows_and_the_total(pilot, people, api_for):
    today = timezone.localdate()
    for n in range(7):
        record_cost(pilot, people["tech"], amount=f"{n}.5", day=today - timedelta(days=n), note="x")
    response = api_for(people["owner"]).get(f"/api/cost-entries?pilot={pilot.pk}&page_size=3")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert body["next"] and body["previous"] is None
    entries = list(CostEntry.objects.order_by("-date", "-id")[:3])
    assert body["results"] == serialized(entries)


def test_pages_past_the_first_and_past_the_end(pilot, people, api_for):
    for n in range(5):
        record_cost(pilot, people["tech"], amount="1", key=f"k{n}")
    api = api_for(people["owner"])
    last = api.get(f"/api/cost-entries?pilot={pilot.pk}&page_size=2&page=3").json()
    assert last["count"] == 5 and len(last["results"]) == 1 and last["next"] is None
    beyond = api.get(f"/api/cost-entries?pilot={pilot.pk}&page_size=2&page=4")
    assert beyond.status_code == 404
    wrong = api.get(f"/api/cost-entries?pilot={pilot.pk}&page=zero")
    assert wrong.status_code == 404


def test_an_empty_month_is_page_one_of_nothing(pilot, people, api_for):
    record_cost(pilot, people["tech"], amount="1")
    body = (
        api_for(people["owner"])
        .get(f"/api/cost-entries?pilot={pilot.pk}&date__gte=1990-01-01&date__lte=1990-01-31")
        .json()
    )
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_pilot_someone_cannot_see_lists_nothing(pilot, people, api_for):
    record_cost(pilot, people["tech"], amount="1")
    stranger = UserFactory()
    body = api_for(stranger).get(f"/api/cost-entries?pilot={pilot.pk}").json()
    assert body["count"] == 0 and body["results"] == []


def test_a_pilot_filter_that_is_not_a_number_answers_400(people, api_for):
    response = api_for(people["owner"]).get("/api/cost-entries?pilot=abc")
    assert response.status_code == 400
    assert "pilot" in response.json()


def test_one_page_of_the_ledger_is_two_queries_whatever_its_size(
    pilot, people, api_for, django_assert_num_queries
):
    for n in range(30):
        record_cost(pilot, people["tech"], amount="1", key=f"q{n}")
    _, token = AuthToken.objects.create(people["owner"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # The token with its user and whether they are in finance; the page with its total (the
    # pilots the caller may see are a condition of that same query).
    for size in (1, 30):
        with django_assert_num_queries(1 + 1):
            response = api.get(f"/api/cost-entries?pilot={pilot.pk}&page_size={size}")
        assert len(response.json()["results"]) == size
