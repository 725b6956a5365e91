"""Celery tasks: ids in, one service call, retries with backoff, time limits. Thin on purpose."""

from celery import shared_task
from celery.utils.log import get_task_logger

from common.events import on_pilot_facts_changed

from .selectors import stale_work
from .services import alert_deliver, pilots_evaluate
from .services.alerts import DeliveryFailed, alert_delivery_give_up

logger = get_task_logger(__name__)
DELIVERY_MAX_RETRIES = 8


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def evaluate_all_pilots_task() -> dict:
    """The beat sweep: every active pilot, a fixed number of queries for all of them."""
    result = pilots_evaluate()
    logger.info(
        "Evaluated %s pilots: %s alerts, %s paused",
        result.pilots,
        len(result.alerts),
        len(result.paused),
    )
    return {"pilots": result.pilots, "alerts": len(result.alerts), "paused": result.paused}


@shared_task(
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def evaluate_pilot_task(pilot_id: int) -> dict:
    """Evaluate one pilot soon after a write that may trip a rule."""
    result = pilots_evaluate(pilot_ids=[pilot_id])
    return {"alerts": len(result.alerts), "paused": result.paused}


@shared_task(
    bind=True, acks_late=True, soft_time_limit=50, time_limit=60, max_retries=DELIVERY_MAX_RETRIES
)
def alert_deliver_task(self, delivery_id: int) -> str:
    """Deliver one e-mail or webhook post; retry with exponential backoff, then give up visibly."""
    try:
        return alert_deliver(delivery_id=delivery_id).status
    except DeliveryFailed as error:
        if self.request.retries >= self.max_retries:
            alert_delivery_give_up(delivery_id=delivery_id)
            return "gave_up"
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries)) from error


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def outbox_drain_task() -> dict:
    """Every minute: re-dispatch evaluations and deliveries whose messages were lost."""
    pilot_ids, delivery_ids = stale_work()
    for pilot_id in pilot_ids:
        evaluate_pilot_task.delay(pilot_id)
    for delivery_id in delivery_ids:
        alert_deliver_task.delay(delivery_id)
    return {"evaluations": len(pilot_ids), "deliveries": len(delivery_ids)}


def _enqueue_evaluation(pilot_id: int) -> None:
    evaluate_pilot_task.delay(pilot_id)


on_pilot_facts_changed(_enqueue_evaluation)
