"""The rule engine against the database: exactly-once alerts, pauses, deliveries, query counts."""

import json
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from costs.services import cost_entry_create
from governance.models import Alert, AlertDelivery, DecisionRight, RuleSettings
from governance.services import pilots_evaluate
from governance.webhooks import verify
from pilots.models import Pilot, StatusChange
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory

SECRET = "test-webhook-secret"


class WebhookReceiver:
    """A local HTTP endpoint that records what it receives and checks the HMAC signature."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signature = self.headers.get("X-Pilotdeck-Signature", "")
                if not verify(signature, body, SECRET):
                    receiver.bad_signatures += 1
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def govern(pilot, people):
    """Give every decision right an owner and a backup, so no ownership gap muddles a test."""
    for kind in DecisionRight.Kind.values:
        DecisionRight.objects.update_or_create(
            pilot=pilot, kind=kind, defaults={"owner": people["tech"], "backup": people["owner"]}
        )


@pytest.fixture
def pilot(pilot, people):
    govern(pilot, people)
    return pilot


def spend(pilot, by, amount: str, day=None):
    cost_entry_create(
        by=by,
        pilot=pilot,
        date=day or timezone.localdate(),
        category="model_api",
        amount=Decimal(amount),
    )


@pytest.fixture
def webhook(settings):
    with WebhookReceiver() as receiver:
        settings.PILOTDECK_WEBHOOK_URL = receiver.url
        yield receiver


def test_spend_over_cap_pauses_alerts_and_delivers_once(
    people, pilot, webhook, django_capture_on_commit_callbacks
):
    Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("100.00"), alert_thresholds=[])
    spend(pilot, people["owner"], "100.01")
    with django_capture_on_commit_callbacks(execute=True):
        first = pilots_evaluate(pilot_ids=[pilot.pk])
    with django_capture_on_commit_callbacks(execute=True):
        second = pilots_evaluate(pilot_ids=[pilot.pk])

    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED
    assert "over the monthly cap" in pilot.status_reason
    pause = StatusChange.objects.get(pilot=pilot, to_status=Pilot.Status.PAUSED)
    assert (pause.by, pause.rule) == (None, "spend_over_cap")
    assert [a.rule for a in first.alerts] == ["spend_over_cap"] and second.alerts == []
    assert Alert.objects.count() == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        people[name].email for name in ("stopper", "stopper_backup", "owner", "owner_backup")
    )
    assert recipients == expected
    assert "100.01" in mail.outbox[0].body and "Next step" in mail.outbox[0].body
    assert len(webhook.received) == 1 and webhook.bad_signatures == 0
    body = webhook.received[0]
    assert body["rule"] == "spend_over_cap" and body["pilot"]["name"] == pilot.name
    assert "over the monthly cap" in body["text"]
    assert body["figures"]["month_to_date"] == "100.01"


def test_each_spend_threshold_alerts_once_per_month(
    people, pilot, django_capture_on_commit_callbacks
):
    Pilot.objects.filter(pk=pilot.pk).update(
        monthly_cap=Decimal("1000.00"), alert_thresholds=[50, 80, 100]
    )
    spend(pilot, people["owner"], "600")
    with django_capture_on_commit_callbacks(execute=True):
        pilots_evaluate(pilot_ids=[pilot.pk])
    spend(pilot, people["owner"], "250")
    with django_capture_on_commit_callbacks(execute=True):
        pilots_evaluate(pilot_ids=[pilot.pk])
        pilots_evaluate(pilot_ids=[pilot.pk])
    assert sorted(Alert.objects.values_list("rule", flat=True)) == [
        "spend_threshold_50",
        "spend_threshold_80",
    ]
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING


def test_after_a_resume_the_same_breach_does_not_pause_again(people, pilot):
    from pilots.services import pilot_transition

    Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("10"), alert_thresholds=[])
    spend(pilot, people["owner"], "20")
    pilots_evaluate(pilot_ids=[pilot.pk])
    pilot_transition(
        pilot=pilot, to_status="piloting", by=people["stopper"], reason="Cap raise approved."
    )
    pilots_evaluate(pilot_ids=[pilot.pk])
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING
    assert StatusChange.objects.filter(pilot=pilot, to_status="paused").count() == 1


def test_a_failing_webhook_is_retried_and_never_loses_the_alert(
    people, pilot, settings, django_capture_on_commit_callbacks
):
    with WebhookReceiver(fail_first=2) as receiver:
        settings.PILOTDECK_WEBHOOK_URL = receiver.url
        Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("10"), alert_thresholds=[])
        spend(pilot, people["owner"], "20")
        with django_capture_on_commit_callbacks(execute=True):
            pilots_evaluate(pilot_ids=[pilot.pk])  # eager tasks retry inline
        delivery = AlertDelivery.objects.get(channel="webhook")
        assert delivery.status == AlertDelivery.Status.SENT
        assert delivery.attempts == 3
        assert len(receiver.received) == 1


def test_a_webhook_that_never_answers_gives_up_visibly(
    people, pilot, settings, django_capture_on_commit_callbacks
):
    settings.PILOTDECK_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("10"), alert_thresholds=[])
    spend(pilot, people["owner"], "20")
    with django_capture_on_commit_callbacks(execute=True):
        pilots_evaluate(pilot_ids=[pilot.pk])
    delivery = AlertDelivery.objects.get(channel="webhook")
    assert delivery.status == AlertDelivery.Status.GAVE_UP
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    assert Alert.objects.filter(pilot=pilot).exists()
    assert AlertDelivery.objects.filter(channel="email", status="sent").count() == 4


def test_per_pilot_webhook_overrides_the_company_one(
    people, pilot, settings, django_capture_on_commit_callbacks
):
    with WebhookReceiver() as receiver:
        settings.PILOTDECK_WEBHOOK_URL = "http://127.0.0.1:9/company"
        RuleSettings.objects.create(pilot=pilot, webhook_url=receiver.url, webhook_secret=SECRET)
        Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("10"), alert_thresholds=[])
        spend(pilot, people["owner"], "20")
        with django_capture_on_commit_callbacks(execute=True):
            pilots_evaluate(pilot_ids=[pilot.pk])
        assert len(receiver.received) == 1 and receiver.bad_signatures == 0


def test_only_active_pilots_are_swept(people, pilot):
    draft = PilotFactory(status=Pilot.Status.DRAFT, monthly_cap=Decimal("1"), alert_thresholds=[])
    staff_pilot(draft, people)
    govern(draft, people)
    spend(draft, people["owner"], "5")
    result = pilots_evaluate()
    assert result.pilots == 1
    assert not Alert.objects.filter(pilot=draft).exists()


def make_active_pilots(people, count):
    for _ in range(count):
        staff_pilot(PilotFactory(monthly_cap=Decimal("100"), alert_thresholds=[50]), people)


@pytest.mark.parametrize("count", [5, 50])
def test_the_sweep_query_count_does_not_grow_with_pilots(people, django_assert_num_queries, count):
    make_active_pilots(people, count)
    pilots_evaluate()  # the first sweep raises the ownership-gap alerts; the second finds them stored
    # facts: pilots, costs (2), reviewer time, review weeks (1 + 0 with no weeks), roles, rights,
    # errors, closed weeks, changes, the tools-and-data check (3: data classes, approved tools,
    # data-source classes); then one query for the dedupe keys already stored and one clearing
    # the pending evaluations the sweep answered.
    with django_assert_num_queries(15):
        result = pilots_evaluate()
    assert result.pilots == count and result.alerts == []


def test_a_rolled_back_write_enqueues_no_evaluation(
    people, pilot, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        spend(pilot, people["owner"], "5")
        raise RuntimeError("the write fails after the ledger row")
    assert callbacks == []


def test_a_committed_ledger_push_enqueues_an_evaluation_of_that_pilot(
    people, pilot, django_capture_on_commit_callbacks
):
    Pilot.objects.filter(pk=pilot.pk).update(monthly_cap=Decimal("10"), alert_thresholds=[])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        spend(pilot, people["owner"], "20")
    assert callbacks  # the evaluation ran (eagerly) after commit
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_the_same_moment_alert_once(people, settings):
    with WebhookReceiver() as receiver:
        settings.PILOTDECK_WEBHOOK_URL = receiver.url
        pilot = PilotFactory(monthly_cap=Decimal("10"), alert_thresholds=[])
        staff_pilot(pilot, people)
        govern(pilot, people)
        spend(pilot, people["owner"], "20")
        barrier = threading.Barrier(2)
        errors = []

        def evaluate():
            try:
                barrier.wait(timeout=10)
                pilots_evaluate(pilot_ids=[pilot.pk])
            except Exception as error:  # surfaced below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=evaluate) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert Alert.objects.filter(pilot=pilot, rule="spend_over_cap").count() == 1
        assert StatusChange.objects.filter(pilot=pilot, to_status="paused").count() == 1
        assert len(receiver.received) == 1
        assert len([m for m in mail.outbox if "over the monthly cap" in m.subject]) == 4


def test_review_overdue_alerts_the_reviewer_and_backup(people, pilot):
    Pilot.objects.filter(pk=pilot.pk).update(status_since=timezone.now() - timedelta(days=30))
    pilots_evaluate(pilot_ids=[pilot.pk])
    alert = Alert.objects.get(rule="review_overdue")
    delivered = set(alert.deliveries.values_list("target", flat=True))
    assert {people["reviewer"].email, people["reviewer_backup"].email} <= delivered


def test_a_pilot_name_with_a_line_break_still_gets_its_alert_e_mail(
    people, pilot, django_capture_on_commit_callbacks
):
    Pilot.objects.filter(pk=pilot.pk).update(
        name="Support\ndrafts", monthly_cap=Decimal("10"), alert_thresholds=[]
    )
    spend(pilot, people["owner"], "20")
    with django_capture_on_commit_callbacks(execute=True):
        pilots_evaluate(pilot_ids=[pilot.pk])
    assert mail.outbox and all("\n" not in message.subject for message in mail.outbox)
    assert mail.outbox[0].subject == "[Pilotdeck] Support drafts: Spend over the monthly cap"
    assert not AlertDelivery.objects.exclude(status="sent").exists()
