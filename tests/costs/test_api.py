"""The ledger over REST: bulk pushes for gateways, exact decimals, permissions, figures, queries."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.models import PendingEvaluation
from costs.models import CostEntry, DailyCost, Source, TaskVolume
from tests.costs.factories import entry_row, record_cost, record_tasks
from tests.pilots.factories import PilotFactory

D = Decimal
pytestmark = pytest.mark.django_db


def post_json(api, url, payload):
    """Send the body as written: JSON numbers stay JSON numbers (no client-side float round trip)."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return api.generic("POST", url, body, content_type="application/json")


def test_bulk_push_creates_every_row_and_answers_row_by_row(pilot, people, api_for):
    rows = [entry_row(pilot, idempotency_key=f"req-{n}") for n in range(3)]
    response = post_json(api_for(people["tech"]), "/api/cost-entries/bulk", rows)
    assert response.status_code == 201, response.data
    assert response.data["created"] == 3 and response.data["existing"] == 0
    assert [row["status"] for row in response.data["rows"]] == ["created"] * 3
    assert set(CostEntry.objects.values_list("source", flat=True)) == {Source.API}


def test_the_same_bulk_push_sent_twice_adds_nothing_the_second_time(pilot, people, api_for):
    rows = [entry_row(pilot, amount="0.0310", idempotency_key=f"gw-{n}") for n in range(50)]
    api = api_for(people["tech"])
    first = post_json(api, "/api/cost-entries/bulk", rows)
    second = post_json(api, "/api/cost-entries/bulk", rows)
    assert first.status_code == 201 and second.status_code == 200
    assert second.data["created"] == 0 and second.data["existing"] == 50
    assert [row["id"] for row in second.data["rows"]] == [row["id"] for row in first.data["rows"]]
    assert CostEntry.objects.count() == 50
    assert DailyCost.objects.get().total == D("1.55")


def test_a_bad_row_answers_400_with_its_index_and_field_and_saves_nothing(pilot, people, api_for):
    rows = [entry_row(pilot) for _ in range(4)]
    rows[1]["date"] = "31/12/2026"
    rows[3]["hours"] = "2"
    response = post_json(api_for(people["owner"]), "/api/cost-entries/bulk", rows)
    assert response.status_code == 400
    assert response.data == {
        "errors": [
            {"index": 1, "errors": {"date": ["Write the date as YYYY-MM-DD, e.g. 2026-11-03."]}},
            {"index": 3, "errors": {"hourly_rate": ["Give the hourly rate for these hours."]}},
        ]
    }
    assert not CostEntry.objects.exists()


def test_json_numbers_are_read_as_exact_decimals_never_floats(pilot, people, api_for):
    day = timezone.localdate().isoformat()
    # 0.0375 h × 38.50 = 1.44375 → 1.4438; through float it would be 1.4437.
    body = (
        f'[{{"pilot": {pilot.pk}, "date": "{day}", "category": "reviewer_time", '
        f'"hours": 0.0375, "hourly_rate": 38.50}}]'
    )
    response = post_json(api_for(people["owner"]), "/api/cost-entries/bulk", body)
    assert response.status_code == 201, response.data
    assert CostEntry.objects.get().amount == D("1.4438")
    tenths = (
        "["
        + ",".join(
            f'{{"pilot": {pilot.pk}, "date": "{day}", "category": "model_api", "amount": 0.1}}'
            for _ in range(10)
        )
        + "]"
    )
    post_json(api_for(people["owner"]), "/api/cost-entries/bulk", tenths)
    assert DailyCost.objects.get(category="model_api").total == D("1.0000")


def test_thousands_of_rows_in_one_call(pilot, people, api_for):
    day = timezone.localdate()
    rows = [
        entry_row(pilot, date=(day - timedelta(days=n % 30)).isoformat(), idempotency_key=f"k{n}")
        for n in range(5000)
    ]
    response = post_json(api_for(people["tech"]), "/api/cost-entries/bulk", rows)
    assert response.status_code == 201
    assert response.data["created"] == 5000
    assert DailyCost.objects.count() == 30
    assert sum(DailyCost.objects.values_list("total", flat=True)) == D("150.0000")


def test_a_body_that_is_not_a_list_answers_400(people, api_for):
    response = post_json(api_for(people["owner"]), "/api/cost-entries/bulk", {"rows": []})
    assert response.status_code == 400
    assert response.data["non_field_errors"] == ["Send a JSON list of rows."]


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 201), ("tech", 201), ("finance", 201), ("admin", 201)]
)
def test_who_may_push_costs(pilot, people, api_for, who, status):
    response = post_json(api_for(people[who]), "/api/cost-entries/bulk", [entry_row(pilot)])
    assert response.status_code == status


@pytest.mark.parametrize("who", ["reviewer", "stopper"])
def test_others_who_see_the_pilot_are_refused_and_nothing_is_saved(pilot, people, api_for, who):
    response = post_json(api_for(people[who]), "/api/cost-entries/bulk", [entry_row(pilot)])
    assert response.status_code == 403
    assert pilot.name in response.data["detail"]
    assert not CostEntry.objects.exists()


