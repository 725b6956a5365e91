"""Faults: the broker is down during a write, and a worker dies in the middle of an evaluation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.models import PendingEvaluation
from config.celery import app
from costs.models import CostEntry
from costs.services import cost_entry_create
from governance.models import Alert, AlertDelivery
from governance.services import evaluation, pilots_evaluate
from governance.tasks import outbox_drain_task
from pilots.models import Pilot, StatusChange
from tests.fixtures import staff_pilot
from tests.governance.test_evaluation import govern
from tests.governance.test_worker import reset_broker_pool, wait_for
from tests.pilots.factories import PilotFactory


def over_cap_pilot(people, cap="50.00"):
    pilot = PilotFactory(monthly_cap=Decimal(cap), alert_thresholds=[])
    staff_pilot(pilot, people)
    govern(pilot, people)
    return pilot


@pytest.fixture
def broker_down():
    """Point the app at a port where nothing listens, and publish without retrying."""
    previous = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry")
    }
    app.conf.update(
        broker_url="redis://127.0.0.1:1/0", task_always_eager=False, task_publish_retry=False
    )
    reset_broker_pool()
    yield
    app.conf.update(previous)
    reset_broker_pool()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_writes_succeed_and_the_request_waits_in_the_outbox(
    people, broker_down
):
    pilot = over_cap_pilot(people)
    entry, created = cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=Decimal("75.00"),
    )
    assert created and CostEntry.objects.filter(pk=entry.pk).exists()
    assert PendingEvaluation.objects.filter(pilot_id=pilot.pk).exists()
    assert Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PILOTING  # not evaluated yet


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_once_the_broker_is_back_the_drain_runs_the_missed_evaluation(people, redis_url):
    pilot = over_cap_pilot(people)
    previous = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry")
    }
    app.conf.update(
        broker_url="redis://127.0.0.1:1/0", task_always_eager=False, task_publish_retry=False
    )
    reset_broker_pool()
    try:
        cost_entry_create(
            by=people["owner"],
            pilot=pilot,
            date=timezone.localdate(),
            category="model_api",
            amount=Decimal("75.00"),
        )
    finally:
        app.conf.update(previous)
        reset_broker_pool()
    PendingEvaluation.objects.update(requested_at=timezone.now() - timedelta(minutes=2))

    from celery.contrib.testing.worker import start_worker

    app.conf.update(broker_url=redis_url, task_always_eager=False)
    reset_broker_pool()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            outbox_drain_task.delay()
            assert wait_for(lambda: Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PAUSED)
            assert wait_for(lambda: not PendingEvaluation.objects.exists())
    finally:
        app.conf.update(previous)
        reset_broker_pool()
    assert Alert.objects.filter(pilot=pilot, rule="spend_over_cap").count() == 1


def test_deliveries_stranded_while_the_broker_was_down_are_sent_by_the_drain(
    people, django_capture_on_commit_callbacks
):
    pilot = over_cap_pilot(people)
    cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=Decimal("75.00"),
    )
    pilots_evaluate(pilot_ids=[pilot.pk])  # callbacks not run: as if every publish was lost
    assert AlertDelivery.objects.filter(status="pending").count() == 4
    AlertDelivery.objects.update(updated_at=timezone.now() - timedelta(minutes=11))
    outbox_drain_task()  # eager in tests: the re-dispatched deliveries run inline
    assert AlertDelivery.objects.filter(status="sent").count() == 4


def test_a_worker_killed_mid_evaluation_leaves_no_half_written_alert(people, monkeypatch):
    pilot = over_cap_pilot(people)
    cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=Decimal("75.00"),
    )

    def killed(**kwargs):
        raise SystemExit("worker killed")  # what a SIGTERM mid-task looks like to the code

    monkeypatch.setattr(evaluation, "pilot_pause", killed)
    with pytest.raises(SystemExit):
        pilots_evaluate(pilot_ids=[pilot.pk])
    assert not Alert.objects.exists() and not AlertDelivery.objects.exists()
    assert not StatusChange.objects.filter(pilot=pilot, to_status="paused").exists()

    monkeypatch.undo()
    pilots_evaluate(pilot_ids=[pilot.pk])  # acks_late: the task runs again
    assert Alert.objects.filter(pilot=pilot).count() == 1
    assert Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PAUSED
