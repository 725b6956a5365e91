"""Scheduled housekeeping for accounts."""

from celery import shared_task

from pilots.api.authentication import purge_expired_tokens


@shared_task(name="pilots.tasks.purge_expired_tokens_task")
def purge_expired_tokens_task() -> int:
    """API tokens past their expiry are refused already; this removes their rows."""
    return purge_expired_tokens()