def test_a_stranger_gets_a_row_error_on_the_pilot_and_nothing_is_saved(pilot, people, api_for):
    response = post_json(api_for(people["stranger"]), "/api/cost-entries/bulk", [entry_row(pilot)])
    assert response.status_code == 400
    assert "pilot" in response.data["errors"][0]["errors"]
    assert not CostEntry.objects.exists()


def test_anonymous_callers_are_refused(pilot, client):
    response = client.post("/api/cost-entries/bulk", "[]", content_type="application/json")
    assert response.status_code in (401, 403)


def test_single_entry_create_patch_and_delete_keep_the_rollup(pilot, people, api_for):
    api = api_for(people["owner"])
    payload = {
        "pilot": pilot.pk,
        "date": timezone.localdate().isoformat(),
        "category": "reviewer_time",
        "hours": "0.025",
        "hourly_rate": "40",
        "idempotency_key": "one",
    }
    created = post_json(api, "/api/cost-entries", payload)
    assert created.status_code == 201, created.data
    assert created.data["amount"] == "1.0000"
    again = post_json(api, "/api/cost-entries", payload)
    assert again.status_code == 200 and again.data["id"] == created.data["id"]
    url = f"/api/cost-entries/{created.data['id']}"
    patched = api.patch(url, {"amount": "2.5"}, format="json")
    assert patched.status_code == 200, patched.data
    assert (patched.data["amount"], patched.data["hours"]) == ("2.5000", None)
    assert DailyCost.objects.get().total == D("2.5")
    bad = api.patch(
        url, {"date": (timezone.localdate() + timedelta(days=2)).isoformat()}, format="json"
    )
    assert bad.status_code == 400 and "date" in bad.data
    assert api.delete(url).status_code == 204
    assert not DailyCost.objects.exists()


def test_a_reviewer_reads_the_ledger_but_may_not_change_it(pilot, people, api_for):
    entry = record_cost(pilot, people["owner"], amount="3.00")
    api = api_for(people["reviewer"])
    assert api.get(f"/api/cost-entries/{entry.pk}").status_code == 200
    assert (
        api.patch(f"/api/cost-entries/{entry.pk}", {"amount": "1"}, format="json").status_code
        == 403
    )
    assert api.delete(f"/api/cost-entries/{entry.pk}").status_code == 403
    assert api_for(people["stranger"]).get(f"/api/cost-entries/{entry.pk}").status_code == 404


def test_ledger_list_filters_and_is_scoped(pilot, people, api_for):
    record_cost(pilot, people["owner"], amount="1", category="model_api")
    record_cost(pilot, people["owner"], amount="2", category="tool_fees")
    other = PilotFactory()
    record_cost(other, people["admin"], amount="3")
    reviewer = api_for(people["reviewer"]).get("/api/cost-entries", {"category": "tool_fees"})
    assert [row["amount"] for row in reviewer.data["results"]] == ["2.0000"]
    assert api_for(people["finance"]).get("/api/cost-entries").data["count"] == 3
    assert api_for(people["stranger"]).get("/api/cost-entries").data["count"] == 0


def test_volume_bulk_push_replaces_a_day_sent_again(pilot, people, api_for):
    day = timezone.localdate().isoformat()
    api = api_for(people["tech"])
    first = post_json(
        api, "/api/task-volumes/bulk", [{"pilot": pilot.pk, "date": day, "completed": 180}]
    )
    assert first.status_code == 201 and first.data["created"] == 1
    again = post_json(
        api, "/api/task-volumes/bulk", [{"pilot": pilot.pk, "date": day, "completed": 184}]
    )
    assert again.status_code == 200
    assert (again.data["replaced"], again.data["rows"][0]["status"]) == (1, "replaced")
    assert TaskVolume.objects.get().completed == 184
    bad = post_json(
        api, "/api/task-volumes/bulk", [{"pilot": pilot.pk, "date": day, "completed": 1.5}]
    )
    assert bad.status_code == 400 and bad.data["errors"][0]["errors"]["completed"]


def test_single_volume_post_sets_the_day(pilot, people, api_for):
    api = api_for(people["owner"])
    payload = {
        "pilot": pilot.pk,
        "date": timezone.localdate().isoformat(),
        "completed": 10,
        "task_type": "Shipping Update",
    }
    assert post_json(api, "/api/task-volumes", payload).status_code == 201
    response = post_json(api, "/api/task-volumes", {**payload, "completed": 12})
    assert response.status_code == 200
    assert (response.data["completed"], response.data["task_type"]) == (12, "shipping update")


