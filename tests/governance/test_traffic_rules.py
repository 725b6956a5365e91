"""Stop rules fed by live traffic: failure rate, late pick-ups, and prompt drift from what runs.

Pure rule checks first (facts in, verdicts out), then the facts read from the traffic rollups
and connections, with the sweep's query count unchanged."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from governance.facts import gather_facts
from governance.models import Alert, Change, RuleSettings
from governance.rules import RuleSettings as Settings
from governance.rules import evaluate
from governance.rules.labels import figure_value, rule_title
from governance.services import pilots_evaluate
from tests.fixtures import staff_pilot
from tests.governance.test_evaluation import govern
from tests.governance.test_rules import EMPTY
from tests.pilots.factories import PilotFactory
from traffic.services.ingest import tasks_ingest
from traffic.services.pickup import task_pick_up


def rules(facts) -> set[str]:
    return {verdict.rule for verdict in evaluate(facts)}


@pytest.mark.parametrize(
    ("tasks", "failed", "tripped"),
    [(100, 10, False), (100, 11, True), (19, 19, False), (20, 3, True)],
)
def test_failure_rate_over_its_limit_alerts(tasks, failed, tripped):
    facts = replace(EMPTY, traffic_tasks_last_week=tasks, traffic_failed_last_week=failed)
    assert ("failure_rate_over_limit" in rules(facts)) is tripped


def test_the_failure_limit_is_the_pilots_setting():
    facts = replace(
        EMPTY,
        traffic_tasks_last_week=100,
        traffic_failed_last_week=11,
        settings=Settings(max_failure_percent=20),
    )
    assert "failure_rate_over_limit" not in rules(facts)


def test_late_pick_ups_alert_the_business_owner():
    facts = replace(
        EMPTY, pickups_last_week=9, late_pickups_last_week=2, handoff_response_minutes=15
    )
    (verdict,) = [v for v in evaluate(facts) if v.rule == "handoffs_picked_up_late"]
    assert verdict.notify == ("business_owner",)
    assert "2 of 9 handoffs" in verdict.message and "15 minutes" in verdict.message
    assert "handoffs_picked_up_late" not in rules(replace(facts, late_pickups_last_week=0))
    assert "handoffs_picked_up_late" not in rules(replace(facts, handoff_response_minutes=None))


def test_a_version_seen_in_traffic_without_a_change_is_prompt_drift():
    facts = replace(EMPTY, undocumented_in_traffic=("prompt v9",))
    (verdict,) = [v for v in evaluate(facts) if v.rule == "prompt_drift"]
    assert "traffic runs what no change-log entry put live: prompt v9" in verdict.message
    assert verdict.figures["seen_in_traffic"] == "prompt v9"


@pytest.mark.parametrize(
    ("served", "documented"),
    [
        ("gpt-4o", True),
        ("openai/gpt-4o", True),
        ("gpt-4o-2024-08-06", True),
        ("claude-3-5-sonnet@20240620", False),
        ("gpt-4o-mini", False),
        ("gpt-5", False),
    ],
)
def test_a_served_model_matches_its_documented_name_or_a_snapshot(served, documented):
    from governance.traffic_facts import _documents

    assert _documents(served, {"gpt-4o"}) is documented


def test_the_new_rules_read_as_people_do():
    assert rule_title("failure_rate_over_limit") == "Failure rate over its limit"
    assert rule_title("handoffs_picked_up_late") == "Handoffs picked up late"
    assert figure_value("failure_rate", "12.5") == "12.5%"


# --- From the traffic -------------------------------------------------------------------------


def last_week_noon(today: date) -> datetime:
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return timezone.make_aware(datetime.combine(monday + timedelta(days=2), time(12)))


def send(pilot, by, *, count, failed=0, handed_off=0, prompt="v2", model="gpt-4o-mini"):
    start = last_week_noon(timezone.localdate())
    rows = []
    for n in range(count):
        outcome = (
            "failed" if n < failed else "handed_off" if n < failed + handed_off else "completed"
        )
        begun = start + timedelta(minutes=n)
        rows.append(
            {
                "pilot": pilot.pk,
                "source_id": f"{prompt}-{model}-{n}",
                "started_at": begun.isoformat(),
                "ended_at": (begun + timedelta(seconds=2)).isoformat(),
                "model_served": model,
                "prompt_version": prompt,
                "outcome": outcome,
            }
        )
    tasks_ingest(by=by, rows=rows, origin="native", keep_valid=False)
    return start


@pytest.fixture
def live(pilot, people):
    govern(pilot, people)
    pilot.prompt_version, pilot.model_name, pilot.handoff_response_minutes = "v2", "gpt-4o-mini", 15
    pilot.save(update_fields=["prompt_version", "model_name", "handoff_response_minutes"])
    return pilot


@pytest.mark.django_db
def test_failures_in_last_weeks_traffic_trip_the_failure_rule(live, people):
    RuleSettings.objects.update_or_create(pilot=live, defaults={"max_failure_percent": 10})
    send(live, people["tech"], count=40, failed=5)
    (facts,) = gather_facts(pilot_ids=[live.pk])
    assert (facts.traffic_tasks_last_week, facts.traffic_failed_last_week) == (40, 5)
    assert facts.settings.max_failure_percent == 10
    assert "failure_rate_over_limit" in rules(facts)


@pytest.mark.django_db
def test_late_pick_ups_reported_by_patch_trip_the_handoff_rule(live, people):
    start = send(live, people["tech"], count=3, handed_off=3)
    ended = start + timedelta(seconds=2)
    for n, minutes in enumerate((5, 40, 90)):
        task_pick_up(
            by=people["tech"],
            pilot=live,
            source_id=f"v2-gpt-4o-mini-{n}",
            data={"picked_up_at": (ended + timedelta(minutes=n + minutes)).isoformat()},
        )
    (facts,) = gather_facts(pilot_ids=[live.pk])
    assert (facts.pickups_last_week, facts.late_pickups_last_week) == (3, 2)
    result = pilots_evaluate(pilot_ids=[live.pk])
    assert "handoffs_picked_up_late" in {alert.rule for alert in result.alerts}
    assert Alert.objects.filter(pilot=live, rule="handoffs_picked_up_late").count() == 1


@pytest.mark.django_db
def test_a_prompt_or_model_running_without_a_live_change_is_drift(live, people):
    send(live, people["tech"], count=2, model="openai/gpt-4o-mini-2024-07-18")  # a snapshot
    (facts,) = gather_facts(pilot_ids=[live.pk])
    assert facts.undocumented_in_traffic == ()
    send(live, people["tech"], count=2, prompt="v3", model="claude-sonnet-4")
    (facts,) = gather_facts(pilot_ids=[live.pk])
    assert facts.undocumented_in_traffic == ("prompt v3", "model claude-sonnet-4")
    assert "prompt_drift" in rules(facts)
    Change.objects.create(
        pilot=live,
        kind="prompt",
        title="Prompt v3",
        hypothesis="Shorter answers",
        new_value="v3",
        requested_by=people["tech"],
        status=Change.Status.LIVE,
        live_at=timezone.now(),
    )
    (facts,) = gather_facts(pilot_ids=[live.pk])
    assert facts.undocumented_in_traffic == ("model claude-sonnet-4",)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 20])
def test_the_sweep_reads_traffic_without_more_queries(people, django_assert_num_queries, count):
    for n in range(count):
        each = PilotFactory(prompt_version="v2")
        staff_pilot(each, people)
        govern(each, people)
        send(each, people["admin"], count=3, failed=n % 2)
    pilots_evaluate()
    with django_assert_num_queries(15):  # as without traffic (tests/governance/test_evaluation.py)
        result = pilots_evaluate()
    assert result.pilots == count


@pytest.mark.django_db
def test_the_failure_limit_is_set_on_the_form_and_the_api(pilot, people, api_for, client_for):
    page = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/rules/")
    assert 'name="max_failure_percent"' in page.content.decode()
    api = api_for(people["owner"])
    wrong = api.post(
        "/api/rule-settings", {"pilot": pilot.pk, "max_failure_percent": 101}, format="json"
    )
    assert wrong.status_code == 400 and "max_failure_percent" in wrong.json()
    made = api.post(
        "/api/rule-settings", {"pilot": pilot.pk, "max_failure_percent": 5}, format="json"
    )
    assert made.status_code == 201, made.content
    assert RuleSettings.objects.get(pilot=pilot).max_failure_percent == 5
