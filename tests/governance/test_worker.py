"""A real Celery worker on a real Redis: ledger push over cap → paused → alert → signed webhook."""

import time
from decimal import Decimal

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from costs.services import cost_entry_create
from governance.models import Alert, AlertDelivery
from pilots.models import Pilot
from tests.fixtures import staff_pilot
from tests.governance.test_evaluation import WebhookReceiver, govern
from tests.pilots.factories import PilotFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def wait_for(condition, seconds: float = 30.0):
    """Poll until `condition()` is true; the deadline only bounds a hung run, it asserts no timing."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def reset_broker_pool():
    """Drop pooled connections so the next publish connects to the broker now configured."""
    kombu.pools.reset()  # kombu caches producer pools per connection, process-wide
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker(redis_url):
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    reset_broker_pool()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        app.conf.update(previous)
        reset_broker_pool()


def test_a_ledger_push_over_cap_pauses_the_pilot_and_delivers_a_signed_alert(
    people, settings, celery_worker
):
    with WebhookReceiver() as receiver:
        settings.PILOTDECK_WEBHOOK_URL = receiver.url
        pilot = PilotFactory(monthly_cap=Decimal("50.00"), alert_thresholds=[])
        staff_pilot(pilot, people)
        govern(pilot, people)

        cost_entry_create(
            by=people["owner"],
            pilot=pilot,
            date=timezone.localdate(),
            category="model_api",
            amount=Decimal("75.00"),
        )  # commits, then enqueues the evaluation on Redis

        assert wait_for(lambda: Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PAUSED)
        assert wait_for(lambda: len(receiver.received) == 1)
        alert = Alert.objects.get(pilot=pilot)
        assert alert.rule == "spend_over_cap" and alert.paused_pilot
        assert receiver.bad_signatures == 0
        assert receiver.received[0]["figures"]["month_to_date"] == "75.00"
        assert wait_for(
            lambda: not AlertDelivery.objects.filter(alert=alert).exclude(status="sent").exists()
        )