def test_cost_summaries_give_month_to_date_against_the_cap_and_the_estimate(pilot, people, api_for):
    record_cost(pilot, people["owner"], amount="0.03")
    record_cost(pilot, people["owner"], category="reviewer_time", hours="0.025", rate="40")
    record_tasks(pilot, people["owner"], completed=1)
    api = api_for(people["finance"])
    listing = api.get("/api/cost-summaries")
    assert listing.status_code == 200
    (summary,) = listing.data["results"]
    assert summary["month"]["full_per_task"] == "1.0300"
    assert summary["month"]["api_per_task"] == "0.0300"
    assert summary["month_percent_of_cap"] == "0.1"
    one = api.get(f"/api/cost-summaries/{pilot.pk}")
    assert one.status_code == 200
    assert [row["label"] for row in one.data["estimate"]] == [
        "Today's volume",
        "One more team",
        "A busy month",
    ]
    assert api.get("/api/cost-summaries", {"month": "2026-13"}).status_code == 400
    assert api_for(people["stranger"]).get(f"/api/cost-summaries/{pilot.pk}").status_code == 404


def test_cost_summaries_for_a_past_month(pilot, people, api_for):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    record_cost(pilot, people["owner"], amount="7", day=last_month)
    response = api_for(people["owner"]).get("/api/cost-summaries", {"month": f"{last_month:%Y-%m}"})
    assert response.data["results"][0]["month"]["total"] == "7.00"  # money: two places
    assert response.data["results"][0]["month"]["full_per_task"] is None


def test_schema_documents_the_cost_endpoints(people, api_for):
    schema = api_for(people["owner"]).get("/api/schema/", {"format": "json"}).json()
    for path, methods in {
        "/api/cost-entries": {"get", "post"},
        "/api/cost-entries/{id}": {"get", "patch", "delete"},
        "/api/cost-entries/bulk": {"post"},
        "/api/task-volumes": {"get", "post"},
        "/api/task-volumes/bulk": {"post"},
        "/api/cost-summaries": {"get"},
        "/api/cost-summaries/{pilot}": {"get"},
    }.items():
        assert methods <= set(schema["paths"][path]), path
    bulk = schema["paths"]["/api/cost-entries/bulk"]["post"]
    assert {"200", "201", "400", "403"} <= set(bulk["responses"])


# --- Query counts -------------------------------------------------------------------------------

# Session auth is bypassed by force_authenticate: finance-group check, the page of rows with
# their total in the same query.
ENTRY_LIST_QUERIES = 2
VOLUME_LIST_QUERIES = 3
# Finance-group check, count, page of pilots, their spend, their tasks.
SUMMARY_LIST_QUERIES = 5


def fresh(user):
    """The same person as a new object: nothing cached from an earlier request."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("count", [1, 25])
def test_list_endpoints_run_a_fixed_number_of_queries(
    people, api_for, django_assert_num_queries, count
):
    pilots = [PilotFactory() for _ in range(count)]
    today = timezone.localdate()
    for n, each in enumerate(pilots):
        record_cost(each, people["admin"], amount="1", day=today - timedelta(days=n % 20))
        record_tasks(each, people["admin"], completed=10, day=today - timedelta(days=n % 20))
    for url, queries in (
        ("/api/cost-entries", ENTRY_LIST_QUERIES),
        ("/api/task-volumes", VOLUME_LIST_QUERIES),
        ("/api/cost-summaries", SUMMARY_LIST_QUERIES),
    ):
        api = api_for(fresh(people["finance"]))
        with django_assert_num_queries(queries):
            response = api.get(url)
        assert len(response.data["results"]) == count, url


def test_a_bulk_push_of_a_thousand_rows_runs_the_same_queries_as_one_of_ten(pilot, people, api_for):
    def queries_for(rows: int, prefix: str) -> int:
        payload = [entry_row(pilot, idempotency_key=f"{prefix}{n}") for n in range(rows)]
        api = api_for(fresh(people["tech"]))
        with CaptureQueriesContext(connection) as captured:
            assert post_json(api, "/api/cost-entries/bulk", payload).status_code == 201
        return len(captured)

    assert queries_for(1000, "large") == queries_for(10, "small")


def test_a_bulk_push_over_six_pilots_runs_the_same_queries_as_over_one(people, api_for):
    """Each pilot a push touches asks for its stop-rule evaluation, all in one statement."""
    pilots = [PilotFactory() for _ in range(7)]

    def queries_for(among: list, prefix: str) -> int:
        payload = [entry_row(p, idempotency_key=f"{prefix}{n}") for n, p in enumerate(among * 2)]
        api = api_for(fresh(people["finance"]))
        with CaptureQueriesContext(connection) as captured:
            assert post_json(api, "/api/cost-entries/bulk", payload).status_code == 201
        return len(captured)

    assert queries_for(pilots[1:], "six") == queries_for(pilots[:1], "one")
    asked = PendingEvaluation.objects.values_list("pilot_id", flat=True)
    assert set(asked) == {p.pk for p in pilots}


def test_a_body_past_the_upload_limit_answers_400_saying_to_split_it(
    pilot, people, api_for, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    rows = [entry_row(pilot, note="x" * 50) for _ in range(40)]
    response = post_json(api_for(people["owner"]), "/api/cost-entries/bulk", rows)
    assert response.status_code == 400
    assert "split the push" in response.data["non_field_errors"][0]
    assert not CostEntry.objects.exists()
