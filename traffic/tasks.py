"""Celery tasks of the traffic app: thin, one service call each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from .services.retention import traffic_retention_run

logger = get_task_logger(__name__)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def traffic_retention_task() -> list[str]:
    """Daily (beat): task records past PILOTDECK_TRAFFIC_RETENTION_DAYS go, rollups stay."""
    dropped = traffic_retention_run()
    if dropped:
        logger.info("Dropped task-record partitions: %s", ", ".join(dropped))
    return dropped
