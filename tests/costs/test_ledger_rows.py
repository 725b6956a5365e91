"""The ledger list's fast path answers exactly what the ModelSerializer would, a page at a time."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from knox.models import AuthToken
from rest_framework.test import APIClient

from costs.api import ledger
from costs.api.ledger import COLUMNS, VALUES, entry_rows
from costs.api.serializers import CostEntrySerializer
from costs.models import Category, CostEntry, Source
from pilots.access import FINANCE_GROUP
from tests.costs.factories import record_cost
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

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


ALL_CATEGORIES = ",".join(Category.values)  # filters nothing, but takes the generic path


class SimpleStatementSameAsGenericPath(TestCase):
    """ "This pilot, these days, page n" is answered by one hand-written statement; any other query
    by django-filter and the ORM. Whoever asks and whatever the range and page, both agree."""

    @classmethod
    def setUpTestData(cls):
        cls.owner, cls.member, cls.finance = UserFactory(), UserFactory(), UserFactory()
        cls.backup, cls.stranger = UserFactory(), UserFactory()
        cls.finance.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
        cls.pilots = [PilotFactory(), PilotFactory()]
        RoleFactory(pilot=cls.pilots[0], primary=cls.owner, backup=cls.backup)
        RoleFactory(pilot=cls.pilots[0], kind="reviewer").members.add(cls.member)
        start, admin = date(2026, 9, 20), UserFactory(is_superuser=True)
        for n in range(23):
            for pilot in cls.pilots:
                record_cost(pilot, admin, amount=f"{n}.25", day=start + timedelta(days=n % 15))

    @settings(max_examples=60, deadline=None)
    @given(
        who=st.sampled_from(["owner", "backup", "member", "finance", "stranger"]),
        pilot=st.integers(min_value=0, max_value=1),
        since=st.none() | st.dates(min_value=date(2026, 9, 15), max_value=date(2026, 10, 10)),
        until=st.none() | st.dates(min_value=date(2026, 9, 15), max_value=date(2026, 10, 10)),
        page=st.integers(min_value=1, max_value=4),
        size=st.none() | st.integers(min_value=1, max_value=12),
    )
    def test_same_answers(self, who, pilot, since, until, page, size):
        query = {"pilot": self.pilots[pilot].pk, "page": page}
        if since:
            query["date__gte"] = since.isoformat()
        if until:
            query["date__lte"] = until.isoformat()
        if size:
            query["page_size"] = size
        assert ledger.simple_query(QueryDict(urlencode(query))) is not None
        api = APIClient()
        api.force_authenticate(getattr(self, who))
        simple = api.get("/api/cost-entries", query)
        generic = api.get("/api/cost-entries", {**query, "category__in": ALL_CATEGORIES})
        assert simple.status_code == generic.status_code
        if simple.status_code == 200:
            mine, theirs = simple.json(), generic.json()
            assert mine["results"] == theirs["results"]
            assert mine["count"] == theirs["count"]
            assert bool(mine["next"]) == bool(theirs["next"])
            assert bool(mine["previous"]) == bool(theirs["previous"])


@pytest.mark.parametrize(
    "query",
    [
        "pilot=1&ordering=amount",
        "pilot=1&category=model_api",
        "pilot=01",
        "pilot=1.0",
        "pilot=1&date__gte=2026-02-30",
        "pilot=1&date__gte=20260201",
        "pilot=1&page=last",
        "pilot=1&pilot=2",
        "date__gte=2026-01-01",
    ],
)
def test_anything_else_takes_the_generic_path(query):
    assert ledger.simple_query(QueryDict(query)) is None
